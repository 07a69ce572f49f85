import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SimulatedDelivery } from '../../../src/channels/smpp/smsc-types.js';
import { SyntheticUser, extractCode, mistype, type SyntheticUserOptions } from '../../../src/demo/synthetic-user.js';
import { VERIFICATION_LOCALES, verificationSmsText } from '../../../src/verify/verification-texts.js';

type Check = { id: string; code: string; at: number };

/** A crowd whose checks are recorded, with every destination `d<n>` mapped to verification `ver_<n>`. */
function crowd(over: Partial<SyntheticUserOptions> = {}) {
  const checks: Check[] = [];
  const codes = new Map<string, string>();
  const user = new SyntheticUser({
    entryProbability: { good: 0.8, poor: 0.3 },
    thinkTimeMs: { min: 5_000, max: 40_000 },
    seed: 9,
    verificationFor: (dest) => `ver_${dest.slice(1)}`,
    check: async (id, code) => {
      checks.push({ id, code, at: Date.now() });
      return codes.get(id) === code ? 'approved' : 'pending';
    },
    ...over,
  });
  let n = 0;
  const send = (route: string, stat: SimulatedDelivery['stat'], delayMs = 1_000, code = String(100000 + n)) => {
    const i = n++;
    codes.set(`ver_${i}`, code);
    user.handsetsOf(route)({ messageId: i.toString(16), destination: `d${i}`, text: verificationSmsText({ locale: 'en', code, ttlSeconds: 300 }), stat, delayMs });
    return { id: `ver_${i}`, code };
  };
  return { user, checks, codes, send };
}

describe('synthetic user', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when the code text is in any locale the API sends, then the code is read out of it', () => {
    for (const locale of VERIFICATION_LOCALES) {
      expect(extractCode(verificationSmsText({ locale, code: '4829', ttlSeconds: 600 }))).toBe('4829');
      expect(extractCode(verificationSmsText({ locale, code: '0048291736', ttlSeconds: 60, signature: '示例' }))).toBe('0048291736');
    }
    expect(extractCode('no code here, 5 min')).toBeUndefined();
    expect(mistype('123459')).toBe('123450');
  });

  it('when 2,000 codes are delivered on a route, then about its entry probability of them are entered, each after delay + think time', async () => {
    // Arrange
    const { user, checks, send } = crowd();
    const start = Date.now();
    // Act
    for (let i = 0; i < 2000; i++) send(i % 2 ? 'good' : 'poor', 'DELIVRD', 1_000);
    await vi.advanceTimersByTimeAsync(45_000);
    await user.idle();
    // Assert
    const good = checks.filter((c) => Number(c.id.slice(4)) % 2 === 1).length / 1000;
    const poor = checks.filter((c) => Number(c.id.slice(4)) % 2 === 0).length / 1000;
    expect(Math.abs(good - 0.8)).toBeLessThan(0.04);
    expect(Math.abs(poor - 0.3)).toBeLessThan(0.04);
    expect(user.stats).toMatchObject({ received: 2000, delivered: 2000, approved: checks.length, notApproved: 0, lost: 0 });
    const waits = checks.map((c) => c.at - start);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(6_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(41_000);
    // Skewed towards quick typists: most within the first half of the think range.
    expect(waits.filter((w) => w < 1_000 + 22_500).length / waits.length).toBeGreaterThan(0.6);
  });

  it('when a message was not delivered, then nobody enters its code', async () => {
    const { user, checks, send } = crowd({ entryProbability: { good: 1 } });
    send('good', 'UNDELIV');
    send('good', 'EXPIRED');
    send('good', undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(checks).toEqual([]);
    expect(user.stats).toMatchObject({ received: 3, delivered: 0, entering: 0 });
  });

  it('when a user mistypes, then a wrong code goes first and the right one approves afterwards', async () => {
    const { user, checks, send } = crowd({ entryProbability: { good: 1 }, mistypeRatio: 1 });
    const v = send('good', 'DELIVRD', 500, '246810');
    await vi.advanceTimersByTimeAsync(60_000);
    await user.idle();
    expect(checks.map((c) => c.code)).toEqual(['246811', '246810']);
    expect(checks.every((c) => c.id === v.id)).toBe(true);
    expect(user.stats).toMatchObject({ mistyped: 1, approved: 1 });
  });

  it('when a long code message arrives in parts, then it is read once all parts are in', async () => {
    const { user, checks } = crowd({ entryProbability: { good: 1 } });
    const hook = user.handsetsOf('good');
    const base = { destination: 'd7', stat: 'DELIVRD' as const, delayMs: 100 };
    hook({ ...base, messageId: 'b', text: ' expires in 5 minutes.', part: { ref: 3, total: 2, seq: 2 } });
    expect(user.stats.received).toBe(0);
    hook({ ...base, messageId: 'a', text: 'Your code is 987654, it', part: { ref: 3, total: 2, seq: 1 } });
    await vi.advanceTimersByTimeAsync(60_000);
    await user.idle();
    expect(checks).toEqual([{ id: 'ver_7', code: '987654', at: expect.any(Number) }]);
    expect(user.stats.received).toBe(1);
  });

  it('when the same deliveries are replayed with the same seed, then the same codes are entered at the same times', async () => {
    const runOnce = async () => {
      const { user, checks, send } = crowd({ mistypeRatio: 0.1 });
      const t0 = Date.now();
      for (let i = 0; i < 200; i++) send('good', 'DELIVRD', 1_000);
      await vi.advanceTimersByTimeAsync(60_000);
      await user.idle();
      return checks.map((c) => [c.id, c.code, c.at - t0]);
    };
    expect(await runOnce()).toEqual(await runOnce());
  });

  it('when the verification of a destination never becomes known, then the user gives up and counts it lost', async () => {
    const { user, checks, send } = crowd({ entryProbability: { good: 1 }, verificationFor: () => undefined });
    send('good', 'DELIVRD', 10);
    await vi.advanceTimersByTimeAsync(120_000);
    await user.idle();
    expect(checks).toEqual([]);
    expect(user.stats.lost).toBe(1);
  });
});
