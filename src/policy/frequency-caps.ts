/**
 * Frequency caps and OTP anti-bombing (DOMAIN.md §4), counted in Redis.
 *
 * Windows are FIXED buckets, not sliding: minute-type windows are aligned to the epoch
 * (`floor(t / window)`), daily ones to the local calendar day in the account timezone. A burst
 * straddling a bucket edge can therefore reach up to twice a limit across two adjacent buckets;
 * that is accepted in exchange for one counter per window and O(1) work per message.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { checkAndCount, type CountedKey } from './counted-limits.js';
import { DEFAULT_TIME_ZONE, localDateTime } from './sending-window.js';

/** Platform error codes of the caps. */
export type CapCode =
  | 'CAP_NUMBER_DAILY'
  | 'CAP_NUMBER_MINUTE'
  | 'CAP_CONTENT_MINUTE'
  | 'CAP_CONTENT_DAILY'
  | 'CAP_HIGH_RISK_DAILY'
  | 'OTP_ANTI_BOMBING';

/** What the caps need to know about a message. */
export interface CapMessage {
  accountId: string;
  /** Recipient in E.164. */
  e164: string;
  category: 'otp' | 'notification' | 'marketing' | 'international';
  /** High-risk marketing (e.g. high-risk finance keyword group hit). */
  highRisk?: boolean;
  /** Final text as it will be sent (signature included); hashed for the content caps. */
  text: string;
  /** Whitelisted (test/alarm) numbers bypass every cap; look them up with `WhitelistCache`. */
  whitelisted?: boolean;
}

/** One anti-bombing window: at most `limit` OTPs per `windowSeconds` to one number. */
export interface AntiBombingWindow {
  windowSeconds: number;
  limit: number;
}

/** Per-account cap configuration; `null` switches a cap off. */
export interface FrequencyCapRules {
  numberPerMinute: number | null;
  numberPerDay: number | null;
  /** Same content to the same number. */
  contentPerMinute: number | null;
  contentPerDay: number | null;
  /** High-risk marketing to the same number. */
  highRiskPerDay: number | null;
  /** OTPs to the same number summed over all signatures and accounts; empty list = off. */
  antiBombing: readonly AntiBombingWindow[];
  /** Timezone whose calendar day the daily caps count in. */
  timeZone: string;
}

/** Defaults from DOMAIN.md §4. */
export const DEFAULT_CAP_RULES: FrequencyCapRules = Object.freeze({
  numberPerMinute: null,
  numberPerDay: 10,
  contentPerMinute: 2,
  contentPerDay: 5,
  highRiskPerDay: 1,
  antiBombing: Object.freeze([
    { windowSeconds: 60, limit: 2 },
    { windowSeconds: 180, limit: 3 },
    { windowSeconds: 300, limit: 3 },
  ]),
  timeZone: DEFAULT_TIME_ZONE,
});

/** The alternative same-number defaults some accounts use instead of 10/day. */
export const ALTERNATIVE_NUMBER_CAPS: Pick<FrequencyCapRules, 'numberPerMinute' | 'numberPerDay'> =
  Object.freeze({ numberPerMinute: 2, numberPerDay: 5 });

/** Builds rules from the defaults plus account overrides. */
export function capRules(overrides: Partial<FrequencyCapRules> = {}): FrequencyCapRules {
  return { ...DEFAULT_CAP_RULES, ...overrides };
}

/** A counter a message must stay under: `count + 1 <= limit`. */
export interface CapKey extends CountedKey {
  code: CapCode;
}

// A day bucket must outlive the longest calendar day (25 h with DST) plus clock skew.
const DAY_TTL_SECONDS = 26 * 3600;
// Minute-type buckets linger one extra minute to absorb clock skew between app servers.
const SKEW_SECONDS = 60;

// Formatting the local day is the only non-trivial cost per message; every message of a batch
// shares `now`, so remember the last answer per timezone for the current epoch minute (zone
// offsets are whole minutes, so the local day cannot change inside one).
const dayMemo = new Map<string, { minute: number; day: string }>();

function dayBucket(now: Date, timeZone: string): string {
  const minute = Math.floor(now.getTime() / 60_000);
  const memo = dayMemo.get(timeZone);
  if (memo && memo.minute === minute) return memo.day;
  const local = localDateTime(now, timeZone);
  const day = `${local.year}${String(local.month).padStart(2, '0')}${String(local.day).padStart(2, '0')}`;
  dayMemo.set(timeZone, { minute, day });
  return day;
}

