/**
 * A user's message or suggestion tap to a chatbot: stored once; answered by the chatbot's keyword
 * rules (text, or a card from an approved card template) or, unmatched, passed to the account as
 * an `mo` report (channel `rcs`, like WhatsApp's inbound). A copy-code tap (`copyCode:<code>`, see
 * rcs-suggestions.ts) is answered with the code as text before any rule is tried. When the
 * auto-reply cannot be sent (its template is no longer approved, the MaaP refused), the message
 * goes to the account as MO after all, so it is never lost.
 */
import { newId } from '../../ids.js';
import { maskNumber, type Logger } from '../../logging/logger.js';
import type { MoReportPayload, NewReport } from '../../receipts/report.repository.js';
import { COPY_CODE_POSTBACK } from '../../cards/render/rcs-suggestions.js';
import { fromTelUri, type MaapInboundMessage } from './maap-api.js';
import { MAAP_CONTENT_TYPES } from './maap-message.js';
import type { Chatbot, ChatbotRepository } from './chatbot.repository.js';
import { matchRule } from './keyword-matcher.js';
import type { KeywordReply, KeywordRuleRepository } from './keyword-rule.repository.js';
import { RcsInboundRepository } from './rcs-inbound.repository.js';
import { textMessage, type BuiltRcsMessage } from './rcs-request.js';
import type { RcsSendRequest, RcsSendResult } from './rcs.service.js';

export interface RcsInboundDeps {
  chatbots: ChatbotRepository;
  rules: KeywordRuleRepository;
  inbound: RcsInboundRepository;
  send: (req: RcsSendRequest) => Promise<RcsSendResult>;
  /** A card reply's message: the account's approved template with the rule's variables. */
  cardMessage: (accountId: string, templateId: string, variables: Record<string, unknown>) => Promise<BuiltRcsMessage>;
  logger: Logger;
}

export class RcsInbound {
  private readonly log: Logger;

  constructor(private readonly deps: RcsInboundDeps) {
    this.log = deps.logger.child({ component: 'rcs-inbound' });
  }

  /** True when the message was new (a redelivered notification is ignored). */
  async handle(e: MaapInboundMessage): Promise<boolean> {
    const chatbot = await this.deps.chatbots.findByAddress(e.chatbotAddress);
    if (!chatbot || chatbot.status !== 'approved') {
      this.log.warn('5G message to an unknown or unapproved chatbot', { chatbotAddress: e.chatbotAddress });
      return false;
    }
    const from = fromTelUri(e.senderAddress);
    const tap = e.contentType === MAAP_CONTENT_TYPES.suggestionResponse ? e.contentText.response.reply : undefined;
    const text = tap ? tap.displayText : (e.contentText as string);
    const postback = tap?.postback.data ?? null;

    let reply: { ruleId: string | null; reply: KeywordReply } | undefined;
    if (postback?.startsWith(COPY_CODE_POSTBACK)) reply = { ruleId: null, reply: { type: 'text', text: postback.slice(COPY_CODE_POSTBACK.length) } };
    else {
      const rule = matchRule(await this.deps.rules.list(chatbot.accountId, chatbot.id), { text, postback });
      if (rule) reply = { ruleId: rule.id, reply: rule.reply };
    }

    const id = newId('rmo');
    const mo = moReport(id, chatbot, from, text, postback, new Date(e.timestamp));
    const stored = await this.deps.inbound.record({
      id, providerMessageId: e.messageId, accountId: chatbot.accountId, chatbotId: chatbot.id, from, kind: tap ? 'postback' : 'text',
      text, postback, inReplyTo: e.inReplyTo ?? null, ruleId: reply?.ruleId ?? null, payload: e, receivedAt: new Date(e.timestamp),
    }, reply ? null : mo);
    if (!stored) return false;
    this.log.info('5G message from a user', { accountId: chatbot.accountId, chatbotId: chatbot.id, from: maskNumber(from), answered: !!reply });
    if (reply) await this.answer(id, chatbot, from, reply.reply, mo);
    return true;
  }

  private async answer(inboundId: string, chatbot: Chatbot, to: string, reply: KeywordReply, mo: NewReport): Promise<void> {
    try {
      const built = reply.type === 'text' ? textMessage(reply.text) : await this.deps.cardMessage(chatbot.accountId, reply.templateId, reply.variables);
      const sent = await this.deps.send({ accountId: chatbot.accountId, chatbot, to, kind: built.kind, body: built.body, origin: 'auto_reply', reference: inboundId });
      await this.deps.inbound.setReply(inboundId, sent.message.id);
      if (sent.error) throw sent.error;
    } catch (err) {
      this.log.warn('auto-reply not sent; the message goes to the account as MO', { inboundId, err: err instanceof Error ? err.message : String(err) });
      await this.deps.inbound.unanswered(inboundId, mo);
    }
  }
}

function moReport(id: string, chatbot: Chatbot, from: string, text: string, postback: string | null, at: Date): NewReport {
  const payload: MoReportPayload = {
    type: 'mo', id, from, to: chatbot.address, text, receivedAt: at.toISOString(), unsubscribed: false, channel: 'rcs', chatbotId: chatbot.id,
    ...(postback !== null ? { postback } : {}),
  };
  return { accountId: chatbot.accountId, kind: 'mo', payload };
}
