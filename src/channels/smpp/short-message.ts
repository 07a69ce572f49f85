/**
 * The text of a received deliver_sm or submit_sm as node-smpp decoded it, and its concatenation
 * info (UDH or SAR TLVs). Shared by the client adapter (MO, receipts) and the customer SMPP server.
 */
import type { DecodedShortMessage, SmppPdu } from './smpp-types.js';
import { concatFromElements, type ConcatInfo } from './udh-codec.js';

/** Text and UDH elements of short_message, falling back to message_payload when it is empty. */
export function readShortMessage(pdu: SmppPdu): { text: string; udh?: Buffer[] } {
  let sm = asDecoded(pdu.short_message);
  if ((sm ? sm.message.length : 0) === 0 && pdu.message_payload) sm = asDecoded(pdu.message_payload);
  const m = sm?.message;
  // node-smpp leaves codings it cannot decode (e.g. 8-bit binary) as a Buffer.
  const text = m === undefined ? '' : typeof m === 'string' ? m : m.toString('latin1');
  return { text, udh: sm?.udh && sm.udh.length > 0 ? sm.udh : undefined };
}

/** Where this PDU sits in a concatenated message: the UDH's element, else the SAR TLVs. */
export function concatOf(pdu: SmppPdu, udh: Buffer[] | undefined): ConcatInfo | undefined {
  return (udh && concatFromElements(udh)) ?? sarConcat(pdu);
}

function asDecoded(v: Buffer | DecodedShortMessage | undefined): DecodedShortMessage | undefined {
  if (v === undefined) return undefined;
  return Buffer.isBuffer(v) ? { message: v } : v;
}

function sarConcat(pdu: SmppPdu): ConcatInfo | undefined {
  const total = pdu.sar_total_segments;
  const seq = pdu.sar_segment_seqnum;
  if (!total || !seq || seq > total || pdu.sar_msg_ref_num === undefined) return undefined;
  return { ref: pdu.sar_msg_ref_num, total, seq };
}
