/**
 * Applies delivery receipts in batches (receipts arrive by the thousand per second): matches each
 * to its part by (channel, upstream id), updates the message's counters and status, and owes the
 * customer a report per part (or one per message, by account setting).
 *
 * A receipt can overtake the write of its own submit result (the SMSC answers and reports within
 * milliseconds); unmatched receipts are kept and retried for a while instead of being dropped.
 */
import type { Db } from '../db/db-client.js';
import type { DeliveryReport } from '../channels/channel-adapter.js';
import type { Logger } from '../logging/logger.js';
import type { ChannelStatsTracker } from '../routing/channel-stats.js';
import { enqueueReports, type NewReport } from './report.repository.js';
import { statusFromStat, statusReportFor, type ReportedMessage } from './status-report.js';

interface PendingReceipt extends DeliveryReport {
  channelId: string;
  firstSeen: number;
}

export interface FailedEarly {
  messageId: string;
  accountId: string;
  channelId: string;
  /** The failure report held back while a resend is decided; owed if there is no resend. */
  heldReport: NewReport;
}

export interface ReceiptProcessorOptions {
  db: Db;
  logger: Logger;
  flushMs?: number;
  maxBatch?: number;
  /** How long an unmatched receipt is retried before it is logged and dropped. */
  unmatchedTtlMs?: number;
  /** Accounts that want one report per message rather than per part. */
  perMessage: (accountId: string) => boolean;
  /** Accounts whose failed messages may be resent on another channel (daily cap above zero). */
  mayResend?: (accountId: string) => boolean;
  /**
   * Called for messages that failed within the resend window of accounts that may resend. Their
   * failure reports are held back (the customer would otherwise see "failed" and then
   * "delivered"); the callee enqueues `heldReport` when it decides not to resend.
   */
  onEarlyFailure?: (failures: FailedEarly[]) => void;
  resendWindowMs?: number;
  /** Receives every matched final receipt, for adaptive routing weights. */
  stats?: ChannelStatsTracker;
}

