/** Per-account SMPP credentials (smpp_credentials, migration 005). */
import type { Category } from '../accounts/account.js';
import type { Db } from '../db/db-client.js';

/** What a bind is checked against and what its submits inherit. No password: see {@link SmppCredentialsRepository.passwordHash}. */
export interface SmppCredentials {
  systemId: string;
  accountId: string;
  maxBinds: number;
  submitsPerSecond: number;
  defaultCategory: Category;
  moViaSmpp: boolean;
  createdAt: string;
}

export type SmppCredentialsInput = Omit<SmppCredentials, 'accountId' | 'createdAt'>;

interface Row {
  system_id: string; account_id: string; password_hash: string; max_binds: number; submits_per_second: number;
  default_category: Category; mo_via_smpp: boolean; created_at: Date;
  [k: string]: unknown;
}

const toCredentials = (r: Row): SmppCredentials => ({
  systemId: r.system_id, accountId: r.account_id, maxBinds: r.max_binds, submitsPerSecond: r.submits_per_second,
  defaultCategory: r.default_category, moViaSmpp: r.mo_via_smpp, createdAt: r.created_at.toISOString(),
});

export class SmppCredentialsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Creates or replaces the credentials of `systemId` for this account. Returns undefined when the
   * system_id belongs to another account (system ids are global: a bind names only the system_id).
   */
  async upsert(accountId: string, input: SmppCredentialsInput, passwordHash: string): Promise<SmppCredentials | undefined> {
    const [row] = await this.db.query<Row>(
      `insert into smpp_credentials (system_id, account_id, password_hash, max_binds, submits_per_second, default_category, mo_via_smpp)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (system_id) do update set password_hash = excluded.password_hash, max_binds = excluded.max_binds,
         submits_per_second = excluded.submits_per_second, default_category = excluded.default_category, mo_via_smpp = excluded.mo_via_smpp
         where smpp_credentials.account_id = excluded.account_id
       returning *`,
      [input.systemId, accountId, passwordHash, input.maxBinds, input.submitsPerSecond, input.defaultCategory, input.moViaSmpp],
    );
    return row ? toCredentials(row) : undefined;
  }

  async listForAccount(accountId: string): Promise<SmppCredentials[]> {
    const rows = await this.db.query<Row>('select * from smpp_credentials where account_id = $1 order by system_id', [accountId]);
    return rows.map(toCredentials);
  }

  async remove(accountId: string, systemId: string): Promise<boolean> {
    const rows = await this.db.query('delete from smpp_credentials where account_id = $1 and system_id = $2 returning system_id', [accountId, systemId]);
    return rows.length > 0;
  }

  /** The credentials and stored hash for a bind attempt. */
  async forBind(systemId: string): Promise<{ credentials: SmppCredentials; passwordHash: string } | undefined> {
    const [row] = await this.db.query<Row>('select * from smpp_credentials where system_id = $1', [systemId]);
    return row ? { credentials: toCredentials(row), passwordHash: row.password_hash } : undefined;
  }

  /** The system_id MO replies of this account go to, when it takes MO over SMPP. */
  async moSystemId(accountId: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ system_id: string }>(
      'select system_id from smpp_credentials where account_id = $1 and mo_via_smpp order by created_at limit 1', [accountId]);
    return row?.system_id;
  }
}
