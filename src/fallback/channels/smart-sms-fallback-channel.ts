/**
 * Smart SMS as a fallback step: a card's smart-SMS text with the parse platform's personalised link,
 * sent as text SMS through the core router. A handset the parse platform says cannot parse cards
 * (the support query) is `not_capable`, so the chain moves on to plain text with the H5 link; an
 * unapproved provider registration of the card template refuses the step the same way.
 */
import type { CardRendererRegistry } from '../../cards/render/card-renderer.js';
import type { Card } from '../../cards/card-model.js';
import type { SmartSmsService } from '../../channels/smart-sms/smart-sms.service.js';
import type { Logger } from '../../logging/logger.js';
import type { MessageRepository } from '../../messages/message.repository.js';
import { smartSmsTemplateFor, type ProviderTemplateState } from '../../campaigns/smart-sms-template.js';
import type { Capability, ChannelStatusEvent, FallbackChannel, FallbackContent, RenderRefusal, StepRendering, StepSendOutcome, StepSendRequest } from '../fallback-channel.js';
import { smsExtras } from './fallback-texts.js';
import type { SmsStep, SmsStepSender } from './sms-step-sender.js';
import { smsStepStatus } from './sms-fallback-channel.js';

interface SmartSmsPayload {
  cardTemplateId: string;
  name: string;
  card: Card;
  pageUrl: string;
  campaignId: string;
  signature?: string;
}

export interface SmartSmsFallbackDeps {
  sender: SmsStepSender;
  smartSms: SmartSmsService;
  messages: MessageRepository;
  renderers: CardRendererRegistry;
  logger: Logger;
  /** How long a send waits for the parse platform to approve a newly registered template. */
  reviewWaitMs?: number;
  /** How long an approved registration is trusted before it is read again. Default 60 s. */
  templateCacheMs?: number;
}

export class SmartSmsFallbackChannel implements FallbackChannel {
  readonly name = 'smart_sms' as const;
  readonly defaultCondition = 'accepted' as const;
  readonly conditions = ['accepted', 'delivered'] as const;
  private readonly templates = new Map<string, { at: number; state: ProviderTemplateState }>();

  constructor(private readonly deps: SmartSmsFallbackDeps) {}

  async capabilities(_accountId: string, numbers: readonly string[]): Promise<Map<string, Capability>> {
    const support = await this.deps.smartSms.support(numbers);
    return new Map(numbers.map((n) => [n, support.get(n) ? 'capable' as const : 'not_capable' as const]));
  }

  render(content: FallbackContent): StepRendering | { refused: RenderRefusal } {
    if (!content.card) return { refused: { code: 'SMART_SMS_NEEDS_CARD', message: 'smart SMS sends card templates; this content has no card', field: 'card' } };
    if (!content.pageUrl || !content.campaignId) return { refused: { code: 'SMART_SMS_NEEDS_PAGE', message: 'smart SMS needs the card\'s H5 page link', field: 'card' } };
    const payload: SmartSmsPayload = {
      cardTemplateId: content.card.templateId, name: content.card.name ?? content.card.templateId, card: content.card.card,
      pageUrl: content.pageUrl, campaignId: content.campaignId, signature: content.signature,
    };
    return { kind: 'smart-sms', payload };
  }

  send(req: StepSendRequest): Promise<StepSendOutcome> {
    return this.sendMany([req]).then((o) => o[0]);
  }

  /** Per card template: its provider registration, one link request for all recipients, then the texts. */
  async sendMany(reqs: readonly StepSendRequest[]): Promise<StepSendOutcome[]> {
    const out: StepSendOutcome[] = new Array(reqs.length);
    const groups = new Map<string, number[]>();
    reqs.forEach((r, i) => {
      const p = r.rendering.payload as SmartSmsPayload;
      const key = `${r.accountId}\u0000${p.cardTemplateId}\u0000${p.campaignId}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const steps: SmsStep[] = [];
    const stepIndex: number[] = [];
    for (const idx of groups.values()) {
      const first = reqs[idx[0]];
      const p0 = first.rendering.payload as SmartSmsPayload;
      const provider = await this.providerTemplate(first.accountId, p0);
      if (provider.status !== 'approved' || !provider.providerTemplateId) {
        for (const i of idx) out[i] = { ok: false, reason: 'rejected', code: 'SMART_SMS_TEMPLATE_UNAVAILABLE', message: `the parse platform's registration of card template ${p0.cardTemplateId} is ${provider.status}` };
        continue;
      }
      const links = await this.deps.smartSms.requestLinks(first.accountId, provider.providerTemplateId,
        idx.map((i) => ({ number: reqs[i].to, customUrl: (reqs[i].rendering.payload as SmartSmsPayload).pageUrl })),
        // The same key for the same steps: a takeover gets the links already made.
        { campaignId: p0.campaignId, requestKey: `fb:${first.stepRef}:${idx.length}`.slice(0, 128) });
      for (const i of idx) {
        const r = reqs[i];
        const p = r.rendering.payload as SmartSmsPayload;
        const link = links.get(r.to) ?? p.pageUrl;
        const text = this.deps.renderers.render('smart-sms', p.card, { signature: p.signature, link }).body;
        const extras = smsExtras({ pageUrl: p.pageUrl }, link) as { links: string[] };
        steps.push({ accountId: r.accountId, to: r.to, category: r.category, stepRef: r.stepRef, text, signature: p.signature, platformLinks: extras.links });
        stepIndex.push(i);
      }
    }
    const sent = await this.deps.sender.send(steps);
    sent.forEach((o, j) => (out[stepIndex[j]] = o));
    return out;
  }

  status(accountId: string, channelMessageId: string): Promise<ChannelStatusEvent | undefined> {
    return smsStepStatus(this.deps.messages, accountId, channelMessageId);
  }

  /** Its SMS statuses reach the engine through the sms channel (one shared outbox reader). */
  onStatus(): () => void {
    return () => undefined;
  }

  private async providerTemplate(accountId: string, p: SmartSmsPayload): Promise<ProviderTemplateState> {
    const key = `${accountId}\u0000${p.cardTemplateId}`;
    const cached = this.templates.get(key);
    if (cached && Date.now() - cached.at < (this.deps.templateCacheMs ?? 60_000)) return cached.state;
    const state = await smartSmsTemplateFor(this.deps, accountId, { id: p.cardTemplateId, name: p.name, type: p.card.type }, p.pageUrl);
    if (state.status === 'approved') this.templates.set(key, { at: Date.now(), state });
    return state;
  }
}
