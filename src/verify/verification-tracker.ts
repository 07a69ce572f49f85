/**
 * Feeds channel outcomes into verifications and takes failover steps when they come due:
 * - SMS: the reports outbox rows of a verification's messages (via = 'verify'), leased like the
 *   HTTP pusher's, with the send time and route read from the message itself;
 * - WhatsApp: the service's status events, and the message row itself when a step comes due (an
 *   event seen by another process is not lost, only noticed at the step);
 * - steps: verifications whose next_step_at passed, leased by clearing it.
 */
import type { AccountRepository } from '../accounts/account.repository.js';
import type { WhatsAppService } from '../channels/whatsapp/whatsapp.service.js';
import type { WhatsAppMessage } from '../channels/whatsapp/whatsapp-message.repository.js';
import type { Logger } from '../logging/logger.js';
import type { StatusReportPayload } from '../receipts/status-report.js';
import { attemptIdOf } from './verification-senders.js';
import type { VerificationService } from './verification.service.js';
import type { AttemptChange, VerificationRepository } from './verification.repository.js';
import type { InternalReportRepository } from '../receipts/internal-report.repository.js';

export interface VerificationTrackerDeps {
  service: VerificationService;
  repo: VerificationRepository;
  reports: InternalReportRepository;
  accounts: AccountRepository;
  whatsapp: WhatsAppService;
  logger: Logger;
  /** Pause between scans. Default 100 ms. */
  tickMs?: number;
}

/** A WhatsApp message's state as an attempt change. */
export function changeFromWhatsApp(m: WhatsAppMessage): AttemptChange {
  const status = m.status === 'failed' ? 'failed' : m.status === 'read' ? 'read' : m.status === 'delivered' ? 'delivered' : m.status === 'sent' ? 'sent' : undefined;
  return { status, errorCode: m.errorCode, sentAt: m.sentAt, deliveredAt: m.deliveredAt ?? m.readAt };
}

/** An SMS status report as an attempt change (cancelled and unknown never count as arrived). */
export function changeFromSmsReport(p: StatusReportPayload, m: { submittedAt: Date | null; channelId: string | null; sender: string | null }): AttemptChange {
  const route = { route: m.channelId, connection: m.channelId, senderId: m.sender, sentAt: m.submittedAt };
  if (p.status === 'delivered') return { ...route, status: 'delivered', deliveredAt: new Date(p.at) };
  if (p.status === 'failed' || p.status === 'cancelled') return { ...route, status: 'failed', errorCode: p.errorCode };
  return { ...route, status: m.submittedAt ? 'sent' : undefined };
}

export class VerificationTracker {
  private timer?: NodeJS.Timeout;
  private running = false;
  private unsubscribe?: () => void;
  private busy?: Promise<void>;

  constructor(private readonly deps: VerificationTrackerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.deps.whatsapp.onStatus(async (e) => {
      const ref = e.message.reference;
      if (e.type !== 'status' || !ref?.startsWith('vat_')) return;
      await this.deps.service.attemptChanged(ref, changeFromWhatsApp(e.message));
    });
    const loop = () => {
      if (!this.running) return;
      this.busy = this.tick().catch((err) => this.deps.logger.error('verification tracking failed', { err })).finally(() => {
        if (this.running) this.timer = setTimeout(loop, this.deps.tickMs ?? 100);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.busy;
  }

  /** One round: reports first (a failure report makes a step due at once), then due steps. */
  async tick(): Promise<void> {
    await this.drainReports();
    await this.takeDueSteps();
  }

  private async drainReports(): Promise<void> {
    const reports = await this.deps.reports.claim(500);
    for (const r of reports) {
      const attemptId = attemptIdOf(r.callbackUrl);
      if (attemptId && r.kind === 'status') await this.deps.service.attemptChanged(attemptId, changeFromSmsReport(r.payload as unknown as StatusReportPayload, r.message));
    }
    await this.deps.reports.markDone(reports.map((r) => r.id));
  }

  private async takeDueSteps(): Promise<void> {
    for (const v of await this.deps.repo.claimDueSteps(100)) {
      const account = await this.deps.accounts.findById(v.accountId);
      if (!account) continue;
      const last = await this.deps.repo.latestAttempt(v.id);
      if (last?.channel === 'whatsapp' && last.messageId) {
        const m = await this.deps.whatsapp.get(v.accountId, last.messageId).catch(() => undefined);
        if (m) await this.deps.repo.changeAttempt(last.id, changeFromWhatsApp(m));
      }
      const current = (await this.deps.repo.get(v.accountId, v.id))?.verification;
      if (current) await this.deps.service.stepDue(current, account);
    }
  }
}
