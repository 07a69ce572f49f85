/**
 * A least-recently-used map with a time to live per entry, on a plain Map (insertion order is
 * recency: a hit moves the entry to the end, the first entry is the one to evict).
 */
export class Lru<V> {
  private readonly map = new Map<string, { value: V; until: number }>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  /** The live value, or undefined when absent or expired. */
  get(key: string, now = Date.now()): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.map.delete(key);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  has(key: string, now = Date.now()): boolean {
    const e = this.map.get(key);
    return e !== undefined && e.until > now;
  }

  set(key: string, value: V, ttlMs: number, now = Date.now()): void {
    this.map.delete(key);
    this.map.set(key, { value, until: now + ttlMs });
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}
