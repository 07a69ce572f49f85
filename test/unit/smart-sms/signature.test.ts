import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS, NonceMemory, SIGNATURE_HEADERS, sign, signedHeaders, stringToSign, verifySignature } from '../../../src/channels/smart-sms/smart-sms-signature.js';

const KEY = 'app-key-1';
const SECRET = 'app-secret-1';
const secretFor = (k: string) => (k === KEY ? SECRET : undefined);
const request = { method: 'POST', path: '/api/v1/links', body: '{"templateId":"CST_1"}' };

describe('smart-SMS request signature', () => {
  it('when the string to sign is built, then method, path, timestamp, nonce and body are one per line, body last', () => {
    expect(stringToSign({ method: 'post', path: '/api/v1/links', timestamp: '1700000000000', nonce: 'n1', body: 'a\nb' }))
      .toBe('POST\n/api/v1/links\n1700000000000\nn1\na\nb');
  });

  it('when a request is signed with the right secret, then it verifies and names its app key', () => {
    // Arrange
    const now = 1_700_000_000_000;
    const headers = signedHeaders(KEY, SECRET, request, now);
    // Act
    const check = verifySignature(headers, request, secretFor, now + 1000);
    // Assert
    expect(check).toEqual({ ok: true, appKey: KEY, nonce: headers[SIGNATURE_HEADERS.nonce] });
  });

  it('when the signature is the known HMAC-SHA256 vector, then it matches base64 of the digest', () => {
    // Computed independently: printf 'GET\n/x\n1\nn\n' | openssl dgst -sha256 -hmac k -binary | base64
    expect(sign('k', { method: 'GET', path: '/x', timestamp: '1', nonce: 'n', body: '' })).toBe('ORvp6M1BX8xVEyPJgV2FI2ZFbIbjgpb2Df5syYSwDeE=');
  });

  it('when the body, path or method is changed after signing, then verification fails with SignatureDoesNotMatch', () => {
    const now = Date.now();
    const headers = signedHeaders(KEY, SECRET, request, now);
    for (const changed of [{ ...request, body: '{"templateId":"CST_2"}' }, { ...request, path: '/api/v1/support' }, { ...request, method: 'PUT' }]) {
      expect(verifySignature(headers, changed, secretFor, now)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    }
  });

  it('when the app key is unknown or a header is missing, then verification fails with InvalidAppKey or MissingSignature', () => {
    const now = Date.now();
    expect(verifySignature(signedHeaders('other', SECRET, request, now), request, secretFor, now)).toMatchObject({ ok: false, code: 'InvalidAppKey' });
    const { [SIGNATURE_HEADERS.nonce]: _dropped, ...noNonce } = signedHeaders(KEY, SECRET, request, now);
    expect(verifySignature(noNonce, request, secretFor, now)).toMatchObject({ ok: false, code: 'MissingSignature' });
  });

  it('when the timestamp is further than the allowed skew from the clock, then verification fails with SignatureExpired', () => {
    const now = 1_700_000_000_000;
    const headers = signedHeaders(KEY, SECRET, request, now);
    expect(verifySignature(headers, request, secretFor, now + MAX_CLOCK_SKEW_MS).ok).toBe(true);
    expect(verifySignature(headers, request, secretFor, now + MAX_CLOCK_SKEW_MS + 1)).toMatchObject({ ok: false, code: 'SignatureExpired' });
    expect(verifySignature(headers, request, secretFor, now - MAX_CLOCK_SKEW_MS - 1)).toMatchObject({ ok: false, code: 'SignatureExpired' });
  });

  it('when a nonce is used twice within its lifetime, then the second use is refused; after it, it is accepted', () => {
    const nonces = new NonceMemory(1000);
    expect(nonces.take('n1', 0)).toBe(true);
    expect(nonces.take('n1', 999)).toBe(false);
    expect(nonces.take('n2', 999)).toBe(true);
    expect(nonces.take('n1', 1000)).toBe(true);
  });
});
