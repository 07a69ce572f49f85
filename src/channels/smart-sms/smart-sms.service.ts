/**
 * Smart-SMS use cases on the provider side: register a card template for parsing, get parse links
 * for a send (personalised or bulk), ask which numbers' handsets render cards, and read the
 * provider's aggregate parse reports into campaign_parse_stats (the click report reads them; the
 * parse fee is charged from them). Sending the SMS itself is the caller's: the text carries the link.
 *
 * Failures: invalid input throws AppError (VALIDATION_FAILED naming the field); an unknown template
 * NOT_FOUND; a template not approved by the provider TEMPLATE_NOT_APPROVED; a provider or transport
 * failure throws the adapter's ChannelError (`retryable`, `providerCode`); retrying a link request
 * with the same `requestKey` returns the same links.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/db-client.js';
import { AppError } from '../../http/app-error.js';
import { fromZod } from '../../http/error-handler.js';
import type { Logger } from '../../logging/logger.js';
import { newId } from '../../ids.js';
import { cardSummarySchema, LINK_TYPES, type LinkType, type ProviderTemplate } from './smart-sms-api.js';
import type { SmartSmsAdapter, SmartSmsFailure } from './smart-sms.adapter.js';
import { toProviderMobile } from './smart-sms-numbers.js';
import { SmartSmsRepository, type CampaignParseStats, type ParseFeeDue, type SmartSmsTemplate } from './smart-sms.repository.js';

/** The provider calls the service makes (SmartSmsAdapter). */
export type SmartSmsProviderClient = Pick<SmartSmsAdapter, 'registerTemplate' | 'getTemplate' | 'requestLinks' | 'support' | 'batchReports'>;

export interface SmartSmsServiceOptions {
  db: Db;
  adapter: SmartSmsProviderClient;
  /** The link domain registered with the provider (a function when known only after start). */
  domain: string | (() => string);
  logger: Logger;
  now?: () => Date;
  poll?: {
    /** Period of the report poller (start()). Default 30 s. */
    intervalMs?: number;
    /** Batches are read until this long after their link request (late parses). Default 72 h. */
    windowMs?: number;
    /** Batches claimed per round. Default 1,000. */
    batchLimit?: number;
  };
}

/** What the vendors review (smart-sms-api.ts CardSummary) plus the card's type, name and JSON. */
export const templateSummarySchema = cardSummarySchema.extend({
  cardType: z.string().min(1).max(32).describe('image-text, coupon, short-video, flight, train-ticket, order-notice, carousel…'),
  name: z.string().min(1).max(64).optional().describe('Default: the title.'),
  card: z.record(z.string(), z.unknown()).optional().describe('The card JSON, forwarded for review.'),
}).strict();
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);
const recipientsSchema = z.array(z.object({
  number: z.string().min(3).max(32),
  customUrl: httpUrl.optional(),
  params: z.record(z.string().max(64), z.string().max(256)).optional(),
}).strict()).min(1).max(1_000_000);
const linkOptionsSchema = z.object({
  campaignId: z.string().min(1).max(128),
  requestKey: z.string().min(1).max(128).optional(),
  mode: z.enum(LINK_TYPES).default('personalised'),
}).strict();

/** One recipient of a link request: the number and the H5 page its link opens off-card. */
export interface LinkRecipientInput {
  /** +E.164 or the 11-digit national form of a mainland mobile number. */
  number: string;
  /** This recipient's H5 page (e.g. the platform's own short link); default: the template's. */
  customUrl?: string;
  /** Dynamic card parameters (the card's variables for this recipient). */
  params?: Record<string, string>;
}

export interface LinkRequestOptions {
  /** The campaign the parse counts are reported under (campaign_parse_stats). */
  campaignId: string;
  /** Stable id of this request: a retry with the same key returns the same links. Default: new. */
  requestKey?: string;
  /**
   * `personalised` (default): one link per number, opening the recipient's customUrl off-card.
   * `bulk`: one shared link per 10,000 numbers, opening the template's page (recipients' customUrl
   * is not used).
   */
  mode?: LinkType;
}

export interface PollResult {
  templatesRefreshed: number;
  batchesRead: number;
  /** Campaign rows written to campaign_parse_stats. */
  stats: CampaignParseStats[];
}

