/**
 * The statuses of fallback steps' SMS: the reports outbox rows with a `chain://<step ref>` callback
 * (via = 'chain'), leased like the HTTP pusher's and marked done once handed to the listeners. The
 * sms and smart_sms channels both send SMS; their statuses arrive here once and reach the engine
 * through the sms channel's onStatus (see sms-fallback-channel.ts).
 */
import type { Logger } from '../../logging/logger.js';
import type { InternalReportRepository } from '../../receipts/internal-report.repository.js';
import type { StatusReportPayload } from '../../receipts/status-report.js';
import type { ChannelStatusEvent, StepStatus } from '../fallback-channel.js';
import { stepRefOfCallback } from './sms-step-sender.js';

/** An SMS status report as a step status; `unknown` (no final word yet) is none. */
export function stepStatusOfSms(status: StatusReportPayload['status']): StepStatus | undefined {
  if (status === 'delivered') return 'delivered';
  if (status === 'failed' || status === 'cancelled') return 'failed';
  return undefined;
}

export class SmsStepStatuses {
  private readonly listeners = new Set<(e: ChannelStatusEvent) => void | Promise<void>>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private busy?: Promise<void>;

  constructor(private readonly deps: { reports: InternalReportRepository; logger: Logger; tickMs?: number; batch?: number }) {}

  onStatus(listener: (e: ChannelStatusEvent) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Claims pending reports and hands them to the listeners; returns how many were read. */
  async drain(): Promise<number> {
    let total = 0;
    const batch = this.deps.batch ?? 500;
    for (;;) {
      const reports = await this.deps.reports.claim(batch);
      for (const r of reports) {
        const stepRef = stepRefOfCallback(r.callbackUrl);
        const p = r.payload as unknown as StatusReportPayload;
        const status = r.kind === 'status' ? stepStatusOfSms(p.status) : undefined;
        if (!stepRef || !status) continue;
        const e: ChannelStatusEvent = { stepRef, channelMessageId: p.messageId, status, at: new Date(p.at), code: p.errorCode, detail: p.errorMessage };
        for (const l of this.listeners) await l(e);
      }
      await this.deps.reports.markDone(reports.map((r) => r.id));
      total += reports.length;
      if (reports.length < batch) return total;
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.busy = this.drain().then(() => undefined)
        .catch((err) => this.deps.logger.warn('fallback SMS statuses failed', { err: err instanceof Error ? err.message : String(err) }))
        .finally(() => {
          if (this.running) this.timer = setTimeout(loop, this.deps.tickMs ?? 200).unref();
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy;
  }
}
