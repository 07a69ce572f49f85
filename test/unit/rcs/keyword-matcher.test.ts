/** Keyword auto-reply matching: match types, normalisation, priority, and the regex safety rules. */
import { describe, expect, it } from 'vitest';
import { matchRule, unsafeRegexReason, type MatchableRule } from '../../../src/channels/rcs/keyword-matcher.js';

let seq = 0;
const rule = (matchType: MatchableRule['matchType'], pattern: string, priority = 0, enabled = true): MatchableRule =>
  ({ id: `rkw_${String(seq++).padStart(4, '0')}`, matchType, pattern, priority, enabled });

describe('keyword matching', () => {
  it('when a text is compared, then exact needs the whole text and contains a part, both trimmed, case- and width-insensitive', () => {
    const exact = rule('exact', 'Coupon');
    const contains = rule('contains', 'refund');
    expect(matchRule([exact], { text: '  ＣＯＵＰＯＮ ' })).toBe(exact);
    expect(matchRule([exact], { text: 'coupon please' })).toBeUndefined();
    expect(matchRule([contains], { text: 'I want a REFUND now' })).toBe(contains);
  });

  it('when several rules match, then the highest priority wins, and among equals the older', () => {
    const low = rule('contains', 'order', 1);
    const high = rule('regex', '^order\\s+\\d+$', 5);
    const olderEqual = rule('contains', 'order', 5);
    const newerEqual = rule('exact', 'order 42', 5);
    expect(matchRule([low, newerEqual, olderEqual, high], { text: 'order 42' })).toBe(high);
    expect(matchRule([low, newerEqual, olderEqual], { text: 'order 42' })).toBe(olderEqual);
  });

  it('when a rule is disabled, then the next matching one answers', () => {
    const off = rule('contains', 'help', 9, false);
    const on = rule('contains', 'help', 1);
    expect(matchRule([off, on], { text: 'help' })).toBe(on);
  });

  it('when a suggestion is tapped, then its postback data or its label may match', () => {
    const byPostback = rule('exact', 'track', 2);
    const byLabel = rule('exact', 'Where is my parcel', 1);
    expect(matchRule([byPostback, byLabel], { text: 'Where is my parcel', postback: 'track' })).toBe(byPostback);
    expect(matchRule([byLabel], { text: 'Where is my parcel', postback: 'other' })).toBe(byLabel);
  });
});

describe('regex safety', () => {
  it('when a pattern could backtrack catastrophically, then it is refused with the reason', () => {
    for (const p of ['(a+)+$', '(a|aa)*b', '(\\d*){2,}x', '((ab)+)+']) expect(unsafeRegexReason(p), p).toMatch(/repeated group/);
    expect(unsafeRegexReason('(a)\\1')).toMatch(/backreferences/);
    expect(unsafeRegexReason('a'.repeat(101))).toMatch(/at most 100/);
    expect(unsafeRegexReason('(unclosed')).toMatch(/not a valid/);
  });

  it('when a pattern is ordinary, then it is allowed', () => {
    for (const p of ['^order\\s+\\d+$', '(coupon|voucher)', '(ab)+c', '[(a+)+]', 'a+b*c?', '(\\d{3})+']) expect(unsafeRegexReason(p), p).toBeUndefined();
  });
});