function contentHash(text: string): string {
  // 128 bits of SHA-256: collision-free in practice and keeps keys short.
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/**
 * Lists the counters a message must pass, in the order they are reported (first failure wins).
 * Pure: the same message, rules and time always give the same keys.
 *
 * - anti-bombing (otp only): platform-wide per number, so bombing through many customers'
 *   sign-up forms (different signatures) is caught;
 * - high-risk marketing per account and number per day;
 * - same number per account per minute / day (every category);
 * - same content (hash of the text) to the same number per account per minute / day. Content
 *   alone is not capped: one notice to 100,000 members is normal bulk sending.
 *
 * Whitelisted messages get no keys.
 */
export function capKeysFor(msg: CapMessage, rules: FrequencyCapRules, now: Date): CapKey[] {
  if (msg.whitelisted) return [];
  const keys: CapKey[] = [];
  const seconds = Math.floor(now.getTime() / 1000);
  const day = dayBucket(now, rules.timeZone);
  const account = msg.accountId;
  const number = msg.e164;

  if (msg.category === 'otp') {
    for (const { windowSeconds, limit } of rules.antiBombing) {
      const bucket = Math.floor(seconds / windowSeconds);
      keys.push({ key: `ab:${number}:${windowSeconds}:${bucket}`, limit, ttlSeconds: windowSeconds + SKEW_SECONDS, code: 'OTP_ANTI_BOMBING' });
    }
  }
  if (msg.category === 'marketing' && msg.highRisk && rules.highRiskPerDay !== null) {
    keys.push({ key: `hr:${account}:${number}:d${day}`, limit: rules.highRiskPerDay, ttlSeconds: DAY_TTL_SECONDS, code: 'CAP_HIGH_RISK_DAILY' });
  }
  const minute = Math.floor(seconds / 60);
  if (rules.numberPerMinute !== null) {
    keys.push({ key: `num:${account}:${number}:m${minute}`, limit: rules.numberPerMinute, ttlSeconds: 60 + SKEW_SECONDS, code: 'CAP_NUMBER_MINUTE' });
  }
  if (rules.numberPerDay !== null) {
    keys.push({ key: `num:${account}:${number}:d${day}`, limit: rules.numberPerDay, ttlSeconds: DAY_TTL_SECONDS, code: 'CAP_NUMBER_DAILY' });
  }
  if (rules.contentPerMinute !== null || rules.contentPerDay !== null) {
    const hash = contentHash(msg.text);
    if (rules.contentPerMinute !== null) {
      keys.push({ key: `cnt:${account}:${number}:${hash}:m${minute}`, limit: rules.contentPerMinute, ttlSeconds: 60 + SKEW_SECONDS, code: 'CAP_CONTENT_MINUTE' });
    }
    if (rules.contentPerDay !== null) {
      keys.push({ key: `cnt:${account}:${number}:${hash}:d${day}`, limit: rules.contentPerDay, ttlSeconds: DAY_TTL_SECONDS, code: 'CAP_CONTENT_DAILY' });
    }
  }
  return keys;
}

/** Outcome of the caps for one message. */
export type CapResult =
  | { allowed: true; bypassed?: 'whitelist' }
  | { allowed: false; code: CapCode; limit: number; message: string };

/** Options of {@link FrequencyCapChecker}. */
export interface FrequencyCapCheckerOptions {
  /** Standalone Redis client (the batch script touches keys of many slots, so no Cluster). */
  redis: Redis;
  /** Prepended to every key, e.g. `sms:` or a per-test prefix. */
  keyPrefix: string;
  /** Rules of the message's account; default {@link DEFAULT_CAP_RULES}. Called per message. */
  rulesFor?: (msg: CapMessage) => FrequencyCapRules;
  /** Time source; default the system clock. */
  clock?: () => Date;
}

/** Largest number of messages sent to Redis in one script call. */
export const MAX_CAP_BATCH = 1000;

const DESCRIPTIONS: Record<CapCode, string> = {
  CAP_NUMBER_DAILY: 'messages per day to this number',
  CAP_NUMBER_MINUTE: 'messages per minute to this number',
  CAP_CONTENT_MINUTE: 'identical messages per minute to this number',
  CAP_CONTENT_DAILY: 'identical messages per day to this number',
  CAP_HIGH_RISK_DAILY: 'high-risk marketing messages per day to this number',
  OTP_ANTI_BOMBING: 'verification codes to this number in the anti-bombing window',
};

/** Redis-backed cap checker: one script call per batch of up to {@link MAX_CAP_BATCH} messages. */
export class FrequencyCapChecker {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly rulesFor: (msg: CapMessage) => FrequencyCapRules;
  private readonly clock: () => Date;

  constructor(options: FrequencyCapCheckerOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix;
    this.rulesFor = options.rulesFor ?? (() => DEFAULT_CAP_RULES);
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Checks and, for passing messages, counts a batch. Results are in input order. Batches larger
   * than {@link MAX_CAP_BATCH} are split into several script calls sent together.
   */
  async checkBatch(messages: readonly CapMessage[], now: Date = this.clock()): Promise<CapResult[]> {
    const chunks: Promise<CapResult[]>[] = [];
    for (let i = 0; i < messages.length; i += MAX_CAP_BATCH) {
      chunks.push(this.checkChunk(messages.slice(i, i + MAX_CAP_BATCH), now));
    }
    return (await Promise.all(chunks)).flat();
  }

  private async checkChunk(messages: readonly CapMessage[], now: Date): Promise<CapResult[]> {
    const perMessage = messages.map((msg) => capKeysFor(msg, this.rulesFor(msg), now));
    const verdicts = await checkAndCount(this.redis, this.prefix, perMessage);
    return perMessage.map((capKeys, i): CapResult => {
      if (capKeys.length === 0) return messages[i].whitelisted ? { allowed: true, bypassed: 'whitelist' } : { allowed: true };
      const failed = verdicts[i];
      if (failed === 0) return { allowed: true };
      const cap = capKeys[failed - 1];
      return { allowed: false, code: cap.code, limit: cap.limit, message: `exceeds ${cap.limit} ${DESCRIPTIONS[cap.code]}` };
    });
  }
}
