/**
 * Short codes: 8 characters from 56 (digits and letters without 0 O 1 l I, which people misread when
 * they type a link off a screen). 56^8 ≈ 9.7·10^13 codes: with 100 million links stored, a random
 * guess finds one once in ~970,000 tries, and a new code collides as rarely; the repository retries
 * the few that do (unique primary key).
 */
import { customAlphabet } from 'nanoid';

export const CODE_ALPHABET = '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

export const newLinkCode: () => string = customAlphabet(CODE_ALPHABET, CODE_LENGTH);

/** What /s/:code accepts before looking anything up (room for longer codes later). */
const CODE_SHAPE = /^[0-9A-Za-z]{4,32}$/;
export const isLinkCodeShape = (code: string): boolean => CODE_SHAPE.test(code);

/** `n` distinct new codes, none of them in `avoid`. */
export function distinctCodes(n: number, avoid: ReadonlySet<string> = new Set(), generate: () => string = newLinkCode): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const c = generate();
    if (seen.has(c) || avoid.has(c)) continue;
    seen.add(c);
    out.push(c);
  }
  return out;
}
