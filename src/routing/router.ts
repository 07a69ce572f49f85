/**
 * Chooses, per message, the ordered list of channels to try: the account's pool for the category
 * (or every enabled channel when the account has none), filtered by the destination's carrier and
 * country, weighted, healthy first. The worker walks that list on connection faults and rejections.
 */
import type { Category } from '../accounts/account.js';
import { selectChannelOrder, type PoolChannel } from './pool-selection.js';
import { adjustWeights } from './adaptive-weights.js';
import type { RecentStats } from './channel-stats.js';
import { backfillWeights, type RouteBackfill } from '../verify/route-quality.js';
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
  private stats = new Map<string, RecentStats>();
  private backfill = new Map<string, RouteBackfill>();

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

  /** Recent per-channel statistics for adaptive weights (see channel-stats.ts). */
  setStats(stats: Map<string, RecentStats>): void {
    this.stats = stats;
  }

  /** Recent backfill figures per route (channel id) for backfill-based weights (route-quality.ts). */
  setBackfillStats(stats: Map<string, RouteBackfill>): void {
    this.backfill = stats;
  }

  channel(id: string): ChannelConfig | undefined {
    return this.channels.get(id);
  }

  /**
   * Returns, per target, the channel ids to try in order (empty = no route).
   * @param adaptive weights follow each channel's recent success rate and latency (account setting)
   * @param backfill weights then follow each channel's recent backfill rate (account setting
   *   `backfillRouting`, per category)
   */
  async route(accountId: string, category: Category, targets: RouteTarget[], exclude: string[] = [], adaptive = false, backfill = false): Promise<string[][]> {
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
    if (adaptive) this.applyAdaptiveWeights(candidates);
    if (backfill) {
      const weights = backfillWeights(candidates.map((c) => ({ channelId: c.channelId, baseWeight: c.weight, stats: this.backfill.get(c.channelId) })));
      for (const c of candidates) c.weight = weights.get(c.channelId) ?? c.weight;
    }
    return targets.map((t) => selectChannelOrder(candidates, t, this.random));
  }

  private applyAdaptiveWeights(candidates: PoolChannel[]): void {
    const now = Date.now();
    const weights = adjustWeights(candidates.map((c) => {
      const s = this.stats.get(c.channelId) ?? { sent: 0, delivered: 0, failed: 0, p50LatencyMs: 0 };
      const ageHours = (now - (this.channels.get(c.channelId)?.createdAt.getTime() ?? now)) / 3_600_000;
      return { channelId: c.channelId, baseWeight: c.weight, stats: { ...s, ageHours } };
    }));
    for (const c of candidates) c.weight = weights.get(c.channelId) ?? c.weight;
  }
}
