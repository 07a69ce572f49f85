/**
 * SQL for messages and their parts. Bulk paths take arrays and run one statement per batch
 * (unnest), because the accept path writes 1,000 messages per request and receipts arrive by
 * the thousand per second.
 */
import { isoOrNull, type Db, type Queryable } from '../db/db-client.js';
import type { MessageStatus } from './message.js';

export interface MessageView {
  id: string;
  batchId: string | null;
  to: string;
  category: string;
  /** International sender ID it went out with; null: the channel's own source address. */
  sender: string | null;
  status: MessageStatus;
  errorCode: string | null;
  errorMessage: string | null;
  text: string;
  encoding: string;
  parts: number;
  partsDelivered: number;
  partsFailed: number;
  costMillis: number;
  refundedMillis: number;
  reference: string | null;
  scheduledAt: string | null;
  createdAt: string;
  submittedAt: string | null;
  doneAt: string | null;
  channelId: string | null;
}

export interface AttemptPartView {
  attempt: number;
  partNo: number;
  channelId: string;
  upstreamId: string | null;
  submitStatus: string;
  submitError: string | null;
  providerCode: string | null;
  dlrStat: string | null;
  dlrErr: string | null;
  submittedAt: string;
  doneAt: string | null;
}


function toView(r: Record<string, unknown>): MessageView {
  return {
    id: r.id as string,
    batchId: (r.batch_id as string) ?? null,
    to: r.to_number as string,
    category: r.category as string,
    sender: (r.sender as string) ?? null,
    status: r.status as MessageStatus,
    errorCode: (r.error_code as string) ?? null,
    errorMessage: (r.error_message as string) ?? null,
    text: r.text as string,
    encoding: r.encoding as string,
    parts: r.parts as number,
    partsDelivered: r.parts_delivered as number,
    partsFailed: r.parts_failed as number,
    costMillis: r.cost_millis as number,
    refundedMillis: r.refunded_millis as number,
    reference: (r.reference as string) ?? null,
    scheduledAt: isoOrNull(r.scheduled_at),
    createdAt: isoOrNull(r.created_at)!,
    submittedAt: isoOrNull(r.submitted_at),
    doneAt: isoOrNull(r.done_at),
    channelId: (r.channel_id as string) ?? null,
  };
}

export interface ListFilter {
  batchId?: string;
  status?: MessageStatus;
  to?: string;
  from?: Date;
  until?: Date;
  limit: number;
  /** Opaque cursor: the last id of the previous page (ids sort by creation). */
  after?: string;
}

export class MessageRepository {
  constructor(private readonly db: Db) {}

  async get(accountId: string, id: string): Promise<MessageView | undefined> {
    const [row] = await this.db.query('select * from messages where account_id = $1 and id = $2', [accountId, id]);
    return row ? toView(row) : undefined;
  }

  async attempts(accountId: string, id: string): Promise<AttemptPartView[]> {
    const rows = await this.db.query(
      `select p.* from message_parts p join messages m on m.id = p.message_id
        where m.account_id = $1 and p.message_id = $2 order by p.attempt, p.part_no`,
      [accountId, id],
    );
    return rows.map((r) => ({
      attempt: r.attempt as number,
      partNo: r.part_no as number,
      channelId: r.channel_id as string,
      upstreamId: (r.upstream_id as string) ?? null,
      submitStatus: r.submit_status as string,
      submitError: (r.submit_error as string) ?? null,
      providerCode: (r.provider_code as string) ?? null,
      dlrStat: (r.dlr_stat as string) ?? null,
      dlrErr: (r.dlr_err as string) ?? null,
      submittedAt: isoOrNull(r.submitted_at)!,
      doneAt: isoOrNull(r.done_at),
    }));
  }

  async list(accountId: string, f: ListFilter): Promise<MessageView[]> {
    const where = ['account_id = $1'];
    const params: unknown[] = [accountId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.batchId) add('batch_id = ?', f.batchId);
    if (f.status) add('status = ?', f.status);
    if (f.to) add('to_number = ?', f.to);
    if (f.from) add('created_at >= ?', f.from.toISOString());
    if (f.until) add('created_at < ?', f.until.toISOString());
    if (f.after) add('id > ?', f.after);
    params.push(f.limit);
    const rows = await this.db.query(`select * from messages where ${where.join(' and ')} order by id limit $${params.length}`, params);
    return rows.map(toView);
  }

  /** Cancels only while still scheduled, so a concurrent dispatch and a cancel can't both win. */
  async cancelScheduled(tx: Queryable, accountId: string, id: string): Promise<{ costMillis: number; callbackUrl: string | null; reference: string | null; to: string } | undefined> {
    const [row] = await tx.query<{ cost_millis: number; callback_url: string | null; reference: string | null; to_number: string }>(
      `update messages set status = 'cancelled', done_at = now(), release_at = null, error_code = 'CANCELLED', error_message = 'Cancelled by the customer'
        where account_id = $1 and id = $2 and status = 'scheduled' returning cost_millis, callback_url, reference, to_number`,
      [accountId, id],
    );
    return row ? { costMillis: row.cost_millis, callbackUrl: row.callback_url, reference: row.reference, to: row.to_number } : undefined;
  }

  /**
   * Releases due scheduled messages (scheduled → queued) and returns them. The ids are handed to
   * `beforeRelease` (hand-off markers) inside the transaction, before the rows change.
   */
  async releaseDueScheduled(limit: number, beforeRelease: (ids: string[]) => Promise<void>): Promise<Array<Record<string, unknown>>> {
    return this.db.transaction(async (tx) => {
      const due = await tx.query<{ id: string }>(
        `select id from messages where release_at <= now() order by release_at limit $1 for update skip locked`,
        [limit],
      );
      if (due.length === 0) return [];
      await beforeRelease(due.map((r) => r.id));
      return tx.query(
        `update messages set status = 'queued', release_at = null
          where id = any($1::text[]) and status = 'scheduled' returning *`,
        [due.map((r) => r.id)],
      );
    });
  }

  /** Queued messages among these ids (the sweeper's candidates). */
  async queuedAmong(ids: string[]): Promise<Array<Record<string, unknown>>> {
    if (ids.length === 0) return [];
    return this.db.query(`select * from messages where id = any($1::text[]) and status = 'queued'`, [ids]);
  }
}
