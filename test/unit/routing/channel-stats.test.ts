import { describe, expect, it } from 'vitest';
import { ChannelStatsTracker } from '../../../src/routing/channel-stats.js';
import { Router } from '../../../src/routing/router.js';
import type { ChannelConfig, ChannelRepository, PoolEntry } from '../../../src/routing/channel.repository.js';

describe('channel statistics', () => {
  it('when submits and receipts are recorded, then the snapshot sums the last hour and gives the median latency', () => {
    let now = 0;
    const t = new ChannelStatsTracker(() => now);
    t.recordSubmitted('a', 5);
    [100, 200, 300].forEach((ms) => t.recordReceipt('a', true, ms));
    t.recordReceipt('a', false, 900);
    expect(t.snapshot().get('a')).toEqual({ sent: 5, delivered: 3, failed: 1, p50LatencyMs: 300 });
  });

  it('when an hour has passed, then older minutes no longer count', () => {
    let now = 0;
    const t = new ChannelStatsTracker(() => now);
    t.recordSubmitted('a', 5);
    now = 61 * 60_000;
    t.recordSubmitted('a', 2);
    expect(t.snapshot().get('a')?.sent).toBe(2);
  });
});

describe('adaptive routing', () => {
  const channel = (id: string): ChannelConfig => ({
    id, name: id, kind: 'smpp', host: 'h', port: 1, systemId: 's', password: 'p', systemType: null, sourceAddress: null,
    windowSize: 10, submitsPerSecond: 10, carriers: [], countries: [], enabled: true, createdAt: new Date(Date.now() - 30 * 86_400_000),
  });
  const pool: PoolEntry[] = [{ channelId: 'good', weight: 100, role: 'primary' }, { channelId: 'poor', weight: 100, role: 'primary' }];
  const repo = { list: async () => [channel('good'), channel('poor')], pool: async () => pool } as unknown as ChannelRepository;

  async function shareOfGood(adaptive: boolean): Promise<number> {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const router = new Router(repo, { isReady: () => true }, random);
    await router.refresh();
    router.setStats(new Map([
      ['good', { sent: 5000, delivered: 4900, failed: 100, p50LatencyMs: 2000 }],
      ['poor', { sent: 5000, delivered: 2500, failed: 2500, p50LatencyMs: 8000 }],
    ]));
    const orders = await router.route('acc', 'otp', Array.from({ length: 2000 }, () => ({ carrier: null, country: 'CN' })), [], adaptive);
    return orders.filter((o) => o[0] === 'good').length / orders.length;
  }

  it('when adaptive routing is off, then the configured weights decide', async () => {
    expect(await shareOfGood(false)).toBeGreaterThan(0.45);
    expect(await shareOfGood(false)).toBeLessThan(0.55);
  });

  it('when adaptive routing is on, then the channel with better success and latency gets most traffic', async () => {
    expect(await shareOfGood(true)).toBeGreaterThan(0.85);
  });
});