export class SmartSmsService {
  readonly repo: SmartSmsRepository;
  private readonly log: Logger;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly opts: SmartSmsServiceOptions) {
    this.repo = new SmartSmsRepository(opts.db);
    this.log = opts.logger.child({ component: 'smart-sms' });
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Registers a card template with the parse platform (review: pending → approved/rejected).
   * `customUrlBase` is the template's H5 page: what a handset that cannot render the card opens
   * for a bulk link, or for a recipient without a page of its own.
   */
  async registerTemplate(accountId: string, cardTemplateId: string, summary: TemplateSummary, customUrlBase: string): Promise<SmartSmsTemplate> {
    const parsed = z.object({ cardTemplateId: z.string().min(1).max(64), summary: templateSummarySchema, customUrl: httpUrl })
      .safeParse({ cardTemplateId, summary, customUrl: customUrlBase });
    if (!parsed.success) throw fromZod(parsed.error);
    const { cardType, name, card, ...review } = parsed.data.summary;
    const domain = this.domain();
    const res = await this.opts.adapter.registerTemplate({ outTemplateId: cardTemplateId, name: name ?? review.title, cardType, summary: review, ...(card ? { card } : {}), domain, customUrl: customUrlBase });
    if (!res.ok) throw this.failure('template registration', res);
    const saved = await this.repo.insertTemplate(fromProvider(accountId, cardTemplateId, res.value));
    this.log.info('smart-SMS template registered', { accountId, cardTemplateId, providerTemplateId: saved.providerTemplateId, status: saved.status });
    return saved;
  }

  /** The registration; `refresh` asks the provider first while the review is pending. */
  async template(accountId: string, providerTemplateId: string, opts: { refresh?: boolean } = {}): Promise<SmartSmsTemplate | undefined> {
    const t = await this.repo.template(accountId, providerTemplateId);
    if (!t || !opts.refresh || t.status !== 'pending') return t;
    return this.refreshTemplate(t);
  }

  /** The latest registration of a card template (undefined: never registered). */
  latestTemplateFor(accountId: string, cardTemplateId: string): Promise<SmartSmsTemplate | undefined> {
    return this.repo.latestForCard(accountId, cardTemplateId);
  }

  /**
   * Parse links for the recipients, number → link (keys as given; two spellings of one number get
   * the same link). Any number of recipients: the adapter makes one provider call per 10,000.
   */
  async requestLinks(accountId: string, providerTemplateId: string, recipients: readonly LinkRecipientInput[], options: LinkRequestOptions): Promise<Map<string, string>> {
    const input = z.object({ recipients: recipientsSchema, options: linkOptionsSchema }).safeParse({ recipients, options });
    if (!input.success) throw fromZod(input.error);
    const { campaignId, requestKey, mode } = input.data.options;
    const bad = recipients.findIndex((r) => toProviderMobile(r.number) === undefined);
    if (bad >= 0) throw new AppError(400, 'INVALID_NUMBER', `recipients.${bad}.number: not a mainland China mobile number; smart SMS cannot reach it`, `recipients.${bad}.number`);
    const template = await this.approvedTemplate(accountId, providerTemplateId);

    // One link per handset: later spellings of a number reuse the first one's link.
    const firstOf = new Map<string, number>();
    const unique: LinkRecipientInput[] = [];
    const slot = recipients.map((r) => {
      const mobile = toProviderMobile(r.number)!;
      let at = firstOf.get(mobile);
      if (at === undefined) {
        firstOf.set(mobile, (at = unique.length));
        unique.push(r);
      }
      return at;
    });
    // The provider's app key is shared by every account: the outId is scoped to the account.
    const outId = 'ss' + createHash('sha256').update(`${accountId}\u0000${requestKey ?? newId('slr')}`).digest('base64url').slice(0, 32);
    const res = await this.opts.adapter.requestLinks({
      templateId: providerTemplateId, domain: template.domain, outId, type: mode,
      ...(mode === 'bulk' ? { customUrl: template.customUrl } : {}), recipients: unique,
    });
    const batches = res.ok ? res.value.batches : res.completed;
    // Recorded even when a later call failed: those links exist and their parses will be reported.
    await this.repo.insertBatches(accountId, campaignId, providerTemplateId, mode, batches);
    if (!res.ok) throw this.failure('link request', res);
    const links = new Map<string, string>();
    recipients.forEach((r, i) => links.set(r.number, res.value.links[slot[i]]));
    return links;
  }

  /**
   * Whether each number's handset renders smart SMS (number → supported; keys as given). Numbers
   * outside mainland China are false. Useful before sending: unsupported handsets get the text and
   * the H5 page, which is not a failure, but marketers like to know the share.
   */
  async support(numbers: readonly string[], providerTemplateId?: string): Promise<Map<string, boolean>> {
    const res = await this.opts.adapter.support(numbers, providerTemplateId);
    if (!res.ok) throw this.failure('support query', res);
    return new Map(numbers.map((n, i) => [n, res.value[i].supported]));
  }

  /**
   * One round of report reading: refreshes templates in review, then reads the aggregate counts of
   * batches due (created within the window, not read in the last half period) and writes each
   * touched campaign's totals to campaign_parse_stats. Safe in several processes at once.
   */
  async pollReports(): Promise<PollResult> {
    let templatesRefreshed = 0;
    for (const t of await this.repo.pendingTemplates(100)) {
      const after = await this.refreshTemplate(t).catch((err: unknown) => {
        this.log.warn('smart-SMS template status check failed', { providerTemplateId: t.providerTemplateId, err });
        return t;
      });
      if (after.status !== 'pending') templatesRefreshed++;
    }
    const interval = this.opts.poll?.intervalMs ?? 30_000;
    const due = await this.repo.claimDueBatches(this.now(), this.opts.poll?.windowMs ?? 72 * 3_600_000, interval / 2, this.opts.poll?.batchLimit ?? 1000);
    if (!due.length) return { templatesRefreshed, batchesRead: 0, stats: [] };
    const res = await this.opts.adapter.batchReports(due.map((d) => d.providerBatchId));
    if (!res.ok) throw this.failure('report query', res);
    const stats = await this.repo.applyReports(res.value.reports.map((r) => ({ providerBatchId: r.batchId, sent: r.sent, parsed: r.parsed, failed: r.failed })), new Date(res.value.asOf));
    return { templatesRefreshed, batchesRead: res.value.reports.length, stats };
  }

  /** A campaign's parse counts, one entry per provider template (aggregate only). */
  campaignStats(accountId: string, campaignId: string): Promise<CampaignParseStats[]> {
    return this.repo.campaignStats(accountId, campaignId);
  }

  /**
   * Charges parses reported since the last charge: `debit` gets each (account, campaign,
   * template) with its new parse count inside the transaction that marks them charged; debit with
   * `tx` (parseFeeFor gives the amount), or throw to leave them uncharged.
   */
  settleParseFees(debit: (tx: Queryable, due: ParseFeeDue) => Promise<void>, limit = 1000): Promise<ParseFeeDue[]> {
    return this.repo.settleParseFees(debit, limit);
  }

  /** Starts the report poller (worker role). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const interval = this.opts.poll?.intervalMs ?? 30_000;
    const loop = () => {
      this.timer = setTimeout(() => {
        this.running = this.pollReports()
          .catch((err: unknown) => this.log.warn('smart-SMS report poll failed', { err }))
          .finally(() => {
            this.running = undefined;
            if (!this.stopped) loop();
          });
      }, interval);
      this.timer.unref();
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private domain(): string {
    return typeof this.opts.domain === 'function' ? this.opts.domain() : this.opts.domain;
  }

  private async approvedTemplate(accountId: string, providerTemplateId: string): Promise<SmartSmsTemplate> {
    let t = await this.repo.template(accountId, providerTemplateId);
    if (!t) throw new AppError(404, 'NOT_FOUND', `smart-SMS template ${providerTemplateId} not found`);
    if (t.status === 'pending') t = await this.refreshTemplate(t);
    if (t.status !== 'approved') {
      throw new AppError(400, 'TEMPLATE_NOT_APPROVED', `smart-SMS template ${providerTemplateId} is ${t.status}${t.reason ? ` (${t.reason})` : ''}; links are issued for approved templates only`, 'templateId');
    }
    return t;
  }

  private async refreshTemplate(t: SmartSmsTemplate): Promise<SmartSmsTemplate> {
    const res = await this.opts.adapter.getTemplate(t.providerTemplateId);
    if (!res.ok) throw this.failure('template status', res);
    if (res.value.status === t.status) return t;
    const reviewedAt = res.value.reviewedAt ? new Date(res.value.reviewedAt) : null;
    return (await this.repo.setTemplateStatus(t.accountId, t.providerTemplateId, res.value.status, res.value.reason, reviewedAt)) ?? t;
  }

  private failure(what: string, res: SmartSmsFailure): Error {
    this.log.warn(`smart-SMS ${what} failed`, { code: res.error.code, providerCode: res.error.providerCode, retryable: res.error.retryable, httpStatus: res.httpStatus, err: res.error.message });
    return res.error;
  }
}

function fromProvider(accountId: string, cardTemplateId: string, p: ProviderTemplate) {
  return {
    accountId, cardTemplateId, providerTemplateId: p.templateId, domain: p.domain, customUrl: p.customUrl,
    status: p.status, reason: p.reason, reviewedAt: p.reviewedAt ? new Date(p.reviewedAt) : null,
  };
}
