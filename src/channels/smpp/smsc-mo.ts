/**
 * Mobile-originated traffic for the SMSC simulator: picks the encoding and splits long text into
 * concatenated parts the way a handset would.
 */
import { dataCodingFor, encodeGsm7, encodeUcs2, isGsm7 } from './gsm7-codec.js';
import { PART_LIMITS, framePartPayloads } from './udh-codec.js';

/** What to put in one or more deliver_sm. */
export interface MoPayloads {
  dataCoding: number;
  /** short_message per part; UDH included when there is more than one. */
  payloads: Buffer[];
}

/** GSM-7 when every character fits, else UCS-2; split at 153 septets / 67 UCS-2 units. */
export function buildMoPayloads(text: string, ref: number): MoPayloads {
  const encoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const bytes = encoding === 'gsm7' ? encodeGsm7(text) : encodeUcs2(text);
  const limits = PART_LIMITS[encoding];
  const chunks: Buffer[] = [];
  if (bytes.length <= limits.single) {
    chunks.push(bytes);
  } else {
    for (let start = 0; start < bytes.length; ) {
      let end = Math.min(bytes.length, start + limits.multi);
      if (end < bytes.length) end = safeCut(bytes, start, end, encoding === 'gsm7');
      chunks.push(bytes.subarray(start, end));
      start = end;
    }
  }
  return { dataCoding: dataCodingFor(encoding), payloads: framePartPayloads(chunks, encoding, ref) };
}

/** Moves a cut back so it never separates ESC from its septet or a UTF-16 surrogate pair. */
function safeCut(bytes: Buffer, start: number, end: number, gsm: boolean): number {
  if (gsm) return bytes[end - 1] === 0x1b && end - 1 > start ? end - 1 : end;
  const high = bytes[end - 2];
  return high >= 0xd8 && high <= 0xdb && end - 2 > start ? end - 2 : end;
}
