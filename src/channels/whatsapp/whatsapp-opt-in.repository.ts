/**
 * Per-account WhatsApp opt-ins: a business may message a user on WhatsApp only after the user
 * agreed (Meta's policy; some customers forbid WhatsApp outright). Withdrawing keeps the row, with
 * both times and sources, as the record of consent.
 */
import { dateOrNull, type Db } from '../../db/db-client.js';

export interface WhatsAppOptIn {
  number: string;
  optedIn: boolean;
  optedInAt: Date;
  source: string;
  optedOutAt: Date | null;
  optOutSource: string | null;
  updatedAt: Date;
}

type Row = Record<string, unknown>;

const toOptIn = (r: Row): WhatsAppOptIn => ({
  number: r.number as string,
  optedIn: r.opted_out_at == null,
  optedInAt: new Date(r.opted_in_at as string),
  source: r.source as string,
  optedOutAt: dateOrNull(r.opted_out_at),
  optOutSource: (r.opt_out_source as string) ?? null,
  updatedAt: new Date(r.updated_at as string),
});

export class WhatsAppOptInRepository {
  constructor(private readonly db: Db) {}

  /** Records (or renews) consent; a withdrawn opt-in becomes active again. */
  async record(accountId: string, number: string, source: string, at: Date): Promise<WhatsAppOptIn> {
    const [row] = await this.db.query(
      `insert into whatsapp_opt_ins (account_id, number, opted_in_at, source, updated_at) values ($1, $2, $3, $4, $3)
       on conflict (account_id, number) do update
         set opted_in_at = excluded.opted_in_at, source = excluded.source, opted_out_at = null, opt_out_source = null, updated_at = excluded.updated_at
       returning *`,
      [accountId, number, at, source],
    );
    return toOptIn(row);
  }

  /** Withdraws consent; a second withdrawal keeps the first one's time. Undefined when never opted in. */
  async withdraw(accountId: string, number: string, source: string, at: Date): Promise<WhatsAppOptIn | undefined> {
    const [row] = await this.db.query(
      `update whatsapp_opt_ins set opted_out_at = coalesce(opted_out_at, $3), opt_out_source = coalesce(opt_out_source, $4), updated_at = $3
        where account_id = $1 and number = $2
        returning *`,
      [accountId, number, at, source],
    );
    return row ? toOptIn(row) : undefined;
  }

  async get(accountId: string, number: string): Promise<WhatsAppOptIn | undefined> {
    const [row] = await this.db.query('select * from whatsapp_opt_ins where account_id = $1 and number = $2', [accountId, number]);
    return row ? toOptIn(row) : undefined;
  }

  /** The account that most recently received consent from this number (inbound attribution). */
  async lastAccountFor(number: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ account_id: string }>(
      'select account_id from whatsapp_opt_ins where number = $1 and opted_out_at is null order by opted_in_at desc limit 1', [number]);
    return row?.account_id;
  }
}
