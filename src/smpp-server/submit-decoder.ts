/**
 * Reads a customer's submit_sm into what the accept pipeline needs, or the command_status that
 * tells the ESME what was wrong. Everything here is per PDU and synchronous; reassembly of
 * concatenated parts and the policy checks come later.
 */
import type { Category } from '../accounts/account.js';
import { addressToString } from '../channels/smpp/smpp-address.js';
import { concatOf, readShortMessage } from '../channels/smpp/short-message.js';
import { EsmClass, SmppStatus, type SmppPdu } from '../channels/smpp/smpp-types.js';
import type { ConcatInfo } from '../channels/smpp/udh-codec.js';
import { parsePhoneNumber } from '../numbers/phone-number.js';
import { MAX_TEXT_LENGTH } from '../messages/message.js';

/** A submit_sm the pipeline can take. */
export interface DecodedSubmit {
  /** Destination in E.164. */
  to: string;
  /** source_addr as sent (sender ID, number or short code); '' when empty. */
  from: string;
  text: string;
  /** Set when this PDU is one part of a concatenated message (UDH or SAR TLVs). */
  concat?: ConcatInfo;
  /** registered_delivery bits 0–1: 0 none, 1 final, 2 failure only, 3 success only. */
  receipts: number;
  /** From service_type when it names a category, else undefined (the credentials' default). */
  category?: Category;
  scheduledAt: Date | null;
}

export type SubmitDecodeResult =
  | { ok: true; submit: DecodedSubmit }
  | { ok: false; status: number; reason: string };


const CATEGORIES = new Set<Category>(['otp', 'notification', 'marketing']);

/**
 * data_coding values we decode: 0 SMSC default (GSM 03.38), 1 IA5, 3 Latin-1, 8 UCS-2, and the
 * GSM 7-bit message-class forms 0xF0–0xF3. Binary (4, 0xF4–0xF7) has no text to check or re-segment.
 */
function textCoding(dc: number): boolean {
  return dc === 0 || dc === 1 || dc === 3 || dc === 8 || (dc >= 0xf0 && dc <= 0xf3);
}

const fail = (status: number, reason: string): SubmitDecodeResult => ({ ok: false, status, reason });

export function decodeSubmit(pdu: SmppPdu, now: Date): SubmitDecodeResult {
  const dc = pdu.data_coding ?? 0;
  if (!textCoding(dc)) return fail(SmppStatus.ESME_RINVDCS, `data_coding 0x${dc.toString(16)} is not a text coding (use 0, 1, 3 or 8)`);
  const esm = pdu.esm_class ?? 0;
  if ((esm & EsmClass.MESSAGE_TYPE_MASK) !== 0) return fail(SmppStatus.ESME_RINVESMCLASS, `esm_class 0x${esm.toString(16)} is not a default message type`);

  const dest = addressToString(pdu.dest_addr_ton, pdu.destination_addr);
  const parsed = parsePhoneNumber(dest);
  if (!parsed.ok) return fail(SmppStatus.ESME_RINVDSTADR, `destination_addr: ${parsed.message}`);

  const { text, udh } = readShortMessage(pdu);
  if (text.length === 0) return fail(SmppStatus.ESME_RINVMSGLEN, 'short_message and message_payload are both empty');
  if (text.length > MAX_TEXT_LENGTH) return fail(SmppStatus.ESME_RINVMSGLEN, `message is ${text.length} characters; at most ${MAX_TEXT_LENGTH}`);

  const scheduled = pdu.schedule_delivery_time;
  let scheduledAt: Date | null = null;
  if (scheduled instanceof Date) {
    if (Number.isNaN(scheduled.getTime())) return fail(SmppStatus.ESME_RINVSCHED, 'schedule_delivery_time is not a valid SMPP time');
    scheduledAt = scheduled.getTime() > now.getTime() ? scheduled : null;
  } else if (typeof scheduled === 'string' && scheduled !== '') {
    return fail(SmppStatus.ESME_RINVSCHED, 'schedule_delivery_time is not a valid SMPP time');
  }

  const serviceType = (pdu.service_type ?? '').toLowerCase() as Category;
  return {
    ok: true,
    submit: {
      to: parsed.e164,
      from: addressToString(pdu.source_addr_ton, pdu.source_addr),
      text,
      concat: concatOf(pdu, udh),
      receipts: (pdu.registered_delivery ?? 0) & 0x03,
      category: CATEGORIES.has(serviceType) ? serviceType : undefined,
      scheduledAt,
    },
  };
}
