/**
 * Sends with a channel chain and their steps (migration 013). Every state change is a conditional
 * update, batched over many steps at once (a campaign moves thousands of steps per statement), and
 * returns only the rows it changed: whoever gets a row back owns that move.
 */
import { randomBytes } from 'node:crypto';
import type { Category } from '../accounts/account.js';
import { dateOrNull, type Db, type Queryable } from '../db/db-client.js';
import { enqueueReports } from '../receipts/report.repository.js';
import type { ChannelName, FallbackContent, StepCondition, StepStatus } from './fallback-channel.js';
import type { NewFallbackSend } from './fallback-send.js';

export type SendState = 'running' | 'succeeded' | 'failed';
export type StepState = 'pending' | 'sending' | 'waiting' | 'succeeded' | 'moved_on' | 'failed' | 'skipped';
export type MoveReason = 'not_capable' | 'not_renderable' | 'rejected' | 'failed' | 'timeout';

export interface StepKey {
  sendId: string;
  idx: number;
}

export interface FallbackStep extends StepKey {
  channel: ChannelName;
  condition: StepCondition;
  timeoutSeconds: number;
  state: StepState;
  rendering: string | null;
  payload: unknown;
  channelMessageId: string | null;
  status: StepStatus | null;
  statusAt: Date | null;
  reason: MoveReason | null;
  reasonCode: string | null;
  detail: string | null;
  startedAt: Date | null;
  sentAt: Date | null;
  finishedAt: Date | null;
  dueAt: Date | null;
  claimId: string | null;
}

/** A step the caller now holds (`sending`), with what it needs from its send. */
export interface ClaimedStep extends FallbackStep {
  accountId: string;
  to: string;
  category: Category;
  content: FallbackContent;
  stepCount: number;
}

export interface FallbackSendRecord {
  id: string;
  accountId: string;
  to: string;
  category: Category;
  content: FallbackContent;
  reference: string | null;
  callbackUrl: string | null;
  campaignId: string | null;
  state: SendState;
  currentStep: number;
  stepCount: number;
  succeededChannel: ChannelName | null;
  createdAt: Date;
  finishedAt: Date | null;
  reportedAt: Date | null;
  steps: FallbackStep[];
}

export interface SentStep extends StepKey {
  claimId: string;
  channelMessageId: string;
  rendering: string;
  payload: unknown;
  status: StepStatus;
  at: Date;
  /** When the condition is given up on (waiting). */
  dueAt: Date;
}

export interface Move extends StepKey {
  reason: MoveReason;
  code: string | null;
  detail: string | null;
  /** Recorded with the step when known (a failure the channel reported). */
  channelMessageId?: string | null;
  status?: StepStatus | null;
}

/** What a move did: the next step to run, or the send ended failed (last step). */
export interface MoveResult extends StepKey {
  next: number | null;
}

type StepRow = Record<string, unknown>;

function toStep(r: StepRow): FallbackStep {
  return {
    sendId: r.send_id as string, idx: Number(r.idx), channel: r.channel as ChannelName, condition: r.condition as StepCondition,
    timeoutSeconds: Number(r.timeout_seconds), state: r.state as StepState, rendering: (r.rendering as string) ?? null,
    payload: r.payload ?? null, channelMessageId: (r.channel_message_id as string) ?? null, status: (r.status as StepStatus) ?? null,
    statusAt: dateOrNull(r.status_at), reason: (r.reason as MoveReason) ?? null, reasonCode: (r.reason_code as string) ?? null,
    detail: (r.detail as string) ?? null, startedAt: dateOrNull(r.started_at), sentAt: dateOrNull(r.sent_at),
    finishedAt: dateOrNull(r.finished_at), dueAt: dateOrNull(r.due_at), claimId: (r.claim_id as string) ?? null,
  };
}

/** A status's rank in SQL: later statuses outrank earlier ones; failures outrank all (they are final). */
const STATUS_RANK_SQL = (col: string) =>
  `(case ${col} when 'accepted' then 1 when 'sent' then 2 when 'delivered' then 3 when 'read' then 4 when 'failed' then 5 when 'not_capable' then 5 else 0 end)`;

const keys = (items: readonly StepKey[]) => [items.map((i) => i.sendId), items.map((i) => i.idx)];

export class FallbackRepository {
  constructor(private readonly db: Db) {}

