/**
 * Stores accepted requests of one account in a single SQL statement: the messages, the reports
 * owed for refused ones, batch rows, ledger debits, the balance debit and the idempotent answers.
 * One statement is one implicit transaction and one round trip; the balance row (every request's
 * hot spot) is locked only for that statement. Every write is conditional on the debit
 * succeeding, so an insufficient balance stores nothing.
 */
import type { Db } from '../db/db-client.js';
import type { NewMessage } from './message.js';

export interface AcceptWrite {
  accountId: string;
  batches: Array<{ id: string; accepted: number; rejected: number }>;
  messages: NewMessage[];
  /** Reports for messages refused by a rule (already in `messages` with status failed). */
  reports: Array<{ messageId: string; callbackUrl: string | null; payload: unknown }>;
  /** Prepaid debits, one ledger row each; empty when nothing is owed now. */
  debits: Array<{ amountMillis: number; batchId: string | null; messageId: string | null; reason: string }>;
  idempotency: Array<{ key: string; statusCode: number; body: unknown }>;
}

/** Returns false (and writes nothing) when the prepaid balance does not cover the debits. */
export async function persistAccepted(db: Db, w: AcceptWrite): Promise<boolean> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const acc = p(w.accountId);
  const ctes: string[] = [];
  const total = w.debits.reduce((s, d) => s + d.amountMillis, 0);
  // `ok` gates every write: the debited balance row when there is a debit, else a constant row.
  if (total > 0) {
    const amount = p(total);
    ctes.push(`ok as (update accounts set balance_millis = balance_millis - ${amount}
                       where id = ${acc} and balance_millis >= ${amount} returning 1 as x)`);
    ctes.push(`led as (insert into ledger (account_id, batch_id, message_id, kind, amount_millis, reason)
                        select ${acc}, u.batch_id, u.message_id, 'debit', -u.amount, u.reason
                          from unnest(${p(w.debits.map((d) => d.batchId))}::text[], ${p(w.debits.map((d) => d.messageId))}::text[],
                                      ${p(w.debits.map((d) => d.amountMillis))}::bigint[], ${p(w.debits.map((d) => d.reason))}::text[])
                            as u(batch_id, message_id, amount, reason)
                         where exists (select 1 from ok))`);
  } else {
    ctes.push(`ok as (select 1 as x)`);
  }
  if (w.batches.length) {
    ctes.push(`bat as (insert into batches (id, account_id, accepted, rejected)
                        select u.id, ${acc}, u.accepted, u.rejected
                          from unnest(${p(w.batches.map((b) => b.id))}::text[], ${p(w.batches.map((b) => b.accepted))}::int[],
                                      ${p(w.batches.map((b) => b.rejected))}::int[]) as u(id, accepted, rejected)
                         where exists (select 1 from ok))`);
  }
  const col = <K extends keyof NewMessage>(k: K) => p(w.messages.map((m) => m[k]));
  ctes.push(`msg as (insert into messages (id, account_id, batch_id, to_number, country, carrier, category, sender, signature, template_id,
                        text, encoding, parts, status, error_code, error_message, scheduled_at, callback_url, reference, cost_millis, done_at,
                        release_at)
       select u.*, case when u.status in ('failed', 'cancelled') then now() end,
              case when u.status = 'scheduled' then u.scheduled_at end
         from unnest(${col('id')}::text[], ${col('accountId')}::text[], ${col('batchId')}::text[], ${col('to')}::text[],
                     ${col('country')}::text[], ${col('carrier')}::text[], ${col('category')}::text[], ${col('sender')}::text[],
                     ${col('signature')}::text[], ${col('templateId')}::text[], ${col('text')}::text[], ${col('encoding')}::text[],
                     ${col('parts')}::int[], ${col('status')}::text[], ${col('errorCode')}::text[], ${col('errorMessage')}::text[],
                     ${p(w.messages.map((m) => m.scheduledAt?.toISOString() ?? null))}::timestamptz[], ${col('callbackUrl')}::text[],
                     ${col('reference')}::text[], ${col('costMillis')}::bigint[])
           as u(id, account_id, batch_id, to_number, country, carrier, category, sender, signature, template_id,
                text, encoding, parts, status, error_code, error_message, scheduled_at, callback_url, reference, cost_millis)
        where exists (select 1 from ok))`);
  if (w.reports.length) {
    ctes.push(`rep as (insert into reports (account_id, kind, message_id, callback_url, payload)
       select ${acc}, 'status', u.message_id, u.callback_url, u.payload::jsonb
         from unnest(${p(w.reports.map((r) => r.messageId))}::text[], ${p(w.reports.map((r) => r.callbackUrl))}::text[],
                     ${p(w.reports.map((r) => JSON.stringify(r.payload)))}::text[]) as u(message_id, callback_url, payload)
        where exists (select 1 from ok))`);
  }
  if (w.idempotency.length) {
    ctes.push(`idem as (update idempotency_keys k set status_code = u.status_code, response = u.body::jsonb
                          from unnest(${p(w.idempotency.map((i) => i.key))}::text[], ${p(w.idempotency.map((i) => i.statusCode))}::int[],
                                      ${p(w.idempotency.map((i) => JSON.stringify(i.body)))}::text[]) as u(key, status_code, body)
                         where k.account_id = ${acc} and k.key = u.key and exists (select 1 from ok))`);
  }
  const [row] = await db.query<{ ok: boolean }>(`with ${ctes.join(',\n')} select exists (select 1 from ok) as ok`, params);
  return row.ok;
}
