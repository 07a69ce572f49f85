import { nanoid } from 'nanoid';
import type { Db, Queryable } from '../db/db-client.js';
import { generateApiKey } from './api-keys.js';
import { DEFAULT_SETTINGS, withDefaults, type Account, type AccountSettings, type Category, type ChargingMode } from './account.js';
import { randomBytes } from 'node:crypto';

interface AccountRow {
  id: string; name: string; status: Account['status']; ip_allowlist: string[]; categories: Category[];
  billing_type: Account['billingType']; charging_mode: ChargingMode; balance_millis: number;
  price_per_part_millis: number; callback_url: string | null; callback_secret: string;
  callback_rate_per_s: number; report_mode: Account['reportMode']; extension: string | null;
  settings: Partial<AccountSettings>;
  [k: string]: unknown;
}

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  name: r.name,
  status: r.status,
  ipAllowlist: r.ip_allowlist,
  categories: r.categories,
  billingType: r.billing_type,
  chargingMode: r.charging_mode,
  balanceMillis: r.balance_millis,
  pricePerPartMillis: r.price_per_part_millis,
  callbackUrl: r.callback_url,
  callbackSecret: r.callback_secret,
  callbackRatePerS: r.callback_rate_per_s,
  reportMode: r.report_mode,
  extension: r.extension,
  settings: withDefaults(r.settings),
});

export interface NewAccount {
  name: string;
  ipAllowlist?: string[];
  categories?: Category[];
  billingType?: Account['billingType'];
  chargingMode?: ChargingMode;
  pricePerPartMillis?: number;
  callbackUrl?: string | null;
  callbackRatePerS?: number;
  reportMode?: Account['reportMode'];
  extension?: string | null;
  settings?: Partial<AccountSettings>;
  status?: Account['status'];
}

export class AccountRepository {
  constructor(private readonly db: Db) {}

  /** Creates the account and its first API key; the key is returned once and only its hash is kept. */
  async create(input: NewAccount): Promise<{ account: Account; apiKey: string }> {
    const id = 'acc_' + nanoid(12);
    const key = generateApiKey();
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<AccountRow>(
        `insert into accounts (id, name, ip_allowlist, categories, billing_type, charging_mode, price_per_part_millis,
           callback_url, callback_secret, callback_rate_per_s, report_mode, extension, settings)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) returning *`,
        [id, input.name, input.ipAllowlist ?? [], input.categories ?? ['otp', 'notification', 'marketing'],
          input.billingType ?? 'prepaid', input.chargingMode ?? 'submit', input.pricePerPartMillis ?? 35,
          input.callbackUrl ?? null, randomBytes(24).toString('base64url'), input.callbackRatePerS ?? 200,
          input.reportMode ?? 'push', input.extension ?? null, JSON.stringify(input.settings ?? {})],
      );
      await insertKey(tx, id, key);
      return { account: toAccount(row), apiKey: key.key };
    });
  }

  async rotateKey(accountId: string): Promise<string> {
    const key = generateApiKey();
    await this.db.transaction(async (tx) => {
      await tx.query('update api_keys set revoked_at = now() where account_id = $1 and revoked_at is null', [accountId]);
      await insertKey(tx, accountId, key);
    });
    return key.key;
  }

  async findByKeyHash(hash: string): Promise<Account | undefined> {
    const [row] = await this.db.query<AccountRow>(
      `select a.* from api_keys k join accounts a on a.id = k.account_id
        where k.key_hash = $1 and k.revoked_at is null`,
      [hash],
    );
    return row ? toAccount(row) : undefined;
  }

  /**
   * The account while its key with this public prefix is unrevoked: a console session names the key it
   * was opened with, so rotating the key ends every console session opened with the old one.
   */
  async findByIdWithActiveKey(id: string, keyPrefix: string): Promise<Account | undefined> {
    const [row] = await this.db.query<AccountRow>(
      `select a.* from accounts a
        where a.id = $1 and exists (select 1 from api_keys k where k.account_id = a.id and k.prefix = $2 and k.revoked_at is null)`,
      [id, keyPrefix],
    );
    return row ? toAccount(row) : undefined;
  }

  async findById(id: string): Promise<Account | undefined> {
    const [row] = await this.db.query<AccountRow>('select * from accounts where id = $1', [id]);
    return row ? toAccount(row) : undefined;
  }

  /** Per account, the two report settings the receipt path reads for every receipt. */
  async reportFlags(): Promise<Map<string, { perMessage: boolean; mayResend: boolean }>> {
    const rows = await this.db.query<{ id: string; per: boolean; cap: number }>(
      `select id, coalesce((settings->>'reportPerMessage')::boolean, false) as per,
              coalesce((settings->>'dailyResendCap')::int, $1) as cap from accounts`,
      [DEFAULT_SETTINGS.dailyResendCap],
    );
    return new Map(rows.map((r) => [r.id, { perMessage: r.per, mayResend: r.cap > 0 }]));
  }

  async findByExtension(extension: string): Promise<Account | undefined> {
    const [row] = await this.db.query<AccountRow>('select * from accounts where extension = $1', [extension]);
    return row ? toAccount(row) : undefined;
  }

  async findByExtensionPrefix(address: string): Promise<Account | undefined> {
    // The longest registered extension that the MO's destination address ends with wins.
    const [row] = await this.db.query<AccountRow>(
      `select * from accounts where extension is not null and $1 like '%' || extension
        order by length(extension) desc limit 1`,
      [address],
    );
    return row ? toAccount(row) : undefined;
  }

  async update(id: string, patch: Partial<NewAccount>): Promise<Account | undefined> {
    const current = await this.findById(id);
    if (!current) return undefined;
    const settings = { ...current.settings, ...(patch.settings ?? {}) };
    const [row] = await this.db.query<AccountRow>(
      `update accounts set name = $2, ip_allowlist = $3, categories = $4, charging_mode = $5, price_per_part_millis = $6,
         callback_url = $7, callback_rate_per_s = $8, report_mode = $9, extension = $10, settings = $11, billing_type = $12,
         status = $13
       where id = $1 returning *`,
      [id, patch.name ?? current.name, patch.ipAllowlist ?? current.ipAllowlist, patch.categories ?? current.categories,
        patch.chargingMode ?? current.chargingMode, patch.pricePerPartMillis ?? current.pricePerPartMillis,
        patch.callbackUrl !== undefined ? patch.callbackUrl : current.callbackUrl,
        patch.callbackRatePerS ?? current.callbackRatePerS, patch.reportMode ?? current.reportMode,
        patch.extension !== undefined ? patch.extension : current.extension, JSON.stringify(settings),
        patch.billingType ?? current.billingType, patch.status ?? current.status],
    );
    return row ? toAccount(row) : undefined;
  }

  async topUp(id: string, amountMillis: number, reason: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ balance_millis: number }>(
        'update accounts set balance_millis = balance_millis + $2 where id = $1 returning balance_millis',
        [id, amountMillis],
      );
      await tx.query(`insert into ledger (account_id, kind, amount_millis, reason) values ($1, 'topup', $2, $3)`, [id, amountMillis, reason]);
      return row.balance_millis;
    });
  }
}

async function insertKey(tx: Queryable, accountId: string, key: { hash: string; prefix: string }) {
  await tx.query('insert into api_keys (id, account_id, key_hash, prefix) values ($1,$2,$3,$4)', ['key_' + nanoid(12), accountId, key.hash, key.prefix]);
}
