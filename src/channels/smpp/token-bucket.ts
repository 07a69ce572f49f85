/**
 * Token bucket for a contracted submit rate. The burst is a tenth of a second's worth so a bind
 * never exceeds its rate over any window an SMSC is likely to measure (usually one second).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    private readonly ratePerSecond: number,
    burst = Math.max(1, Math.ceil(ratePerSecond / 10)),
    private readonly now: () => number = Date.now,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.capacity = burst;
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.ratePerSecond) / 1000);
      this.last = t;
    }
  }

  /** Takes a token if one is available now (servers rejecting over-rate traffic). */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Reserves the next token and returns how many ms to wait before using it (0 = now).
   * Reservations may drive the balance negative, which queues callers in order without polling.
   */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
  }
}
