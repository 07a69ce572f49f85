/**
 * Markers for hand-offs in progress: a message is marked just before the statement that makes it
 * `queued` and unmarked once its job is on a send queue. A marker still there minutes later means
 * the process died in between; the sweeper re-dispatches such messages (scheduler.ts), and the
 * workers' per-attempt claims keep that from ever sending twice.
 *
 * Kept in Redis, beside the queues themselves, rather than as an index on `messages.status`:
 * an index on the status would make every status update rewrite all of the table's indexes.
 */
import type { Redis } from 'ioredis';

export class HandoffMarkers {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string) {
    this.key = `${prefix}:handoff`;
  }

  async mark(ids: string[], at = Date.now()): Promise<void> {
    if (ids.length === 0) return;
    const args: Array<string | number> = [];
    for (const id of ids) args.push(at, id);
    await this.redis.zadd(this.key, ...args);
  }

  async clear(ids: string[]): Promise<void> {
    if (ids.length) await this.redis.zrem(this.key, ...ids);
  }

  /** Ids marked more than olderThanMs ago, oldest first. */
  async stale(olderThanMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key, '-inf', Date.now() - olderThanMs, 'LIMIT', 0, limit);
  }
}
