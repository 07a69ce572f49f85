/**
 * GSM 03.38 default alphabet (+ extension table) and UCS-2 codecs for SMPP short_message.
 *
 * GSM-7 is produced unpacked, one septet per octet, which is what SMPP carries with
 * data_coding 0 (the SMSC packs septets for the air interface). UCS-2 is UTF-16BE; characters
 * outside the BMP (emoji) travel as surrogate pairs, as handsets expect.
 */
import type { Encoding } from '../channel-adapter.js';
import { DataCoding } from './smpp-types.js';

/** Index = septet value. 0x1B is the escape to the extension table, never a character. */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table: septet after ESC → character. */
const EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

const ESC = 0x1b;
const EXT_FLAG = 0x100;

// One lookup per UTF-16 code unit: -1 = not encodable, < 0x100 = basic septet,
// EXT_FLAG | s = ESC followed by septet s. A 128 KB table keeps encoding branch-free and fast.
const ENCODE = new Int16Array(0x10000).fill(-1);
for (let i = 0; i < BASIC.length; i++) if (i !== ESC) ENCODE[BASIC.charCodeAt(i)] = i;
for (const [septet, ch] of EXTENSION) ENCODE[ch.charCodeAt(0)] = EXT_FLAG | septet;

const DECODE_EXT: string[] = new Array(128).fill('');
for (const [septet, ch] of EXTENSION) DECODE_EXT[septet] = ch;

/** Thrown when text contains a character the GSM 03.38 default alphabet cannot carry. */
export class Gsm7EncodeError extends RangeError {
  constructor(
    public readonly char: string,
    public readonly index: number,
  ) {
    super(`character ${JSON.stringify(char)} at ${index} is not in the GSM 03.38 alphabet`);
    this.name = 'Gsm7EncodeError';
  }
}

/** Number of septets `text` needs in GSM-7 (extension characters count 2), or -1 if not encodable. */
export function gsm7Septets(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const v = ENCODE[text.charCodeAt(i)];
    if (v < 0) return -1;
    n += v & EXT_FLAG ? 2 : 1;
  }
  return n;
}

/** True when every character of `text` is in the GSM 03.38 default or extension table. */
export function isGsm7(text: string): boolean {
  return gsm7Septets(text) >= 0;
}

/**
 * Encodes to unpacked septets. Throws {@link Gsm7EncodeError} instead of substituting a space:
 * a silently altered message (node-smpp's behaviour) is worse than a rejected one.
 */
export function encodeGsm7(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 2);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = ENCODE[text.charCodeAt(i)];
    if (v < 0) throw new Gsm7EncodeError(String.fromCodePoint(text.codePointAt(i) ?? 0), i);
    if (v & EXT_FLAG) {
      out[o++] = ESC;
      out[o++] = v & 0x7f;
    } else {
      out[o++] = v;
    }
  }
  return out.subarray(0, o);
}

/**
 * Decodes unpacked septets. An escape followed by a septet the extension table does not define
 * shows the basic-table character (3GPP TS 23.038 §6.2.1.1); a trailing escape is dropped.
 */
export function decodeGsm7(septets: Uint8Array): string {
  let s = '';
  for (let i = 0; i < septets.length; i++) {
    const v = septets[i] & 0x7f;
    if (v !== ESC) {
      s += BASIC[v];
      continue;
    }
    if (++i >= septets.length) break;
    const next = septets[i] & 0x7f;
    s += DECODE_EXT[next] || (next === ESC ? ' ' : BASIC[next]);
  }
  return s;
}

/** UTF-16BE; surrogate pairs pass through, so emoji survive. */
export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/** UTF-16BE to string; an odd trailing byte (malformed input) is ignored. */
export function decodeUcs2(bytes: Uint8Array): string {
  const even = bytes.length & ~1;
  const copy = Buffer.from(bytes.subarray(0, even));
  return copy.swap16().toString('utf16le');
}

/** Encodes one part's text for the given encoding. */
export function encodeText(text: string, encoding: Encoding): Buffer {
  return encoding === 'gsm7' ? encodeGsm7(text) : encodeUcs2(text);
}

/** The data_coding value to send for an encoding, always explicit (node-smpp would guess 1). */
export function dataCodingFor(encoding: Encoding): number {
  return encoding === 'gsm7' ? DataCoding.GSM7 : DataCoding.UCS2;
}
