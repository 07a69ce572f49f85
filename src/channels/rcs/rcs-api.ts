/**
 * The account-facing 5G use cases behind /v1/rcs: send one message directly, ask capabilities, and
 * keep a chatbot's keyword rules (a card reply must name a card template of the account).
 */
import { AppError, notFound } from '../../http/app-error.js';
import { fromZod } from '../../http/error-handler.js';
import { newId } from '../../ids.js';
import { parsePhoneNumber } from '../../numbers/phone-number.js';
import type { CardTemplateService } from '../../cards/card-template.service.js';
import type { RcsCardRenderer } from '../../cards/render/rcs-card-renderer.js';
import type { MaapCapability } from './maap-api.js';
import type { ChatbotService } from './chatbot.service.js';
import { keywordRuleSchema, type KeywordRule, type KeywordRuleRepository } from './keyword-rule.repository.js';
import type { RcsCapabilities } from './rcs-capabilities.js';
import type { RcsMessage } from './rcs-message.repository.js';
import { cardMessage, fileMessage, sendRcsSchema, textMessage, type BuiltRcsMessage, type SendRcsBody } from './rcs-request.js';
import type { RcsService } from './rcs.service.js';

export interface RcsApiDeps {
  chatbots: ChatbotService;
  rules: KeywordRuleRepository;
  service: RcsService;
  capabilities: RcsCapabilities;
  cards: CardTemplateService;
  renderer: RcsCardRenderer;
  mediaBaseUrl: () => string;
}

/** E.164 of a number input; domestic numbers without +86 are read as mainland China. */
export function e164OrThrow(input: string, field: string): string {
  const p = parsePhoneNumber(input);
  if (!p.ok) throw new AppError(400, p.code, `${field}: ${p.message}`, field);
  return p.e164;
}

export class RcsApi {
  constructor(private readonly deps: RcsApiDeps) {}

  /** Sends one message; a MaaP refusal is a `failed` message (HTTP 202), not an HTTP error. */
  async send(accountId: string, input: unknown): Promise<RcsMessage> {
    const parsed = sendRcsSchema.safeParse(input);
    if (!parsed.success) throw fromZod(parsed.error);
    const body = parsed.data;
    const to = e164OrThrow(body.to, 'to');
    const chatbot = await this.deps.chatbots.sender(accountId, body.chatbotId);
    const built = await this.build(accountId, body);
    const { message } = await this.deps.service.send({
      accountId, chatbot, to, kind: built.kind, body: built.body, origin: 'api', reference: body.reference, smsContent: body.smsFallback?.text,
    });
    return message;
  }

  /** A card or carousel reply / send: the approved template rendered with the variables, as 5G JSON. */
  async cardMessage(accountId: string, templateId: string, variables: Record<string, unknown>, expect?: 'card' | 'carousel'): Promise<BuiltRcsMessage> {
    const { card } = await this.deps.cards.renderForSend(accountId, templateId, variables);
    if (expect && (card.type === 'carousel') !== (expect === 'carousel')) {
      throw new AppError(400, 'RCS_CARD_TYPE_MISMATCH', `Template ${templateId} is a ${card.type} card; send it with type ${card.type === 'carousel' ? 'carousel' : 'card'}`, 'templateId');
    }
    return cardMessage(this.deps.renderer, card, { mediaBaseUrl: this.deps.mediaBaseUrl() });
  }

  private build(accountId: string, body: SendRcsBody): Promise<BuiltRcsMessage> | BuiltRcsMessage {
    switch (body.type) {
      case 'text': return textMessage(body.text, body.suggestions);
      case 'chips': return textMessage(body.text, body.suggestions, 'rcs-chips');
      case 'file': return fileMessage(body.file, body.suggestions);
      case 'card':
      case 'carousel': return this.cardMessage(accountId, body.templateId, body.variables, body.type);
    }
  }

  /** Capability per number, through the account's chatbot (the asked one, else the first approved). */
  async capabilities(accountId: string, numbers: readonly string[], chatbotId?: string): Promise<Array<{ number: string; capability: MaapCapability }>> {
    const chatbot = await this.deps.chatbots.sender(accountId, chatbotId);
    const e164 = numbers.map((n, i) => e164OrThrow(n, `numbers.${i}`));
    const answers = await this.deps.capabilities.query(chatbot.address, e164);
    return numbers.map((n, i) => ({ number: e164[i], capability: answers.get(e164[i]) ?? 'Unknown' }));
  }

  async listRules(accountId: string, chatbotId: string): Promise<KeywordRule[]> {
    await this.deps.chatbots.get(accountId, chatbotId);
    return this.deps.rules.list(accountId, chatbotId);
  }

  async createRule(accountId: string, chatbotId: string, input: unknown): Promise<KeywordRule> {
    await this.deps.chatbots.get(accountId, chatbotId);
    const rule = await this.parseRule(accountId, input);
    return this.deps.rules.create(newId('rkw'), accountId, chatbotId, rule);
  }

  async replaceRule(accountId: string, chatbotId: string, id: string, input: unknown): Promise<KeywordRule> {
    const rule = await this.parseRule(accountId, input);
    const r = await this.deps.rules.replace(accountId, chatbotId, id, rule);
    if (!r) throw notFound(`Keyword rule ${id}`);
    return r;
  }

  async deleteRule(accountId: string, chatbotId: string, id: string): Promise<void> {
    if (!(await this.deps.rules.delete(accountId, chatbotId, id))) throw notFound(`Keyword rule ${id}`);
  }

  private async parseRule(accountId: string, input: unknown) {
    const parsed = keywordRuleSchema.safeParse(input ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    if (parsed.data.reply.type === 'card') {
      // Any status here (it may be approved later); a reply sends only once it is approved.
      const t = await this.deps.cards.get(accountId, parsed.data.reply.templateId).catch(() => undefined);
      if (!t) throw new AppError(404, 'NOT_FOUND', `Card template ${parsed.data.reply.templateId} not found`, 'reply.templateId');
    }
    return parsed.data;
  }
}
