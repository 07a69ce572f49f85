/**
 * Blacklists and whitelists: PostgreSQL holds the records (the source of truth, with level and
 * source), Redis the hot copy the send path reads. Writes go to both; start-up reloads Redis.
 */
import type { Db } from '../db/db-client.js';
import { unsubscribeGroup, type BlacklistCache, type BlacklistLevel, type BlacklistSource, type WhitelistCache } from './blacklist.js';

const ACCOUNT_GROUP = 'unsubscribe';
const GLOBAL_SCOPE = '*';

/** Maps a stored (scope, group) to the cache's group name. */
const cacheGroup = (scope: string, group: string) => (scope === GLOBAL_SCOPE ? group : group === ACCOUNT_GROUP ? unsubscribeGroup(scope) : `${group}:${scope}`);

export class BlacklistService {
  constructor(private readonly db: Db, private readonly blacklist: BlacklistCache, private readonly whitelist: WhitelistCache) {}

  /** Rebuilds the Redis copies from PostgreSQL (at start-up). */
  async reload(): Promise<void> {
    const rows = await this.db.query<{ account_scope: string; group_name: string; number: string; level: BlacklistLevel; source: BlacklistSource }>(
      'select account_scope, group_name, number, level, source from blacklist_entries',
    );
    await this.blacklist.load(rows.map((r) => ({ group: cacheGroup(r.account_scope, r.group_name), e164: r.number, level: r.level, source: r.source })));
    const wl = await this.db.query<{ account_id: string; number: string }>('select account_id, number from whitelist_entries');
    await this.whitelist.load(wl.map((r) => ({ e164: r.number, accountId: r.account_id === GLOBAL_SCOPE ? undefined : r.account_id })));
  }

  async addGlobal(group: string, e164s: string[], level: BlacklistLevel, source: BlacklistSource): Promise<void> {
    await this.insert(GLOBAL_SCOPE, group, e164s, level, source);
  }

  async addToAccount(accountId: string, e164s: string[], source: BlacklistSource): Promise<void> {
    await this.insert(accountId, ACCOUNT_GROUP, e164s, 'low', source);
  }

  /** Mirrors a row another component already stored (MO unsubscribe) into the hot copy. */
  async cacheUnsubscribe(accountId: string, e164: string): Promise<void> {
    await this.blacklist.add({ group: unsubscribeGroup(accountId), e164, level: 'low', source: 'mo_unsubscribe' });
  }

  async removeFromAccount(accountId: string, e164: string): Promise<void> {
    await this.db.query('delete from blacklist_entries where account_scope = $1 and group_name = $2 and number = $3', [accountId, ACCOUNT_GROUP, e164]);
    await this.blacklist.remove(unsubscribeGroup(accountId), e164);
  }

  async removeGlobal(group: string, e164: string): Promise<void> {
    await this.db.query('delete from blacklist_entries where account_scope = $1 and group_name = $2 and number = $3', [GLOBAL_SCOPE, group, e164]);
    await this.blacklist.remove(group, e164);
  }

  async whitelistAdd(accountId: string | undefined, e164s: string[]): Promise<void> {
    await this.db.query(
      'insert into whitelist_entries (account_id, number) select $1, unnest($2::text[]) on conflict do nothing',
      [accountId ?? GLOBAL_SCOPE, e164s],
    );
    for (const e164 of e164s) await this.whitelist.add({ e164, accountId });
  }

  private async insert(scope: string, group: string, e164s: string[], level: BlacklistLevel, source: BlacklistSource): Promise<void> {
    await this.db.query(
      `insert into blacklist_entries (account_scope, group_name, number, level, source)
       select $1, $2, unnest($3::text[]), $4, $5
       on conflict (account_scope, group_name, number) do update set level = excluded.level, source = excluded.source`,
      [scope, group, e164s, level, source],
    );
    for (const e164 of e164s) await this.blacklist.add({ group: cacheGroup(scope, group), e164, level, source });
  }
}
