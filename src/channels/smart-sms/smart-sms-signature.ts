/**
 * Request signing of the smart-SMS provider API: an app key identifies the caller and an
 * HMAC-SHA256 with the app secret covers the method, path, timestamp, nonce and raw body, so a
 * captured request can neither be altered nor replayed later (the timestamp bounds its life, the
 * nonce its reuse). The adapter signs; the simulator verifies exactly as a provider would.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = {
  appKey: 'x-app-key',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
} as const;

/** How far a request's timestamp may be from the provider's clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface SignedParts {
  method: string;
  /** Path with the query string, exactly as sent (`/api/v1/links`). */
  path: string;
  /** Unix milliseconds, as a decimal string. */
  timestamp: string;
  nonce: string;
  /** The raw body; '' for a GET. */
  body: string;
}

/** The string the HMAC covers: one field per line, body last (it may contain newlines). */
export function stringToSign(p: SignedParts): string {
  return `${p.method.toUpperCase()}\n${p.path}\n${p.timestamp}\n${p.nonce}\n${p.body}`;
}

export function sign(secret: string, p: SignedParts): string {
  return createHmac('sha256', secret).update(stringToSign(p), 'utf8').digest('base64');
}

/** The four headers of a signed request. */
export function signedHeaders(appKey: string, secret: string, p: Omit<SignedParts, 'timestamp' | 'nonce'>, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const nonce = randomBytes(12).toString('hex');
  return {
    [SIGNATURE_HEADERS.appKey]: appKey,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: sign(secret, { ...p, timestamp, nonce }),
  };
}

export type SignatureCheck =
  | { ok: true; appKey: string; nonce: string }
  | { ok: false; code: 'MissingSignature' | 'InvalidAppKey' | 'SignatureExpired' | 'SignatureDoesNotMatch'; message: string };

/**
 * Verifies a request's headers against the secret of its app key. `secretFor` returns undefined
 * for an unknown key. Nonce reuse is the caller's check (it needs memory of recent nonces).
 */
export function verifySignature(
  headers: Record<string, string | string[] | undefined>,
  p: Omit<SignedParts, 'timestamp' | 'nonce'>,
  secretFor: (appKey: string) => string | undefined,
  now = Date.now(),
): SignatureCheck {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const appKey = one(SIGNATURE_HEADERS.appKey);
  const timestamp = one(SIGNATURE_HEADERS.timestamp);
  const nonce = one(SIGNATURE_HEADERS.nonce);
  const signature = one(SIGNATURE_HEADERS.signature);
  if (!appKey || !timestamp || !nonce || !signature) {
    return { ok: false, code: 'MissingSignature', message: `headers ${Object.values(SIGNATURE_HEADERS).join(', ')} are required` };
  }
  const secret = secretFor(appKey);
  if (secret === undefined) return { ok: false, code: 'InvalidAppKey', message: 'unknown app key' };
  const ts = /^\d{1,16}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!Number.isFinite(ts) || Math.abs(now - ts) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, code: 'SignatureExpired', message: `x-timestamp must be unix milliseconds within ${MAX_CLOCK_SKEW_MS / 60_000} minutes of the provider's clock` };
  }
  const expected = Buffer.from(sign(secret, { ...p, timestamp, nonce }));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'x-signature does not match the request (HMAC-SHA256 of method, path, timestamp, nonce and body)' };
  }
  return { ok: true, appKey, nonce };
}

/** Remembers nonces for the clock-skew window, so a replay within it is refused. */
export class NonceMemory {
  private readonly seen = new Map<string, number>();
  constructor(private readonly ttlMs = 2 * MAX_CLOCK_SKEW_MS) {}

  /** True when the nonce is new (and records it). */
  take(nonce: string, now = Date.now()): boolean {
    if (this.seen.size > 10_000) {
      for (const [n, at] of this.seen) if (at <= now - this.ttlMs) this.seen.delete(n);
    }
    const at = this.seen.get(nonce);
    if (at !== undefined && at > now - this.ttlMs) return false;
    this.seen.set(nonce, now);
    return true;
  }
}
