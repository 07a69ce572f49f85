/**
 * Delivery receipts (SMPP 3.4 Appendix B): the `receipted_message_id`/`message_state` TLVs and/or
 * the de-facto text form
 * `id:IIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:…`.
 */
import { normaliseMessageId, type DeliveryReport, type MessageIdBase, type ReceiptStat } from '../channel-adapter.js';

/** What a receipt PDU carried, independent of the PDU library. */
export interface ReceiptSource {
  /** short_message (or message_payload) as text. */
  text?: string;
  receiptedMessageId?: string;
  messageState?: number;
  networkErrorCode?: Uint8Array;
}

/** Fields of the text form, verbatim. */
export interface ReceiptTextFields {
  id?: string;
  sub?: string;
  dlvrd?: string;
  submitDate?: string;
  doneDate?: string;
  stat?: string;
  err?: string;
  text?: string;
}

/** How this SMSC writes ids in each place; see normaliseMessageId. */
export interface ReceiptIdBases {
  text?: MessageIdBase;
  tlv?: MessageIdBase;
}

const KEY = /(?:^|\s)(id|sub|dlvrd|submit date|done date|stat|err|text)\s*:/gi;
const FIELD: Record<string, keyof ReceiptTextFields> = {
  id: 'id',
  sub: 'sub',
  dlvrd: 'dlvrd',
  'submit date': 'submitDate',
  'done date': 'doneDate',
  stat: 'stat',
  err: 'err',
  text: 'text',
};

/** Text stats (including long forms some SMSCs send) to the canonical set. */
const STAT: Record<string, ReceiptStat> = {
  DELIVRD: 'DELIVRD',
  DELIVERED: 'DELIVRD',
  EXPIRED: 'EXPIRED',
  DELETED: 'DELETED',
  UNDELIV: 'UNDELIV',
  UNDELIVERABLE: 'UNDELIV',
  ACCEPTD: 'ACCEPTD',
  ACCEPTED: 'ACCEPTD',
  UNKNOWN: 'UNKNOWN',
  REJECTD: 'REJECTD',
  REJECTED: 'REJECTD',
};

/** message_state TLV values (SMPP 3.4 §5.2.28); ENROUTE (1) has no final stat and is left out. */
const STATE: Record<number, ReceiptStat> = {
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/**
 * Splits the text form into its fields. Keys are matched case-insensitively and in any order;
 * `text:` runs to the end because the original message may contain anything. Returns undefined
 * when neither `id:` nor `stat:` is present (not a receipt).
 */
export function parseReceiptText(text: string): ReceiptTextFields | undefined {
  const out: ReceiptTextFields = {};
  KEY.lastIndex = 0;
  let m = KEY.exec(text);
  while (m) {
    const field = FIELD[m[1].toLowerCase()];
    const start = KEY.lastIndex;
    if (field === 'text') {
      out.text = text.slice(start);
      break;
    }
    const next = KEY.exec(text);
    out[field] = text.slice(start, next ? next.index : text.length).trim();
    m = next;
  }
  return out.id !== undefined || out.stat !== undefined ? out : undefined;
}

/** Cheap check used to catch receipts an SMSC sends without the receipt esm_class. */
export function looksLikeReceiptText(text: string): boolean {
  return /^\s*id:\S+/i.test(text) && /\sstat:\s*\w+/i.test(text);
}

/** `YYMMDDhhmm`, `YYMMDDhhmmss` or `YYYYMMDDhhmmss`, read as UTC (the SMSC's zone is unknown). */
export function parseReceiptDate(value: string | undefined): Date | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  let v = value;
  if (v.length === 10 || v.length === 12) v = `20${v}`;
  if (v.length === 12) v += '00';
  if (v.length !== 14) return undefined;
  const n = (from: number, len: number) => Number(v.slice(from, from + len));
  const date = new Date(Date.UTC(n(0, 4), n(4, 2) - 1, n(6, 2), n(8, 2), n(10, 2), n(12, 2)));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Canonical stat for a text stat; unknown words (e.g. ENROUTE) become UNKNOWN. */
export function canonicalStat(stat: string | undefined): ReceiptStat | undefined {
  return stat === undefined ? undefined : (STAT[stat.toUpperCase()] ?? 'UNKNOWN');
}

/**
 * Builds a DeliveryReport. The id comes from `receipted_message_id` when present (the TLV is the
 * SMPP-standard field), else from the text `id:`; both are normalised so they match the id the
 * submit_sm_resp produced. The stat comes from `message_state` when it names a final state, else
 * from the text. Returns undefined when no id can be found.
 */
export function parseDeliveryReceipt(src: ReceiptSource, bases: ReceiptIdBases = {}): DeliveryReport | undefined {
  const fields = src.text ? parseReceiptText(src.text) : undefined;
  const tlvId = src.receiptedMessageId?.trim();
  const upstreamId = tlvId
    ? normaliseMessageId(tlvId, bases.tlv)
    : fields?.id
      ? normaliseMessageId(fields.id, bases.text)
      : '';
  if (!upstreamId) return undefined;
  const stat =
    (src.messageState !== undefined ? STATE[src.messageState] : undefined) ?? canonicalStat(fields?.stat) ?? 'UNKNOWN';
  const err = fields?.err ?? networkError(src.networkErrorCode) ?? '000';
  return { upstreamId, stat, err, doneAt: parseReceiptDate(fields?.doneDate), raw: rawOf(src) };
}

/** network_error_code TLV: type octet + 2-octet code; the code is what `err:` would have said. */
function networkError(tlv: Uint8Array | undefined): string | undefined {
  if (!tlv || tlv.length < 3) return undefined;
  return String((tlv[1] << 8) | tlv[2]).padStart(3, '0');
}

function rawOf(src: ReceiptSource): string {
  const tlvs: string[] = [];
  if (src.receiptedMessageId !== undefined) tlvs.push(`receipted_message_id=${src.receiptedMessageId}`);
  if (src.messageState !== undefined) tlvs.push(`message_state=${src.messageState}`);
  if (src.networkErrorCode) tlvs.push(`network_error_code=${Buffer.from(src.networkErrorCode).toString('hex')}`);
  if (tlvs.length === 0) return src.text ?? '';
  return src.text ? `${src.text} [${tlvs.join(' ')}]` : tlvs.join(' ');
}
