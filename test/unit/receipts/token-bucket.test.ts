import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../src/receipts/callback-pusher.js';
import { isUnsubscribeReply } from '../../../src/receipts/mo-handler.js';

describe('TokenBucket', () => {
  it('when new, then one second of tokens is available (the allowed burst)', () => {
    const bucket = new TokenBucket(200, () => 0);

    expect(bucket.available()).toBe(200);
  });

  it('when drained, then it refills at the rate and never beyond one second', () => {
    let t = 0;
    const bucket = new TokenBucket(200, () => t);
    bucket.take(200);

    t = 100;
    expect(bucket.available()).toBeCloseTo(20);
    t = 5_000;
    expect(bucket.available()).toBe(200);
  });

  it('when the rate changes, then tokens above the new capacity are dropped', () => {
    const bucket = new TokenBucket(2_000, () => 0);

    bucket.setRate(200);

    expect(bucket.available()).toBe(200);
  });

  it('when the rate is 0, then nothing is ever available (push paused)', () => {
    let t = 0;
    const bucket = new TokenBucket(0, () => t);
    t = 60_000;

    expect(bucket.available()).toBe(0);
  });
});

describe('isUnsubscribeReply', () => {
  it('when the reply is R, r, TD, T or 退订 (trimmed, any case, full-width), then it unsubscribes', () => {
    for (const text of ['R', 'r', ' R ', 'TD', 'td', 'T', 't', '退订', ' 退订\n', 'Ｒ', '\u3000R\u3000', 'ＴＤ']) {
      expect(isUnsubscribeReply(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('when the reply is anything else, then it is a free-text reply', () => {
    for (const text of ['', '1', '2', 'RR', 'R please', 'hello', '退订了吗', 'STOP', 'TDX']) {
      expect(isUnsubscribeReply(text), JSON.stringify(text)).toBe(false);
    }
  });
});
