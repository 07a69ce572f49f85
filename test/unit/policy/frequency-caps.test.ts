import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import {
  ALTERNATIVE_NUMBER_CAPS,
  DEFAULT_CAP_RULES,
  FrequencyCapChecker,
  MAX_CAP_BATCH,
  capKeysFor,
  capRules,
  type CapMessage,
} from '../../../src/policy/frequency-caps.js';

// 23:59:30 on June 1st in Shanghai (15:59:30Z): the last minute of the local day.
const now = new Date('2024-06-01T15:59:30Z');
const msg = (extra: Partial<CapMessage> = {}): CapMessage => ({
  accountId: 'acc1', e164: '+8613800138000', category: 'notification', text: '【示例】您的快递已到', ...extra,
});

describe('capKeysFor', () => {
  it('when a notification uses the default rules, then it gets number 10/day and content 2/min + 5/day', () => {
    const keys = capKeysFor(msg(), DEFAULT_CAP_RULES, now);
    expect(keys.map((k) => [k.code, k.limit])).toEqual([
      ['CAP_NUMBER_DAILY', 10],
      ['CAP_CONTENT_MINUTE', 2],
      ['CAP_CONTENT_DAILY', 5],
    ]);
  });

  it('when the account uses the alternative number caps, then it gets 2/min and 5/day', () => {
    const keys = capKeysFor(msg(), capRules(ALTERNATIVE_NUMBER_CAPS), now);
    expect(keys.filter((k) => k.code.startsWith('CAP_NUMBER')).map((k) => [k.code, k.limit, k.ttlSeconds]))
      .toEqual([['CAP_NUMBER_MINUTE', 2, 120], ['CAP_NUMBER_DAILY', 5, 26 * 3600]]);
  });

  it('when the message is high-risk marketing, then a 1/day high-risk cap applies', () => {
    const keys = capKeysFor(msg({ category: 'marketing', highRisk: true }), DEFAULT_CAP_RULES, now);
    expect(keys[0]).toMatchObject({ code: 'CAP_HIGH_RISK_DAILY', limit: 1 });
    expect(capKeysFor(msg({ category: 'marketing' }), DEFAULT_CAP_RULES, now).some((k) => k.code === 'CAP_HIGH_RISK_DAILY')).toBe(false);
  });

  it('when the message is an OTP, then anti-bombing caps 2/1 min, 3/3 min, 3/5 min come first and ignore the account', () => {
    const keys = capKeysFor(msg({ category: 'otp' }), DEFAULT_CAP_RULES, now);
    const bombing = keys.filter((k) => k.code === 'OTP_ANTI_BOMBING');
    expect(bombing.map((k) => k.limit)).toEqual([2, 3, 3]);
    expect(keys.slice(0, 3)).toEqual(bombing);
    const otherAccount = capKeysFor(msg({ category: 'otp', accountId: 'acc2' }), DEFAULT_CAP_RULES, now);
    expect(otherAccount.slice(0, 3).map((k) => k.key)).toEqual(bombing.map((k) => k.key));
    expect(bombing.every((k) => !k.key.includes('acc1'))).toBe(true);
  });

  it('when the number is whitelisted, then there are no caps at all', () => {
    expect(capKeysFor(msg({ whitelisted: true, category: 'otp' }), DEFAULT_CAP_RULES, now)).toEqual([]);
  });

  it('when caps are switched off with null and an empty anti-bombing list, then no keys remain', () => {
    const rules = capRules({ numberPerDay: null, contentPerMinute: null, contentPerDay: null, highRiskPerDay: null, antiBombing: [] });
    expect(capKeysFor(msg({ category: 'otp' }), rules, now)).toEqual([]);
  });

  it('when the text differs, then only the content keys differ', () => {
    const a = capKeysFor(msg({ text: 'A' }), DEFAULT_CAP_RULES, now);
    const b = capKeysFor(msg({ text: 'B' }), DEFAULT_CAP_RULES, now);
    expect(a[0].key).toBe(b[0].key);
    expect(a[1].key).not.toBe(b[1].key);
    const chinese = capKeysFor(msg(), DEFAULT_CAP_RULES, now)[1].key;
    expect(chinese).not.toContain('快递'); // the key holds a hash, never the text itself
  });

  it('when the day changes in the account timezone, then the daily bucket changes even if the UTC day does not', () => {
    const before = capKeysFor(msg(), DEFAULT_CAP_RULES, now)[0].key;
    const after = capKeysFor(msg(), DEFAULT_CAP_RULES, new Date('2024-06-01T16:00:30Z'))[0].key; // 00:00:30 June 2 in Shanghai
    expect(before).toContain('d20240601');
    expect(after).toContain('d20240602');
    const utcRules = capRules({ timeZone: 'UTC' });
    expect(capKeysFor(msg(), utcRules, new Date('2024-06-01T16:00:30Z'))[0].key).toContain('d20240601');
  });

  it('when two instants fall in the same minute, then the minute keys are equal; the next minute, then they differ', () => {
    const rules = capRules(ALTERNATIVE_NUMBER_CAPS);
    const at = (iso: string) => capKeysFor(msg(), rules, new Date(iso))[0].key;
    expect(at('2024-06-01T10:00:01Z')).toBe(at('2024-06-01T10:00:59Z'));
    expect(at('2024-06-01T10:00:59Z')).not.toBe(at('2024-06-01T10:01:00Z'));
  });
});

