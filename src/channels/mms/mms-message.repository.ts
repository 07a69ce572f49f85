/**
 * SQL for multimedia messages. Storing a message and paying for it is one statement: the row, and
 * for a prepaid account the balance debit and its ledger line, all conditional on the balance
 * covering the price (nothing is stored otherwise). A step reference is unique: a second insert
 * with the same stepRef stores nothing and the caller reads the first message. Status changes
 * append to `history` in the same UPDATE and only move forward (a final status is never replaced).
 */
import type { ChargingMode } from '../../accounts/account.js';
import { isoOrNull, type Db } from '../../db/db-client.js';
import type { SlideMediaReport } from './mms-compose.js';
import type { MmsProfileId } from './mms-profiles.js';

export const MMS_MESSAGE_STATUSES = ['pending', 'accepted', 'delivered', 'failed'] as const;
export type MmsMessageStatus = (typeof MMS_MESSAGE_STATUSES)[number];

export interface MmsStatusEntry {
  status: MmsMessageStatus;
  at: string;
  code: string | null;
  detail: string | null;
}

export interface MmsSlideSizes {
  textBytes: number;
  media: SlideMediaReport[];
}

export interface MmsMessage {
  id: string;
  accountId: string;
  to: string;
  category: string;
  templateId: string | null;
  profile: MmsProfileId;
  subject: string;
  status: MmsMessageStatus;
  errorCode: string | null;
  providerCode: string | null;
  errorMessage: string | null;
  providerMessageId: string | null;
  stepRef: string | null;
  totalBytes: number;
  slides: MmsSlideSizes[];
  costMillis: number;
  refundedMillis: number;
  history: MmsStatusEntry[];
  createdAt: string;
  doneAt: string | null;
}

export type NewMmsMessage = Pick<MmsMessage, 'id' | 'accountId' | 'to' | 'category' | 'templateId' | 'profile' | 'subject' | 'stepRef' | 'totalBytes' | 'slides' | 'costMillis'>;

const toView = (r: Record<string, unknown>): MmsMessage => ({
  id: r.id as string, accountId: r.account_id as string, to: r.to_number as string, category: r.category as string,
  templateId: (r.template_id as string) ?? null, profile: r.profile as MmsProfileId, subject: r.subject as string,
  status: r.status as MmsMessageStatus, errorCode: (r.error_code as string) ?? null, providerCode: (r.provider_code as string) ?? null,
  errorMessage: (r.error_message as string) ?? null, providerMessageId: (r.provider_message_id as string) ?? null,
  stepRef: (r.step_ref as string) ?? null, totalBytes: r.total_bytes as number, slides: r.slides as MmsSlideSizes[],
  costMillis: Number(r.cost_millis), refundedMillis: Number(r.refunded_millis), history: r.history as MmsStatusEntry[],
  createdAt: isoOrNull(r.created_at)!, doneAt: isoOrNull(r.done_at),
});

const entry = (status: string, code = 'null', detail = 'null') =>
  `history = history || jsonb_build_array(jsonb_build_object('status', ${status}::text, 'at', now()::text, 'code', ${code}::text, 'detail', ${detail}::text))`;

export type InsertOutcome = { kind: 'stored'; message: MmsMessage } | { kind: 'step_exists'; message: MmsMessage } | { kind: 'insufficient_balance' };

export class MmsMessageRepository {
  constructor(private readonly db: Db) {}

