/**
 * Persists what an upstream said about a batch of submissions, in one transaction: one row per part
 * with the raw upstream id and code, the message's new status, and reports for final failures.
 * Returns the messages that should move on to another channel.
 */
import type { Db } from '../db/db-client.js';
import type { SubmitOutcome } from '../channels/channel-adapter.js';
import type { OutboundJobMessage } from './message.js';
import type { ChannelStatsTracker } from '../routing/channel-stats.js';
import type { HandoffMarkers } from '../queues/handoff-markers.js';

export const MAX_ATTEMPTS = 3;

export interface RetryPlan {
  /** Next channel id, or the same channel when none is left and the error was transient. */
  channelId: string;
  delayMs: number;
  message: OutboundJobMessage;
}

export class SubmitRecorder {
  constructor(private readonly db: Db, private readonly handoffs: HandoffMarkers, private readonly stats?: ChannelStatsTracker) {}

  async record(channelId: string, messages: OutboundJobMessage[], outcomes: SubmitOutcome[]): Promise<RetryPlan[]> {
    const parts = { id: [] as string[], attempt: [] as number[], no: [] as number[], upstream: [] as (string | null)[], status: [] as string[], error: [] as (string | null)[], code: [] as (string | null)[] };
    // One row per message: its new status (submitted | queued for a retry | failed) and why.
    const next = { id: [] as string[], status: [] as string[], attempt: [] as number[], code: [] as (string | null)[], message: [] as (string | null)[] };
    const setNext = (id: string, status: string, attempt: number, code: string | null = null, message: string | null = null) => {
      next.id.push(id); next.status.push(status); next.attempt.push(attempt); next.code.push(code); next.message.push(message);
    };
    const retries: RetryPlan[] = [];

    messages.forEach((m, i) => {
      const o = outcomes[i];
      o.upstreamIds.forEach((uid, p) => {
        parts.id.push(m.id); parts.attempt.push(m.attempt); parts.no.push(p + 1); parts.upstream.push(uid);
        parts.status.push('ok'); parts.error.push(null); parts.code.push(null);
      });
      if (o.ok) return void setNext(m.id, 'submitted', m.attempt);
      parts.id.push(m.id); parts.attempt.push(m.attempt); parts.no.push(o.upstreamIds.length + 1); parts.upstream.push(null);
      parts.status.push('error'); parts.error.push(`${o.error.code}: ${o.error.message}`);
      parts.code.push(o.error.providerCode == null ? null : String(o.error.providerCode));
      const moreAttempts = m.attempt < MAX_ATTEMPTS;
      const fallback = m.fallbacks[0];
      if (fallback && moreAttempts) {
        retries.push({ channelId: fallback, delayMs: 0, message: { ...m, attempt: m.attempt + 1, fallbacks: m.fallbacks.slice(1) } });
        setNext(m.id, 'queued', m.attempt + 1);
      } else if (o.error.retryable && moreAttempts) {
        retries.push({ channelId, delayMs: 2_000 * m.attempt, message: { ...m, attempt: m.attempt + 1 } });
        setNext(m.id, 'queued', m.attempt + 1);
      } else {
        setNext(m.id, 'failed', m.attempt, o.error.retryable ? 'CHANNEL_UNAVAILABLE' : 'UPSTREAM_REJECTED', `${o.error.code}: ${o.error.message}`);
      }
    });

    // Retries go back to queued below and onto a queue after: mark them, as the accept path does.
    await this.handoffs.mark(retries.map((r) => r.message.id));
    // One statement (one implicit transaction, one round trip): the parts, every message's new
    // status, and the reports owed for final failures.
    await this.db.query(
      `with parts as (
         insert into message_parts (message_id, attempt, part_no, channel_id, upstream_id, submit_status, submit_error, provider_code)
         select u.id, u.attempt, u.no, $1, u.upstream, u.status, u.error, u.code
           from unnest($2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[])
             as u(id, attempt, no, upstream, status, error, code)
         on conflict do nothing),
       upd as (
         update messages m set
             status = u.status,
             channel_id = $1,
             submitted_at = case when u.status = 'submitted' then now() else m.submitted_at end,
             attempt = u.attempt,
             parts_delivered = case when u.status = 'submitted' then 0 else m.parts_delivered end,
             parts_failed = case when u.status = 'submitted' then 0 else m.parts_failed end,
             error_code = case when u.status = 'failed' then u.code else m.error_code end,
             error_message = case when u.status = 'failed' then u.msg else m.error_message end,
             done_at = case when u.status = 'failed' then now() else m.done_at end
           from unnest($9::text[], $10::text[], $11::int[], $12::text[], $13::text[]) as u(id, status, attempt, code, msg)
          where m.id = u.id and m.status = 'queued'
          returning m.id, m.account_id, m.to_number, m.reference, m.callback_url, m.error_code, m.error_message, m.status)
       insert into reports (account_id, kind, message_id, callback_url, payload)
       select account_id, 'status', id, callback_url,
              jsonb_build_object('type', 'status', 'messageId', id, 'reference', reference, 'to', to_number, 'status', 'failed',
                                 'errorCode', error_code, 'errorMessage', error_message, 'at', $14::text)
         from upd where status = 'failed'`,
      [channelId, parts.id, parts.attempt, parts.no, parts.upstream, parts.status, parts.error, parts.code,
        next.id, next.status, next.attempt, next.code, next.message, new Date().toISOString()],
    );
    this.stats?.recordSubmitted(channelId, outcomes.reduce((n, o) => n + o.upstreamIds.length, 0));
    return retries;
  }
}
