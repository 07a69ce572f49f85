/** Upstream channels (SMPP connections) and the per-account, per-category pools that use them. */
import type { Db } from '../db/db-client.js';
import type { Category } from '../accounts/account.js';

export interface ChannelConfig {
  id: string;
  name: string;
  kind: 'smpp';
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string | null;
  sourceAddress: string | null;
  windowSize: number;
  submitsPerSecond: number;
  carriers: string[];
  countries: string[];
  enabled: boolean;
  createdAt: Date;
}

export interface PoolEntry {
  channelId: string;
  weight: number;
  role: 'primary' | 'backup';
}

const toChannel = (r: Record<string, unknown>): ChannelConfig => ({
  id: r.id as string,
  name: r.name as string,
  kind: 'smpp',
  host: r.host as string,
  port: r.port as number,
  systemId: r.system_id as string,
  password: r.password as string,
  systemType: (r.system_type as string) ?? null,
  sourceAddress: (r.source_address as string) ?? null,
  windowSize: r.window_size as number,
  submitsPerSecond: r.submits_per_second as number,
  carriers: r.carriers as string[],
  countries: r.countries as string[],
  enabled: r.enabled as boolean,
  createdAt: new Date(r.created_at as string),
});

export type NewChannel = Omit<ChannelConfig, 'kind' | 'createdAt' | 'enabled' | 'systemType' | 'sourceAddress' | 'carriers' | 'countries' | 'windowSize' | 'submitsPerSecond'> &
  Partial<Pick<ChannelConfig, 'enabled' | 'systemType' | 'sourceAddress' | 'carriers' | 'countries' | 'windowSize' | 'submitsPerSecond'>>;

export class ChannelRepository {
  private poolCache = new Map<string, { entries: PoolEntry[]; until: number }>();

  constructor(private readonly db: Db, private readonly cacheMs = 5_000) {}

  async upsert(c: NewChannel): Promise<ChannelConfig> {
    const [row] = await this.db.query(
      `insert into channels (id, name, host, port, system_id, password, system_type, source_address, window_size,
         submits_per_second, carriers, countries, enabled)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
       on conflict (id) do update set name = excluded.name, host = excluded.host, port = excluded.port,
         system_id = excluded.system_id, password = excluded.password, system_type = excluded.system_type,
         source_address = excluded.source_address, window_size = excluded.window_size,
         submits_per_second = excluded.submits_per_second, carriers = excluded.carriers,
         countries = excluded.countries, enabled = excluded.enabled
       returning *`,
      [c.id, c.name, c.host, c.port, c.systemId, c.password, c.systemType ?? null, c.sourceAddress ?? null,
        c.windowSize ?? 100, c.submitsPerSecond ?? 1000, c.carriers ?? [], c.countries ?? [], c.enabled ?? true],
    );
    return toChannel(row);
  }

  async list(): Promise<ChannelConfig[]> {
    return (await this.db.query('select * from channels order by id')).map(toChannel);
  }

  async setPool(accountId: string, category: Category, entries: PoolEntry[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('delete from pool_channels where account_id = $1 and category = $2', [accountId, category]);
      for (const e of entries) {
        await tx.query('insert into pool_channels (account_id, category, channel_id, weight, role) values ($1,$2,$3,$4,$5)', [accountId, category, e.channelId, e.weight, e.role]);
      }
    });
    this.poolCache.clear();
  }

  /** The account's pool for a category; empty when the account has none (the platform default applies). */
  async pool(accountId: string, category: Category): Promise<PoolEntry[]> {
    const key = `${accountId}|${category}`;
    const hit = this.poolCache.get(key);
    if (hit && hit.until > Date.now()) return hit.entries;
    const rows = await this.db.query(
      `select p.channel_id, p.weight, p.role from pool_channels p join channels c on c.id = p.channel_id
        where p.account_id = $1 and p.category = $2 and c.enabled`,
      [accountId, category],
    );
    const entries = rows.map((r) => ({ channelId: r.channel_id as string, weight: r.weight as number, role: r.role as PoolEntry['role'] }));
    this.poolCache.set(key, { entries, until: Date.now() + this.cacheMs });
    return entries;
  }

  async pools(accountId: string): Promise<Array<PoolEntry & { category: Category }>> {
    const rows = await this.db.query('select * from pool_channels where account_id = $1 order by category, channel_id', [accountId]);
    return rows.map((r) => ({ category: r.category as Category, channelId: r.channel_id as string, weight: r.weight as number, role: r.role as PoolEntry['role'] }));
  }
}
