import { describe, expect, it } from 'vitest';
import { Identities, normaliseIp } from '../../../src/links/identity.js';

const SECRET = 'test-links-secret-0123456789';
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const at = (iso: string) => Date.parse(iso);

describe('visitor identity', () => {
  const ids = new Identities(SECRET);

  it('when the same browser on the same network clicks twice on one UTC day, then both clicks have one identity', () => {
    expect(ids.visitor('203.0.113.7', UA, at('2030-05-02T00:00:01Z'))).toBe(ids.visitor('203.0.113.7', UA, at('2030-05-02T23:59:59Z')));
  });

  it('when it clicks again the next UTC day, then it is a new visitor', () => {
    expect(ids.visitor('203.0.113.7', UA, at('2030-05-02T23:59:59Z'))).not.toBe(ids.visitor('203.0.113.7', UA, at('2030-05-03T00:00:00Z')));
  });

  it('when the IP or the user agent differs, then the identity differs', () => {
    const base = ids.visitor('203.0.113.7', UA, at('2030-05-02T10:00:00Z'));
    expect(ids.visitor('203.0.113.8', UA, at('2030-05-02T10:00:00Z'))).not.toBe(base);
    expect(ids.visitor('203.0.113.7', UA + ' x', at('2030-05-02T10:00:00Z'))).not.toBe(base);
  });

  it('when an IPv4 client arrives on a dual-stack socket, then it is the same visitor as over IPv4', () => {
    expect(normaliseIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normaliseIp('2001:db8::1')).toBe('2001:db8::1');
    expect(ids.visitor('::ffff:203.0.113.7', UA, 0)).toBe(ids.visitor('203.0.113.7', UA, 0));
  });

  it('when computed, then it is 16 bytes of hex that neither contains the IP nor repeats under another secret', () => {
    const v = ids.visitor('203.0.113.7', UA, 0);
    expect(v).toMatch(/^[0-9a-f]{32}$/);
    expect(new Identities(SECRET + '!').visitor('203.0.113.7', UA, 0)).not.toBe(v);
  });
});

describe('recipient identity', () => {
  const ids = new Identities(SECRET);

  it('when the same number is hashed twice, then the identity is the same, and another number gives another', () => {
    expect(ids.recipient('+8613800138000')).toBe(ids.recipient('+8613800138000'));
    expect(ids.recipient('+8613800138001')).not.toBe(ids.recipient('+8613800138000'));
    expect(ids.recipient('+8613800138000')).not.toContain('13800138000');
  });

  it('when a visitor input spells the same text, then its hash still differs from a recipient hash (separate domains)', () => {
    expect(ids.recipient('x')).not.toBe(ids.visitor('x', '', 0));
  });
});

describe('button signatures', () => {
  const ids = new Identities(SECRET);

  it('when the target is the signed one, then it verifies; a changed target, button, code or signature does not', () => {
    const sig = ids.buttonSignature('Ab3dEf7h', 'buy', 'https://shop.example/item/1');
    expect(ids.verifyButton('Ab3dEf7h', 'buy', 'https://shop.example/item/1', sig)).toBe(true);
    expect(ids.verifyButton('Ab3dEf7h', 'buy', 'https://evil.example/', sig)).toBe(false);
    expect(ids.verifyButton('Ab3dEf7h', 'more', 'https://shop.example/item/1', sig)).toBe(false);
    expect(ids.verifyButton('Ab3dEf7j', 'buy', 'https://shop.example/item/1', sig)).toBe(false);
    expect(ids.verifyButton('Ab3dEf7h', 'buy', 'https://shop.example/item/1', sig.slice(0, -1))).toBe(false);
  });
});

describe('HMAC', () => {
  it('when a hash is computed, then it is the first 16 bytes of HMAC-SHA256 of the tagged input (short and long secrets)', async () => {
    const { createHmac } = await import('node:crypto');
    for (const secret of [SECRET, 'k'.repeat(100)]) {
      const expected = createHmac('sha256', secret).update('r\0+8613800138000').digest().subarray(0, 16).toString('hex');
      expect(new Identities(secret).recipient('+8613800138000')).toBe(expected);
    }
  });
});
