/**
 * Moves clicks from the Redis stream into PostgreSQL (worker role). Reads with a consumer group:
 * an entry stays in the group's pending list until it is stored AND acknowledged, so a worker
 * that stops (or crashes) between reading and acknowledging loses nothing: another worker, or this
 * one after a restart, claims entries idle longer than `claimIdleMs` (XAUTOCLAIM) and stores them
 * again, which inserts nothing twice (click.repository.ts is idempotent per entry id).
 *
 * Acknowledged entries are deleted from the stream (XDEL): the stream only holds clicks not yet in
 * PostgreSQL. Entries PostgreSQL refuses as data (never expected: the redirect writes them) go to
 * a dead-letter stream `<stream>:dead` instead of blocking the rest.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { ClickRepository } from './click.repository.js';

export interface ClickAggregatorOptions {
  /** A connection of its own is made from this one (XREADGROUP blocks). */
  redis: Redis;
  streamKey: string;
  group?: string;
  consumer: string;
  repo: Pick<ClickRepository, 'insertEntries'>;
  logger: Logger;
  /** Entries pending this long on any consumer are taken over. */
  claimIdleMs: number;
  /** Entries per read (default BATCH_ENTRIES). */
  batchEntries?: number;
  blockMs?: number;
}

type Entry = [id: string, fields: string[]];

export const CLICK_GROUP = 'click-aggregators';
const RETRY_MS = [200, 500, 1_000, 2_000, 5_000];
const CONSUMER_IDLE_MS = 86_400_000;
/** Entries per read: each holds up to 1,000 clicks, typically a few dozen. */
const BATCH_ENTRIES = 10;
const GATHER_MS = 100;

export class ClickAggregator {
  private conn: Redis | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private lastClaim = 0;
  /** True while waiting in XREADGROUP … BLOCK: the only moment stop() may cut the connection. */
  private blocked = false;
  private readonly group: string;

  constructor(private readonly opts: ClickAggregatorOptions) {
    this.group = opts.group ?? CLICK_GROUP;
  }

  /** Creates the consumer group (from the stream's beginning) if it does not exist. */
  async ensureGroup(redis: Redis = this.opts.redis): Promise<void> {
    try {
      await redis.xgroup('CREATE', this.opts.streamKey, this.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!/BUSYGROUP/.test((err as Error).message)) throw err;
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.conn = this.opts.redis.duplicate();
    this.loop = this.run(this.conn);
  }

  async stop(): Promise<void> {
    this.running = false;
    // A blocked read is cut short (entries it was handed stay pending and are claimed later); a
    // batch being stored is finished and acknowledged first.
    if (this.blocked) this.conn?.disconnect();
    await this.loop;
    this.conn?.disconnect();
    this.conn = undefined;
  }

  private async run(conn: Redis): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.ensureGroup(conn);
        while (this.running) {
          const stored = await this.processOnce(conn, this.opts.blockMs ?? 1_000);
          failures = 0;
          // Caught up: let clicks gather for a moment, so that PostgreSQL gets fewer, larger
          // statements and the event loop (shared with the redirects) fewer interruptions.
          if (stored < (this.opts.batchEntries ?? BATCH_ENTRIES) && this.running) await new Promise((r) => setTimeout(r, GATHER_MS));
        }
      } catch (err) {
        if (!this.running) break;
        const delay = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
        this.opts.logger.warn('click aggregation failed; retrying', { err: (err as Error).message, retryInMs: delay });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /**
   * One round: take over entries other consumers left idle (at most every claimIdleMs / 2), then
   * read new ones (blocking up to blockMs) and store them. Returns how many entries were stored.
   */
  async processOnce(conn: Redis = this.opts.redis, blockMs = 0): Promise<number> {
    const count = this.opts.batchEntries ?? BATCH_ENTRIES;
    let stored = 0;
    if (Date.now() - this.lastClaim >= this.opts.claimIdleMs / 2) {
      this.lastClaim = Date.now();
      let cursor = '0-0';
      do {
        const [next, claimed] = (await conn.xautoclaim(this.opts.streamKey, this.group, this.opts.consumer, this.opts.claimIdleMs, cursor, 'COUNT', count)) as [string, (Entry | null)[]];
        const live = claimed.filter((e): e is Entry => e !== null && Array.isArray(e[1]));
        if (live.length) this.opts.logger.info('took over unacknowledged clicks', { entries: live.length });
        stored += await this.store(conn, live);
        cursor = next;
      } while (cursor !== '0-0' && this.running);
      await this.forgetIdleConsumers(conn);
    }
    const args: (string | number)[] = ['GROUP', this.group, this.opts.consumer, 'COUNT', count];
    if (blockMs > 0) args.push('BLOCK', blockMs);
    if (!this.running && blockMs > 0) return stored;
    this.blocked = blockMs > 0;
    let reply: [string, Entry[]][] | null;
    try {
      reply = (await (conn.xreadgroup as (...a: unknown[]) => Promise<unknown>)(...args, 'STREAMS', this.opts.streamKey, '>')) as [string, Entry[]][] | null;
    } finally {
      this.blocked = false;
    }
    if (reply) stored += await this.store(conn, reply[0][1]);
    return stored;
  }

  /** Every process start is a new consumer name: drop old ones with nothing pending, idle a day. */
  private async forgetIdleConsumers(conn: Redis): Promise<void> {
    const consumers = (await conn.xinfo('CONSUMERS', this.opts.streamKey, this.group)) as unknown[][];
    for (const c of consumers) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < c.length; i += 2) info.set(String(c[i]), c[i + 1]);
      const name = String(info.get('name'));
      if (name !== this.opts.consumer && Number(info.get('pending')) === 0 && Number(info.get('idle')) > CONSUMER_IDLE_MS) {
        await conn.xgroup('DELCONSUMER', this.opts.streamKey, this.group, name);
      }
    }
  }

  private async store(conn: Redis, entries: Entry[]): Promise<number> {
    if (!entries.length) return 0;
    const ids = entries.map((e) => e[0]);
    const payloads = entries.map((e) => fieldOf(e[1], 'c') ?? '[]');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.repo.insertEntries(ids, payloads);
        break;
      } catch (err) {
        // Two aggregators adding the same identities may deadlock; one of them is told to retry.
        if (isConflict(err) && attempt < 5) continue;
        if (!isDataError(err)) throw err;
        await this.storeOneByOne(conn, ids, payloads);
        break;
      }
    }
    await conn.multi().xack(this.opts.streamKey, this.group, ...ids).xdel(this.opts.streamKey, ...ids).exec();
    return entries.length;
  }

  /** A batch PostgreSQL refused as data: store the good entries, set the bad ones aside. */
  private async storeOneByOne(conn: Redis, ids: string[], payloads: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i++) {
      try {
        await this.opts.repo.insertEntries([ids[i]], [payloads[i]]);
      } catch (err) {
        if (!isDataError(err)) throw err;
        this.opts.logger.error('click entry refused by the database; moved to the dead-letter stream', { entryId: ids[i], err: (err as Error).message });
        await conn.xadd(`${this.opts.streamKey}:dead`, '*', 'id', ids[i], 'c', payloads[i], 'error', (err as Error).message);
      }
    }
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Deadlock or serialization failure: the same statement succeeds when run again. */
function isConflict(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '40P01' || code === '40001';
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): retrying cannot help. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
