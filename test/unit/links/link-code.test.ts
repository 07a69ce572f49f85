import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH, distinctCodes, isLinkCodeShape, newLinkCode } from '../../../src/links/link-code.js';
import { Lru } from '../../../src/links/lru.js';

describe('link codes', () => {
  it('when codes are generated, then they are 8 characters of the alphabet without look-alikes (0 O 1 l I)', () => {
    const codes = Array.from({ length: 2000 }, () => newLinkCode());
    for (const c of codes) {
      expect(c).toHaveLength(CODE_LENGTH);
      for (const ch of c) expect(CODE_ALPHABET).toContain(ch);
    }
    expect(CODE_ALPHABET).not.toMatch(/[0O1lI]/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('when 100,000 codes are asked for at once, then all are distinct and none is in the avoid set', () => {
    const avoid = new Set(distinctCodes(1000));
    const codes = distinctCodes(100_000, avoid);
    expect(new Set(codes).size).toBe(100_000);
    expect(codes.some((c) => avoid.has(c))).toBe(false);
  });

  it('when the generator repeats itself, then distinctCodes skips the repeats and the avoided codes', () => {
    const seq = ['aaaa2222', 'aaaa2222', 'bbbb3333', 'cccc4444', 'dddd5555'];
    let i = 0;
    expect(distinctCodes(2, new Set(['bbbb3333']), () => seq[i++])).toEqual(['aaaa2222', 'cccc4444']);
  });

  it('when a path segment is checked, then only 4–32 letters and digits look like a code', () => {
    expect(isLinkCodeShape(newLinkCode())).toBe(true);
    for (const bad of ['abc', 'a'.repeat(33), 'abc-defg', 'abcd%20', '../etc', '']) expect(isLinkCodeShape(bad)).toBe(false);
  });
});

describe('Lru', () => {
  it('when over capacity, then the least recently used entry goes first', () => {
    const lru = new Lru<number>(2);
    lru.set('a', 1, 1000, 0);
    lru.set('b', 2, 1000, 0);
    expect(lru.get('a', 1)).toBe(1); // a is now the most recent
    lru.set('c', 3, 1000, 1);
    expect([lru.get('a', 2), lru.get('b', 2), lru.get('c', 2)]).toEqual([1, undefined, 3]);
  });

  it('when an entry outlives its time to live, then it is gone', () => {
    const lru = new Lru<string>(10);
    lru.set('a', 'x', 100, 0);
    expect(lru.get('a', 99)).toBe('x');
    expect(lru.get('a', 100)).toBeUndefined();
    expect(lru.size).toBe(0);
  });
});
