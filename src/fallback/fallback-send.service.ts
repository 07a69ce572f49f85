/**
 * Sends with a channel chain, as the API takes them: one message (POST /v1/messages with `channels`,
 * a `card` or an account default chain) or a card campaign (POST /v1/cards/send with `channels`).
 * The content is resolved once here (the approved card template with each recipient's variables,
 * each recipient's own card-page short link, an MMS template's text and the recipient's link to
 * its H5 page), stored with the send, and every step renders from it. Read back with GET /v1/messages/:id.
 */
import type { Account, Category } from '../accounts/account.js';
import type { CardTemplateService } from '../cards/card-template.service.js';
import type { WhatsAppContent } from '../channels/whatsapp/whatsapp-content.js';
import { AppError } from '../http/app-error.js';
import { newId } from '../ids.js';
import type { LinkService } from '../links/link.service.js';
import { parsePhoneNumber } from '../numbers/phone-number.js';
import type { FallbackContent } from './fallback-channel.js';
import type { FallbackEngine } from './fallback-engine.js';
import type { ChainInput, ChainStep, NewFallbackSend } from './fallback-send.js';
import type { FallbackRepository, FallbackSendRecord } from './fallback.repository.js';

export interface FallbackSendInput {
  to: string;
  category: Category;
  channels?: ChainInput;
  card?: { templateId: string; variables?: Record<string, unknown> };
  text?: string;
  mms?: { templateId: string; variables?: Record<string, unknown> };
  whatsapp?: WhatsAppContent;
  signature?: string;
  senderId?: string;
  reference?: string;
  callbackUrl?: string;
}

export interface FallbackCampaignInput {
  templateId: string;
  recipients: Array<{ to: string; variables?: Record<string, unknown>; reference?: string }>;
  channels?: ChainInput;
  signature?: string;
  campaignName?: string;
  category?: Category;
}

export interface FallbackCampaignResult {
  campaignId: string;
  accepted: number;
  rejected: Array<{ index: number; to: string; code: string; field: string; message: string }>;
  channels: ChainStep[];
  /** The send (message) id of each accepted recipient, by recipient index. */
  messageIds: Array<{ index: number; id: string }>;
}

export interface FallbackSendDeps {
  engine: FallbackEngine;
  repo: FallbackRepository;
  cards: CardTemplateService;
  links: LinkService;
  /** An approved MMS template's text with the variables filled in (the text steps of an MMS send). */
  mmsText?: (accountId: string, templateId: string, variables: Record<string, unknown>) => Promise<string>;
}

export class FallbackSendService {
  constructor(private readonly deps: FallbackSendDeps) {}

  /** The chain a send takes: the request's, else the account's default for the category, else none. */
  chainFor(account: Account, category: Category, requested: ChainInput | undefined): ChainInput | undefined {
    return requested ?? account.settings.fallbackChains?.[category];
  }

  /** `awaitSteps`: answer once the first steps ran as far as they go now (see FallbackEngine.submit). */
  async send(account: Account, input: FallbackSendInput, opts: { awaitSteps?: boolean } = {}): Promise<FallbackSendRecord> {
    allowCategory(account, input.category);
    const chain = this.deps.engine.resolveChain(this.chainFor(account, input.category, input.channels) ?? ['sms']);
    const num = parsePhoneNumber(input.to);
    if (!num.ok) throw new AppError(400, num.code, `to: ${num.message}`, 'to');
    const id = newId('msg');
    const content: FallbackContent = { text: input.text, whatsapp: input.whatsapp, signature: input.signature, senderId: input.senderId };
    if (input.card) {
      const prepared = await this.deps.cards.prepareForSend(account.id, input.card.templateId);
      const variables = input.card.variables ?? {};
      const card = prepared.render(variables);
      const campaign = await this.deps.links.createCampaign(account.id, { name: prepared.template.name, cardTemplateId: prepared.template.id });
      const [page] = await this.deps.links.createPersonalisedLinks(account.id, {
        campaignId: campaign.id, kind: 'card', cardTemplateId: prepared.template.id, recipients: [{ to: num.e164, variables, messageId: id }],
      });
      Object.assign(content, { card: { templateId: prepared.template.id, name: prepared.template.name, card }, pageUrl: page.url, campaignId: campaign.id });
    }
    if (input.mms) {
      const variables = input.mms.variables ?? {};
      content.mms = { templateId: input.mms.templateId, variables };
      if (!content.text && this.deps.mmsText) content.text = await this.deps.mmsText(account.id, input.mms.templateId, variables);
      // The text steps carry the link to the MMS's H5 page (its pictures), as a card's carry the card page.
      if (!content.pageUrl) {
        const campaignId = newId('cmp');
        const [page] = await this.deps.links.createPersonalisedLinks(account.id, {
          campaignId, kind: 'mms', mmsTemplateId: input.mms.templateId, recipients: [{ to: num.e164, variables, messageId: id }],
        });
        Object.assign(content, { pageUrl: page.url, campaignId });
      }
    }
    if (!content.card && !content.text && !content.mms && !content.whatsapp) {
      throw new AppError(400, 'VALIDATION_FAILED', 'give the content: text, card, mms or whatsapp', 'text');
    }
    await this.deps.engine.submit([{
      id, accountId: account.id, to: num.e164, category: input.category, content, chain,
      reference: input.reference ?? null, callbackUrl: input.callbackUrl ?? null, campaignId: content.campaignId ?? null,
    }], opts);
    return (await this.deps.repo.get(account.id, id))!;
  }

