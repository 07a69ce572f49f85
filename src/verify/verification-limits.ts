/**
 * Anti-bombing on verifications (DOMAIN.md §4): sends per destination number (the OTP windows),
 * per end-user IP address (when the customer passes it) and per account. Counted in Redis with the
 * same atomic script as the frequency caps; a refused start or resend is counted nowhere.
 */
import type { Redis } from 'ioredis';
import { checkAndCount, type CountedKey } from '../policy/counted-limits.js';

export type VerificationLimitCode = 'VERIFY_NUMBER_RATE_LIMITED' | 'VERIFY_IP_RATE_LIMITED' | 'VERIFY_ACCOUNT_RATE_LIMITED';

export interface LimitWindow {
  windowSeconds: number;
  limit: number;
}

export interface VerificationLimits {
  perNumber: readonly LimitWindow[];
  perIp: readonly LimitWindow[];
  perAccount: readonly LimitWindow[];
}

/** DOMAIN.md §4's OTP anti-bombing per number; IP and account limits are our defaults (README). */
export const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = {
  perNumber: [{ windowSeconds: 60, limit: 2 }, { windowSeconds: 180, limit: 3 }, { windowSeconds: 300, limit: 3 }],
  perIp: [{ windowSeconds: 60, limit: 10 }, { windowSeconds: 3600, limit: 50 }],
  perAccount: [{ windowSeconds: 60, limit: 60_000 }],
};

const SKEW_SECONDS = 60;

/** The counters one send must pass, in the order they are reported. Pure. */
export function limitKeysFor(limits: VerificationLimits, send: { accountId: string; e164: string; ip?: string | null }, now: Date): Array<CountedKey & { code: VerificationLimitCode }> {
  const seconds = Math.floor(now.getTime() / 1000);
  const keys: Array<CountedKey & { code: VerificationLimitCode }> = [];
  const add = (scope: string, windows: readonly LimitWindow[], code: VerificationLimitCode) => {
    for (const w of windows) {
      keys.push({ key: `vl:${scope}:${w.windowSeconds}:${Math.floor(seconds / w.windowSeconds)}`, limit: w.limit, ttlSeconds: w.windowSeconds + SKEW_SECONDS, code });
    }
  };
  // Per number across accounts: bombing one phone through many customers' forms is still bombing.
  add(`n:${send.e164}`, limits.perNumber, 'VERIFY_NUMBER_RATE_LIMITED');
  if (send.ip) add(`ip:${send.accountId}:${send.ip}`, limits.perIp, 'VERIFY_IP_RATE_LIMITED');
  add(`a:${send.accountId}`, limits.perAccount, 'VERIFY_ACCOUNT_RATE_LIMITED');
  return keys;
}

export class VerificationLimiter {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly limits: VerificationLimits = DEFAULT_VERIFICATION_LIMITS) {}

  /** Counts the send when every limit allows it; otherwise says which limit refused it. */
  async take(send: { accountId: string; e164: string; ip?: string | null }, now = new Date()): Promise<{ ok: true } | { ok: false; code: VerificationLimitCode; limit: LimitWindow }> {
    const keys = limitKeysFor(this.limits, send, now);
    const [failed] = await checkAndCount(this.redis, this.prefix, [keys]);
    if (failed === 0) return { ok: true };
    const key = keys[failed - 1];
    return { ok: false, code: key.code, limit: { windowSeconds: key.ttlSeconds - SKEW_SECONDS, limit: key.limit } };
  }
}
