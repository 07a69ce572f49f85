/**
 * Hot copies of the blacklist and whitelist in Redis (DOMAIN.md §4). PostgreSQL is the source of
 * truth: write there first, then mirror here with `add`/`remove`, and `load` periodically to
 * repair drift (e.g. an `add` that raced a `load` of the same group).
 *
 * Layout (standalone Redis; keys of one check span several slots, so no Cluster):
 * - `<prefix>bl:<group>`: hash, field E.164 → `<level>|<source>`; HMGET answers membership and
 *   level in one command per group.
 * - `<prefix>bl:groups`: set of loaded group names, so a full `load` can drop vanished groups.
 * - `<prefix>wl:global`, `<prefix>wl:acct:<accountId>`: sets of whitelisted numbers.
 */
import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';

/** Professional complainers are `high`, ordinary complainers `low`. */
export type BlacklistLevel = 'high' | 'low';
/** Where a blacklist entry came from. */
export type BlacklistSource = 'channel_complaint' | 'customer' | 'mo_unsubscribe' | 'operator';

/** One number in one group. */
export interface BlacklistEntry {
  /** Group name: global (no colon) or account-scoped `<kind>:<accountId>` (see {@link groupOwner}). */
  group: string;
  e164: string;
  level: BlacklistLevel;
  source: BlacklistSource;
}

/** Why a number is blocked. */
export interface BlacklistHit {
  group: string;
  level: BlacklistLevel;
  source: BlacklistSource;
}

/** Name of the account's unsubscribe group, fed by MO replies of `R`. */
export function unsubscribeGroup(accountId: string): string {
  return `unsub:${accountId}`;
}

/** Owning account of an account-scoped group (`<kind>:<accountId>`), or null for a global group. */
export function groupOwner(group: string): string | null {
  const colon = group.indexOf(':');
  return colon < 0 ? null : group.slice(colon + 1);
}

/** Connection options shared by the caches. */
export interface ListCacheOptions {
  /** Standalone Redis client. */
  redis: Redis;
  /** Prepended to every key. */
  keyPrefix: string;
}

// Bounds the size of single commands (and so Redis latency spikes) for big batches and loads;
// all chunks still travel in one pipeline.
const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function execOrThrow(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  const failure = results.find(([err]) => err);
  if (failure) throw failure[0];
  return results.map(([, value]) => value);
}

function encode(entry: BlacklistEntry): string {
  return `${entry.level}|${entry.source}`;
}

function decode(group: string, value: string): BlacklistHit {
  const [level, source] = value.split('|');
  return { group, level: level as BlacklistLevel, source: source as BlacklistSource };
}

/** Redis hot copy of the blacklist groups. */
export class BlacklistCache {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: ListCacheOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix;
  }

  private groupKey(group: string): string {
    return `${this.prefix}bl:${group}`;
  }

  private get registryKey(): string {
    return `${this.prefix}bl:groups`;
  }

  /**
   * Replaces the whole cache with `entries`: each group is rebuilt under a temporary key and
   * swapped in with RENAME, so readers never see a half-loaded group; groups loaded before but
   * absent now are deleted.
   */
  async load(entries: readonly BlacklistEntry[]): Promise<void> {
    const byGroup = new Map<string, BlacklistEntry[]>();
    for (const entry of entries) {
      const list = byGroup.get(entry.group);
      if (list) list.push(entry);
      else byGroup.set(entry.group, [entry]);
    }
    for (const [group, groupEntries] of byGroup) await this.replaceGroup(group, groupEntries);
    const previous = await this.redis.smembers(this.registryKey);
    const stale = previous.filter((group) => !byGroup.has(group));
    for (const group of stale) await this.removeGroup(group);
  }

  /** Atomically replaces one group's contents (e.g. after editing it in PostgreSQL). */
  async replaceGroup(group: string, entries: readonly BlacklistEntry[]): Promise<void> {
    if (entries.length === 0) return this.removeGroup(group);
    const temp = `${this.groupKey(group)}:loading:${randomUUID()}`;
    const pipeline = this.redis.pipeline();
    for (const chunk of chunks(entries)) pipeline.hset(temp, ...chunk.flatMap((e) => [e.e164, encode(e)]));
    pipeline.rename(temp, this.groupKey(group));
    pipeline.sadd(this.registryKey, group);
    await execOrThrow(pipeline);
  }

  /** Adds or updates one entry (last write wins for the level and source). */
  async add(entry: BlacklistEntry): Promise<void> {
    await execOrThrow(
      this.redis.pipeline().hset(this.groupKey(entry.group), entry.e164, encode(entry)).sadd(this.registryKey, entry.group),
    );
  }

  /** Removes a number from a group. */
  async remove(group: string, e164: string): Promise<void> {
    await this.redis.hdel(this.groupKey(group), e164);
  }

  /** Deletes a whole group. */
  async removeGroup(group: string): Promise<void> {
    await execOrThrow(this.redis.pipeline().del(this.groupKey(group)).srem(this.registryKey, group));
  }

  /**
   * Looks up many numbers in the account's enabled groups in one round trip.
   *
   * Groups scoped to another account are ignored, so a misconfigured account cannot read (or be
   * blocked by) another tenant's lists. When a number is in several groups the hit reported is
   * the first `high` one in `enabledGroups` order, else the first `low` one.
   *
   * @returns only the blocked numbers, keyed by E.164
   */
  async checkBatch(accountId: string, e164s: readonly string[], enabledGroups: readonly string[]): Promise<Map<string, BlacklistHit>> {
    const hits = new Map<string, BlacklistHit>();
    const groups = enabledGroups.filter((group) => {
      const owner = groupOwner(group);
      return owner === null || owner === accountId;
    });
    const numbers = [...new Set(e164s)];
    if (groups.length === 0 || numbers.length === 0) return hits;

    const numberChunks = chunks(numbers);
    const pipeline = this.redis.pipeline();
    for (const group of groups) {
      for (const chunk of numberChunks) pipeline.hmget(this.groupKey(group), ...chunk);
    }
    const replies = await execOrThrow(pipeline);

    let reply = 0;
    for (const group of groups) {
      for (const chunk of numberChunks) {
        const values = replies[reply++] as (string | null)[];
        values.forEach((value, i) => {
          if (value === null) return;
          const existing = hits.get(chunk[i]);
          if (!existing || (existing.level === 'low' && value.startsWith('high|'))) hits.set(chunk[i], decode(group, value));
        });
      }
    }
    return hits;
  }
}

