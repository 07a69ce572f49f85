import type { Db } from '../db/db-client.js';

export interface SignatureView {
  name: string;
  extension: string | null;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
}

/** Signatures (【签名】) registered per account; only approved ones may send. */
export class SignatureRepository {
  private approvedCache = new Map<string, { names: string[]; until: number }>();

  constructor(private readonly db: Db, private readonly cacheMs = 5_000) {}

  /** Registers (or re-registers) a signature for review; it may send once approved. */
  async register(accountId: string, name: string, extension: string | null): Promise<SignatureView> {
    const [row] = await this.db.query(
      `insert into signatures (account_id, name, extension) values ($1, $2, $3)
       on conflict (account_id, name) do update set extension = excluded.extension, status = 'pending' returning *`,
      [accountId, name, extension],
    );
    this.approvedCache.delete(accountId);
    return view(row);
  }

  async setStatus(accountId: string, name: string, status: SignatureView['status']): Promise<SignatureView | undefined> {
    const [row] = await this.db.query('update signatures set status = $3 where account_id = $1 and name = $2 returning *', [accountId, name, status]);
    this.approvedCache.delete(accountId);
    return row ? view(row) : undefined;
  }

  async list(accountId: string): Promise<SignatureView[]> {
    return (await this.db.query('select * from signatures where account_id = $1 order by name', [accountId])).map(view);
  }

  async approvedNames(accountId: string): Promise<string[]> {
    const hit = this.approvedCache.get(accountId);
    if (hit && hit.until > Date.now()) return hit.names;
    const rows = await this.db.query<{ name: string }>(`select name from signatures where account_id = $1 and status = 'approved'`, [accountId]);
    const names = rows.map((r) => r.name);
    this.approvedCache.set(accountId, { names, until: Date.now() + this.cacheMs });
    return names;
  }
}

const view = (r: Record<string, unknown>): SignatureView => ({
  name: r.name as string,
  extension: (r.extension as string) ?? null,
  status: r.status as SignatureView['status'],
  createdAt: new Date(r.created_at as string).toISOString(),
});
