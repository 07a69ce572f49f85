/**
 * Fires items after a fixed delay, one timer per time slot rather than one per item: at 10,000
 * messages a second, a timer per receipt costs more than the receipts themselves.
 */
export class DelayQueue<T> {
  private batch: T[] | undefined;
  private batchDue = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  /**
   * @param delayMs delay before `onDue` sees an item (0: synchronously on push)
   * @param slotMs items due within the same slot share one timer (and fire up to slotMs late)
   */
  constructor(
    private readonly delayMs: number,
    private readonly slotMs: number,
    private readonly onDue: (items: T[]) => void,
  ) {}

  push(item: T): void {
    if (this.delayMs <= 0) {
      this.onDue([item]);
      return;
    }
    const due = Math.ceil((Date.now() + this.delayMs) / this.slotMs) * this.slotMs;
    if (this.batch && this.batchDue === due) {
      this.batch.push(item);
      return;
    }
    const batch = [item];
    this.batch = batch;
    this.batchDue = due;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.batch === batch) this.batch = undefined;
      this.onDue(batch);
    }, due - Date.now());
    this.timers.add(timer);
  }

  /** Drops everything not yet due. */
  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.batch = undefined;
  }
}
