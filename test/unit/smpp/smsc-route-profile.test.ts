import { describe, expect, it } from 'vitest';
import { RouteProfile, routeProfileDrawer, validateRouteProfile, type RouteDraw, type SmscRouteProfile } from '../../../src/channels/smpp/smsc-route-profile.js';
import { DelayQueue } from '../../../src/channels/smpp/delay-queue.js';

const draws = (p: SmscRouteProfile, n: number): RouteDraw[] => {
  const draw = routeProfileDrawer(p);
  return Array.from({ length: n }, () => draw());
};
const share = (ds: RouteDraw[], pred: (d: RouteDraw) => boolean) => ds.filter(pred).length / ds.length;

describe('SMSC route profile', () => {
  const direct: SmscRouteProfile = { deliveredRatio: 0.93, receiptDelayMs: { min: 1000, max: 4000 }, seed: 7 };
  const mixed: SmscRouteProfile = { deliveredRatio: 0.72, receiptDelayMs: { min: 2000, max: 20_000 }, tail: { ratio: 0.12, maxMs: 60_000 }, expiredShare: 0.4, seed: 11 };

  it('when 2,000 submits are drawn, then the delivered share is within 3 points of deliveredRatio', () => {
    // Arrange / Act
    const d = draws(direct, 2000);
    const m = draws(mixed, 2000);
    // Assert
    expect(Math.abs(share(d, (x) => x.stat === 'DELIVRD') - 0.93)).toBeLessThan(0.03);
    expect(Math.abs(share(m, (x) => x.stat === 'DELIVRD') - 0.72)).toBeLessThan(0.03);
  });

  it('when there is no tail, then every delay lies within [min, max] and spreads over the range', () => {
    const d = draws(direct, 2000);
    const delays = d.map((x) => x.delayMs);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(4000);
    // Uniform: about half below the midpoint.
    expect(Math.abs(share(d, (x) => x.delayMs < 2500) - 0.5)).toBeLessThan(0.05);
  });

  it('when there is a tail, then about tail.ratio of receipts come after max and none after tail.maxMs', () => {
    const m = draws(mixed, 2000);
    const undelivered = m.filter((x) => x.stat !== 'DELIVRD');
    const notExpired = m.filter((x) => x.stat !== 'EXPIRED');
    expect(Math.min(...m.map((x) => x.delayMs))).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...m.map((x) => x.delayMs))).toBeLessThanOrEqual(60_000);
    expect(Math.abs(share(notExpired, (x) => x.delayMs > 20_000) - 0.12)).toBeLessThan(0.03);
    // The undelivered: UNDELIV err 001, or EXPIRED at the slowest delay (expiredShare of them).
    expect(undelivered.every((x) => (x.stat === 'UNDELIV' && x.err === '001') || (x.stat === 'EXPIRED' && x.delayMs === 60_000))).toBe(true);
    expect(Math.abs(share(undelivered, (x) => x.stat === 'EXPIRED') - 0.4)).toBeLessThan(0.08);
  });

  it('when the same seed is drawn twice, then the sequences are equal; another seed differs', () => {
    expect(draws(mixed, 200)).toEqual(draws(mixed, 200));
    expect(draws({ ...mixed, seed: 12 }, 200)).not.toEqual(draws(mixed, 200));
  });

  it('when a profile is out of range, then it is refused naming the field', () => {
    expect(() => validateRouteProfile({ deliveredRatio: 1.2, receiptDelayMs: { min: 0, max: 1 } })).toThrow(/deliveredRatio/);
    expect(() => validateRouteProfile({ deliveredRatio: 0.5, receiptDelayMs: { min: 5, max: 1 } })).toThrow(/receiptDelayMs/);
    expect(() => validateRouteProfile({ deliveredRatio: 0.5, receiptDelayMs: { min: 0, max: 10 }, tail: { ratio: 0.1, maxMs: 5 } })).toThrow(/tail\.maxMs/);
  });
});

describe('route profile per message', () => {
  it('when a concatenated message arrives in parts, then its parts share one outcome and the next message draws anew', () => {
    // Arrange: the drawer's own sequence is what one draw per message must reproduce.
    const profile: SmscRouteProfile = { deliveredRatio: 0.5, receiptDelayMs: { min: 10, max: 1000 }, seed: 5 };
    const expected = draws(profile, 3);
    const route = new RouteProfile(profile);
    // Act
    const first = [1, 2, 3].map((seq) => route.decide('sys:849', { ref: 7, total: 3, seq }));
    const single = route.decide('sys:849', undefined);
    const other = [2, 1].map((seq) => route.decide('sys:855', { ref: 7, total: 2, seq }));
    // Assert
    expect(first).toEqual([expected[0], expected[0], expected[0]]);
    expect(single).toEqual(expected[1]);
    expect(other).toEqual([expected[2], expected[2]]);
  });
});

describe('DelayQueue with per-item delays', () => {
  it('when items carry different delays, then each fires after its own delay, in due order', async () => {
    // Arrange
    const fired: Array<[string, number]> = [];
    const start = Date.now();
    const q = new DelayQueue<string>(1000, 5, (items) => items.forEach((i) => fired.push([i, Date.now() - start])));
    // Act
    q.push('late', 120);
    q.push('early', 30);
    q.push('default-zero', 0);
    q.push('early-too', 31);
    await new Promise((r) => setTimeout(r, 200));
    // Assert
    expect(fired.map(([i]) => i)).toEqual(['default-zero', 'early', 'early-too', 'late']);
    expect(fired[1][1]).toBeGreaterThanOrEqual(29);
    expect(fired[3][1]).toBeGreaterThanOrEqual(119);
  });

  it('when cleared, then nothing pending fires', async () => {
    const fired: string[] = [];
    const q = new DelayQueue<string>(20, 5, (items) => fired.push(...items));
    q.push('a');
    q.push('b', 40);
    q.clear();
    await new Promise((r) => setTimeout(r, 80));
    expect(fired).toEqual([]);
  });
});
