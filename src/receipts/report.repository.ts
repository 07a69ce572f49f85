/**
 * The `reports` outbox: every report owed to a customer (delivery status, MO). Push mode drains it
 * through {@link ReportRepository.claimDue}; pull mode reads it by cursor. All queries are scoped by
 * account and served by partial indexes on pending rows, so one tenant's backlog of millions never
 * slows another tenant's reads (see 002_reports.sql).
 */
import type { Db, Queryable } from '../db/db-client.js';
import type { StatusReportPayload } from './status-report.js';

export type ReportKind = 'status' | 'mo';
export type ReportState = 'pending' | 'delivered' | 'dead' | 'pulled';

/** An MO (uplink) reply as the customer receives it. */
export interface MoReportPayload {
  type: 'mo';
  id: string;
  from: string;
  to: string;
  text: string;
  receivedAt: string;
  unsubscribed: boolean;
  /** Absent for SMS; `whatsapp` for a message a user sent to the WhatsApp business number, `rcs` to a 5G chatbot. */
  channel?: 'whatsapp' | 'rcs';
  /** rcs: the chatbot written to. */
  chatbotId?: string;
  /** rcs: the postback data of the suggestion the user tapped (`text` is its label). */
  postback?: string;
}

export interface NewReport {
  accountId: string;
  kind: ReportKind;
  messageId?: string | null;
  /** Message-level callback URL; overrides the account's. */
  callbackUrl?: string | null;
  payload: Record<string, unknown> | StatusReportPayload | MoReportPayload;
}

export interface StoredReport {
  id: number;
  accountId: string;
  kind: ReportKind;
  messageId: string | null;
  callbackUrl: string | null;
  payload: Record<string, unknown>;
  state: ReportState;
  attempts: number;
  nextAttemptAt: Date;
  /** Set while a pusher holds the report; it comes back to every claimer once this has passed. */
  leasedUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
}

/** A report leased to one pusher, with the URL it must go to (message URL, else account URL). */
export interface ClaimedReport extends StoredReport {
  targetUrl: string;
}

/** A push-mode account that has reports due now. */
export interface DueAccount {
  accountId: string;
  callbackSecret: string;
  callbackRatePerS: number;
}

/** The shape a customer sees, pushed or pulled: the payload plus `reportId` (dedupe and ack key). */
export function toWireReport(r: Pick<StoredReport, 'id' | 'payload'>): Record<string, unknown> {
  return { ...r.payload, reportId: r.id };
}

interface ReportRow {
  id: number; account_id: string; kind: ReportKind; message_id: string | null; callback_url: string | null;
  payload: Record<string, unknown>; state: ReportState; attempts: number; next_attempt_at: Date; leased_until: Date | null;
  last_error: string | null; created_at: Date; target_url?: string;
  [k: string]: unknown;
}

const toReport = (r: ReportRow): StoredReport => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind,
  messageId: r.message_id,
  callbackUrl: r.callback_url,
  payload: r.payload,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  leasedUntil: r.leased_until,
  lastError: r.last_error,
  createdAt: r.created_at,
});

/**
 * Inserts reports in one statement (unnest of parallel arrays): the receipt path enqueues thousands
 * per second and a round trip per row would dominate. Pass a transaction to make the reports part
 * of the state change they describe. `now` sets created_at/next_attempt_at (default: the database
 * clock). Returns the new ids.
 */
export async function enqueueReports(q: Queryable, reports: readonly NewReport[], now?: Date): Promise<number[]> {
  if (reports.length === 0) return [];
  const rows = await q.query<{ id: number }>(
    `insert into reports (account_id, kind, message_id, callback_url, payload, created_at, next_attempt_at)
     select u.account_id, u.kind, u.message_id, u.callback_url, u.payload::jsonb,
            coalesce($6::timestamptz, now()), coalesce($6::timestamptz, now())
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         as u(account_id, kind, message_id, callback_url, payload)
     returning id`,
    [
      reports.map((r) => r.accountId),
      reports.map((r) => r.kind),
      reports.map((r) => r.messageId ?? null),
      reports.map((r) => r.callbackUrl ?? null),
      reports.map((r) => JSON.stringify(r.payload)),
      now ?? null,
    ],
  );
  return rows.map((r) => r.id);
}

// A report is pushable when its account is in push mode and some URL (message or account) exists;
// the rest stay pending for the pull API. Reports for SMPP customers (via = 'smpp') are never
// pushed or pulled over HTTP: they go back as deliver_sm (src/smpp-server/smpp-report-sender.ts).
const PUSHABLE = `a.report_mode = 'push' and coalesce(r.callback_url, a.callback_url) is not null`;

export class ReportRepository {
  constructor(private readonly db: Db) {}

  enqueue(reports: readonly NewReport[], now?: Date): Promise<number[]> {
    return enqueueReports(this.db, reports, now);
  }

