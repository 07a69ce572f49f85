import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys are 32 random bytes, so a fast SHA-256 is enough to store them (no dictionary to attack,
 * unlike passwords) and lets every request look its key up by hash in one indexed read.
 */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = 'sk_' + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
