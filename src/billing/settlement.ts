/**
 * 72-hour settlement (DOMAIN.md §3, §5): after 72 h a message's outcome is final. Messages still
 * waiting for a receipt become `unknown` (and the customer gets that final status report), and
 * prepaid accounts get back what they were debited beyond what the charging mode bills.
 *
 * Idempotent by construction: rows are locked (`for update skip locked`, so concurrent runners split
 * the work), the refund is what was debited minus what is billable minus what was already refunded,
 * and `settled` is set in the same transaction; a second run finds nothing to do.
 */
import type { Db, Queryable } from '../db/db-client.js';
import type { ChargingMode } from '../accounts/account.js';
import { enqueueReports, type NewReport } from '../receipts/report.repository.js';
import { statusReportFor } from '../receipts/status-report.js';
import { billableParts, chargeMillis, outcomesFromAttempts, type PartAttempt } from './charging.js';

export interface SettleOptions {
  /** Age after which a message is settled. Default 72 h. */
  olderThanMs?: number;
  now?: Date;
  /** Messages per transaction. Default 1,000. */
  limit?: number;
  /** Stop after this many chunks (default: until nothing is left). */
  maxChunks?: number;
}

export interface SettleResult {
  settled: number;
  markedUnknown: number;
  refunds: number;
  refundedMillis: number;
  reportsEnqueued: number;
}

const HOURS_72 = 72 * 3_600_000;

interface MessageRow {
  id: string; account_id: string; batch_id: string | null; to_number: string; reference: string | null;
  callback_url: string | null; status: string; parts: number; cost_millis: number; refunded_millis: number;
  billing_type: 'prepaid' | 'postpaid'; charging_mode: ChargingMode; settings: { reportPerMessage?: boolean } | null;
  [k: string]: unknown;
}

interface Refund {
  accountId: string;
  messageId: string;
  batchId: string | null;
  amount: number;
  reason: string;
}

/** Settles every unsettled message older than olderThanMs, one transaction per chunk. */
export async function settleMessages(db: Db, opts: SettleOptions = {}): Promise<SettleResult> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - (opts.olderThanMs ?? HOURS_72));
  const limit = opts.limit ?? 1_000;
  const total: SettleResult = { settled: 0, markedUnknown: 0, refunds: 0, refundedMillis: 0, reportsEnqueued: 0 };
  for (let chunk = 0; chunk < (opts.maxChunks ?? Infinity); chunk++) {
    const r = await db.transaction((tx) => settleChunk(tx, cutoff, now, limit));
    total.settled += r.settled;
    total.markedUnknown += r.markedUnknown;
    total.refunds += r.refunds;
    total.refundedMillis += r.refundedMillis;
    total.reportsEnqueued += r.reportsEnqueued;
    if (r.settled < limit) break;
  }
  return total;
}

async function settleChunk(tx: Queryable, cutoff: Date, now: Date, limit: number): Promise<SettleResult> {
  // A scheduled message is settled 72 h after its send time, not its creation.
  const messages = await tx.query<MessageRow>(
    `select m.id, m.account_id, m.batch_id, m.to_number, m.reference, m.callback_url, m.status, m.parts,
            m.cost_millis, m.refunded_millis, a.billing_type, a.charging_mode, a.settings
       from messages m join accounts a on a.id = m.account_id
      where m.settled = false and m.created_at < $1 and m.status <> 'scheduled'
        and coalesce(m.scheduled_at, m.created_at) < $1
      order by m.created_at
      limit $2
      for update of m skip locked`,
    [cutoff, limit],
  );
  const result: SettleResult = { settled: messages.length, markedUnknown: 0, refunds: 0, refundedMillis: 0, reportsEnqueued: 0 };
  if (messages.length === 0) return result;

  const attempts = await loadAttempts(tx, messages.map((m) => m.id));
  const toUnknown: string[] = [];
  const reports: NewReport[] = [];
  const refunds: Refund[] = [];
  for (const m of messages) {
    const { outcomes, openParts } = outcomesFromAttempts(m.parts, attempts.get(m.id) ?? []);
    if (m.status === 'submitted' || m.status === 'queued') {
      toUnknown.push(m.id);
      reports.push(...unknownReports(m, openParts, now));
    }
    if (m.billing_type !== 'prepaid') continue;
    const keep = chargeMillis(m.charging_mode, outcomes, m.cost_millis);
    const amount = m.cost_millis - keep - m.refunded_millis;
    if (amount <= 0) continue;
    const billable = billableParts(m.charging_mode, outcomes);
    refunds.push({
      accountId: m.account_id,
      messageId: m.id,
      batchId: m.batch_id,
      amount,
      reason: `72h settlement (${m.charging_mode}): ${billable} of ${m.parts} parts billable`,
    });
  }

  if (toUnknown.length > 0) {
    await tx.query(
      `update messages set status = 'unknown', done_at = coalesce(done_at, $2)
        where id = any($1::text[]) and status in ('submitted', 'queued')`,
      [toUnknown, now],
    );
  }
  await applyRefunds(tx, refunds, now);
  await tx.query(`update messages set settled = true where id = any($1::text[])`, [messages.map((m) => m.id)]);
  const ids = await enqueueReports(tx, reports, now);

  result.markedUnknown = toUnknown.length;
  result.refunds = refunds.length;
  result.refundedMillis = refunds.reduce((s, r) => s + r.amount, 0);
  result.reportsEnqueued = ids.length;
  return result;
}

