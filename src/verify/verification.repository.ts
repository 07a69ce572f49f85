/** Verifications and their attempts (006_verifications.sql). Every read is scoped by account. */
import { dateOrNull, type Db, type Queryable } from '../db/db-client.js';

export type VerificationStatus = 'pending' | 'approved' | 'max_attempts_reached' | 'expired' | 'cancelled' | 'failed';
export type VerifyChannel = 'sms' | 'whatsapp';
export type AttemptStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
export type FailoverCondition = 'sent' | 'delivered' | 'read';

export interface Verification {
  id: string;
  accountId: string;
  to: string;
  country: string | null;
  channels: VerifyChannel[];
  codeHash: string;
  codeLength: number;
  locale: string | null;
  templateId: string | null;
  senderId: string | null;
  status: VerificationStatus;
  checks: number;
  maxChecks: number;
  expiresAt: Date;
  clientIp: string | null;
  step: number;
  failoverCondition: FailoverCondition;
  failoverTimeoutS: number;
  createdAt: Date;
  approvedAt: Date | null;
}

export interface VerificationAttempt {
  id: string;
  verificationId: string;
  seq: number;
  channel: VerifyChannel;
  messageId: string | null;
  route: string | null;
  connection: string | null;
  senderId: string | null;
  country: string | null;
  status: AttemptStatus;
  reason: string;
  errorCode: string | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  verifiedAt: Date | null;
  createdAt: Date;
}

/** A change an attempt's outcome brings; times only ever fill in, the status only moves forward. */
export interface AttemptChange {
  status?: AttemptStatus;
  messageId?: string | null;
  errorCode?: string | null;
  route?: string | null;
  connection?: string | null;
  senderId?: string | null;
  sentAt?: Date | null;
  deliveredAt?: Date | null;
}

type Row = Record<string, unknown>;

const toVerification = (r: Row): Verification => ({
  id: r.id as string, accountId: r.account_id as string, to: r.to_number as string, country: (r.country as string) ?? null,
  channels: r.channels as VerifyChannel[], codeHash: r.code_hash as string, codeLength: r.code_length as number,
  locale: (r.locale as string) ?? null, templateId: (r.template_id as string) ?? null, senderId: (r.sender_id as string) ?? null,
  status: r.status as VerificationStatus, checks: r.checks as number, maxChecks: r.max_checks as number,
  expiresAt: dateOrNull(r.expires_at)!, clientIp: (r.client_ip as string) ?? null, step: r.step as number,
  failoverCondition: r.failover_condition as FailoverCondition, failoverTimeoutS: r.failover_timeout_s as number,
  createdAt: dateOrNull(r.created_at)!, approvedAt: dateOrNull(r.approved_at),
});

const toAttempt = (r: Row): VerificationAttempt => ({
  id: r.id as string, verificationId: r.verification_id as string, seq: r.seq as number, channel: r.channel as VerifyChannel,
  messageId: (r.message_id as string) ?? null, route: (r.route as string) ?? null, connection: (r.connection as string) ?? null,
  senderId: (r.sender_id as string) ?? null, country: (r.country as string) ?? null, status: r.status as AttemptStatus,
  reason: r.reason as string, errorCode: (r.error_code as string) ?? null, sentAt: dateOrNull(r.sent_at), deliveredAt: dateOrNull(r.delivered_at),
  verifiedAt: dateOrNull(r.verified_at), createdAt: dateOrNull(r.created_at)!,
});

// Attempt statuses in the order they may move; 'failed' ends an attempt unless it already arrived.
const ORDER = `array['pending','sent','delivered','read']`;

export class VerificationRepository {
  constructor(private readonly db: Db) {}

  /** Stores a verification and its first attempt in one statement (the start path is latency-bound). */
  async create(v: Verification, first: Pick<VerificationAttempt, 'id' | 'channel' | 'reason'>): Promise<void> {
    await this.db.query(
      `with v as (
         insert into verifications (id, account_id, to_number, country, channels, code_hash, code_length, locale, template_id, sender_id,
                                    max_checks, expires_at, client_ip, failover_condition, failover_timeout_s, created_at)
         values ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id)
       insert into verification_attempts (id, verification_id, account_id, seq, channel, reason, country, created_at)
       select $17, v.id, $2, 1, $18, $19, $4, $16 from v`,
      [v.id, v.accountId, v.to, v.country, v.channels, v.codeHash, v.codeLength, v.locale, v.templateId, v.senderId,
        v.maxChecks, v.expiresAt, v.clientIp, v.failoverCondition, v.failoverTimeoutS, v.createdAt, first.id, first.channel, first.reason],
    );
  }