export class ReceiptProcessor {
  private buffer: PendingReceipt[] = [];
  private unmatched: PendingReceipt[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly unmatchedTtlMs: number;

  constructor(private readonly opts: ReceiptProcessorOptions) {
    this.flushMs = opts.flushMs ?? 25;
    this.maxBatch = opts.maxBatch ?? 2_000;
    this.unmatchedTtlMs = opts.unmatchedTtlMs ?? 60_000;
  }

  add(channelId: string, r: DeliveryReport): void {
    this.buffer.push({ ...r, channelId, firstSeen: Date.now() });
    if (this.buffer.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Applies everything buffered so far; resolves when written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.applyBuffered()).catch((err) => this.opts.logger.error('receipt flush failed', { err }));
    return this.flushing;
  }

  pendingCount(): number {
    return this.buffer.length + this.unmatched.length;
  }

  private async applyBuffered(): Promise<void> {
    const now = Date.now();
    // Unmatched receipts get another go with each flush, until their time is up.
    const batch = [...this.unmatched, ...this.buffer.splice(0, this.buffer.length)];
    this.unmatched = [];
    if (batch.length === 0) return;
    const byChannel = new Map<string, PendingReceipt[]>();
    for (const r of batch) {
      const list = byChannel.get(r.channelId) ?? [];
      list.push(r);
      byChannel.set(r.channelId, list);
    }
    for (const [channelId, list] of byChannel) {
      const matched = await this.applyChannel(channelId, list);
      for (const r of list) {
        if (matched.has(r.upstreamId)) continue;
        if (now - r.firstSeen < this.unmatchedTtlMs) this.unmatched.push(r);
        else this.opts.logger.warn('receipt matched no submitted part', { channel: channelId, upstreamId: r.upstreamId });
      }
    }
    if (this.unmatched.length) this.timer ??= setTimeout(() => void this.flush(), 250);
  }

  private async applyChannel(channelId: string, list: PendingReceipt[]): Promise<Set<string>> {
    const finalOnes = list.filter((r) => statusFromStat(r.stat).final);
    const matched = new Set(list.filter((r) => !statusFromStat(r.stat).final).map((r) => r.upstreamId));
    if (finalOnes.length === 0) return matched;
    const resendWindowMs = this.opts.resendWindowMs ?? 30_000;
    const early: FailedEarly[] = [];
    await this.opts.db.transaction(async (tx) => {
      const parts = await tx.query(
        `with r as (select * from unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) as r(upstream_id, stat, err, done_at))
         update message_parts p set dlr_stat = r.stat, dlr_err = r.err, done_at = coalesce(r.done_at, now())
           from r where p.channel_id = $1 and p.upstream_id = r.upstream_id and p.dlr_stat is null
         returning p.message_id, p.attempt, p.part_no, p.upstream_id, p.submitted_at, r.stat, r.err`,
        [channelId, finalOnes.map((r) => r.upstreamId), finalOnes.map((r) => r.stat), finalOnes.map((r) => r.err),
          finalOnes.map((r) => (r.doneAt ? r.doneAt.toISOString() : null))],
      );
      if (parts.length === 0) return;
      const counts = new Map<string, { attempt: number; delivered: number; failed: number }>();
      const arrived = Date.now();
      for (const p of parts) {
        matched.add(p.upstream_id as string);
        this.opts.stats?.recordReceipt(channelId, p.stat === 'DELIVRD', arrived - new Date(p.submitted_at as string).getTime());
        const c = counts.get(p.message_id as string) ?? { attempt: p.attempt as number, delivered: 0, failed: 0 };
        if (statusFromStat(p.stat as string).status === 'delivered') c.delivered++;
        else c.failed++;
        counts.set(p.message_id as string, c);
      }
      const ids = [...counts.keys()];
      const messages = await tx.query<ReportedMessage & { parts: number; status: string; submitted_at: string; resent: boolean }>(
        `update messages m set
            parts_delivered = m.parts_delivered + u.delivered,
            parts_failed = m.parts_failed + u.failed,
            status = case
              when m.parts_delivered + u.delivered >= m.parts then 'delivered'
              when m.parts_delivered + u.delivered + m.parts_failed + u.failed >= m.parts then 'failed'
              else m.status end,
            error_code = case when m.parts_failed + u.failed > 0 and m.parts_delivered + u.delivered + m.parts_failed + u.failed >= m.parts
              then 'DLR_FAILED' else m.error_code end,
            done_at = case when m.parts_delivered + u.delivered + m.parts_failed + u.failed >= m.parts then now() else m.done_at end
           from unnest($1::text[], $2::int[], $3::int[], $4::int[]) as u(id, attempt, delivered, failed)
          where m.id = u.id and m.attempt = u.attempt and m.status = 'submitted'
          returning m.id, m.account_id, m.to_number, m.reference, m.callback_url, m.parts, m.status, m.submitted_at, m.channel_id, m.resent`,
        [ids, ids.map((id) => counts.get(id)!.attempt), ids.map((id) => counts.get(id)!.delivered), ids.map((id) => counts.get(id)!.failed)],
      );
      const byId = new Map(messages.map((m) => [m.id, m]));
      const reports: NewReport[] = [];
      const at = new Date().toISOString();
      const held = new Set<string>();
      // A whole-message report quotes the receipt that decided it: the failing part's, else the last.
      const deciding = new Map<string, Record<string, unknown>>();
      for (const p of parts) {
        const prev = deciding.get(p.message_id as string);
        if (!prev || prev.stat === 'DELIVRD') deciding.set(p.message_id as string, p);
      }
      const upstreamOf = (id: string) => {
        const p = deciding.get(id);
        return p ? { upstream: { channelId, stat: p.stat as string, err: (p.err as string) ?? null } } : {};
      };
      for (const m of messages) {
        const failedEarly = m.status === 'failed' && !m.resent && Date.now() - new Date(m.submitted_at).getTime() < resendWindowMs;
        if (!failedEarly || !this.opts.onEarlyFailure || !this.opts.mayResend?.(m.account_id)) continue;
        held.add(m.id);
        early.push({
          messageId: m.id, accountId: m.account_id, channelId,
          heldReport: statusReportFor(m, { status: 'failed', errorCode: 'DLR_FAILED', errorMessage: null, at, ...upstreamOf(m.id) }),
        });
      }
      for (const p of parts) {
        const m = byId.get(p.message_id as string);
        if (!m) continue; // a receipt for an older attempt, or a message already settled
        if (held.has(m.id) || perMessageReports(m, this.opts.perMessage)) continue;
        const s = statusFromStat(p.stat as string);
        reports.push(statusReportFor(m, {
          status: s.status, errorCode: s.errorCode, errorMessage: null, at,
          part: { no: p.part_no as number, of: m.parts },
          upstream: { channelId, stat: p.stat as string, err: (p.err as string) ?? null },
        }));
      }
      for (const m of messages) {
        const status = m.status;
        const done = status === 'delivered' || status === 'failed';
        if (!done || held.has(m.id) || !perMessageReports(m, this.opts.perMessage)) continue;
        reports.push(statusReportFor(m, {
          status: status as 'delivered' | 'failed', errorCode: status === 'failed' ? 'DLR_FAILED' : null, errorMessage: null, at, ...upstreamOf(m.id),
        }));
      }
      await enqueueReports(tx, reports);
    });
    if (early.length && this.opts.onEarlyFailure) this.opts.onEarlyFailure(early);
    return matched;
  }
}

/**
 * One report per message instead of per part: the account's choice, and always for SMPP customers,
 * whose ESMEs expect one receipt per submit_sm they sent (our own re-segmentation is invisible to
 * them), and for a verification's or a fallback step's own SMS (they want the message's outcome).
 */
function perMessageReports(m: { account_id: string; callback_url: string | null }, accountWants: (accountId: string) => boolean): boolean {
  const url = m.callback_url;
  return (url !== null && (url.startsWith('smpp:') || url.startsWith('verify:') || url.startsWith('chain:'))) || accountWants(m.account_id);
}
