/**
 * SMS segmentation: which encoding a text needs, how many parts it is split into and where the
 * splits fall. Every part is billed and reported on its own (DOMAIN §3), so these counts are money:
 * everything counts (signature, brackets, spaces, newlines, links, the unsubscribe suffix).
 *
 * Pure functions, no I/O.
 */

/** Data coding of a short message: GSM 03.38 7-bit default alphabet or UCS-2 (UTF-16 code units). */
export type Encoding = 'gsm7' | 'ucs2';

/**
 * GSM 03.38 basic character set; the index of a character is its septet value.
 *
 * Index 0x1B is the escape to the extension table, not a character: it is kept in the string so the
 * indexes stay aligned for an SMPP codec, but {@link detectEncoding} does not treat a literal ESC in
 * text as encodable (it would swallow the next character on the handset).
 */
export const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';

/** Septet value of the escape that introduces an extension-table character. */
export const GSM7_ESCAPE = 0x1b;

/**
 * GSM 03.38 extension table (default, no national shift): character → septet sent after
 * {@link GSM7_ESCAPE}. Each of these costs 2 septets.
 */
export const GSM7_EXTENSION: ReadonlyMap<string, number> = new Map<string, number>([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);

/** Septets per character for GSM-7: 1 for basic, 2 for extension; absent = not encodable. */
const GSM7_COST: ReadonlyMap<string, 1 | 2> = (() => {
  const cost = new Map<string, 1 | 2>();
  for (let i = 0; i < GSM7_BASIC.length; i++) {
    if (i !== GSM7_ESCAPE) cost.set(GSM7_BASIC[i], 1);
  }
  for (const ch of GSM7_EXTENSION.keys()) cost.set(ch, 2);
  return cost;
})();

/** Single-part and per-part capacities; multipart loses room to the concatenation UDH. */
const LIMITS = {
  gsm7: { single: 160, multi: 153 },
  ucs2: { single: 70, multi: 67 },
} as const;

/** Result of {@link segment}. */
export interface Segmentation {
  encoding: Encoding;
  /** Text of each part, in order; concatenated they give back the input. */
  parts: string[];
  /** Total septets (GSM-7, extension chars count 2) or UTF-16 code units (UCS-2). */
  units: number;
}

/** Thrown when GSM-7 is forced on text that has characters outside the GSM-7 alphabet. */
export class EncodingError extends RangeError {
  constructor(readonly character: string) {
    super(`character U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} cannot be encoded in GSM-7`);
    this.name = 'EncodingError';
  }
}

/**
 * Pick the cheapest encoding that can carry the text.
 *
 * @returns `'gsm7'` when every character is in the GSM 03.38 basic or extension table, else `'ucs2'`.
 */
export function detectEncoding(text: string): Encoding {
  // GSM-7 characters are all in the BMP, so iterating code units is exact: any surrogate is non-GSM.
  for (let i = 0; i < text.length; i++) {
    if (!GSM7_COST.has(text[i])) return 'ucs2';
  }
  return 'gsm7';
}

/**
 * Split a text into SMS parts.
 *
 * GSM-7: up to 160 septets is one part, otherwise 153 per part; an extension character (escape
 * pair) is never split across parts. UCS-2: up to 70 code units is one part, otherwise 67 per part;
 * a surrogate pair (emoji) is never split across parts. Because of that, a part may hold one unit
 * less than its capacity, and the part count can exceed `ceil(units / perPart)`.
 *
 * An empty text is one empty part (it is still one submitted, billed message).
 *
 * @param force Use this encoding instead of detecting one (e.g. an account that always sends UCS-2).
 * @throws {EncodingError} when `force` is `'gsm7'` and the text has a non-GSM-7 character: silently
 *   substituting `?` would change what the recipient reads.
 */
export function segment(text: string, force?: Encoding): Segmentation {
  const encoding = force ?? detectEncoding(text);
  const widths = encoding === 'gsm7' ? gsm7Widths(text) : ucs2Widths(text);

  let units = 0;
  for (const w of widths) units += w.width;

  const { single, multi } = LIMITS[encoding];
  if (units <= single) return { encoding, parts: [text], units };

  // Greedy packing by whole characters: a 2-unit character that does not fit in what is left of a
  // part starts the next one, which is how handsets and SMSCs expect escape/surrogate pairs.
  const parts: string[] = [];
  let start = 0;
  let used = 0;
  for (const w of widths) {
    if (used + w.width > multi) {
      parts.push(text.slice(start, w.index));
      start = w.index;
      used = 0;
    }
    used += w.width;
  }
  parts.push(text.slice(start));
  return { encoding, parts, units };
}

/**
 * Number of parts the text is billed as, with the encoding detected.
 */
export function countParts(text: string): number {
  return segment(text).parts.length;
}

interface CharWidth {
  /** UTF-16 index where the character starts. */
  index: number;
  /** Units it occupies: septets (GSM-7) or code units (UCS-2). */
  width: number;
}

function gsm7Widths(text: string): CharWidth[] {
  const out: CharWidth[] = new Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const cost = GSM7_COST.get(text[i]);
    if (cost === undefined) throw new EncodingError(String.fromCodePoint(text.codePointAt(i)!));
    out[i] = { index: i, width: cost };
  }
  return out;
}

function ucs2Widths(text: string): CharWidth[] {
  const out: CharWidth[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    // A well-formed surrogate pair is one character of width 2; a lone surrogate still costs 1 unit.
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out.push({ index: i, width: 2 });
      i++;
    } else {
      out.push({ index: i, width: 1 });
    }
  }
  return out;
}