  /** Stores sends and all their steps; the first step becomes due for the sweeper after `graceMs`. */
  async insert(sends: readonly NewFallbackSend[], now: Date, graceMs: number): Promise<void> {
    if (sends.length === 0) return;
    const steps = sends.flatMap((s) => s.chain.map((c, idx) => ({ sendId: s.id, idx, ...c })));
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into fallback_sends (id, account_id, to_number, category, content, reference, callback_url, campaign_id, state, step_count, created_at)
         select u.id, u.account_id, u.to_number, u.category, u.content::jsonb, u.reference, u.callback_url, u.campaign_id, 'running', u.step_count, $10
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
             as u(id, account_id, to_number, category, content, reference, callback_url, campaign_id, step_count)`,
        [sends.map((s) => s.id), sends.map((s) => s.accountId), sends.map((s) => s.to), sends.map((s) => s.category),
          sends.map((s) => JSON.stringify(s.content)), sends.map((s) => s.reference), sends.map((s) => s.callbackUrl),
          sends.map((s) => s.campaignId), sends.map((s) => s.chain.length), now],
      );
      await tx.query(
        `insert into fallback_steps (send_id, idx, channel, condition, timeout_seconds, state, due_at)
         select u.send_id, u.idx, u.channel, u.condition, u.timeout_seconds, 'pending',
                case when u.idx = 0 then $6::timestamptz + make_interval(secs => $7) end
           from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[]) as u(send_id, idx, channel, condition, timeout_seconds)`,
        [steps.map((s) => s.sendId), steps.map((s) => s.idx), steps.map((s) => s.channel), steps.map((s) => s.condition),
          steps.map((s) => s.timeoutSeconds), now, graceMs / 1000],
      );
    });
  }

  /**
   * Takes pending steps of running sends (and, with `takeOver`, `sending` steps whose claim is still
   * the one given: a holder that died). Returns the steps now held, with a fresh claim id.
   */
  async claim(items: ReadonlyArray<StepKey & { takeOver?: string }>, now: Date, leaseMs: number): Promise<ClaimedStep[]> {
    if (items.length === 0) return [];
    const claimId = randomBytes(8).toString('hex');
    const rows = await this.db.query(
      `with c as (
         update fallback_steps s set state = 'sending', started_at = coalesce(s.started_at, $4), claim_id = $6,
                due_at = $4::timestamptz + make_interval(secs => $5)
           from unnest($1::text[], $2::int[], $3::text[]) as u(send_id, idx, take_over), fallback_sends f
          where s.send_id = u.send_id and s.idx = u.idx and f.id = s.send_id and f.state = 'running'
            and (s.state = 'pending' or (s.state = 'sending' and s.claim_id = u.take_over))
         returning s.*)
       select c.*, f.account_id, f.to_number, f.category, f.content, f.step_count
         from c join fallback_sends f on f.id = c.send_id`,
      [...keys(items), items.map((i) => i.takeOver ?? null), now, leaseMs / 1000, claimId],
    );
    return rows.map((r) => ({
      ...toStep(r), accountId: r.account_id as string, to: r.to_number as string, category: r.category as Category,
      content: r.content as FallbackContent, stepCount: Number(r.step_count),
    }));
  }

  /** Steps sent and now waiting for their condition (only those still held under the given claim). */
  async recordSent(items: readonly SentStep[]): Promise<Array<StepKey & { status: StepStatus; statusAt: Date }>> {
    if (items.length === 0) return [];
    // A status event may have come in before the send was recorded: the later status is kept.
    const keepEarlier = `${STATUS_RANK_SQL('s.status')} > ${STATUS_RANK_SQL('u.status')}`;
    const rows = await this.db.query<{ send_id: string; idx: number; status: StepStatus; status_at: Date }>(
      `update fallback_steps s set state = 'waiting', channel_message_id = u.message_id, rendering = u.rendering, payload = u.payload::jsonb,
              status = case when ${keepEarlier} then s.status else u.status end,
              status_at = case when ${keepEarlier} then s.status_at else u.at end, sent_at = u.at, due_at = u.due_at, claim_id = null
         from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])
           as u(send_id, idx, claim_id, message_id, rendering, payload, status, at, due_at)
        where s.send_id = u.send_id and s.idx = u.idx and s.state = 'sending' and s.claim_id = u.claim_id
        returning s.send_id, s.idx, s.status, s.status_at`,
      [...keys(items), items.map((i) => i.claimId), items.map((i) => i.channelMessageId), items.map((i) => i.rendering),
        items.map((i) => JSON.stringify(i.payload ?? null)), items.map((i) => i.status), items.map((i) => i.at), items.map((i) => i.dueAt)],
    );
    return rows.map((r) => ({ sendId: r.send_id, idx: Number(r.idx), status: r.status, statusAt: new Date(r.status_at) }));
  }

  /**
   * Steps whose condition was met: the step succeeds, its send succeeds, later steps are skipped.
   * Returns the steps this call decided.
   */
  async succeed(items: ReadonlyArray<StepKey & { status: StepStatus; at: Date }>): Promise<StepKey[]> {
    if (items.length === 0) return [];
    const rows = await this.db.query<{ send_id: string; idx: number }>(
      `with s as (
         update fallback_steps st set state = 'succeeded', status = u.status, status_at = u.at, finished_at = u.at, due_at = null, claim_id = null
           from unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[]) as u(send_id, idx, status, at)
          where st.send_id = u.send_id and st.idx = u.idx and (st.state = 'sending' or st.state = 'waiting')
         returning st.send_id, st.idx, st.channel, u.at),
       f as (
         update fallback_sends fs set state = 'succeeded', succeeded_channel = s.channel, current_step = s.idx, finished_at = s.at
           from s where fs.id = s.send_id and fs.state = 'running'),
       k as (
         update fallback_steps x set state = 'skipped', due_at = null
           from s where x.send_id = s.send_id and x.idx > s.idx and x.state = 'pending')
       select send_id, idx from s`,
      [...keys(items), items.map((i) => i.status), items.map((i) => i.at)],
    );
    return rows.map((r) => ({ sendId: r.send_id, idx: Number(r.idx) }));
  }

  /**
   * Steps that gave up: the next step becomes current (due for the sweeper after `graceMs`, in case
   * this process dies before running it), or the send fails when it was the last.
   */
  async moveOn(items: readonly Move[], now: Date, graceMs: number): Promise<MoveResult[]> {
    if (items.length === 0) return [];
    const rows = await this.db.query<{ send_id: string; idx: number; state: StepState }>(
      `with m as (
         update fallback_steps st set state = case when st.idx + 1 >= fs.step_count then 'failed' else 'moved_on' end,
                reason = u.reason, reason_code = u.code, detail = u.detail, finished_at = $8, due_at = null, claim_id = null,
                channel_message_id = coalesce(u.message_id, st.channel_message_id),
                status = coalesce(u.status, st.status), status_at = case when u.status is null then st.status_at else $8 end
           from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as u(send_id, idx, reason, code, detail, message_id, status),
                fallback_sends fs
          where st.send_id = u.send_id and st.idx = u.idx and fs.id = st.send_id and (st.state = 'sending' or st.state = 'waiting')
         returning st.send_id, st.idx, st.state),
       n as (
         update fallback_steps x set due_at = $8::timestamptz + make_interval(secs => $9)
           from m where m.state = 'moved_on' and x.send_id = m.send_id and x.idx = m.idx + 1 and x.state = 'pending'),
       f as (
         update fallback_sends fs set current_step = case when m.state = 'moved_on' then m.idx + 1 else m.idx end,
                state = case when m.state = 'failed' then 'failed' else fs.state end,
                finished_at = case when m.state = 'failed' then $8 else fs.finished_at end
           from m where fs.id = m.send_id and fs.state = 'running')
       select send_id, idx, state from m`,
      [...keys(items), items.map((i) => i.reason), items.map((i) => i.code), items.map((i) => i.detail),
        items.map((i) => i.channelMessageId ?? null), items.map((i) => i.status ?? null), now, graceMs / 1000],
    );
    return rows.map((r) => ({ sendId: r.send_id, idx: Number(r.idx), next: r.state === 'moved_on' ? Number(r.idx) + 1 : null }));
  }

  /**
   * Records channel statuses on their steps (never moving a status backwards; a failure always
   * lands, and stays) and returns the steps as they now are, with their send's account, state and report time:
   * one statement for a round of status events. Steps that are not started or were skipped, and
   * events about another channel message than the step's, are left out.
   */
  async applyStatuses(items: ReadonlyArray<StepKey & { status: StepStatus; at: Date; channelMessageId: string }>): Promise<Array<FallbackStep & { accountId: string; sendState: SendState; reportedAt: Date | null }>> {
    if (items.length === 0) return [];
    const rows = await this.db.query(
      `with upd as (
         update fallback_steps st set status = u.status, status_at = u.at
           from unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[], $5::text[]) as u(send_id, idx, status, at, message_id)
          where st.send_id = u.send_id and st.idx = u.idx and st.state <> 'pending' and st.state <> 'skipped'
            and (st.channel_message_id is null or st.channel_message_id = u.message_id)
            and ${STATUS_RANK_SQL('u.status')} >= ${STATUS_RANK_SQL('st.status')} and st.status is distinct from 'failed' and st.status is distinct from 'not_capable'
         returning st.*)
       select upd.*, f.account_id, f.state as send_state, f.reported_at from upd join fallback_sends f on f.id = upd.send_id`,
      [...keys(items), items.map((i) => i.status), items.map((i) => i.at), items.map((i) => i.channelMessageId)],
    );
    return rows.map((r) => ({ ...toStep(r), accountId: r.account_id as string, sendState: r.send_state as SendState, reportedAt: dateOrNull(r.reported_at) }));
  }

  /**
   * Steps the sweeper must look at (pending past their grace, sending past their lease, waiting past
   * their timeout). Each is pushed back by `leaseMs` so concurrent sweepers split the work.
   */
  async due(now: Date, limit: number, leaseMs: number): Promise<Array<FallbackStep & { accountId: string }>> {
    const rows = await this.db.query(
      `with d as materialized (
         select send_id, idx, due_at as seen_due from fallback_steps
          where due_at <= $1 and (state = 'pending' or state = 'sending' or state = 'waiting')
          order by due_at limit $2 for update skip locked)
       update fallback_steps st set due_at = $1::timestamptz + make_interval(secs => $3)
         from d, fallback_sends f where st.send_id = d.send_id and st.idx = d.idx and f.id = st.send_id
       returning st.*, f.account_id`,
      [now, limit, leaseMs / 1000],
    );
    return rows.map((r) => ({ ...toStep(r), accountId: r.account_id as string }));
  }

  async get(accountId: string, id: string): Promise<FallbackSendRecord | undefined> {
    const [s] = await this.db.query(`select * from fallback_sends where id = $1 and account_id = $2`, [id, accountId]);
    if (!s) return undefined;
    const steps = await this.db.query(`select * from fallback_steps where send_id = $1 order by idx`, [id]);
    return toSend(s, steps.map(toStep));
  }

  /**
   * Queues the customer's status report of each send, once: a send already reported is left out.
   * Returns the ids reported by this call.
   */
  async report(outcomes: ReadonlyArray<{ sendId: string; status: 'delivered' | 'failed'; errorCode: string | null; errorMessage: string | null }>, at: Date): Promise<string[]> {
    if (outcomes.length === 0) return [];
    return this.db.transaction(async (tx: Queryable) => {
      const rows = await tx.query(
        `update fallback_sends f set reported_at = $2 where id = any($1::text[]) and reported_at is null
         returning id, account_id, to_number, reference, callback_url,
                   (select channel from fallback_steps st where st.send_id = f.id and st.idx = f.current_step) as channel`,
        [outcomes.map((o) => o.sendId), at],
      );
      const byId = new Map(outcomes.map((o) => [o.sendId, o]));
      await enqueueReports(tx, rows.map((s) => {
        const o = byId.get(s.id as string)!;
        return {
          accountId: s.account_id as string, kind: 'status' as const, messageId: o.sendId, callbackUrl: (s.callback_url as string) ?? undefined,
          payload: {
            type: 'status', messageId: o.sendId, reference: (s.reference as string) ?? null, to: s.to_number as string,
            status: o.status, errorCode: o.errorCode, errorMessage: o.errorMessage, channel: s.channel as string, at: at.toISOString(),
          },
        };
      }));
      return rows.map((r) => r.id as string);
    });
  }
}

function toSend(s: Record<string, unknown>, steps: FallbackStep[]): FallbackSendRecord {
  return {
    id: s.id as string, accountId: s.account_id as string, to: s.to_number as string, category: s.category as Category,
    content: s.content as FallbackContent, reference: (s.reference as string) ?? null, callbackUrl: (s.callback_url as string) ?? null,
    campaignId: (s.campaign_id as string) ?? null, state: s.state as SendState, currentStep: Number(s.current_step),
    stepCount: Number(s.step_count), succeededChannel: (s.succeeded_channel as ChannelName) ?? null,
    createdAt: new Date(s.created_at as string), finishedAt: dateOrNull(s.finished_at), reportedAt: dateOrNull(s.reported_at), steps,
  };
}
