/**
 * Marketing unsubscribe suffix (DOMAIN §2): a marketing text must end with exactly 拒收请回复R.
 * Older variants (退订回T, 回TD退订, …) are no longer accepted by carriers.
 *
 * Pure functions, no I/O.
 */

/** The only unsubscribe suffix carriers accept on marketing texts. */
export const UNSUBSCRIBE_SUFFIX = '拒收请回复R';

/** Outcome of {@link checkMarketingSuffix}. */
export type MarketingSuffixResult =
  | { ok: true; text: string }
  | { ok: false; code: 'MARKETING_SUFFIX_MISSING'; message: string };

/**
 * An outdated or near-miss unsubscribe instruction at the end of a text, optionally in (half- or
 * full-width) parentheses and followed by closing punctuation. Covers 退订回T, 退订回TD, 退订请回复T,
 * 回T退订, 回复TD退订, 回N退订, 退订回复N, and near misses of the current suffix such as 拒收请回复r,
 * 拒收请回复Ｒ, 拒收回复R, and 拒收请回复R followed by 。 — none of which is "exactly" the suffix.
 */
const LEGACY_TAIL =
  /[（(]?(?:退订(?:请)?回复?\s*(?:TD|T|N)|回复?\s*(?:TD|T|N)\s*退订|拒收请?回复?\s*[RＲ])[）)]?[\s。.!！,，;；]*$/i;

/** Characters after which the suffix needs a space, or a link/code would run into it. */
const NEEDS_SEPARATOR = /[A-Za-z0-9/._~\-?=&#%]$/;

/**
 * Check that a marketing text ends with {@link UNSUBSCRIBE_SUFFIX}.
 *
 * Trailing whitespace is trimmed first (it would be billed and would stop the text from "ending"
 * with the suffix). On success the trimmed text is returned.
 *
 * In `'append'` mode a missing suffix is added:
 * - an outdated variant at the very end (see {@link LEGACY_TAIL}) is REPLACED, not kept alongside:
 *   two contradictory instructions confuse recipients, carriers still flag the old wording, and the
 *   extra characters could cost an extra part;
 * - an old variant in the middle of the text is left alone (it is content, not the suffix);
 * - otherwise the suffix is appended directly, with one space only when the text ends in an ASCII
 *   link/code character, so a trailing URL or code does not run into the suffix.
 *
 * @param mode account setting: `'reject'` a text without the suffix, or `'append'` it.
 */
export function checkMarketingSuffix(text: string, mode: 'reject' | 'append'): MarketingSuffixResult {
  const trimmed = text.trimEnd();
  if (trimmed.endsWith(UNSUBSCRIBE_SUFFIX)) return { ok: true, text: trimmed };

  const legacy = LEGACY_TAIL.exec(trimmed);

  if (mode === 'reject') {
    const hint = legacy ? ` (found outdated "${legacy[0].trim()}")` : '';
    return {
      ok: false,
      code: 'MARKETING_SUFFIX_MISSING',
      message: `marketing text must end with ${UNSUBSCRIBE_SUFFIX}${hint}`,
    };
  }

  const base = legacy ? trimmed.slice(0, legacy.index).trimEnd() : trimmed;
  const separator = NEEDS_SEPARATOR.test(base) ? ' ' : '';
  return { ok: true, text: base + separator + UNSUBSCRIBE_SUFFIX };
}