/**
 * Refunds cancelled (e.g. scheduled, then cancelled) messages at once: everything debited and not
 * yet refunded. Call it in the transaction that sets status 'cancelled'; only cancelled, unsettled
 * messages of `accountId` are touched, and they are marked settled, so a repeat call or the 72 h run
 * never refunds them again. Postpaid accounts are only marked settled.
 */
export async function refundCancelled(
  tx: Queryable,
  accountId: string,
  messageIds: readonly string[],
  now: Date = new Date(),
): Promise<{ messages: number; refundedMillis: number }> {
  if (messageIds.length === 0) return { messages: 0, refundedMillis: 0 };
  const rows = await tx.query<{ id: string; batch_id: string | null; cost_millis: number; refunded_millis: number; billing_type: string }>(
    `select m.id, m.batch_id, m.cost_millis, m.refunded_millis, a.billing_type
       from messages m join accounts a on a.id = m.account_id
      where m.account_id = $1 and m.id = any($2::text[]) and m.status = 'cancelled' and m.settled = false
      for update of m`,
    [accountId, messageIds],
  );
  const refunds: Refund[] = rows
    .filter((r) => r.billing_type === 'prepaid' && r.cost_millis - r.refunded_millis > 0)
    .map((r) => ({ accountId, messageId: r.id, batchId: r.batch_id, amount: r.cost_millis - r.refunded_millis, reason: 'cancelled before sending' }));
  await applyRefunds(tx, refunds, now);
  if (rows.length > 0) await tx.query(`update messages set settled = true where id = any($1::text[])`, [rows.map((r) => r.id)]);
  return { messages: rows.length, refundedMillis: refunds.reduce((s, r) => s + r.amount, 0) };
}

async function loadAttempts(tx: Queryable, messageIds: string[]): Promise<Map<string, PartAttempt[]>> {
  const rows = await tx.query<{ message_id: string; part_no: number; attempt: number; submit_status: 'ok' | 'error'; dlr_stat: string | null }>(
    `select message_id, part_no, attempt, submit_status, dlr_stat from message_parts where message_id = any($1::text[])`,
    [messageIds],
  );
  const byMessage = new Map<string, PartAttempt[]>();
  for (const r of rows) {
    const list = byMessage.get(r.message_id) ?? [];
    list.push({ partNo: r.part_no, attempt: r.attempt, submitStatus: r.submit_status, dlrStat: r.dlr_stat });
    byMessage.set(r.message_id, list);
  }
  return byMessage;
}

/** Final `unknown` reports: one per part still open, or one per message when the account asks so. */
function unknownReports(m: MessageRow, openParts: number[], now: Date): NewReport[] {
  const outcome = { status: 'unknown' as const, errorCode: null, errorMessage: 'No delivery receipt within 72 hours', at: now.toISOString() };
  return m.settings?.reportPerMessage === true
    ? [statusReportFor(m, outcome)]
    : openParts.map((no) => statusReportFor(m, { ...outcome, part: { no, of: m.parts } }));
}

/** Credits balances, records refunded_millis and writes one ledger row per message, in three statements. */
async function applyRefunds(tx: Queryable, refunds: Refund[], now: Date): Promise<void> {
  if (refunds.length === 0) return;
  await tx.query(
    `update messages m set refunded_millis = m.refunded_millis + u.amount
       from unnest($1::text[], $2::bigint[]) as u(id, amount) where m.id = u.id`,
    [refunds.map((r) => r.messageId), refunds.map((r) => r.amount)],
  );
  const perAccount = new Map<string, number>();
  for (const r of refunds) perAccount.set(r.accountId, (perAccount.get(r.accountId) ?? 0) + r.amount);
  // Sorted so concurrent settlers lock account rows in one order and cannot deadlock.
  const accounts = [...perAccount.keys()].sort();
  await tx.query('select id from accounts where id = any($1::text[]) order by id for update', [accounts]);
  await tx.query(
    `update accounts a set balance_millis = a.balance_millis + u.amount
       from unnest($1::text[], $2::bigint[]) as u(id, amount) where a.id = u.id`,
    [accounts, accounts.map((id) => perAccount.get(id))],
  );
  await tx.query(
    `insert into ledger (account_id, message_id, batch_id, kind, amount_millis, reason, created_at)
     select u.account_id, u.message_id, u.batch_id, 'refund', u.amount, u.reason, $6
       from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])
         as u(account_id, message_id, batch_id, amount, reason)`,
    [refunds.map((r) => r.accountId), refunds.map((r) => r.messageId), refunds.map((r) => r.batchId),
      refunds.map((r) => r.amount), refunds.map((r) => r.reason), now],
  );
}
