import { describe, expect, it } from 'vitest';
import { adjustWeights, type ChannelStats, type ChannelWeightInput } from '../../../src/routing/adaptive-weights.js';

const mature: ChannelStats = { sent: 10_000, delivered: 9_500, failed: 400, p50LatencyMs: 3000, ageHours: 24 * 30 };
const input = (channelId: string, stats: Partial<ChannelStats> = {}, baseWeight = 100): ChannelWeightInput => ({
  channelId, baseWeight, stats: { ...mature, ...stats },
});
const share = (weights: Map<string, number>, id: string): number =>
  (weights.get(id) ?? 0) / [...weights.values()].reduce((a, b) => a + b, 0);

describe('adjustWeights', () => {
  it('when two channels are identical, then they get equal weights summing to the base total', () => {
    const weights = adjustWeights([input('a'), input('b')]);
    expect(weights.get('a')).toBeCloseTo(100);
    expect(weights.get('b')).toBeCloseTo(100);
  });

  it('when one channel delivers more, then its weight is higher (monotone in success)', () => {
    let previous = -1;
    for (const delivered of [5000, 7000, 8500, 9000, 9500, 9900]) {
      const weight = adjustWeights([input('x', { delivered, failed: 10_000 - delivered }), input('ref')]).get('x') ?? 0;
      expect(weight).toBeGreaterThan(previous);
      previous = weight;
    }
  });

  it('when one channel is slower, then its weight is lower (monotone in latency)', () => {
    let previous = Infinity;
    for (const p50LatencyMs of [500, 2000, 5000, 10_000, 30_000]) {
      const weight = adjustWeights([input('x', { p50LatencyMs }), input('ref')]).get('x') ?? 0;
      expect(weight).toBeLessThan(previous);
      previous = weight;
    }
  });

  it('when a channel is brand new, then it starts with a small share and grows as it matures', () => {
    const fresh = share(adjustWeights([input('new', { sent: 0, delivered: 0, failed: 0, ageHours: 0 }), input('a'), input('b')]), 'new');
    const half = share(adjustWeights([input('new', { sent: 500, delivered: 475, failed: 20, ageHours: 12 }), input('a'), input('b')]), 'new');
    const grown = share(adjustWeights([input('new', { ageHours: 48 }), input('a'), input('b')]), 'new');
    expect(fresh).toBeGreaterThan(0);
    expect(fresh).toBeLessThan(0.06);
    expect(half).toBeGreaterThan(fresh);
    expect(grown).toBeCloseTo(1 / 3);
  });

  it('when a channel has many samples but is young, then it is still treated as new', () => {
    const young = share(adjustWeights([input('young', { ageHours: 1 }), input('a')]), 'young');
    expect(young).toBeLessThan(0.15);
  });

  it('when a channel is weak but not dead, then it keeps at least about the minimum share', () => {
    const weights = adjustWeights([input('weak', { delivered: 2000, failed: 8000, p50LatencyMs: 20_000 }), input('a'), input('b')]);
    expect(share(weights, 'weak')).toBeGreaterThanOrEqual(0.0095);
  });

  it('when a channel delivers almost nothing, then its weight drops to zero and the others keep the total', () => {
    const weights = adjustWeights([input('dead', { delivered: 10, failed: 9990 }), input('a'), input('b')]);
    expect(weights.get('dead')).toBe(0);
    expect((weights.get('a') ?? 0) + (weights.get('b') ?? 0)).toBeCloseTo(200);
  });

  it('when a failing channel has only a few samples, then the prior keeps it alive', () => {
    expect(adjustWeights([input('unlucky', { sent: 20, delivered: 0, failed: 20 }), input('a')]).get('unlucky')).toBeGreaterThan(0);
  });

  it('when messages have no report yet, then they count against the success rate', () => {
    const silent = adjustWeights([input('silent', { delivered: 6000, failed: 0 }), input('a')]).get('silent') ?? 0;
    const honest = adjustWeights([input('honest', { delivered: 6000, failed: 4000 }), input('a')]).get('honest') ?? 0;
    expect(silent).toBeCloseTo(honest);
  });

  it('when the operator set a base weight of 0, then the channel stays off', () => {
    expect(adjustWeights([input('off', {}, 0), input('a')]).get('off')).toBe(0);
  });

  it('when base weights differ and stats are equal, then the ratio of base weights is kept', () => {
    const weights = adjustWeights([input('big', {}, 300), input('small', {}, 100)]);
    expect((weights.get('big') ?? 0) / (weights.get('small') ?? 1)).toBeCloseTo(3);
  });

  it('when every channel is dead, then all weights are zero (no division by zero)', () => {
    const weights = adjustWeights([input('a', { delivered: 0, failed: 10_000 }), input('b', { delivered: 0, failed: 10_000 })]);
    expect([...weights.values()]).toEqual([0, 0]);
  });

  it('when an option is passed as undefined, then the default still applies', () => {
    const a = adjustWeights([input('x', { p50LatencyMs: 9000 }), input('ref')]);
    const b = adjustWeights([input('x', { p50LatencyMs: 9000 }), input('ref')], { latencyRefMs: undefined });
    expect(b.get('x')).toBeCloseTo(a.get('x') ?? 0);
  });
});
