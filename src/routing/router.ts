/**
 * Chooses, per message, the ordered list of channels to try: the account's pool for the category
 * (or every enabled channel when the account has none), filtered by the destination's carrier and
 * country, weighted, healthy first. The worker walks that list on connection faults and rejections.
 */
import type { Category } from '../accounts/account.js';
import { selectChannelOrder, type PoolChannel } from './pool-selection.js';
import type { ChannelConfig, ChannelRepository, PoolEntry } from './channel.repository.js';

export interface RouteTarget {
  carrier: string | null;
  country: string;
}

export interface ChannelHealth {
  isReady(channelId: string): boolean;
}

export class Router {
  private channels = new Map<string, ChannelConfig>();

  constructor(
    private readonly repo: ChannelRepository,
    private readonly health: ChannelHealth,
    private readonly random: () => number = Math.random,
  ) {}

  /** Reloads channel definitions (call after an admin change). */
  async refresh(): Promise<void> {
    const all = await this.repo.list();
    this.channels = new Map(all.filter((c) => c.enabled).map((c) => [c.id, c]));
  }

  channel(id: string): ChannelConfig | undefined {
    return this.channels.get(id);
  }

  /** Returns, per target, the channel ids to try in order (empty = no route). */
  async route(accountId: string, category: Category, targets: RouteTarget[], exclude: string[] = []): Promise<string[][]> {
    const pool = await this.repo.pool(accountId, category);
    const entries: PoolEntry[] = pool.length > 0 ? pool : [...this.channels.keys()].map((channelId) => ({ channelId, weight: 100, role: 'primary' as const }));
    const candidates: PoolChannel[] = [];
    for (const e of entries) {
      const c = this.channels.get(e.channelId);
      if (!c || exclude.includes(c.id)) continue;
      candidates.push({
        channelId: c.id,
        weight: e.weight,
        role: e.role,
        carriers: c.carriers.length ? c.carriers : undefined,
        countries: c.countries.length ? c.countries : undefined,
        healthy: this.health.isReady(c.id),
      });
    }
    return targets.map((t) => selectChannelOrder(candidates, t, this.random));
  }
}