  async addAttempt(a: Pick<VerificationAttempt, 'id' | 'verificationId' | 'seq' | 'channel' | 'reason' | 'country' | 'messageId'> & { accountId: string }): Promise<void> {
    await this.db.query(
      `insert into verification_attempts (id, verification_id, account_id, seq, channel, reason, country, message_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [a.id, a.verificationId, a.accountId, a.seq, a.channel, a.reason, a.country, a.messageId],
    );
  }

  async get(accountId: string, id: string): Promise<{ verification: Verification; attempts: VerificationAttempt[] } | undefined> {
    const [v] = await this.db.query<Row>('select * from verifications where id = $1 and account_id = $2', [id, accountId]);
    if (!v) return undefined;
    const attempts = await this.db.query<Row>('select * from verification_attempts where verification_id = $1 order by seq', [id]);
    return { verification: toVerification(v), attempts: attempts.map(toAttempt) };
  }

  async latestAttempt(verificationId: string): Promise<VerificationAttempt | undefined> {
    const [a] = await this.db.query<Row>('select * from verification_attempts where verification_id = $1 order by seq desc limit 1', [verificationId]);
    return a ? toAttempt(a) : undefined;
  }

  /** Applies an outcome; returns the attempt and its verification's state, or undefined for an unknown id. */
  async changeAttempt(id: string, c: AttemptChange, q: Queryable = this.db): Promise<{ attempt: VerificationAttempt; verification: Verification } | undefined> {
    // One statement: the attempt's change and its verification's state, which the caller acts on.
    const [row] = await q.query<Row>(
      `with changed as (
         update verification_attempts a set
          status = case
            when a.status = 'failed' or $2::text is null then a.status
            when $2 = 'failed' then case when a.status in ('delivered', 'read') then a.status else 'failed' end
            when array_position(${ORDER}, $2::text) > array_position(${ORDER}, a.status) then $2
            else a.status end,
          message_id = coalesce($3, a.message_id), error_code = coalesce($4, a.error_code),
          route = coalesce($5, a.route), connection = coalesce($6, a.connection), sender_id = coalesce($7, a.sender_id),
          sent_at = coalesce(a.sent_at, $8), delivered_at = coalesce(a.delivered_at, $9)
        where a.id = $1
        returning a.*)
       select to_jsonb(c.*) as attempt, to_jsonb(v.*) as verification from changed c join verifications v on v.id = c.verification_id`,
      [id, c.status ?? null, c.messageId ?? null, c.errorCode ?? null, c.route ?? null, c.connection ?? null, c.senderId ?? null, c.sentAt ?? null, c.deliveredAt ?? null],
    );
    if (!row) return undefined;
    const a = row.attempt as Row;
    const v = row.verification as Row;
    return { attempt: toAttempt(a), verification: toVerification(v) };
  }

  /** When the current step should be given up on (null: not at all). Only while pending. */
  async scheduleNextStep(id: string, at: Date | null): Promise<void> {
    await this.db.query(`update verifications set next_step_at = $2 where id = $1 and status = 'pending'`, [id, at]);
  }

  /** Moves from `fromStep` to the next channel; false when another process already did. */
  async advanceStep(id: string, fromStep: number): Promise<boolean> {
    const rows = await this.db.query(
      `update verifications set step = step + 1, next_step_at = null
        where id = $1 and step = $2 and status = 'pending' and step + 1 < cardinality(channels) returning id`,
      [id, fromStep],
    );
    return rows.length > 0;
  }

  /** Leases up to `limit` verifications whose step is due; the lease is clearing next_step_at. */
  async claimDueSteps(limit: number): Promise<Verification[]> {
    const rows = await this.db.query<Row>(
      `with due as materialized (
         select id from verifications where next_step_at <= now() and status = 'pending'
          order by next_step_at limit $1 for update skip locked)
       update verifications v set next_step_at = null from due where v.id = due.id returning v.*`,
      [limit],
    );
    return rows.map(toVerification);
  }

  /**
   * One check, serialised per verification (row lock): counts it, and on a match approves the
   * verification and credits the latest attempt that went out, with its send time filled from the
   * message when its report has not arrived yet.
   */
  async check(accountId: string, id: string, matches: (v: Verification) => boolean, now: Date): Promise<{ verification: Verification; matched: boolean } | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<Row>('select * from verifications where id = $1 and account_id = $2 for update', [id, accountId]);
      if (!row) return undefined;
      const v = toVerification(row);
      if (v.status !== 'pending') return { verification: v, matched: false };
      if (now >= v.expiresAt) {
        const [e] = await tx.query<Row>(`update verifications set status = 'expired', next_step_at = null where id = $1 returning *`, [id]);
        return { verification: toVerification(e), matched: false };
      }
      const matched = matches(v);
      const status = matched ? 'approved' : v.checks + 1 >= v.maxChecks ? 'max_attempts_reached' : 'pending';
      const [u] = await tx.query<Row>(
        `update verifications set checks = checks + 1, status = $2, approved_at = case when $2 = 'approved' then $3::timestamptz end,
            next_step_at = case when $2 = 'pending' then next_step_at end
          where id = $1 returning *`,
        [id, status, now],
      );
      if (matched) {
        // Credit the latest attempt that did not fail (the code the user most likely read), else the latest.
        await tx.query(
          `update verification_attempts a set verified_at = $2,
              sent_at = coalesce(a.sent_at,
                (select m.submitted_at from messages m where m.id = a.message_id),
                (select coalesce(w.sent_at, w.accepted_at) from whatsapp_messages w where w.id = a.message_id)),
              route = coalesce(a.route, (select m.channel_id from messages m where m.id = a.message_id))
            where a.id = coalesce(
              (select id from verification_attempts where verification_id = $1 and status <> 'failed' order by seq desc limit 1),
              (select id from verification_attempts where verification_id = $1 order by seq desc limit 1))`,
          [id, now],
        );
      }
      return { verification: toVerification(u), matched };
    });
  }

  async cancel(accountId: string, id: string): Promise<Verification | undefined> {
    const [row] = await this.db.query<Row>(
      `update verifications set status = case when status = 'pending' then 'cancelled' else status end, next_step_at = null
        where id = $1 and account_id = $2 returning *`,
      [id, accountId],
    );
    return row ? toVerification(row) : undefined;
  }

  async countAttempts(verificationId: string): Promise<number> {
    const [r] = await this.db.query<{ n: number }>('select count(*)::int as n from verification_attempts where verification_id = $1', [verificationId]);
    return r.n;
  }
}