  /** A card campaign down a chain: every recipient gets its own send; bad recipients are rejected by index. */
  async sendCampaign(account: Account, input: FallbackCampaignInput): Promise<FallbackCampaignResult> {
    const category = input.category ?? 'marketing';
    allowCategory(account, category);
    const chain = this.deps.engine.resolveChain(this.chainFor(account, category, input.channels) ?? ['smart_sms', 'sms']);
    const prepared = await this.deps.cards.prepareForSend(account.id, input.templateId);
    const rejected: FallbackCampaignResult['rejected'] = [];
    const good: Array<{ index: number; to: string; variables: Record<string, unknown>; card: ReturnType<typeof prepared.render>; id: string; reference?: string }> = [];
    input.recipients.forEach((r, index) => {
      const num = parsePhoneNumber(r.to);
      if (!num.ok) return void rejected.push({ index, to: r.to, code: num.code, field: `recipients.${index}.to`, message: num.message });
      try {
        const variables = r.variables ?? {};
        good.push({ index, to: num.e164, variables, card: prepared.render(variables), id: newId('msg'), reference: r.reference });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        rejected.push({ index, to: r.to, code: err.code, field: `recipients.${index}.${err.field ?? 'variables'}`, message: err.message });
      }
    });
    const campaign = await this.deps.links.createCampaign(account.id, { name: input.campaignName ?? prepared.template.name, cardTemplateId: prepared.template.id });
    if (good.length === 0) return { campaignId: campaign.id, accepted: 0, rejected, channels: chain, messageIds: [] };
    const pages = await this.deps.links.createPersonalisedLinks(account.id, {
      campaignId: campaign.id, kind: 'card', cardTemplateId: prepared.template.id,
      recipients: good.map((g) => ({ to: g.to, variables: g.variables, messageId: g.id })),
    });
    const sends: NewFallbackSend[] = good.map((g, i) => ({
      id: g.id, accountId: account.id, to: g.to, category, chain, reference: g.reference ?? null, callbackUrl: null, campaignId: campaign.id,
      content: { card: { templateId: prepared.template.id, name: prepared.template.name, card: g.card }, pageUrl: pages[i].url, campaignId: campaign.id, signature: input.signature },
    }));
    await this.deps.engine.submit(sends);
    return { campaignId: campaign.id, accepted: sends.length, rejected, channels: chain, messageIds: good.map((g) => ({ index: g.index, id: g.id })) };
  }

  get(accountId: string, id: string): Promise<FallbackSendRecord | undefined> {
    return this.deps.repo.get(accountId, id);
  }
}

function allowCategory(account: Account, category: Category): void {
  if (!account.categories.includes(category)) throw new AppError(403, 'CATEGORY_NOT_ALLOWED', `This account may not send ${category} messages`, 'category');
}

/** A send as GET /v1/messages/:id shows it: the outcome, and each step with why it moved on. */
export function fallbackSendView(s: FallbackSendRecord) {
  return {
    id: s.id, to: s.to, category: s.category, reference: s.reference, campaignId: s.campaignId,
    status: s.state === 'running' ? 'sending' : s.state === 'succeeded' ? 'succeeded' : 'failed',
    channel: s.succeededChannel, createdAt: s.createdAt.toISOString(), finishedAt: s.finishedAt?.toISOString() ?? null,
    steps: s.steps.map((st) => ({
      step: st.idx, channel: st.channel, condition: st.condition, timeoutSeconds: st.timeoutSeconds, state: st.state,
      rendering: st.rendering, channelMessageId: st.channelMessageId, status: st.status, statusAt: st.statusAt?.toISOString() ?? null,
      startedAt: st.startedAt?.toISOString() ?? null, sentAt: st.sentAt?.toISOString() ?? null, finishedAt: st.finishedAt?.toISOString() ?? null,
      movedOn: st.reason ? { reason: st.reason, code: st.reasonCode, detail: st.detail } : null,
    })),
  };
}
