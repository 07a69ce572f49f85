import { describe, expect, it } from 'vitest';
import { backfillWeights, type RouteQualityInput } from '../../../src/verify/route-quality.js';
import { RouteQualityRefresher, type RouteQualityRepository } from '../../../src/verify/route-quality.repository.js';
import { Router } from '../../../src/routing/router.js';
import type { ChannelConfig, ChannelRepository, PoolEntry } from '../../../src/routing/channel.repository.js';
import { seededRandom } from '../../support/backfill-seed.js';

const route = (channelId: string, sent: number | undefined, verified = 0, baseWeight = 100): RouteQualityInput =>
  ({ channelId, baseWeight, stats: sent === undefined ? undefined : { sent, verified } });
const total = (w: Map<string, number>) => [...w.values()].reduce((a, b) => a + b, 0);
const share = (w: Map<string, number>, id: string) => (w.get(id) ?? 0) / total(w);

describe('backfillWeights', () => {
  it.each([
    ['no route has data', [route('a', undefined), route('b', undefined, 0, 300)], { a: 100, b: 300 }],
    ['every route converts alike', [route('a', 1000, 700), route('b', 4000, 2800, 300)], { a: 100, b: 300 }],
    ['the pool has nobody verifying at all (an outage, not a route problem)', [route('a', 1000, 0), route('b', 1000, 0)], { a: 100, b: 100 }],
    ['a channel is switched off by its operator', [route('a', 1000, 800), route('off', 1000, 800, 0)], { a: 100, off: 0 }],
    ['every channel is switched off', [route('a', 1000, 800, 0), route('b', 1000, 500, 0)], { a: 0, b: 0 }],
  ])('when %s, then the configured weights stand', (_case, input, expected) => {
    const weights = backfillWeights(input);

    for (const [id, w] of Object.entries(expected)) expect(weights.get(id), id).toBeCloseTo(w, 9);
  });

  it('when a direct route converts 80 % and a mixed one 55 %, then the formula gives the worked example exactly', () => {
    // p0 = (800 + 550 + 0.7·100) / (2000 + 100) = 1420/2100; r_direct = (800 + 100·p0)/1100, r_mixed = (550 + 100·p0)/1100;
    // raw = 100·(r/p0)²; both above the 5 % floor; scaled to a total of 200.
    const p0 = 1420 / 2100;
    const rawDirect = 100 * ((800 + 100 * p0) / 1100 / p0) ** 2;
    const rawMixed = 100 * ((550 + 100 * p0) / 1100 / p0) ** 2;

    const weights = backfillWeights([route('direct', 1000, 800), route('mixed', 1000, 550)]);

    expect(weights.get('direct')).toBeCloseTo((200 * rawDirect) / (rawDirect + rawMixed), 9);
    expect(weights.get('mixed')).toBeCloseTo((200 * rawMixed) / (rawDirect + rawMixed), 9);
    expect((weights.get('direct') ?? 0) / (weights.get('mixed') ?? 1)).toBeGreaterThan(1.9);
  });

  it('when the backfill rate of one route rises, then its weight rises (monotone) and the total stays the base total', () => {
    let previous = -1;
    for (const verified of [0, 200, 400, 550, 700, 800, 950]) {
      const weights = backfillWeights([route('x', 1000, verified), route('ref', 1000, 700), route('ref2', 1000, 650)]);
      expect(weights.get('x')).toBeGreaterThan(previous);
      expect(total(weights)).toBeCloseTo(300, 9);
      previous = weights.get('x')!;
    }
  });

  it.each([
    [3, 0], [3, 3], [10, 0], [20, 20],
  ])('when a route has only %i sends (%i verified), then the prior keeps its share within 15 %% of even', (sent, verified) => {
    const weights = backfillWeights([route('tiny', sent, verified), route('a', 5000, 3500), route('b', 5000, 3500)]);

    expect(share(weights, 'tiny')).toBeGreaterThan((1 / 3) * 0.85);
    expect(share(weights, 'tiny')).toBeLessThan((1 / 3) * 1.15);
  });

  it('when a route converts nothing over many sends, then it keeps the minimum share (never starved entirely)', () => {
    const weights = backfillWeights([route('dead', 10_000, 0), route('a', 10_000, 8000), route('b', 10_000, 7500)]);

    expect(weights.get('dead')).toBeGreaterThan(0);
    expect(share(weights, 'dead')).toBeGreaterThanOrEqual(0.045);
    expect(share(weights, 'dead')).toBeLessThan(0.06);
  });

  it('when a new route joins a pool with data, then it starts at the pool average (configured weight), not favoured or starved', () => {
    const weights = backfillWeights([route('new', undefined), route('good', 5000, 4000), route('poor', 5000, 2750)]);

    expect(weights.get('new')).toBeGreaterThan(weights.get('poor')!);
    expect(weights.get('new')).toBeLessThan(weights.get('good')!);
    expect(weights.get('new')).toBeCloseTo(100, -1);
  });

  it.each([
    ['verified above sent', { sent: 100, verified: 150 }, { sent: 100, verified: 100 }],
    ['negative counts', { sent: -5, verified: -1 }, { sent: 0, verified: 0 }],
    ['NaN', { sent: Number.NaN, verified: 3 }, { sent: 0, verified: 0 }],
  ])('when the figures are odd (%s), then they are read as the sane equivalent', (_case, odd, sane) => {
    const others = [route('a', 1000, 700), route('b', 1000, 600)];

    const weird = backfillWeights([{ channelId: 'x', baseWeight: 100, stats: odd }, ...others]);
    const clean = backfillWeights([{ channelId: 'x', baseWeight: 100, stats: sane }, ...others]);

    for (const id of ['x', 'a', 'b']) expect(weird.get(id)).toBeCloseTo(clean.get(id)!, 9);
  });

  it('when the exponent is raised, then the better route gains more', () => {
    const input = [route('direct', 2000, 1600), route('mixed', 2000, 1100)];

    expect(share(backfillWeights(input, { exponent: 4 }), 'direct')).toBeGreaterThan(share(backfillWeights(input), 'direct'));
  });
});

