/**
 * Verification codes: generated with a CSPRNG, checked against an HMAC (the code is never stored in
 * the database), and kept encrypted in Redis only for as long as it is valid so that a resend or a
 * failover step can send the same code again.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A uniformly random string of `length` digits (leading zeros kept). */
export function generateCode(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(0, 10));
  return out;
}

/** HMAC-SHA256 of the code, bound to the verification so one hash can't be replayed for another. */
export function hashCode(secret: string, verificationId: string, code: string): string {
  return createHmac('sha256', secret).update(`${verificationId}:${code}`).digest('hex');
}

/** Constant-time comparison of a submitted code with the stored hash. */
export function codeMatches(secret: string, verificationId: string, code: string, storedHash: string): boolean {
  const actual = Buffer.from(hashCode(secret, verificationId, code), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** AES-256-GCM with a key derived from the secret: what Redis holds is useless without it. */
export function sealCode(secret: string, verificationId: string, code: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  cipher.setAAD(Buffer.from(verificationId));
  const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function openCode(secret: string, verificationId: string, sealed: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(verificationId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function keyOf(secret: string): Buffer {
  return createHmac('sha256', secret).update('verification-code-seal').digest();
}
