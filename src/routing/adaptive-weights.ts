/**
 * Adaptive channel weights (DOMAIN.md §5): a channel's share follows its measured success rate
 * and latency, new channels start small, and only a channel that delivers (almost) nothing is
 * switched off.
 */

/** Measurements of one channel over a recent window whose reports have mostly settled. */
export interface ChannelStats {
  sent: number;
  delivered: number;
  failed: number;
  /** Median submit → delivery-report latency. */
  p50LatencyMs: number;
  /** Time since the channel entered the pool. */
  ageHours: number;
}

/** Input per channel. */
export interface ChannelWeightInput {
  channelId: string;
  /** Weight configured by an operator; 0 means disabled and stays 0. */
  baseWeight: number;
  stats: ChannelStats;
}

/** Tuning knobs; every field has a default. */
export interface AdaptiveWeightOptions {
  /** Success rate assumed before data arrives (prior mean). Default 0.9. */
  priorSuccessRate?: number;
  /** Weight of the prior, in messages. Default 50. */
  priorSamples?: number;
  /** Latency assumed before data arrives. Default = `latencyRefMs`. */
  priorLatencyMs?: number;
  /** Exponent on the success rate: higher punishes weak channels harder. Default 4. */
  successExponent?: number;
  /** Latency at which the latency factor is 1/2. Default 5000 ms. */
  latencyRefMs?: number;
  /** Samples after which a channel counts as established. Default 1000. */
  matureSamples?: number;
  /** Age after which a channel counts as established. Default 24 h. */
  matureHours?: number;
  /** Factor applied to a brand-new channel, growing linearly to 1 with maturity. Default 0.1. */
  newChannelFactor?: number;
  /** Smoothed success rate below which a channel gets weight 0. Default 0.05. */
  zeroSuccessRate?: number;
  /** Minimum share of the total for every channel not switched off. Default 0.01. */
  minShare?: number;
}

const DEFAULTS = {
  priorSuccessRate: 0.9,
  priorSamples: 50,
  successExponent: 4,
  latencyRefMs: 5000,
  matureSamples: 1000,
  matureHours: 24,
  newChannelFactor: 0.1,
  zeroSuccessRate: 0.05,
  minShare: 0.01,
};

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Computes new weights from the configured weights and recent statistics.
 *
 * For each channel:
 * - smoothed success `s = (delivered + p·n0) / (max(sent, delivered + failed) + n0)`: a Beta
 *   prior of `n0` messages at rate `p`, so a handful of samples cannot swing the share, and
 *   messages without a report count as not delivered (a channel that swallows messages loses);
 * - smoothed latency `L = (p50·sent + L0·n0) / (sent + n0)`;
 * - maturity `m = min(1, sent / matureSamples, ageHours / matureHours)`; a channel is new
 *   until it has BOTH enough samples and enough age;
 * - raw weight `w = base · s^k · ref / (ref + L) · (f + (1 − f)·m)` with `k` the success
 *   exponent and `f` the new-channel factor. `s^k` makes success dominate (0.95 → 0.81,
 *   0.8 → 0.41, 0.5 → 0.06); the latency factor halves at `ref` ms.
 * - channels with `s < zeroSuccessRate` (or base weight 0) get 0; the others get at least
 *   `minShare` of the raw total, so a weaker channel keeps a trickle and can prove it recovered.
 *
 * Weights are then scaled so their sum equals the sum of the base weights of the channels that
 * stay on, keeping the operator's units. The weight grows with the success rate and shrinks
 * with latency, all else equal.
 */
export function adjustWeights(channels: readonly ChannelWeightInput[], opts: AdaptiveWeightOptions = {}): Map<string, number> {
  // Explicit `undefined` in opts must not erase a default, hence no plain spread.
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULTS, ...defined } as typeof DEFAULTS;
  const priorLatencyMs = opts.priorLatencyMs ?? o.latencyRefMs;
  const raw = new Map<string, number>();
  let baseTotal = 0;

  for (const { channelId, baseWeight, stats } of channels) {
    const base = nonNegative(baseWeight);
    const sent = nonNegative(stats.sent);
    const delivered = nonNegative(stats.delivered);
    const resolved = Math.max(sent, delivered + nonNegative(stats.failed));
    const success = (delivered + o.priorSuccessRate * o.priorSamples) / (resolved + o.priorSamples);
    if (base === 0 || success < o.zeroSuccessRate) {
      raw.set(channelId, 0);
      continue;
    }
    const latency = (nonNegative(stats.p50LatencyMs) * sent + priorLatencyMs * o.priorSamples) / (sent + o.priorSamples);
    const maturity = Math.min(1, sent / o.matureSamples, nonNegative(stats.ageHours) / o.matureHours);
    const ramp = o.newChannelFactor + (1 - o.newChannelFactor) * maturity;
    raw.set(channelId, base * success ** o.successExponent * (o.latencyRefMs / (o.latencyRefMs + latency)) * ramp);
    baseTotal += base;
  }

  const rawTotal = [...raw.values()].reduce((sum, w) => sum + w, 0);
  const floor = o.minShare * rawTotal;
  const floored = new Map([...raw].map(([id, w]) => [id, w > 0 ? Math.max(w, floor) : 0] as const));
  const flooredTotal = [...floored.values()].reduce((sum, w) => sum + w, 0);
  const scale = flooredTotal > 0 ? baseTotal / flooredTotal : 0;
  return new Map([...floored].map(([id, w]) => [id, w * scale]));
}
