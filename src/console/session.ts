/**
 * Console sessions are stateless signed cookies, so every API process can check one without shared
 * session storage: `v1.<accountId>.<keyPrefix>.<expiresAtUnix>.<HMAC-SHA256>`. The key prefix names
 * the API key the session was opened with; the session ends when that key is rotated (checked on
 * every request against the database), when it expires, or when the secret changes.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../accounts/api-keys.js';

export interface SessionClaims {
  accountId: string;
  /** Public prefix of the API key used to log in (`sk_` + 7 characters, as api_keys.prefix). */
  keyPrefix: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** A working day: long enough not to interrupt an analyst, short enough that a lost laptop's cookie dies. */
export const SESSION_TTL_SECONDS = 8 * 3600;

const SAFE = /^[A-Za-z0-9_-]{1,64}$/;

export class SessionSigner {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds = SESSION_TTL_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(accountId: string, keyPrefix: string): { value: string; claims: SessionClaims } {
    if (!SAFE.test(accountId) || !SAFE.test(keyPrefix)) throw new Error('account id or key prefix has characters a session cannot carry');
    const claims = { accountId, keyPrefix, expiresAt: Math.floor(this.now() / 1000) + this.ttlSeconds };
    const payload = `v1.${accountId}.${keyPrefix}.${claims.expiresAt}`;
    return { value: `${payload}.${this.mac(payload)}`, claims };
  }

  /** The claims of a well-formed, correctly signed, unexpired value; undefined otherwise. */
  verify(value: string | undefined): SessionClaims | undefined {
    const parts = value?.split('.');
    if (!parts || parts.length !== 5 || parts[0] !== 'v1') return undefined;
    const [, accountId, keyPrefix, exp, mac] = parts;
    if (!safeEqual(mac, this.mac(parts.slice(0, 4).join('.')))) return undefined;
    const expiresAt = Number(exp);
    if (!Number.isSafeInteger(expiresAt) || expiresAt * 1000 <= this.now()) return undefined;
    return { accountId, keyPrefix, expiresAt };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`console-session|${payload}`).digest('base64url');
  }
}
