/**
 * Recent backfill figures per route, for backfill-based routing weights (route-quality.ts).
 *
 * The figures are platform-wide (every account's attempts on a route): route quality is a property
 * of the upstream, more data steadies it, and the result only ever feeds routing weights; it is
 * never shown to a customer. Attempts younger than `settleMs` are left out: their codes may still
 * be entered, and counting them would make a busy route look worse than a quiet one.
 */
import type { Db } from '../db/db-client.js';
import type { RouteBackfill } from './route-quality.js';

/** The window the router looks at. */
export interface RouteQualityWindow {
  /** How far back. Default 6 h. */
  lookbackMs: number;
  /** Skip the newest attempts, whose codes may still be entered. Default 10 min (a code's usual TTL). */
  settleMs: number;
}

export const DEFAULT_ROUTE_QUALITY_WINDOW: RouteQualityWindow = { lookbackMs: 6 * 3_600_000, settleMs: 10 * 60_000 };

export class RouteQualityRepository {
  constructor(private readonly db: Db) {}

  /** sent / verified per route over [now − lookback, now − settle); served by verification_attempts_recent (007). */
  async recentBackfill(now: Date, window: RouteQualityWindow = DEFAULT_ROUTE_QUALITY_WINDOW): Promise<Map<string, RouteBackfill>> {
    const rows = await this.db.query<{ route: string; sent: number; verified: number }>(
      `select route, count(sent_at) as sent, count(verified_at) filter (where sent_at is not null) as verified
         from verification_attempts
        where created_at >= $1 and created_at < $2 and route is not null
        group by route`,
      [new Date(now.getTime() - window.lookbackMs), new Date(now.getTime() - window.settleMs)],
    );
    return new Map(rows.map((r) => [r.route, { sent: Number(r.sent), verified: Number(r.verified) }]));
  }
}

/**
 * Keeps the router's figures fresh: `refresh()` is called on every cache-refresh tick of the
 * platform and queries at most once per `intervalMs` (the figures move slowly; the query is not free).
 */
export class RouteQualityRefresher {
  private lastAt = -Infinity;

  constructor(
    private readonly repo: RouteQualityRepository,
    private readonly apply: (stats: Map<string, RouteBackfill>) => void,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async refresh(): Promise<void> {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) return;
    this.lastAt = now;
    this.apply(await this.repo.recentBackfill(new Date(now)));
  }
}