  /**
   * Push-mode accounts with at least one pushable report due at `now`. Two index probes per account
   * (account URL: any pending row; no account URL: only rows carrying their own URL), so a pull
   * tenant's millions of rows are never scanned.
   */
  async dueAccounts(now: Date): Promise<DueAccount[]> {
    const rows = await this.db.query<{ id: string; callback_secret: string; callback_rate_per_s: number }>(
      `select a.id, a.callback_secret, a.callback_rate_per_s
         from accounts a
        where a.report_mode = 'push'
          and ((a.callback_url is not null and exists (
                  select 1 from reports r
                   where r.account_id = a.id and r.state = 'pending' and r.via = 'http' and r.next_attempt_at <= $1))
            or exists (
                  select 1 from reports r
                   where r.account_id = a.id and r.state = 'pending' and r.via = 'http' and r.callback_url is not null
                     and r.next_attempt_at <= $1))
        order by a.id`,
      [now],
    );
    return rows.map((r) => ({ accountId: r.id, callbackSecret: r.callback_secret, callbackRatePerS: r.callback_rate_per_s }));
  }

  /**
   * Leases up to `limit` due pushable reports (of one account, or of any when accountId is
   * undefined), oldest due first. `for update skip locked` lets several processes claim at once
   * without waiting on or double-taking each other's rows; the lease (leased_until set to
   * now + leaseMs, attempts + 1) keeps them out of every later claim until marked, and brings them
   * back if this process dies mid-send.
   */
  async claimDue(
    accountId: string | undefined,
    limit: number,
    opts: { now?: Date; leaseMs?: number } = {},
  ): Promise<ClaimedReport[]> {
    if (limit <= 0) return [];
    const now = opts.now ?? new Date();
    const leaseUntil = new Date(now.getTime() + (opts.leaseMs ?? 5 * 60_000));
    const params: unknown[] = [now, leaseUntil, limit];
    let scope = '';
    if (accountId !== undefined) {
      params.push(accountId);
      scope = 'and r.account_id = $4';
    }
    // The locking select runs once as a materialized CTE: as an `in (subquery)` the planner may
    // rescan it per row and lease more than `limit` rows.
    const rows = await this.db.query<ReportRow>(
      `with picked as materialized (
         select r.id, coalesce(r.callback_url, a.callback_url) as target_url
           from reports r join accounts a on a.id = r.account_id
          where r.state = 'pending' and r.via = 'http' and r.next_attempt_at <= $1 and (r.leased_until is null or r.leased_until <= $1)
            ${scope} and ${PUSHABLE}
          order by r.next_attempt_at, r.id
          limit $3
          for update of r skip locked)
       update reports u set attempts = u.attempts + 1, leased_until = $2
         from picked p
        where u.id = p.id
        returning u.*, p.target_url`,
      params,
    );
    return rows
      .map((r) => ({ ...toReport(r), targetUrl: r.target_url as string }))
      .sort((x, y) => x.id - y.id);
  }

  /** Returns how many rows changed; rows no longer pending (e.g. pulled meanwhile) are left alone. */
  async markDelivered(ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db.query(
      `update reports set state = 'delivered', last_error = null
        where id = any($1::bigint[]) and state = 'pending' returning id`,
      [ids],
    );
    return rows.length;
  }

  async markFailed(ids: readonly number[], error: string, nextAttemptAt: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db.query(
      `update reports set last_error = $2, next_attempt_at = $3, leased_until = null
        where id = any($1::bigint[]) and state = 'pending' returning id`,
      [ids, error.slice(0, 500), nextAttemptAt],
    );
    return rows.length;
  }

  async markDead(ids: readonly number[], error: string): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db.query(
      `update reports set state = 'dead', last_error = $2
        where id = any($1::bigint[]) and state = 'pending' returning id`,
      [ids, error.slice(0, 500)],
    );
    return rows.length;
  }

  /**
   * Pending reports of one account after the cursor, oldest first. Push-mode reports are included
   * too, so a customer whose endpoint is down can drain by pull; acked ones are never pushed again.
   */
  async listForPull(accountId: string, afterId: number, limit: number): Promise<StoredReport[]> {
    const rows = await this.db.query<ReportRow>(
      `select * from reports where account_id = $1 and state = 'pending' and via = 'http' and id > $2 order by id limit $3`,
      [accountId, afterId, limit],
    );
    return rows.map(toReport);
  }

  /** Marks the account's pending reports among `ids` as pulled; other accounts' ids are ignored. */
  async ack(accountId: string, ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db.query(
      `update reports set state = 'pulled'
        where account_id = $1 and id = any($2::bigint[]) and state = 'pending' and via = 'http' returning id`,
      [accountId, ids],
    );
    return rows.length;
  }

  async findById(id: number): Promise<StoredReport | undefined> {
    const [row] = await this.db.query<ReportRow>('select * from reports where id = $1', [id]);
    return row ? toReport(row) : undefined;
  }
}
