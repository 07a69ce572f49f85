import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlacklistCache, WhitelistCache, unsubscribeGroup } from '../../../src/policy/blacklist.js';
import {
  ALTERNATIVE_NUMBER_CAPS,
  DEFAULT_CAP_RULES,
  FrequencyCapChecker,
  capRules,
  type CapMessage,
  type FrequencyCapRules,
} from '../../../src/policy/frequency-caps.js';

// Every run gets its own key space so parallel runs never see each other's counters.
const prefix = `test:policy:${randomUUID()}:`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
});

// 15-minute boundary: aligned with every anti-bombing bucket (60, 180, 300 s). 10:00 Shanghai.
const t0 = new Date('2024-06-03T02:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
let run = 0;
// Fresh account and number per test so counters never leak between tests.
function fixture(rules: FrequencyCapRules = DEFAULT_CAP_RULES) {
  run++;
  const checker = new FrequencyCapChecker({ redis, keyPrefix: prefix, rulesFor: () => rules });
  const e164 = `+86138${String(run).padStart(8, '0')}`;
  const msg = (extra: Partial<CapMessage> = {}): CapMessage => ({
    accountId: `acc-${run}`, e164, category: 'notification', text: `【示例】通知 ${randomUUID()}`, ...extra,
  });
  return { checker, msg, e164 };
}
const codes = (results: { allowed: boolean; code?: string }[]) => results.map((r) => (r.allowed ? 'ok' : r.code));

describe('FrequencyCapChecker against Redis', () => {
  it('when 11 messages go to one number in a day, then the 11th fails CAP_NUMBER_DAILY', async () => {
    const { checker, msg } = fixture();
    const batch = Array.from({ length: 11 }, (_, i) => msg({ text: `t${i}` }));
    expect(codes(await checker.checkBatch(batch, at(0)))).toEqual([...Array(10).fill('ok'), 'CAP_NUMBER_DAILY']);
  });

  it('when the account uses 2/min and 5/day, then the 3rd in a minute and the 6th in the day fail', async () => {
    const { checker, msg } = fixture(capRules(ALTERNATIVE_NUMBER_CAPS));
    expect(codes(await checker.checkBatch([msg(), msg(), msg()], at(0)))).toEqual(['ok', 'ok', 'CAP_NUMBER_MINUTE']);
    expect(codes(await checker.checkBatch([msg(), msg()], at(60)))).toEqual(['ok', 'ok']);
    expect(codes(await checker.checkBatch([msg(), msg()], at(120)))).toEqual(['ok', 'CAP_NUMBER_DAILY']);
  });

  it('when the same content repeats, then 2/min and 5/day apply and a rejected message consumes no quota', async () => {
    const { checker, msg } = fixture();
    const same = msg({ text: '【示例】您的取件码 1234' });
    expect(codes(await checker.checkBatch([same, same, same], at(0)))).toEqual(['ok', 'ok', 'CAP_CONTENT_MINUTE']);
    expect(codes(await checker.checkBatch([same, same], at(60)))).toEqual(['ok', 'ok']);
    expect(codes(await checker.checkBatch([same, same], at(120)))).toEqual(['ok', 'CAP_CONTENT_DAILY']);
    // 5 delivered so far (2 rejections did not count): 5 more different texts reach the 10/day number cap.
    const others = Array.from({ length: 6 }, (_, i) => msg({ text: `other ${i}` }));
    expect(codes(await checker.checkBatch(others, at(180)))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'CAP_NUMBER_DAILY']);
  });

  it('when high-risk marketing is sent twice in a day, then the second fails CAP_HIGH_RISK_DAILY but normal marketing passes', async () => {
    const { checker, msg } = fixture();
    const risky = () => msg({ category: 'marketing', highRisk: true });
    expect(codes(await checker.checkBatch([risky(), risky(), msg({ category: 'marketing' })], at(0))))
      .toEqual(['ok', 'CAP_HIGH_RISK_DAILY', 'ok']);
  });

  it('when OTPs with different signatures and accounts hit one number, then anti-bombing allows 2/1 min and 3/5 min', async () => {
    const { checker, msg } = fixture();
    const otp = (signature: string, account: string) => msg({ category: 'otp', accountId: account, text: `【${signature}】验证码 ${randomUUID().slice(0, 6)}` });
    expect(codes(await checker.checkBatch([otp('甲', 'a1'), otp('乙', 'a2'), otp('丙', 'a3')], at(0))))
      .toEqual(['ok', 'ok', 'OTP_ANTI_BOMBING']);
    expect(codes(await checker.checkBatch([otp('丁', 'a4'), otp('戊', 'a5')], at(60)))).toEqual(['ok', 'OTP_ANTI_BOMBING']);
    // Still inside the same 5-minute bucket at 4:00 even though the 3-minute bucket rolled over.
    expect(codes(await checker.checkBatch([otp('己', 'a6')], at(240)))).toEqual(['OTP_ANTI_BOMBING']);
    expect(codes(await checker.checkBatch([otp('己', 'a6')], at(300)))).toEqual(['ok']);
  });

  it('when a whitelisted alarm number gets many OTPs, then none are capped', async () => {
    const { checker, msg } = fixture();
    const batch = Array.from({ length: 20 }, () => msg({ category: 'otp', whitelisted: true, text: 'same' }));
    expect(codes(await checker.checkBatch(batch, at(0)))).toEqual(Array(20).fill('ok'));
  });

  it('when counters are created, then they carry a TTL', async () => {
    const { checker, msg } = fixture(capRules(ALTERNATIVE_NUMBER_CAPS));
    await checker.checkBatch([msg()], at(0));
    const keys = await redis.keys(`${prefix}num:acc-${run}:*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(26 * 3600);
    }
  });

  it('when 30 single-message checks race on one number, then exactly 10 pass (atomic counting)', async () => {
    const { checker, msg } = fixture();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => checker.checkBatch([msg({ text: `r${i}` })], at(0))));
    expect(results.flat().filter((r) => r.allowed)).toHaveLength(10);
  });

  it('when 10 batches of 1,000 messages are checked, then it sustains well over 10,000 messages per second', async () => {
    const { checker, msg } = fixture();
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: 1000 }, (_, i) => msg({ e164: `+86139${String(b * 1000 + i + run * 100_000).padStart(8, '0')}`, category: i % 3 === 0 ? 'otp' : 'notification' })));
    await checker.checkBatch(batches[0].slice(0, 10), at(0)); // load the script
    const started = performance.now();
    for (const batch of batches) {
      const results = await checker.checkBatch(batch, at(0));
      expect(results.every((r) => r.allowed)).toBe(true);
    }
    const perSecond = 10_000 / ((performance.now() - started) / 1000);
    expect(perSecond).toBeGreaterThan(10_000);
  });
});

describe('BlacklistCache against Redis', () => {
  const cache = () => new BlacklistCache({ redis, keyPrefix: `${prefix}bl-${run++}:` });

  it('when numbers are in enabled groups, then one check returns group, level and source per hit', async () => {
    const bl = cache();
    await bl.load([
      { group: 'complainers-pro', e164: '+8613800000001', level: 'high', source: 'channel_complaint' },
      { group: 'complainers', e164: '+8613800000002', level: 'low', source: 'operator' },
      { group: unsubscribeGroup('acc1'), e164: '+8613800000003', level: 'low', source: 'mo_unsubscribe' },
      { group: 'complainers', e164: '+8613800000001', level: 'low', source: 'customer' },
    ]);
    const hits = await bl.checkBatch('acc1', ['+8613800000001', '+8613800000002', '+8613800000003', '+8613800000009'],
      ['complainers', 'complainers-pro', unsubscribeGroup('acc1')]);
    expect(Object.fromEntries(hits)).toEqual({
      '+8613800000001': { group: 'complainers-pro', level: 'high', source: 'channel_complaint' },
      '+8613800000002': { group: 'complainers', level: 'low', source: 'operator' },
      '+8613800000003': { group: 'unsub:acc1', level: 'low', source: 'mo_unsubscribe' },
    });
  });

  it('when a group is not enabled or belongs to another account, then it does not block', async () => {
    const bl = cache();
    await bl.add({ group: unsubscribeGroup('acc2'), e164: '+8613800000003', level: 'low', source: 'mo_unsubscribe' });
    await bl.add({ group: 'complainers', e164: '+8613800000004', level: 'low', source: 'customer' });
    expect((await bl.checkBatch('acc1', ['+8613800000003'], [unsubscribeGroup('acc2')])).size).toBe(0);
    expect((await bl.checkBatch('acc1', ['+8613800000004'], [])).size).toBe(0);
    expect((await bl.checkBatch('acc2', ['+8613800000003'], [unsubscribeGroup('acc2')])).size).toBe(1);
  });

  it('when an entry is removed or a reload drops a group, then the number is no longer blocked', async () => {
    const bl = cache();
    await bl.load([
      { group: 'g1', e164: '+8613800000001', level: 'high', source: 'operator' },
      { group: 'g2', e164: '+8613800000002', level: 'low', source: 'operator' },
    ]);
    await bl.remove('g1', '+8613800000001');
    expect((await bl.checkBatch('acc1', ['+8613800000001'], ['g1'])).size).toBe(0);
    await bl.load([{ group: 'g1', e164: '+8613800000005', level: 'low', source: 'customer' }]);
    expect((await bl.checkBatch('acc1', ['+8613800000002', '+8613800000005'], ['g1', 'g2'])).size).toBe(1);
  });

  it('when 2,500 numbers are checked, then hits beyond the first chunk are found', async () => {
    const bl = cache();
    const numbers = Array.from({ length: 2500 }, (_, i) => `+86137${String(i).padStart(8, '0')}`);
    await bl.load([numbers[5], numbers[1500], numbers[2499]].map((e164) => ({ group: 'g', e164, level: 'high' as const, source: 'operator' as const })));
    const hits = await bl.checkBatch('acc1', numbers, ['g']);
    expect([...hits.keys()].sort()).toEqual([numbers[5], numbers[1500], numbers[2499]]);
  });
});

describe('WhitelistCache against Redis', () => {
  it('when test and alarm numbers are whitelisted globally or per account, then a check finds exactly the applicable ones', async () => {
    const wl = new WhitelistCache({ redis, keyPrefix: `${prefix}wl-${run++}:` });
    await wl.load([{ e164: '+8613800000001' }, { e164: '+8613800000002', accountId: 'acc1' }, { e164: '+8613800000003', accountId: 'acc2' }]);
    const found = await wl.checkBatch('acc1', ['+8613800000001', '+8613800000002', '+8613800000003', '+8613800000004']);
    expect([...found].sort()).toEqual(['+8613800000001', '+8613800000002']);

    await wl.add({ e164: '+8613800000004', accountId: 'acc1' });
    await wl.remove({ e164: '+8613800000001' });
    expect([...(await wl.checkBatch('acc1', ['+8613800000001', '+8613800000004']))]).toEqual(['+8613800000004']);

    await wl.load([{ e164: '+8613800000009' }]);
    expect((await wl.checkBatch('acc1', ['+8613800000002', '+8613800000004'])).size).toBe(0);
    expect((await wl.checkBatch('acc1', [])).size).toBe(0);
  });
});
