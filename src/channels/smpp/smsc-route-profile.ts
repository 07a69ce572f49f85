/**
 * A simulated upstream route for the SMSC simulator: instead of the destination's last digit, each
 * accepted submit is delivered with a probability and its receipt comes after a random delay, with
 * an optional slow tail. It is what makes two simulators look like a good direct route and a
 * mediocre mixed one (the demo, route-quality experiments). Draws come from a seeded generator, so
 * the k-th submit of a simulator gets the same outcome on every run.
 *
 * Outcome of one accepted submit:
 * - with probability `deliveredRatio`: `DELIVRD err:000`, after a delay drawn as below;
 * - otherwise, with probability `expiredShare`: `EXPIRED err:000`, at the slowest delay the profile
 *   allows (the SMSC gave up retrying at the end of the validity period);
 * - otherwise `UNDELIV err:001`, after a delay drawn as below.
 *
 * Delay: with probability `tail.ratio` uniform in (max, tail.maxMs] (the slow tail); otherwise
 * uniform in [min, max].
 *
 * The parts of one concatenated message share one draw ({@link RouteProfile.decide}): the route
 * delivers a message or loses it, so a long text is no likelier to fail than a short one.
 */
import type { ReceiptStat } from '../channel-adapter.js';
import { seededRandom } from '../../infra/seeded-random.js';
import type { ConcatInfo } from './udh-codec.js';

/** How a simulated route delivers. All delays in milliseconds. */
export interface SmscRouteProfile {
  /** Share of accepted submits that are delivered, 0–1. */
  deliveredRatio: number;
  /** Receipt delay of most messages: uniform in [min, max]. */
  receiptDelayMs: { min: number; max: number };
  /** This share (0–1) of receipts comes late: uniform in (receiptDelayMs.max, maxMs]. Default none. */
  tail?: { ratio: number; maxMs: number };
  /** Share (0–1) of the undelivered that expire (at the slowest delay) rather than fail at once. Default 0.25. */
  expiredShare?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
}

/** What the profile decided for one submit. */
export interface RouteDraw {
  stat: ReceiptStat;
  err: string;
  /** From the submit to the receipt (and to the handset, when delivered). */
  delayMs: number;
}

const ratio = (v: number | undefined, name: string) => {
  if (v !== undefined && !(v >= 0 && v <= 1)) throw new RangeError(`route profile: ${name} must be between 0 and 1, not ${v}`);
};

/** Throws a RangeError naming the field when the profile cannot be drawn from. */
export function validateRouteProfile(p: SmscRouteProfile): void {
  ratio(p.deliveredRatio, 'deliveredRatio');
  ratio(p.expiredShare, 'expiredShare');
  ratio(p.tail?.ratio, 'tail.ratio');
  const { min, max } = p.receiptDelayMs;
  if (!(min >= 0 && max >= min)) throw new RangeError(`route profile: receiptDelayMs needs 0 <= min <= max, not ${min}..${max}`);
  if (p.tail && !(p.tail.maxMs >= max)) throw new RangeError(`route profile: tail.maxMs must be at least receiptDelayMs.max (${max}), not ${p.tail.maxMs}`);
}

/** A drawer of outcomes for one route: call it once per accepted submit. */
export function routeProfileDrawer(p: SmscRouteProfile): () => RouteDraw {
  validateRouteProfile(p);
  const random = seededRandom(p.seed ?? 1);
  const { min, max } = p.receiptDelayMs;
  const tail = p.tail && p.tail.ratio > 0 ? p.tail : undefined;
  const slowest = tail?.maxMs ?? max;
  const expiredShare = p.expiredShare ?? 0.25;
  const delay = () => {
    // Always two draws per delay, so one outcome's shape never shifts the sequence of the next.
    const inTail = random() < (tail?.ratio ?? 0);
    const u = random();
    return Math.round(inTail ? max + (1 - u) * (slowest - max) : min + u * (max - min));
  };
  return () => {
    const outcome = random();
    const d = delay();
    if (outcome < p.deliveredRatio) return { stat: 'DELIVRD', err: '000', delayMs: d };
    if (random() < expiredShare) return { stat: 'EXPIRED', err: '000', delayMs: slowest };
    return { stat: 'UNDELIV', err: '001', delayMs: d };
  };
}

// Parts whose siblings never come must not pile up.
const MAX_OPEN_MESSAGES = 10_000;

/** A route's decisions per message: parts of one concatenated message get the same outcome. */
export class RouteProfile {
  private readonly draw: () => RouteDraw;
  private readonly open = new Map<string, { draw: RouteDraw; seen: number }>();

  constructor(profile: SmscRouteProfile) {
    this.draw = routeProfileDrawer(profile);
  }

  /**
   * @param message who the message goes to, as the SMSC would key a concatenated message
   *   (bind and destination); with `part`'s reference it identifies the message
   */
  decide(message: string, part: ConcatInfo | undefined): RouteDraw {
    if (!part || part.total <= 1) return this.draw();
    const key = `${message}:${part.ref}:${part.total}`;
    let entry = this.open.get(key);
    if (!entry) {
      if (this.open.size >= MAX_OPEN_MESSAGES) this.open.delete(this.open.keys().next().value!);
      entry = { draw: this.draw(), seen: 0 };
      this.open.set(key, entry);
    }
    if (++entry.seen >= part.total) this.open.delete(key);
    return entry.draw;
  }
}