function stubRedis(reply: (keys: string[], args: string[]) => number[]) {
  const calls: { keys: string[]; args: string[] }[] = [];
  let loaded = false;
  const run = (numKeys: number, rest: (string | number)[]) => {
    const flat = rest.map(String);
    const call = { keys: flat.slice(0, numKeys), args: flat.slice(numKeys) };
    calls.push(call);
    return reply(call.keys, call.args);
  };
  const redis = {
    evalsha: vi.fn(async (_sha: string, numKeys: number, ...rest: (string | number)[]) => {
      if (!loaded) throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      return run(numKeys, rest);
    }),
    eval: vi.fn(async (_script: string, numKeys: number, ...rest: (string | number)[]) => {
      loaded = true;
      return run(numKeys, rest);
    }),
  };
  return { redis: redis as unknown as Redis, calls, raw: redis };
}

describe('FrequencyCapChecker (with a stubbed Redis)', () => {
  it('when a batch is checked, then keys are prefixed and the arguments carry counts, limits and TTLs', async () => {
    const { redis, calls } = stubRedis(() => [0]);
    const checker = new FrequencyCapChecker({ redis, keyPrefix: 'p:', clock: () => now });
    expect(await checker.checkBatch([msg()])).toEqual([{ allowed: true }]);
    expect(calls).toHaveLength(1);
    expect(calls[0].keys.every((k) => k.startsWith('p:'))).toBe(true);
    expect(calls[0].args).toEqual(['1', '3', '10', String(26 * 3600), '2', '120', '5', String(26 * 3600)]);
  });

  it('when the script reports a failing key index, then the result carries that key\'s code and limit', async () => {
    const { redis } = stubRedis(() => [0, 2]);
    const checker = new FrequencyCapChecker({ redis, keyPrefix: 'p:', clock: () => now });
    const results = await checker.checkBatch([msg(), msg({ e164: '+8613900139000' })]);
    expect(results[0]).toEqual({ allowed: true });
    expect(results[1]).toMatchObject({ allowed: false, code: 'CAP_CONTENT_MINUTE', limit: 2 });
  });

  it('when the script is not cached in Redis, then EVAL is used once and EVALSHA afterwards', async () => {
    const { redis, raw } = stubRedis((keys) => keys.map(() => 0).slice(0, 1));
    const checker = new FrequencyCapChecker({ redis, keyPrefix: 'p:', clock: () => now });
    await checker.checkBatch([msg()]);
    await checker.checkBatch([msg()]);
    expect(raw.eval).toHaveBeenCalledTimes(1);
    expect(raw.evalsha).toHaveBeenCalledTimes(2);
  });

  it('when every message is whitelisted, then Redis is not called and they bypass', async () => {
    const { redis, calls } = stubRedis(() => []);
    const checker = new FrequencyCapChecker({ redis, keyPrefix: 'p:', clock: () => now });
    expect(await checker.checkBatch([msg({ whitelisted: true })])).toEqual([{ allowed: true, bypassed: 'whitelist' }]);
    expect(calls).toHaveLength(0);
  });

  it('when whitelisted and capped messages are mixed, then verdicts map back to the right messages', async () => {
    const { redis, calls } = stubRedis(() => [1]);
    const checker = new FrequencyCapChecker({ redis, keyPrefix: 'p:', clock: () => now });
    const results = await checker.checkBatch([msg({ whitelisted: true }), msg()]);
    expect(results).toEqual([{ allowed: true, bypassed: 'whitelist' }, expect.objectContaining({ allowed: false, code: 'CAP_NUMBER_DAILY' })]);
    expect(calls[0].args[0]).toBe('1');
  });

  it('when a batch exceeds the chunk size, then it is split into script calls of at most MAX_CAP_BATCH messages', async () => {
    const { redis, calls } = stubRedis((_keys, args) => Array.from({ length: Number(args[0]) }, () => 0));
    const checker = new FrequencyCapChecker({ redis, keyPrefix: 'p:', clock: () => now });
    const batch = Array.from({ length: MAX_CAP_BATCH + 5 }, (_, i) => msg({ e164: `+86138${String(i).padStart(8, '0')}` }));
    const results = await checker.checkBatch(batch);
    expect(results).toHaveLength(MAX_CAP_BATCH + 5);
    expect(calls.map((c) => c.args[0])).toEqual([String(MAX_CAP_BATCH), '5']);
  });

  it('when rulesFor is given, then each message is checked with its account rules', async () => {
    const { redis, calls } = stubRedis(() => [0, 0]);
    const rulesFor = (m: CapMessage) => (m.accountId === 'strict' ? capRules(ALTERNATIVE_NUMBER_CAPS) : DEFAULT_CAP_RULES);
    const checker = new FrequencyCapChecker({ redis, keyPrefix: 'p:', rulesFor, clock: () => now });
    await checker.checkBatch([msg({ accountId: 'strict' }), msg()]);
    expect(calls[0].args.slice(0, 2)).toEqual(['2', '4']); // strict account: number minute + day + 2 content keys
  });
});
