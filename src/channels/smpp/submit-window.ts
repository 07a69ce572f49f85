/**
 * Caps outstanding requests on one bind. SMSCs enforce a window per bind (and drop or throttle
 * binds that exceed it); node-smpp has none. The fast path takes a slot synchronously so the
 * common case allocates nothing.
 */
export class SubmitWindow {
  private used = 0;
  private readonly waiters: Array<() => void> = [];
  private head = 0;
  private idle: Array<() => void> = [];

  constructor(public readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window must be a positive integer, got ${size}`);
  }

  /** Slots currently held. */
  get inFlight(): number {
    return this.used;
  }

  /** Takes a slot if one is free. */
  tryAcquire(): boolean {
    if (this.used >= this.size) return false;
    this.used++;
    return true;
  }

  /** Resolves when a slot has been handed to the caller (FIFO). */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Returns a slot; hands it straight to the oldest waiter so no one can jump the queue. */
  release(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head];
      this.waiters[this.head++] = noop;
      // Compact occasionally instead of shift() on every release (O(n) on long queues).
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      next();
      return;
    }
    this.used--;
    if (this.used === 0 && this.idle.length > 0) {
      const idle = this.idle;
      this.idle = [];
      for (const cb of idle) cb();
    }
  }

  /** Resolves once no slot is held and nobody waits (used by graceful stop). */
  whenIdle(): Promise<void> {
    if (this.used === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}

function noop(): void {}
