/**
 * Sending multimedia messages: a recipient's message from an approved template (or composed
 * inline), stored and paid for in one statement, submitted to the MMS gateway, then followed by
 * its status reports. Used by POST /v1/mms/messages and by the fallback channel.
 *
 * Billing (DOMAIN.md: per message, about 3× a text part): the price is MMS_PRICE_PARTS × the
 * account's price per part. Prepaid balances are debited when the message is stored (402 when
 * they do not cover it, nothing stored); a message the gateway refuses never left the platform and
 * is refunded at once; a failure report is refunded as the account's charging mode says
 * (billing/charging.ts: submit-billed keeps it, receipt-billed gives it back). Postpaid accounts
 * are never debited; their messages record cost and refund for the bill.
 */
import type { Account, Category } from '../../accounts/account.js';
import type { AccountRepository } from '../../accounts/account.repository.js';
import { chargeMillis } from '../../billing/charging.js';
import type { ChannelStatusEvent, StepStatus } from '../../fallback/fallback-channel.js';
import { AppError } from '../../http/app-error.js';
import { newId } from '../../ids.js';
import { maskNumber, type Logger } from '../../logging/logger.js';
import { composeMms, type SlideInput } from './mms-compose.js';
import type { MmsGatewayAdapter } from './mms-gateway.adapter.js';
import type { GatewayReport } from './mms-gateway-api.js';
import type { MmsMessage, MmsMessageRepository } from './mms-message.repository.js';
import { outgoingOf, submitRequestOf, type OutgoingMms } from './mms-outgoing.js';
import type { MmsRendering } from './mms-prepared-template.js';
import { MMS_PROFILES, type MmsProfileId } from './mms-profiles.js';
import type { MmsTemplateService } from './mms-template.service.js';

/** An MMS costs this many text parts. */
export const MMS_PRICE_PARTS = 3;

export interface MmsServiceDeps {
  repo: MmsMessageRepository;
  templates: MmsTemplateService;
  gateway: MmsGatewayAdapter;
  accounts: AccountRepository;
  logger: Logger;
  /** How often the worker reads the gateway's status reports. */
  reportPollMs: number;
}

export interface SendOptions {
  to: string;
  category: Category;
  /** The fallback engine's step: one message per stepRef. */
  stepRef?: string;
  /** `step`: a gateway outage throws (the engine retries the step); `api`: the message fails and is refunded. */
  mode: 'api' | 'step';
}

type Listener = (e: ChannelStatusEvent) => void | Promise<void>;

/** Platform codes of failure reports (the network's own code is kept as providerCode). */
const REPORT_CODES: Partial<Record<GatewayReport['status'], string>> = { UNDELIV: 'MMS_UNDELIVERABLE', EXPIRED: 'MMS_EXPIRED', REJECTD: 'MMS_REJECTED' };

/** An MMS is one billable unit; a failure report means: taken by the gateway, then failed. */
const FAILED_AFTER_SUBMIT = { parts: 1, submittedOk: 1, delivered: 0, failed: 1, unknown: 0 };

const STEP_STATUS: Record<MmsMessage['status'], StepStatus | undefined> = { pending: undefined, accepted: 'accepted', delivered: 'delivered', failed: 'failed' };

export class MmsService {
  private readonly listeners = new Set<Listener>();
  private timer?: NodeJS.Timeout;
  private cursor = 0;
  private polling?: Promise<void>;

  constructor(private readonly deps: MmsServiceDeps) {}

  /** One recipient's message from an approved template. */
  async sendTemplate(accountId: string, req: { templateId: string; variables: Record<string, unknown>; profile?: MmsProfileId }, opts: SendOptions): Promise<MmsMessage> {
    const prepared = await this.deps.templates.prepare(accountId, req.templateId, req.profile);
    return this.sendRendering(accountId, prepared.render(req.variables), opts);
  }

  /** A rendering made by PreparedMmsTemplate (the fallback channel's payload). */
  async sendRendering(accountId: string, r: MmsRendering, opts: SendOptions): Promise<MmsMessage> {
    const prepared = await this.deps.templates.prepare(accountId, r.templateId, r.profile);
    return this.dispatch(accountId, outgoingOf(prepared.fit, r.subject, r.texts, r.templateId), opts);
  }

  /** A message composed from the request's own slides (pictures fitted now). */
  async sendInline(accountId: string, req: { subject: string; slides: SlideInput[]; profile: MmsProfileId }, opts: SendOptions): Promise<MmsMessage> {
    const composed = await composeMms(MMS_PROFILES[req.profile], req.subject, req.slides);
    return this.dispatch(accountId, outgoingOf(composed, req.subject, req.slides.map((s) => s.text), null), opts);
  }

  get(accountId: string, id: string): Promise<MmsMessage | undefined> {
    return this.deps.repo.get(accountId, id);
  }

  byStepRef(stepRef: string): Promise<MmsMessage | undefined> {
    return this.deps.repo.byStepRef(stepRef);
  }

