/**
 * Fires items after a delay, one timer per time slot rather than one per item: at 10,000
 * messages a second, a timer per receipt costs more than the receipts themselves. Items may carry
 * delays of their own (a simulated route's receipts); they still share a timer per slot.
 */
export class DelayQueue<T> {
  private readonly batches = new Map<number, T[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /**
   * @param delayMs default delay before `onDue` sees an item (0: synchronously on push)
   * @param slotMs items due within the same slot share one timer (and fire up to slotMs late)
   */
  constructor(
    private readonly delayMs: number,
    private readonly slotMs: number,
    private readonly onDue: (items: T[]) => void,
  ) {}

  push(item: T, delayMs = this.delayMs): void {
    if (delayMs <= 0) {
      this.onDue([item]);
      return;
    }
    const due = Math.ceil((Date.now() + delayMs) / this.slotMs) * this.slotMs;
    const open = this.batches.get(due);
    if (open) {
      open.push(item);
      return;
    }
    const batch = [item];
    this.batches.set(due, batch);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.batches.delete(due);
      this.onDue(batch);
    }, due - Date.now());
    this.timers.add(timer);
  }

  /** Drops everything not yet due. */
  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.batches.clear();
  }
}
