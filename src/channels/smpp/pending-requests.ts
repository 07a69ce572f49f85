/**
 * Requests awaiting a response on one session, with one shared deadline timer.
 *
 * Every request has the same timeout, so insertion order is deadline order: the timer only ever
 * needs to watch the oldest entry. That is one timer for the whole window instead of one
 * setTimeout per PDU.
 */
import type { ChannelError } from '../channel-adapter.js';

interface Pending<T> {
  deadline: number;
  resolve: (value: T) => void;
  reject: (error: ChannelError) => void;
}

export class PendingRequests<T> {
  private readonly entries = new Map<number, Pending<T>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly timeoutError: (sequence: number) => ChannelError,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Registers `sequence`; the promise settles with the response or a timeout error. */
  add(sequence: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.entries.set(sequence, { deadline: Date.now() + this.timeoutMs, resolve, reject });
      if (!this.timer) this.arm(this.timeoutMs);
    });
  }

  /** Settles the request with this sequence; false when none is waiting (late or unknown). */
  resolve(sequence: number, value: T): boolean {
    const p = this.entries.get(sequence);
    if (!p) return false;
    this.entries.delete(sequence);
    p.resolve(value);
    return true;
  }

  /** Fails one request (e.g. its write failed). */
  reject(sequence: number, error: ChannelError): void {
    const p = this.entries.get(sequence);
    if (!p) return;
    this.entries.delete(sequence);
    p.reject(error);
  }

  /** Fails every waiting request, e.g. on disconnect. */
  rejectAll(error: ChannelError): void {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.disarm();
    for (const p of all) p.reject(error);
  }

  /** Stops the timer; entries stay (call rejectAll to fail them). */
  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(this.sweep, Math.max(1, ms));
    // The socket keeps the process alive while it matters; the timer must not on its own.
    this.timer.unref();
  }

  private readonly sweep = (): void => {
    this.timer = undefined;
    const now = Date.now();
    for (const [sequence, p] of this.entries) {
      if (p.deadline > now) {
        this.arm(p.deadline - now);
        return;
      }
      this.entries.delete(sequence);
      p.reject(this.timeoutError(sequence));
    }
  };
}
