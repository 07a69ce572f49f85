/**
 * Reassembles concatenated mobile-originated messages. Parts are keyed by sender, recipient and
 * UDH reference; a message whose parts never all arrive is still handed on (with what arrived)
 * after `timeoutMs`, because dropping a customer's reply silently is worse than a gap in it.
 */
import type { ConcatInfo } from './udh-codec.js';

/** A complete (or timed-out partial) message. */
export interface ReassembledMo {
  from: string;
  to: string;
  text: string;
  /** False when emitted after the timeout with parts missing. */
  complete: boolean;
  receivedAt: Date;
}

interface OpenMessage {
  parts: Array<string | undefined>;
  received: number;
  firstAt: Date;
  timer: NodeJS.Timeout;
}

export class MoReassembler {
  private readonly open = new Map<string, OpenMessage>();

  constructor(
    private readonly timeoutMs: number,
    private readonly emit: (mo: ReassembledMo) => void,
  ) {}

  /** Adds one received part; single-part messages (no concat info) pass straight through. */
  push(from: string, to: string, text: string, concat: ConcatInfo | undefined, receivedAt = new Date()): void {
    if (!concat || concat.total === 1) {
      this.emit({ from, to, text, complete: true, receivedAt });
      return;
    }
    const key = `${from}\u0000${to}\u0000${concat.ref}\u0000${concat.total}`;
    let p = this.open.get(key);
    if (!p) {
      const timer = setTimeout(() => this.flush(key, false), this.timeoutMs);
      timer.unref();
      p = { parts: new Array(concat.total).fill(undefined), received: 0, firstAt: receivedAt, timer };
      this.open.set(key, p);
    }
    // A repeated part (SMSC redelivery after a lost resp) replaces, not double-counts.
    if (p.parts[concat.seq - 1] === undefined) p.received++;
    p.parts[concat.seq - 1] = text;
    if (p.received === concat.total) this.flush(key, true);
  }

  /** Emits every partial message now (used on stop). */
  flushAll(): void {
    for (const key of [...this.open.keys()]) this.flush(key, false);
  }

  private flush(key: string, complete: boolean): void {
    const p = this.open.get(key);
    if (!p) return;
    this.open.delete(key);
    clearTimeout(p.timer);
    const [from, to] = key.split('\u0000');
    this.emit({ from, to, text: p.parts.map((t) => t ?? '').join(''), complete, receivedAt: p.firstAt });
  }
}
