/**
 * How a platform status reads in SMPP: the receipt `stat:` and `message_state` for deliver_sm
 * receipts and query_sm_resp. Platform refusals (blacklist, keywords, caps…) are REJECTD, upstream
 * failures keep the upstream's own stat when it gave one.
 */
import type { ReceiptStat } from '../channels/channel-adapter.js';
import { MESSAGE_STATE } from '../channels/smpp/smsc-outcomes.js';
import type { MessageStatus } from '../messages/message.js';

/** message_state ENROUTE (SMPP 3.4 §5.2.28): not final yet. */
export const ENROUTE = 1;

const STATS = new Set<string>(Object.keys(MESSAGE_STATE));

/** The receipt stat for a final outcome. */
export function receiptStat(status: MessageStatus | 'delivered' | 'failed' | 'unknown' | 'cancelled', errorCode: string | null, upstreamStat?: string | null): ReceiptStat {
  switch (status) {
    case 'delivered':
      return 'DELIVRD';
    case 'cancelled':
      return 'DELETED';
    case 'unknown':
      return 'UNKNOWN';
    default:
      if (upstreamStat && STATS.has(upstreamStat)) return upstreamStat as ReceiptStat;
      // DLR_<stat> codes come from receipts; anything else is the platform's own refusal.
      if (errorCode?.startsWith('DLR_')) return STATS.has(errorCode.slice(4)) ? (errorCode.slice(4) as ReceiptStat) : 'UNDELIV';
      return 'REJECTD';
  }
}

/** message_state for query_sm: ENROUTE while the message is on its way. */
export function messageState(status: MessageStatus, errorCode: string | null): number {
  if (status === 'scheduled' || status === 'queued' || status === 'submitted') return ENROUTE;
  return MESSAGE_STATE[receiptStat(status, errorCode)];
}

/** SMPP absolute time `YYMMDDhhmmss000+` (UTC), for query_sm_resp final_date. */
export function smppTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}000+`;
}
