/**
 * Persists what an upstream said about a batch of submissions, in one transaction: one row per part
 * with the raw upstream id and code, the message's new status, and reports for final failures.
 * Returns the messages that should move on to another channel.
 */
import type { Db } from '../db/db-client.js';
import type { SubmitOutcome } from '../channels/channel-adapter.js';
import type { OutboundJobMessage } from './message.js';
import { enqueueReports } from '../receipts/report.repository.js';
import type { StatusReportPayload } from '../receipts/status-report.js';

export const MAX_ATTEMPTS = 3;

export interface RetryPlan {
  /** Next channel id, or the same channel when none is left and the error was transient. */
  channelId: string;
  delayMs: number;
  message: OutboundJobMessage;
}

export class SubmitRecorder {
  constructor(private readonly db: Db) {}

  /**
   * Claims queued messages for submission (queued → submitting) and returns the ids claimed. A job
   * delivered twice (a re-dispatch after a lost hand-off, a redelivered BullMQ job) finds its
   * messages already claimed and sends nothing, so no message is submitted twice.
   */
  async claim(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(
      `update messages set status = 'submitting' where id = any($1::text[]) and status = 'queued' returning id`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  async record(channelId: string, messages: OutboundJobMessage[], outcomes: SubmitOutcome[]): Promise<RetryPlan[]> {
    const parts = { id: [] as string[], attempt: [] as number[], no: [] as number[], upstream: [] as (string | null)[], status: [] as string[], error: [] as (string | null)[], code: [] as (string | null)[] };
    const submitted = { id: [] as string[], attempt: [] as number[] };
    const failed = { id: [] as string[], code: [] as string[], message: [] as string[] };
    const retries: RetryPlan[] = [];

    messages.forEach((m, i) => {
      const o = outcomes[i];
      o.upstreamIds.forEach((uid, p) => {
        parts.id.push(m.id); parts.attempt.push(m.attempt); parts.no.push(p + 1); parts.upstream.push(uid);
        parts.status.push('ok'); parts.error.push(null); parts.code.push(null);
      });
      if (o.ok) {
        submitted.id.push(m.id);
        submitted.attempt.push(m.attempt);
        return;
      }
      parts.id.push(m.id); parts.attempt.push(m.attempt); parts.no.push(o.upstreamIds.length + 1); parts.upstream.push(null);
      parts.status.push('error'); parts.error.push(`${o.error.code}: ${o.error.message}`);
      parts.code.push(o.error.providerCode == null ? null : String(o.error.providerCode));
      const next = m.fallbacks[0];
      const moreAttempts = m.attempt < MAX_ATTEMPTS;
      if (next && moreAttempts) {
        retries.push({ channelId: next, delayMs: 0, message: { ...m, attempt: m.attempt + 1, fallbacks: m.fallbacks.slice(1) } });
      } else if (o.error.retryable && moreAttempts) {
        retries.push({ channelId, delayMs: 2_000 * m.attempt, message: { ...m, attempt: m.attempt + 1 } });
      } else {
        failed.id.push(m.id);
        failed.code.push(o.error.retryable ? 'CHANNEL_UNAVAILABLE' : 'UPSTREAM_REJECTED');
        failed.message.push(`${o.error.code}: ${o.error.message}`);
      }
    });

    await this.db.transaction(async (tx) => {
      if (parts.id.length) {
        await tx.query(
          `insert into message_parts (message_id, attempt, part_no, channel_id, upstream_id, submit_status, submit_error, provider_code)
           select u.id, u.attempt, u.no, $8, u.upstream, u.status, u.error, u.code
             from unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[])
               as u(id, attempt, no, upstream, status, error, code)
           on conflict do nothing`,
          [parts.id, parts.attempt, parts.no, parts.upstream, parts.status, parts.error, parts.code, channelId],
        );
      }
      if (submitted.id.length) {
        await tx.query(
          `update messages m set status = 'submitted', submitted_at = now(), channel_id = $3, attempt = u.attempt,
                  parts_delivered = 0, parts_failed = 0
             from unnest($1::text[], $2::int[]) as u(id, attempt)
            where m.id = u.id and m.status = 'submitting'`,
          [submitted.id, submitted.attempt, channelId],
        );
      }
      if (retries.length) {
        await tx.query(`update messages set status = 'queued', dispatched_at = now() where id = any($1::text[]) and status = 'submitting'`, [retries.map((r) => r.message.id)]);
      }
      if (failed.id.length) {
        const rows = await tx.query(
          `update messages m set status = 'failed', error_code = u.code, error_message = u.msg, done_at = now(), channel_id = $4
             from unnest($1::text[], $2::text[], $3::text[]) as u(id, code, msg)
            where m.id = u.id and m.status = 'submitting'
            returning m.id, m.account_id, m.to_number, m.reference, m.callback_url, m.error_code, m.error_message`,
          [failed.id, failed.code, failed.message, channelId],
        );
        const at = new Date().toISOString();
        await enqueueReports(tx, rows.map((r) => ({
          accountId: r.account_id as string,
          kind: 'status' as const,
          messageId: r.id as string,
          callbackUrl: (r.callback_url as string) ?? undefined,
          payload: {
            type: 'status', messageId: r.id as string, reference: (r.reference as string) ?? null, to: r.to_number as string,
            status: 'failed', errorCode: r.error_code as string, errorMessage: r.error_message as string, at,
          } satisfies StatusReportPayload,
        })));
      }
    });
    return retries;
  }
}
