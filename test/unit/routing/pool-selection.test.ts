import { describe, expect, it } from 'vitest';
import { selectChannelOrder, weightedPick, type PoolChannel } from '../../../src/routing/pool-selection.js';
import { seededRandom as seeded } from '../../../src/infra/seeded-random.js';


const channel = (channelId: string, extra: Partial<PoolChannel> = {}): PoolChannel => ({
  channelId, weight: 10, role: 'primary', healthy: true, ...extra,
});
const cmccTarget = { carrier: 'cmcc', country: 'CN' };

describe('selectChannelOrder', () => {
  const pool: PoolChannel[] = [
    channel('cm-a', { weight: 60, carriers: ['cmcc'] }),
    channel('cm-b', { weight: 30, carriers: ['cmcc'] }),
    channel('three-net', { weight: 10 }),
    channel('cu-only', { weight: 50, carriers: ['cucc'] }),
    channel('backup-1', { weight: 5, role: 'backup' }),
    channel('backup-2', { weight: 20, role: 'backup' }),
    channel('cm-down', { weight: 90, carriers: ['cmcc'], healthy: false }),
    channel('backup-down', { weight: 90, role: 'backup', healthy: false }),
    channel('intl', { weight: 100, countries: ['US', 'GB'] }),
  ];

  it('when random picks the first slot, then the heaviest primary leads and the rest follow the tiers', () => {
    expect(selectChannelOrder(pool, cmccTarget, () => 0)).toEqual([
      'cm-a', 'cm-b', 'three-net', 'backup-2', 'backup-1', 'cm-down', 'backup-down',
    ]);
  });

  it('when random picks a lighter primary, then it leads and the other primaries follow by weight', () => {
    // Sorted weights 60/30/10 of 100: 0.95 lands in the last 10%.
    expect(selectChannelOrder(pool, cmccTarget, () => 0.95).slice(0, 3)).toEqual(['three-net', 'cm-a', 'cm-b']);
  });

  it('when the target is China Unicom, then China Mobile-only channels are filtered out', () => {
    const order = selectChannelOrder(pool, { carrier: 'cucc', country: 'CN' }, seeded(1));
    expect(order).toContain('cu-only');
    expect(order.some((id) => id.startsWith('cm-'))).toBe(false);
  });

  it('when the carrier is unknown, then only channels without a carrier restriction remain', () => {
    expect(selectChannelOrder(pool, { carrier: null, country: 'CN' }, () => 0)).toEqual(['three-net', 'backup-2', 'backup-1', 'backup-down']);
  });

  it('when the target is in the US, then country-restricted channels for other countries are dropped', () => {
    const order = selectChannelOrder(pool, { carrier: null, country: 'us' }, () => 0);
    expect(order[0]).toBe('intl');
    expect(selectChannelOrder(pool, { carrier: null, country: 'DE' }, () => 0)).not.toContain('intl');
  });

  it('when no primary is healthy, then the first backup is picked by weight and unhealthy channels come last', () => {
    const degraded = pool.map((c) => (c.role === 'primary' ? { ...c, healthy: false } : c));
    expect(selectChannelOrder(degraded, cmccTarget, () => 0.9)).toEqual([
      'backup-1', 'backup-2', 'cm-down', 'cm-a', 'cm-b', 'three-net', 'backup-down',
    ]);
  });

  it('when healthy primaries all have weight 0, then they still precede backups in a stable order', () => {
    const zero = [channel('z2', { weight: 0 }), channel('z1', { weight: 0 }), channel('b', { role: 'backup' })];
    expect(selectChannelOrder(zero, cmccTarget, seeded(3))).toEqual(['z1', 'z2', 'b']);
  });

  it('when the pool is empty or nothing serves the target, then the order is empty', () => {
    expect(selectChannelOrder([], cmccTarget, Math.random)).toEqual([]);
    expect(selectChannelOrder([channel('cu', { carriers: ['cucc'] })], cmccTarget, Math.random)).toEqual([]);
  });

  it('when drawing 10,000 times with a seeded random, then first picks follow the 60/30/10 weights within 2 points', () => {
    const weighted = [channel('a', { weight: 60 }), channel('b', { weight: 30 }), channel('c', { weight: 10 }), channel('bk', { role: 'backup', weight: 100 })];
    const random = seeded(20240601);
    const counts = new Map<string, number>();
    const draws = 10_000;
    for (let i = 0; i < draws; i++) {
      const first = selectChannelOrder(weighted, cmccTarget, random)[0];
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(Math.abs((counts.get('a') ?? 0) / draws - 0.6)).toBeLessThan(0.02);
    expect(Math.abs((counts.get('b') ?? 0) / draws - 0.3)).toBeLessThan(0.02);
    expect(Math.abs((counts.get('c') ?? 0) / draws - 0.1)).toBeLessThan(0.02);
    expect(counts.get('bk')).toBeUndefined();
  });

  it('when the same seed is used twice, then the orders are identical', () => {
    const run = () => {
      const random = seeded(7);
      return Array.from({ length: 20 }, () => selectChannelOrder(pool, cmccTarget, random).join(','));
    };
    expect(run()).toEqual(run());
  });
});

describe('weightedPick', () => {
  it('when random is just below 1, then the last weighted channel is picked', () => {
    expect(weightedPick([channel('a', { weight: 1 }), channel('b', { weight: 1 }), channel('z', { weight: 0 })], () => 0.9999999999)).toBe(1);
  });

  it('when weights are negative or not finite, then they count as 0', () => {
    expect(weightedPick([channel('a', { weight: -5 }), channel('b', { weight: Number.NaN })], () => 0.5)).toBe(-1);
  });
});