  /** Stores a pending message and, for a prepaid account, debits its price. */
  async insert(m: NewMmsMessage, prepaid: boolean): Promise<InsertOutcome> {
    const rows = await this.db.query(
      `with ok as (
         ${prepaid ? `update accounts set balance_millis = balance_millis - $11 where id = $2 and balance_millis >= $11 returning 1 as x` : 'select 1 as x'}
       ), msg as (
         insert into mms_messages (id, account_id, to_number, category, template_id, profile, subject, status, step_ref, total_bytes, slides, cost_millis, history)
         select $1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10::jsonb, $11,
                jsonb_build_array(jsonb_build_object('status', 'pending', 'at', now()::text, 'code', null, 'detail', null))
          where exists (select 1 from ok)
         on conflict (step_ref) where step_ref is not null do nothing
         returning *
       ), led as (
         insert into ledger (account_id, message_id, kind, amount_millis, reason)
         select $2, msg.id, 'debit', -$11, 'MMS message' from msg where $12 and $11 > 0
       )
       select (select count(*) from ok)::int as paid, msg.* from (select 1) one left join msg on true`,
      [m.id, m.accountId, m.to, m.category, m.templateId, m.profile, m.subject, m.stepRef, m.totalBytes, JSON.stringify(m.slides), m.costMillis, prepaid],
    );
    const r = rows[0];
    if (r?.id) return { kind: 'stored', message: toView(r) };
    if (m.stepRef) {
      const first = await this.byStepRef(m.stepRef);
      if (first) {
        // The debit of this attempt went through but stored nothing: give it back.
        if (prepaid && r?.paid) await this.db.query('update accounts set balance_millis = balance_millis + $2 where id = $1', [m.accountId, m.costMillis]);
        return { kind: 'step_exists', message: first };
      }
    }
    return { kind: 'insufficient_balance' };
  }

  async get(accountId: string, id: string): Promise<MmsMessage | undefined> {
    const [r] = await this.db.query('select * from mms_messages where account_id = $1 and id = $2', [accountId, id]);
    return r ? toView(r) : undefined;
  }

  async byStepRef(stepRef: string): Promise<MmsMessage | undefined> {
    const [r] = await this.db.query('select * from mms_messages where step_ref = $1', [stepRef]);
    return r ? toView(r) : undefined;
  }

  /** The gateway took it. Only from pending. */
  async accepted(id: string, providerMessageId: string): Promise<MmsMessage | undefined> {
    const [r] = await this.db.query(
      `update mms_messages set status = 'accepted', provider_message_id = $2, updated_at = now(), ${entry(`'accepted'`)}
        where id = $1 and status = 'pending' returning *`, [id, providerMessageId]);
    return r ? toView(r) : undefined;
  }

  /**
   * A final status from a report (by the gateway's id) or a refusal (by our id), with the refund
   * the charging mode gives back: balance credited (prepaid) and a ledger line, in one statement.
   * Returns undefined when the message is already final (a repeated report changes nothing).
   */
  async finish(by: { id: string } | { providerMessageId: string }, f: { status: 'delivered' | 'failed'; code: string | null; providerCode: string | null; detail: string | null },
    refund: (m: MmsMessage, chargingMode: ChargingMode) => number): Promise<MmsMessage | undefined> {
    return this.db.transaction(async (tx) => {
      const where = 'id' in by ? 'id = $1' : 'provider_message_id = $1';
      const [r] = await tx.query(
        `update mms_messages set status = $2, error_code = $3, provider_code = $4, error_message = $5, updated_at = now(), done_at = now(),
           ${entry('$2', '$3', '$5')}
          where ${where} and status in ('pending', 'accepted') returning *`,
        ['id' in by ? by.id : by.providerMessageId, f.status, f.code, f.providerCode, f.detail]);
      if (!r) return undefined;
      const m = toView(r);
      const [acc] = await tx.query<{ charging_mode: ChargingMode }>('select charging_mode from accounts where id = $1', [m.accountId]);
      const amount = refund(m, acc?.charging_mode ?? 'submit');
      if (amount <= 0) return m;
      // Prepaid: the balance and the ledger get it back (a postpaid account was never debited; its
      // bill reads cost − refunded). In this transaction: PGlite has one connection, and it holds it.
      const credited = await tx.query(`update accounts set balance_millis = balance_millis + $2 where id = $1 and billing_type = 'prepaid' returning id`, [m.accountId, amount]);
      if (credited.length) {
        await tx.query(`insert into ledger (account_id, message_id, kind, amount_millis, reason) values ($1, $2, 'refund', $3, $4)`,
          [m.accountId, m.id, amount, `MMS ${f.code ?? f.status}`]);
      }
      const [after] = await tx.query('update mms_messages set refunded_millis = refunded_millis + $2 where id = $1 returning *', [m.id, amount]);
      return toView(after);
    });
  }
}
