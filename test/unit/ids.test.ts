import { describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.js';

describe('newId', () => {
  it('when many ids are made in a row, then each sorts after the one before, even within one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, () => newId('msg'));
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('when an id is made, then it is the prefix, 19 base-36 characters and starts with the time', () => {
    const before = Date.now();
    const id = newId('ctp');
    expect(id).toMatch(/^ctp_[0-9a-z]{19}$/);
    expect(parseInt(id.slice(4, 13), 36)).toBeGreaterThanOrEqual(before);
  });
});