/** A whitelisted (test or alarm) number: global when `accountId` is absent. */
export interface WhitelistEntry {
  e164: string;
  accountId?: string;
}

/** Redis hot copy of the whitelists; whitelisted numbers bypass frequency caps. */
export class WhitelistCache {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: ListCacheOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix;
  }

  private scopeKey(accountId?: string): string {
    return accountId === undefined ? `${this.prefix}wl:global` : `${this.prefix}wl:acct:${accountId}`;
  }

  private get registryKey(): string {
    return `${this.prefix}wl:scopes`;
  }

  /** Replaces the whole cache with `entries` (same swap-in strategy as {@link BlacklistCache.load}). */
  async load(entries: readonly WhitelistEntry[]): Promise<void> {
    const byKey = new Map<string, string[]>();
    for (const entry of entries) {
      const key = this.scopeKey(entry.accountId);
      const list = byKey.get(key);
      if (list) list.push(entry.e164);
      else byKey.set(key, [entry.e164]);
    }
    const pipeline = this.redis.pipeline();
    for (const [key, numbers] of byKey) {
      const temp = `${key}:loading:${randomUUID()}`;
      for (const chunk of chunks(numbers)) pipeline.sadd(temp, ...chunk);
      pipeline.rename(temp, key);
      pipeline.sadd(this.registryKey, key);
    }
    await execOrThrow(pipeline);
    const previous = await this.redis.smembers(this.registryKey);
    const stale = previous.filter((key) => !byKey.has(key));
    if (stale.length > 0) await execOrThrow(this.redis.pipeline().del(...stale).srem(this.registryKey, ...stale));
  }

  /** Whitelists a number globally or for one account. */
  async add(entry: WhitelistEntry): Promise<void> {
    const key = this.scopeKey(entry.accountId);
    await execOrThrow(this.redis.pipeline().sadd(key, entry.e164).sadd(this.registryKey, key));
  }

  /** Removes a number from the global or one account's whitelist. */
  async remove(entry: WhitelistEntry): Promise<void> {
    await this.redis.srem(this.scopeKey(entry.accountId), entry.e164);
  }

  /** Numbers of `e164s` whitelisted globally or for the account, in one round trip. */
  async checkBatch(accountId: string, e164s: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const numberChunks = chunks([...new Set(e164s)]);
    if (numberChunks.length === 0) return found;
    const pipeline = this.redis.pipeline();
    for (const key of [this.scopeKey(), this.scopeKey(accountId)]) {
      for (const chunk of numberChunks) pipeline.smismember(key, ...chunk);
    }
    const replies = await execOrThrow(pipeline);
    replies.forEach((reply, r) => {
      const chunk = numberChunks[r % numberChunks.length];
      (reply as number[]).forEach((member, i) => {
        if (member === 1) found.add(chunk[i]);
      });
    });
    return found;
  }
}
