/**
 * Concatenated-SMS user data headers (3GPP TS 23.040 §9.2.3.24.1) and per-part size limits.
 * Segmentation of text is the content layer's job; this file only frames encoded parts.
 */
import type { Encoding } from '../channel-adapter.js';

/** UDHL 05, IEI 00 (8-bit reference), IEDL 03, then ref, total, seq. */
export const CONCAT_UDH_LENGTH = 6;

/**
 * Octets of short_message per part. GSM-7 is counted in unpacked septets: a 6-octet UDH costs
 * 7 septets once packed, hence 153 rather than 154.
 */
export const PART_LIMITS: Readonly<Record<Encoding, { single: number; multi: number }>> = {
  gsm7: { single: 160, multi: 153 },
  ucs2: { single: 140, multi: 134 },
};

/** Position of a part within a concatenated message. */
export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
}

/** Thrown when an encoded part exceeds what one SMS can carry. */
export class PartTooLongError extends RangeError {
  constructor(
    public readonly partIndex: number,
    public readonly length: number,
    public readonly limit: number,
  ) {
    super(`part ${partIndex + 1} is ${length} octets/septets; the limit is ${limit}`);
    this.name = 'PartTooLongError';
  }
}

/** `05 00 03 ref total seq` followed by the part's payload. */
export function withConcatUdh(payload: Uint8Array, ref: number, total: number, seq: number): Buffer {
  const out = Buffer.allocUnsafe(CONCAT_UDH_LENGTH + payload.length);
  out[0] = 0x05;
  out[1] = 0x00;
  out[2] = 0x03;
  out[3] = ref & 0xff;
  out[4] = total;
  out[5] = seq;
  out.set(payload, CONCAT_UDH_LENGTH);
  return out;
}

/**
 * Frames encoded parts as short_message payloads: a single part goes bare, several parts each get
 * a concatenation UDH with the same `ref`. Throws {@link PartTooLongError} rather than letting the
 * SMSC truncate or reject with a less specific status.
 */
export function framePartPayloads(encoded: Uint8Array[], encoding: Encoding, ref: number): Buffer[] {
  const total = encoded.length;
  if (total === 0) throw new RangeError('a message needs at least one part');
  if (total > 255) throw new RangeError(`${total} parts; concatenation allows at most 255`);
  const limit = total === 1 ? PART_LIMITS[encoding].single : PART_LIMITS[encoding].multi;
  const out: Buffer[] = new Array(total);
  for (let i = 0; i < total; i++) {
    const part = encoded[i];
    if (part.length > limit) throw new PartTooLongError(i, part.length, limit);
    out[i] = total > 1 ? withConcatUdh(part, ref, total, i + 1) : Buffer.isBuffer(part) ? part : Buffer.from(part);
  }
  return out;
}

/**
 * Reads the concatenation element from information elements as node-smpp decodes them
 * (`[IEI, IEDL, data…]` each). Accepts 8-bit (IEI 00) and 16-bit (IEI 08) references.
 */
export function concatFromElements(elements: readonly Uint8Array[]): ConcatInfo | undefined {
  for (const ie of elements) {
    if (ie[0] === 0x00 && ie[1] === 3 && ie.length >= 5) return valid(ie[2], ie[3], ie[4]);
    if (ie[0] === 0x08 && ie[1] === 4 && ie.length >= 6) return valid((ie[2] << 8) | ie[3], ie[4], ie[5]);
  }
  return undefined;
}

/** Splits a raw UDH (UDHL first) into information elements; stops at a malformed length. */
export function splitUdh(udh: Uint8Array): Uint8Array[] {
  const end = Math.min(udh.length, udh[0] + 1);
  const out: Uint8Array[] = [];
  let i = 1;
  while (i + 1 < end) {
    const len = udh[i + 1];
    if (i + 2 + len > end) break;
    out.push(udh.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  return out;
}

function valid(ref: number, total: number, seq: number): ConcatInfo | undefined {
  // total 0 or seq outside 1..total are "ignore this IE" per TS 23.040.
  return total > 0 && seq >= 1 && seq <= total ? { ref, total, seq } : undefined;
}
