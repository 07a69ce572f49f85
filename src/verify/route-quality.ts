/**
 * Route quality for international OTP (DOMAIN.md §6): buyers judge a route by its backfill rate
 * (codes entered back ÷ codes sent), so a pool's weights can follow it. Pure; the recent figures
 * come from route-quality.repository.ts and the router applies the result when the account's
 * `backfillRouting` setting lists the category (off by default).
 */

/** Recent figures of one route (an SMS channel id, or `whatsapp`). */
export interface RouteBackfill {
  /** Codes that left the platform on this route. */
  sent: number;
  /** Of those, codes entered back (attempts credited with an approval). */
  verified: number;
}

/** Input per channel of the pool. */
export interface RouteQualityInput {
  channelId: string;
  /** Configured weight (possibly already adapted by success rate and latency); 0 stays 0. */
  baseWeight: number;
  /** Recent figures; absent = no data yet. */
  stats?: RouteBackfill;
}

/** Tuning knobs; every field has a default. */
export interface RouteQualityOptions {
  /** Weight of the prior, in attempts: a route needs about this many sends to move far. Default 100. */
  priorSamples?: number;
  /** Backfill rate assumed when the whole pool has no data. Default 0.7 (a "good" route). */
  defaultRate?: number;
  /** Exponent on the relative rate: 2 gives an 80 % route ~2.1× the share of a 55 % one. Default 2. */
  exponent?: number;
  /** Minimum share of the pool's total for every channel that is on. Default 0.05. */
  minShare?: number;
}

const DEFAULTS: Required<RouteQualityOptions> = { priorSamples: 100, defaultRate: 0.7, exponent: 2, minShare: 0.05 };

const count = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * New weights for a pool's channels from their recent backfill rates.
 *
 * 1. Prior: the pool's own rate, `p0 = (Σverified + d·n0) / (Σsent + n0)` over the channels that
 *    are on (`d` = defaultRate, `n0` = priorSamples), so a route is compared with its neighbours,
 *    and a pool without data starts from `d`.
 * 2. Each route's rate is smoothed towards it: `r = (verified + p0·n0) / (sent + n0)`. A route with
 *    a handful of attempts stays near `p0` instead of swinging to 0 % or 100 %; a new route starts
 *    at the pool's average rather than being favoured or starved.
 * 3. Raw weight `w = base · (r / p0)^k`: at the pool's average a route keeps its configured weight;
 *    better routes gain, worse ones lose, `k` sets how hard.
 * 4. Floor: every channel that is on gets at least `minShare` of the raw total, so a poor route
 *    keeps a trickle and can show that it recovered (never starved entirely).
 * 5. Scaled so the weights sum to the sum of the base weights (the operator's units).
 *
 * verified > sent (clock skew between windows) is capped at sent; negative or non-finite inputs
 * count as 0. Channels with base weight 0 stay 0.
 */
export function backfillWeights(channels: readonly RouteQualityInput[], opts: RouteQualityOptions = {}): Map<string, number> {
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULTS, ...defined } as Required<RouteQualityOptions>;
  const on = channels.filter((c) => count(c.baseWeight) > 0);
  const sentOf = (c: RouteQualityInput) => count(c.stats?.sent);
  const verifiedOf = (c: RouteQualityInput) => Math.min(count(c.stats?.verified), sentOf(c));

  const pooledSent = on.reduce((s, c) => s + sentOf(c), 0);
  const pooledVerified = on.reduce((s, c) => s + verifiedOf(c), 0);
  const prior = (pooledVerified + o.defaultRate * o.priorSamples) / (pooledSent + o.priorSamples);

  const raw = new Map<string, number>(channels.map((c) => [c.channelId, 0]));
  for (const c of on) {
    const rate = (verifiedOf(c) + prior * o.priorSamples) / (sentOf(c) + o.priorSamples);
    raw.set(c.channelId, count(c.baseWeight) * (prior > 0 ? (rate / prior) ** o.exponent : 1));
  }
  const rawTotal = [...raw.values()].reduce((s, w) => s + w, 0);
  const floor = o.minShare * rawTotal;
  const onIds = new Set(on.map((c) => c.channelId));
  const floored = new Map([...raw].map(([id, w]) => [id, onIds.has(id) ? Math.max(w, floor) : 0] as const));
  const flooredTotal = [...floored.values()].reduce((s, w) => s + w, 0);
  const baseTotal = on.reduce((s, c) => s + count(c.baseWeight), 0);
  const scale = flooredTotal > 0 ? baseTotal / flooredTotal : 0;
  return new Map([...floored].map(([id, w]) => [id, w * scale]));
}
