/**
 * Where the redirect finds a link: this process's LRU first (no I/O: most clicks answer
 * synchronously), then Redis (shared by every API process; the bulk generator writes each new
 * personalised link there, so a recipient's first click does not reach PostgreSQL either), then
 * PostgreSQL, whose answer fills both. Unknown codes are remembered briefly too, so a scanner
 * guessing codes costs one database read per code and minute, not one per request.
 *
 * Links never change after creation except by gaining a message id, which the redirect does not
 * use; expiry is checked on every click against the cached expiresAt.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { ResolvedLink } from './link.js';
import type { LinkRepository } from './link.repository.js';
import { Lru } from './lru.js';

const LOCAL_TTL_MS = 60_000;
const LOCAL_MISS_TTL_MS = 5_000;
const REDIS_TTL_S = 7 * 86_400;
const REDIS_MISS_TTL_S = 60;
/** An expired link keeps answering 410 from the cache for a day, then from the database. */
const EXPIRED_GRACE_S = 86_400;
const MISSING = '-';
/** Links per script call: ~1 ms of Redis time, short enough not to hold up other commands. */
const STORE_CHUNK = 1_000;
/** SET key value EX ttl for every key: KEYS[i] gets ARGV[2i-1] for ARGV[2i] seconds. */
const SET_MANY = "for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[i * 2 - 1], 'EX', ARGV[i * 2]) end return #KEYS";

export class LinkCache {
  private readonly local: Lru<ResolvedLink | null>;
  private readonly loading = new Map<string, Promise<ResolvedLink | null>>();

  constructor(private readonly opts: { redis: Redis; prefix: string; repo: Pick<LinkRepository, 'find'>; size: number; logger: Logger }) {
    this.local = new Lru(opts.size);
  }

  private key(code: string): string {
    return `${this.opts.prefix}:link:${code}`;
  }

  /** From memory only: the link, null when known not to exist, undefined when not cached. */
  peek(code: string, now = Date.now()): ResolvedLink | null | undefined {
    return this.local.get(code, now);
  }

  /** The link from memory, Redis or PostgreSQL; null when no link has this code. */
  resolve(code: string): Promise<ResolvedLink | null> {
    const cached = this.local.get(code);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.loading.get(code);
    if (!pending) {
      pending = this.load(code).finally(() => this.loading.delete(code));
      this.loading.set(code, pending);
    }
    return pending;
  }

  private async load(code: string): Promise<ResolvedLink | null> {
    const fromRedis = await this.opts.redis.get(this.key(code)).catch((err: Error) => {
      this.opts.logger.warn('link cache: Redis read failed; reading the database', { err: err.message });
      return undefined;
    });
    if (fromRedis === MISSING) return this.remember(code, null);
    if (fromRedis) return this.remember(code, JSON.parse(fromRedis) as ResolvedLink);
    const stored = await this.opts.repo.find(code);
    const link: ResolvedLink | null = stored
      ? { code: stored.code, accountId: stored.accountId, kind: stored.kind, targetUrl: stored.targetUrl, campaignId: stored.campaignId, card: stored.card, ...(stored.mms ? { mms: stored.mms } : {}), expiresAt: stored.expiresAt, recipient: stored.recipient }
      : null;
    await this.store([{ code, link }]).catch((err: Error) => this.opts.logger.warn('link cache: Redis write failed', { err: err.message }));
    return this.remember(code, link);
  }

  private remember(code: string, link: ResolvedLink | null): ResolvedLink | null {
    this.local.set(code, link, link ? LOCAL_TTL_MS : LOCAL_MISS_TTL_MS);
    return link;
  }

  private async store(entries: { code: string; link: ResolvedLink | null }[]): Promise<void> {
    const now = Date.now();
    const pipeline = this.opts.redis.pipeline();
    // One script call per STORE_CHUNK links: a SET per link costs the client more than Redis.
    for (let i = 0; i < entries.length; i += STORE_CHUNK) {
      const chunk = entries.slice(i, i + STORE_CHUNK);
      const args: (string | number)[] = [];
      for (const { link } of chunk) {
        if (!link) args.push(MISSING, REDIS_MISS_TTL_S);
        else args.push(JSON.stringify(link), link.expiresAt === null ? REDIS_TTL_S : Math.min(REDIS_TTL_S, Math.max(1, Math.ceil((link.expiresAt - now) / 1000) + EXPIRED_GRACE_S)));
      }
      pipeline.eval(SET_MANY, chunk.length, ...chunk.map((e) => this.key(e.code)), ...args);
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  /** Removes links from Redis and this process's memory (links of a send that was rolled back). */
  async forget(codes: readonly string[]): Promise<void> {
    for (const c of codes) this.local.delete(c);
    try {
      for (let i = 0; i < codes.length; i += STORE_CHUNK) await this.opts.redis.del(...codes.slice(i, i + STORE_CHUNK).map((c) => this.key(c)));
    } catch (err) {
      this.opts.logger.warn('link cache: Redis delete failed', { err: (err as Error).message, links: codes.length });
    }
  }

  /**
   * Puts new links into Redis (and this process's memory for single links), so that their first
   * clicks are answered without the database. Best effort: a Redis failure only costs a read later.
   */
  async warm(links: readonly ResolvedLink[]): Promise<void> {
    const CHUNK = 20_000;
    try {
      for (let i = 0; i < links.length; i += CHUNK) await this.store(links.slice(i, i + CHUNK).map((link) => ({ code: link.code, link })));
    } catch (err) {
      this.opts.logger.warn('link cache: warming Redis failed', { err: (err as Error).message, links: links.length });
    }
    // A send's thousands of links would only push hot ones out of the LRU; keep single links.
    if (links.length === 1) this.remember(links[0].code, links[0]);
  }
}
