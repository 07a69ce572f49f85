/**
 * Sending a card campaign as smart SMS: one approved card template, many recipients with their own
 * variables. Each recipient gets a card-page short link of their own (click tracking, the H5 page
 * for handsets that don't parse), the parse platform's personalised link that points at it, and a
 * text SMS through the core router (rules, policy, billing per part, routing, reports) that carries
 * the parse link. Parse-capable handsets render the card; the parse platform reports how many did,
 * in aggregate only, and the parse fee is charged on those (card-parse-fees.ts).
 */
import type { Account } from '../accounts/account.js';
import type { SignatureRepository } from '../accounts/signature.repository.js';
import type { KeywordMatcher } from '../content/keywords.js';
import { checkMarketingSuffix } from '../content/marketing-suffix.js';
import type { CardTemplateService } from '../cards/card-template.service.js';
import type { CardRendererRegistry } from '../cards/render/card-renderer.js';
import type { SmartSmsService } from '../channels/smart-sms/smart-sms.service.js';
import { AppError } from '../http/app-error.js';
import { newId } from '../ids.js';
import type { LinkService } from '../links/link.service.js';
import type { Logger } from '../logging/logger.js';
import { acceptMessages, type AcceptDeps, type RejectedRecipient } from '../messages/accept-messages.js';
import { parsePhoneNumber } from '../numbers/phone-number.js';
import { smartSmsTemplateFor, type ProviderTemplateState } from './smart-sms-template.js';

export interface CardCampaignDeps extends AcceptDeps {
  cards: CardTemplateService;
  renderers: CardRendererRegistry;
  links: LinkService;
  smartSms: SmartSmsService;
  signatures: SignatureRepository;
  keywords: KeywordMatcher;
  logger: Logger;
  /** How long a send waits for the parse platform to approve a newly registered template. */
  reviewWaitMs?: number;
}

export interface CardSendRequest {
  templateId: string;
  recipients: Array<{ to: string; variables?: Record<string, unknown> }>;
  signature: string;
  campaignName?: string;
}

export interface CardSendResult {
  campaignId: string;
  batchId: string | null;
  accepted: number;
  rejected: Array<RejectedRecipient & { messageId?: string }>;
  costMillis: number;
  /** Whether the texts carry parse links (parse-capable handsets show a card) or only card-page links. */
  smartSms: ProviderTemplateState;
}

export class CardCampaignService {
  constructor(private readonly deps: CardCampaignDeps) {}

  async send(account: Account, req: CardSendRequest): Promise<CardSendResult> {
    if (!account.categories.includes('marketing')) throw new AppError(403, 'CATEGORY_NOT_ALLOWED', 'This account may not send marketing messages', 'category');
    const signatures = await this.deps.signatures.approvedNames(account.id);
    if (!signatures.includes(req.signature)) {
      throw new AppError(400, 'VALIDATION_FAILED', `Signature 【${req.signature}】 is not an approved signature of this account`, 'signature');
    }
    const prepared = await this.deps.cards.prepareForSend(account.id, req.templateId);

    // Per recipient: the number and the card; a bad one is rejected by index, the rest still go.
    const rejected: CardSendResult['rejected'] = [];
    const good: Array<{ index: number; to: string; variables: Record<string, unknown>; card: ReturnType<typeof prepared.render>; messageId: string }> = [];
    req.recipients.forEach((r, index) => {
      const num = parsePhoneNumber(r.to);
      if (!num.ok) return void rejected.push({ index, to: r.to, code: num.code, field: `recipients.${index}.to`, message: num.message });
      try {
        const variables = r.variables ?? {};
        good.push({ index, to: num.e164, variables, card: prepared.render(variables), messageId: newId('msg') });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        rejected.push({ index, to: r.to, code: err.code, field: `recipients.${index}.${err.field ?? 'variables'}`, message: err.message });
      }
    });
    const campaign = await this.deps.links.createCampaign(account.id, { name: req.campaignName ?? prepared.template.name, cardTemplateId: prepared.template.id });
    if (good.length === 0) {
      return { campaignId: campaign.id, batchId: null, accepted: 0, rejected, costMillis: 0, smartSms: { providerTemplateId: null, status: 'unavailable' } };
    }

    const pages = await this.deps.links.createPersonalisedLinks(account.id, {
      campaignId: campaign.id, kind: 'card', cardTemplateId: prepared.template.id,
      recipients: good.map((g) => ({ to: g.to, variables: g.variables, messageId: g.messageId })),
    });
    const provider = await smartSmsTemplateFor(this.deps, account.id, prepared.template, pages[0]?.url);
    let parseLinks = new Map<string, string>();
    if (provider.status === 'approved' && provider.providerTemplateId) {
      parseLinks = await this.deps.smartSms.requestLinks(account.id, provider.providerTemplateId,
        good.map((g, i) => ({ number: g.to, customUrl: pages[i].url })), { campaignId: campaign.id, requestKey: campaign.id });
    }

    const texts = good.map((g, i) => {
      const link = parseLinks.get(g.to) ?? pages[i].url;
      // The platform writes this text, so it carries the unsubscribe suffix whatever the account's
      // suffix mode (append mode always succeeds).
      const body = this.deps.renderers.render('smart-sms', g.card, { signature: req.signature, link }).body;
      const suffixed = checkMarketingSuffix(body, 'append');
      return suffixed.ok ? suffixed.text : body;
    });
    const result = await acceptMessages(this.deps, {
      account, category: 'marketing', batch: true, templateId: null, scheduledAt: null, callbackUrl: null,
      recipients: good.map((g, i) => ({ to: g.to, id: g.messageId, variables: { text: texts[i] } })),
      content: { render: (v) => String(v.text), signature: req.signature, signatures, keywords: this.deps.keywords, platformLinks: linkOrigins(pages[0]?.url, [...parseLinks.values()][0]) },
    });
    for (const r of result.rejected) rejected.push({ ...r, index: good[r.index].index, field: `recipients.${good[r.index].index}` });
    for (const m of result.messages) {
      if (m.status === 'failed') rejected.push({ index: good[m.index].index, to: m.to, code: m.errorCode ?? 'FAILED', field: `recipients.${good[m.index].index}`, message: m.errorMessage ?? '', messageId: m.id });
    }
    rejected.sort((a, b) => a.index - b.index);
    this.deps.logger.info('card campaign sent', { accountId: account.id, campaignId: campaign.id, recipients: good.length, parseLinks: parseLinks.size });
    return {
      campaignId: campaign.id, batchId: result.batchId, accepted: result.messages.filter((m) => m.status !== 'failed').length,
      rejected, costMillis: result.costMillis, smartSms: provider,
    };
  }
}

/** The origins of the platform's own links in the texts (short links, parse links). */
function linkOrigins(...urls: Array<string | undefined>): string[] {
  return urls.filter((u): u is string => u !== undefined).map((u) => new URL(u).origin);
}
