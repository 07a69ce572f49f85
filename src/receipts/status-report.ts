import type { NewReport } from './report.repository.js';

/**
 * The status report a customer receives (pushed to the callback URL or pulled), the same shape for a
 * delivery receipt, a submit failure and a platform rejection.
 */
export type ReportStatus = 'delivered' | 'failed' | 'unknown' | 'cancelled';

export interface StatusReportPayload {
  type: 'status';
  messageId: string;
  reference: string | null;
  to: string;
  status: ReportStatus;
  /** Platform error code (see README); null on success. */
  errorCode: string | null;
  errorMessage: string | null;
  /** Present for per-part reports of a long message. */
  part?: { no: number; of: number };
  /** The upstream's raw receipt fields, kept as they came. */
  upstream?: { channelId: string; stat: string | null; err: string | null };
  at: string;
}

/** Maps an SMPP receipt stat to the platform's final status and error code. */
export function statusFromStat(stat: string): { status: ReportStatus; errorCode: string | null; final: boolean } {
  switch (stat) {
    case 'DELIVRD':
      return { status: 'delivered', errorCode: null, final: true };
    case 'ACCEPTD':
    case 'ENROUTE':
      return { status: 'unknown', errorCode: null, final: false };
    case 'EXPIRED':
    case 'DELETED':
    case 'UNDELIV':
    case 'REJECTD':
    case 'UNKNOWN':
      return { status: 'failed', errorCode: `DLR_${stat}`, final: true };
    default:
      return { status: 'failed', errorCode: 'DLR_OTHER', final: true };
  }
}

/** The columns of a stored `messages` row a report is built from. */
export type ReportedMessage = {
  id: string;
  account_id: string;
  to_number: string;
  reference: string | null;
  callback_url: string | null;
};

/** The report owed for a stored message: its identity from the row, the outcome from the caller. */
export function statusReportFor(
  m: ReportedMessage,
  outcome: Omit<StatusReportPayload, 'type' | 'messageId' | 'reference' | 'to'>,
): NewReport {
  return {
    accountId: m.account_id, kind: 'status', messageId: m.id, callbackUrl: m.callback_url ?? undefined,
    payload: { type: 'status', messageId: m.id, reference: m.reference ?? null, to: m.to_number, ...outcome } satisfies StatusReportPayload,
  };
}