describe('Router with backfill routing', () => {
  const channel = (id: string): ChannelConfig => ({
    id, name: id, kind: 'smpp', host: '127.0.0.1', port: 1, systemId: id, password: 'x', systemType: null, sourceAddress: null,
    windowSize: 10, submitsPerSecond: 100, carriers: [], countries: [], enabled: true, createdAt: new Date('2030-01-01Z'),
  });
  const pool: PoolEntry[] = [{ channelId: 'direct', weight: 100, role: 'primary' }, { channelId: 'mixed', weight: 100, role: 'primary' }];
  const repo = { list: async () => [channel('direct'), channel('mixed')], pool: async () => pool } as unknown as ChannelRepository;

  async function firstChoices(backfill: boolean): Promise<Record<string, number>> {
    const router = new Router(repo, { isReady: () => true }, seededRandom(11));
    await router.refresh();
    router.setBackfillStats(new Map([['direct', { sent: 5000, verified: 4000 }], ['mixed', { sent: 5000, verified: 2750 }]]));
    const targets = Array.from({ length: 4000 }, () => ({ carrier: null, country: 'VN' }));
    const orders = await router.route('acc_1', 'otp', targets, [], false, backfill);
    const counts: Record<string, number> = { direct: 0, mixed: 0 };
    for (const [first] of orders) counts[first]++;
    return counts;
  }

  it('when backfill routing is on, then the route with the higher backfill rate takes the larger share', async () => {
    const counts = await firstChoices(true);

    // Expected share of direct: ((0.8/p0)² / ((0.8/p0)² + (0.55/p0)²)) with smoothing ≈ 0.67.
    expect(counts.direct / 4000).toBeGreaterThan(0.62);
    expect(counts.direct / 4000).toBeLessThan(0.72);
  });

  it('when backfill routing is off, then the configured 50/50 split stands whatever the figures', async () => {
    const counts = await firstChoices(false);

    expect(counts.direct / 4000).toBeGreaterThan(0.46);
    expect(counts.direct / 4000).toBeLessThan(0.54);
  });
});

describe('RouteQualityRefresher', () => {
  it('when refreshed on every tick, then it queries at most once per interval and hands the figures to the router', async () => {
    let clock = 0;
    let queries = 0;
    const applied: Map<string, unknown>[] = [];
    const repo = { recentBackfill: async () => (queries++, new Map([['r', { sent: queries, verified: 0 }]])) } as unknown as RouteQualityRepository;
    const refresher = new RouteQualityRefresher(repo, (s) => applied.push(s), 60_000, () => clock);

    await refresher.refresh();
    clock = 10_000;
    await refresher.refresh();
    clock = 60_000;
    await refresher.refresh();

    expect(queries).toBe(2);
    expect(applied.map((m) => m.get('r'))).toEqual([{ sent: 1, verified: 0 }, { sent: 2, verified: 0 }]);
  });
});