  onStatus(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async dispatch(accountId: string, out: OutgoingMms, opts: SendOptions): Promise<MmsMessage> {
    const account = await this.deps.accounts.findById(accountId);
    if (!account) throw new AppError(404, 'NOT_FOUND', `Account ${accountId} not found`);
    if (!account.categories.includes(opts.category)) {
      throw new AppError(403, 'CATEGORY_NOT_ALLOWED', `This account may not send ${opts.category} messages`, 'category');
    }
    if (out.totalBytes > MMS_PROFILES[out.profile].maxBytes) {
      // Guarded before: compose and render never produce this. Refusing here keeps a bug from paying the carrier.
      throw new AppError(400, 'MMS_TOO_LARGE', `the message is ${out.totalBytes} bytes, over the ${out.profile} limit`, 'slides');
    }
    const stored = await this.deps.repo.insert({
      id: newId('mms'), accountId, to: opts.to, category: opts.category, templateId: out.templateId, profile: out.profile, subject: out.subject,
      stepRef: opts.stepRef ?? null, totalBytes: out.totalBytes, slides: out.slides, costMillis: priceOf(account),
    }, account.billingType === 'prepaid');
    if (stored.kind === 'insufficient_balance') {
      throw new AppError(402, 'INSUFFICIENT_BALANCE', `This MMS costs ${priceOf(account)} milli-yuan; top up the prepaid balance first`);
    }
    // A repeated step: its message went to the gateway already, or the first try met an outage
    // (still pending): submit again under the same outId, which the gateway deduplicates.
    if (stored.kind === 'step_exists' && stored.message.status !== 'pending') return stored.message;
    return this.submit(account, stored.message, out, opts.mode);
  }

  private async submit(account: Account, m: MmsMessage, out: OutgoingMms, mode: SendOptions['mode']): Promise<MmsMessage> {
    const res = await this.deps.gateway.submit(submitRequestOf(m.id, m.to, out));
    if (res.ok) {
      const accepted = await this.deps.repo.accepted(m.id, res.value.msgId);
      if (accepted) this.emit(accepted);
      return accepted ?? (await this.deps.repo.get(account.id, m.id))!;
    }
    const e = res.error;
    if (e.retryable && mode === 'step') throw e;
    this.deps.logger.warn('MMS refused by the gateway', { messageId: m.id, to: maskNumber(m.to), code: e.code, providerCode: e.providerCode });
    // Refused at submit: it never left the platform, so all of it comes back.
    const failed = await this.deps.repo.finish({ id: m.id }, { status: 'failed', code: e.code, providerCode: e.providerCode === undefined ? null : String(e.providerCode), detail: e.message }, (x) => x.costMillis);
    if (failed) this.emit(failed);
    return failed ?? (await this.deps.repo.get(account.id, m.id))!;
  }

  /** Applies status reports (idempotent: a repeated report changes nothing). */
  async applyReports(reports: readonly GatewayReport[]): Promise<number> {
    let applied = 0;
    for (const r of reports) {
      const delivered = r.status === 'DELIVRD';
      const done = await this.deps.repo.finish({ providerMessageId: r.msgId }, {
        status: delivered ? 'delivered' : 'failed', code: delivered ? null : REPORT_CODES[r.status] ?? 'MMS_UNDELIVERABLE', providerCode: r.errCode, detail: delivered ? null : `${r.status} err ${r.errCode}`,
      }, (m, mode) => (delivered ? 0 : m.costMillis - chargeMillis(mode, FAILED_AFTER_SUBMIT, m.costMillis)))
        .catch((err: unknown) => {
          this.deps.logger.error('MMS report not applied', { err, msgId: r.msgId });
          return undefined;
        });
      if (done) {
        applied++;
        this.emit(done);
      }
    }
    return applied;
  }

  /** Reads every report since the last read (worker role). */
  async pollReports(): Promise<number> {
    let total = 0;
    for (;;) {
      const res = await this.deps.gateway.reports(this.cursor, 500);
      if (!res.ok) {
        this.deps.logger.warn('MMS report read failed', { code: res.error.code, message: res.error.message });
        return total;
      }
      total += await this.applyReports(res.value.reports);
      this.cursor = Math.max(this.cursor, res.value.last);
      if (res.value.reports.length < 500) return total;
    }
  }

  start(): void {
    const loop = () => {
      this.timer = setTimeout(() => {
        this.polling = this.pollReports().then(() => undefined, (err: unknown) => this.deps.logger.warn('MMS report poll failed', { err })).finally(loop);
      }, this.deps.reportPollMs);
      this.timer.unref();
    };
    loop();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  private emit(m: MmsMessage): void {
    const status = STEP_STATUS[m.status];
    if (!m.stepRef || !status) return;
    const last = m.history.at(-1);
    const e: ChannelStatusEvent = { stepRef: m.stepRef, channelMessageId: m.id, status, at: last ? new Date(last.at) : new Date(), code: m.errorCode, detail: m.errorMessage };
    for (const l of this.listeners) {
      void Promise.resolve().then(() => l(e)).catch((err: unknown) => this.deps.logger.error('MMS status listener failed', { err }));
    }
  }
}

export const priceOf = (a: Pick<Account, 'pricePerPartMillis'>) => a.pricePerPartMillis * MMS_PRICE_PARTS;
