/**
 * SIMULATOR rules: what the bundled WhatsApp Cloud API simulator does with a message, decided by
 * the destination number's last digit (deterministic, so tests and demos can pick an outcome), and
 * the two sending limits it enforces like Meta does.
 */

export type SimOutcome =
  /** On WhatsApp, read receipts on: sent → delivered → read. */
  | 'read'
  /** On WhatsApp, read receipts off: sent → delivered, never read. */
  | 'delivered'
  /** On WhatsApp but the handset never confirms: sent only. */
  | 'sent'
  /** Not on WhatsApp: accepted by the API, then `failed` with 131026. */
  | 'not_on_whatsapp'
  /** The API refuses the request at once (HTTP 400, 131009). */
  | 'rejected';

/** Last digit → outcome; the README's table is this one. */
export const SIM_RULES: ReadonlyArray<{ digits: string; outcome: SimOutcome; description: string }> = [
  { digits: '0–5', outcome: 'read', description: 'registered; sent, delivered, read' },
  { digits: '6', outcome: 'delivered', description: 'registered, read receipts off; sent, delivered (never read)' },
  { digits: '7', outcome: 'sent', description: 'registered, delivery never confirmed; sent only' },
  { digits: '8', outcome: 'not_on_whatsapp', description: 'not on WhatsApp; accepted, then failed with 131026' },
  { digits: '9', outcome: 'rejected', description: 'API error at once: HTTP 400, code 131009' },
];

export function simOutcome(to: string): SimOutcome {
  const last = to.replace(/\D/g, '').slice(-1);
  switch (last) {
    case '6': return 'delivered';
    case '7': return 'sent';
    case '8': return 'not_on_whatsapp';
    case '9': return 'rejected';
    default: return 'read';
  }
}

/** The statuses the simulator will report for an accepted message, in their natural order. */
export function statusesFor(outcome: Exclude<SimOutcome, 'rejected'>): Array<'sent' | 'delivered' | 'read' | 'failed'> {
  switch (outcome) {
    case 'read': return ['sent', 'delivered', 'read'];
    case 'delivered': return ['sent', 'delivered'];
    case 'sent': return ['sent'];
    case 'not_on_whatsapp': return ['failed'];
  }
}

/**
 * Messages per second per business number (Meta: 80 by default; 130429 beyond). A sliding
 * one-second window of accepted sends; `max` 0 switches it off.
 */
export class ThroughputLimit {
  private readonly times: number[] = [];

  constructor(private readonly max: number, private readonly now: () => number = Date.now) {}

  /** True (and counted) when one more message may go now. */
  take(): boolean {
    if (this.max <= 0) return true;
    const t = this.now();
    while (this.times.length && this.times[0] <= t - 1000) this.times.shift();
    if (this.times.length >= this.max) return false;
    this.times.push(t);
    return true;
  }
}

/**
 * Messages to the same user (Meta: about one per 6 s; 131056 beyond). `intervalMs` 0 switches it
 * off. Old entries are dropped as they expire, so memory follows the recent recipients only.
 */
export class PairRateLimit {
  private readonly last = new Map<string, number>();

  constructor(private readonly intervalMs: number, private readonly now: () => number = Date.now) {}

  take(user: string): boolean {
    if (this.intervalMs <= 0) return true;
    const t = this.now();
    const prev = this.last.get(user);
    if (prev !== undefined && t - prev < this.intervalMs) return false;
    this.last.set(user, t);
    if (this.last.size > 10_000) for (const [k, v] of this.last) if (t - v >= this.intervalMs) this.last.delete(k);
    return true;
  }
}

export { seededRandom } from '../../infra/seeded-random.js';
