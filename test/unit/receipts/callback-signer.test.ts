import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, signCallback, verifyCallbackSignature } from '../../../src/receipts/callback-signer.js';

const secret = 'whsec_test_secret';
const body = JSON.stringify({ reports: [{ reportId: 1, type: 'status', status: 'delivered' }] });
const now = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('callback signer', () => {
  it('when signing, then the header is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const header = signCallback(secret, body, now);

    const t = Math.floor(now / 1000);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(computeSignature(secret, t, body)).toBe(expected);
  });

  it('when the header is untouched and fresh, then it verifies', () => {
    const header = signCallback(secret, body, now);

    expect(verifyCallbackSignature(secret, header, body, 300, now + 299_000)).toBe(true);
    expect(verifyCallbackSignature(secret, header, body, 300, now - 299_000)).toBe(true);
  });

  it('when the body, the secret or the timestamp was changed, then it fails', () => {
    const header = signCallback(secret, body, now);
    const t = Math.floor(now / 1000);

    expect(verifyCallbackSignature(secret, header, body + ' ', 300, now)).toBe(false);
    expect(verifyCallbackSignature('other', header, body, 300, now)).toBe(false);
    expect(verifyCallbackSignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, 300, now)).toBe(false);
  });

  it('when the signature is older than the tolerance, then it fails (replay)', () => {
    const header = signCallback(secret, body, now);

    expect(verifyCallbackSignature(secret, header, body, 300, now + 301_000)).toBe(false);
    expect(verifyCallbackSignature(secret, header, body, 600, now + 301_000)).toBe(true);
  });

  it('when the header is missing or malformed, then it fails without throwing', () => {
    for (const h of [undefined, null, '', 'garbage', 't=abc,v1=00', `t=${now / 1000}`, 'v1=' + 'a'.repeat(64), `t=1,v1=${'z'.repeat(64)}`]) {
      expect(verifyCallbackSignature(secret, h, body, 300, now)).toBe(false);
    }
  });

  it('when the header carries several v1 values (secret rotation), then any valid one is enough', () => {
    const t = Math.floor(now / 1000);
    const header = `t=${t},v1=${computeSignature('old-secret', t, body)},v1=${computeSignature(secret, t, body)}`;

    expect(verifyCallbackSignature(secret, header, body, 300, now)).toBe(true);
    expect(verifyCallbackSignature('old-secret', header, body, 300, now)).toBe(true);
    expect(verifyCallbackSignature('third', header, body, 300, now)).toBe(false);
  });

  it('when the body holds non-ASCII text, then it is signed as UTF-8', () => {
    const cn = JSON.stringify({ reports: [{ text: '退订 ✓ 😀' }] });
    const header = signCallback(secret, cn, now);

    expect(verifyCallbackSignature(secret, header, cn, 300, now)).toBe(true);
  });
});
