/**
 * A crowd of simulated end users for the demo: each one receives a verification code through a
 * simulated route (the SMSC simulator's `onAccepted` hook) and, if the message reached the handset,
 * types it back with a route-dependent probability after a human think time. This is what turns two
 * simulators into a backfill report worth reading: codes never delivered are never entered, and a
 * route whose messages arrive late or garbled (a mixed route) gets fewer codes back even when they
 * arrive.
 *
 * Every decision is drawn, per route, from a seeded generator in the order that route accepted its
 * submits, so a run's figures per route depend only on how many messages each route carried.
 */
import type { SimulatedDelivery } from '../channels/smpp/smsc-types.js';
import { seededRandom } from '../infra/seeded-random.js';

export interface SyntheticUserOptions {
  /** Per route (channel id): probability that someone who received the code enters it, 0–1. */
  entryProbability: Readonly<Record<string, number>>;
  /** Time between the code reaching the handset and it being typed in (ms), skewed towards quick. */
  thinkTimeMs: { min: number; max: number };
  /** Share of those entering the code who type a wrong one first, then the right one (default 0). */
  mistypeRatio?: number;
  seed?: number;
  /** The verification a destination's code belongs to; undefined while its start call has not answered yet. */
  verificationFor: (destination: string) => string | undefined;
  /** Enters a code (POST /v1/verifications/{id}/check); resolves with the verification's status. */
  check: (verificationId: string, code: string) => Promise<string>;
  onError?: (err: unknown) => void;
}

/** What the crowd did. */
export interface SyntheticUserStats {
  /** Messages the simulated routes accepted (a long message's parts count once). */
  received: number;
  /** Of those, delivered to the handset. */
  delivered: number;
  /** Users who decided to enter their code. */
  entering: number;
  /** Checks with a wrong code first. */
  mistyped: number;
  /** Checks answered approved. */
  approved: number;
  /** Checks of a right code answered otherwise (expired, …), or that failed. */
  notApproved: number;
  /** Messages with no code in them, or whose verification never became known. */
  lost: number;
}

/** The first run of 4–10 digits: the codes the verification API sends (minutes are 1–2 digits). */
export function extractCode(text: string): string | undefined {
  return /(?<!\d)(\d{4,10})(?!\d)/.exec(text)?.[1];
}

/** A code that is certainly wrong: the last digit moved by one. */
export function mistype(code: string): string {
  return code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);
}

/** FNV-1a: a route name to a seed offset, so each route has a sequence of its own. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const LOOKUP_RETRY_MS = 100;
const LOOKUP_ATTEMPTS = 100;

export class SyntheticUser {
  readonly stats: SyntheticUserStats = { received: 0, delivered: 0, entering: 0, mistyped: 0, approved: 0, notApproved: 0, lost: 0 };
  private readonly randoms = new Map<string, () => number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private busy = 0;
  private waiters: Array<() => void> = [];
  private stopped = false;
  /** Parts of long messages waiting for their siblings, by route, destination and reference. */
  private readonly partial = new Map<string, string[]>();

  constructor(private readonly opts: SyntheticUserOptions) {
    for (const [route, p] of Object.entries(opts.entryProbability)) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`entryProbability.${route} must be between 0 and 1, not ${p}`);
    }
    if (!(opts.thinkTimeMs.min >= 0 && opts.thinkTimeMs.max >= opts.thinkTimeMs.min)) throw new RangeError('thinkTimeMs needs 0 <= min <= max');
  }

  /** The hook for one route's simulator: `startSmscSimulator({ onAccepted: user.handsetsOf('demo-direct') })`. */
  handsetsOf(route: string): (d: SimulatedDelivery) => void {
    return (d) => this.received(route, d);
  }

  /** Users still to act (waiting to read or type, or a check in flight). */
  get pending(): number {
    return this.busy;
  }

  /** Resolves once every user who will act has acted. */
  idle(): Promise<void> {
    return this.busy === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Users who have not acted yet never will. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.busy = 0;
    this.settle();
  }

  private received(route: string, part: SimulatedDelivery): void {
    if (this.stopped) return;
    // A phone shows a long message once all its parts are in (they share one fate on a route).
    const d = this.assembled(route, part);
    if (!d) return;
    this.stats.received++;
    // Nobody can type a code that never reached the phone.
    if (d.stat !== 'DELIVRD') return;
    this.stats.delivered++;
    const random = this.randomOf(route);
    // Always four draws per delivered message, so one user's choices never shift the next one's.
    const [enter, think, typo, retype] = [random(), random(), random(), random()];
    if (enter >= (this.opts.entryProbability[route] ?? 0)) return;
    const code = extractCode(d.text);
    if (!code) {
      this.stats.lost++;
      return;
    }
    this.stats.entering++;
    const { min, max } = this.opts.thinkTimeMs;
    // Most people type the code within seconds; a few come back to it much later.
    const thinkMs = min + think * think * (max - min);
    const typesWrongFirst = typo < (this.opts.mistypeRatio ?? 0);
    this.busy++;
    this.after(d.delayMs + thinkMs, async () => {
      const id = await this.lookUp(d.destination);
      if (!id) {
        this.stats.lost++;
        return;
      }
      if (typesWrongFirst) {
        this.stats.mistyped++;
        await this.opts.check(id, mistype(code));
        await this.sleep(min + retype * (max - min) * 0.25);
      }
      const status = await this.opts.check(id, code);
      if (status === 'approved') this.stats.approved++;
      else this.stats.notApproved++;
    });
  }

  private assembled(route: string, d: SimulatedDelivery): SimulatedDelivery | undefined {
    if (!d.part || d.part.total <= 1) return d;
    const key = `${route}:${d.destination}:${d.part.ref}:${d.part.total}`;
    const texts = this.partial.get(key) ?? new Array<string>(d.part.total);
    texts[d.part.seq - 1] = d.text;
    if (texts.filter((t) => t !== undefined).length < d.part.total) {
      this.partial.set(key, texts);
      return undefined;
    }
    this.partial.delete(key);
    return { ...d, text: texts.join(''), part: undefined };
  }

  private randomOf(route: string): () => number {
    let r = this.randoms.get(route);
    if (!r) {
      r = seededRandom(((this.opts.seed ?? 1) ^ hash(route)) >>> 0);
      this.randoms.set(route, r);
    }
    return r;
  }

  /** The start call that sent this code may still be waiting for its answer. */
  private async lookUp(destination: string): Promise<string | undefined> {
    for (let i = 0; i < LOOKUP_ATTEMPTS && !this.stopped; i++) {
      const id = this.opts.verificationFor(destination);
      if (id) return id;
      await this.sleep(LOOKUP_RETRY_MS);
    }
    return undefined;
  }

  private after(ms: number, act: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      act()
        .catch((err) => {
          this.stats.notApproved++;
          this.opts.onError?.(err);
        })
        .finally(() => {
          if (this.stopped) return;
          this.busy--;
          this.settle();
        });
    }, ms);
    this.timers.add(timer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private settle(): void {
    if (this.busy > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
