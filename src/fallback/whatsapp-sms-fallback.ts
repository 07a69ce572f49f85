/**
 * POST /v1/whatsapp/messages with `fallback`: a send of the fallback engine down the chain
 * [whatsapp (the fallback's condition and timeout), sms]. The WhatsApp step sends the customer's
 * WhatsApp content, the SMS step the fallback text; the engine moves on exactly once, when WhatsApp
 * fails or the condition is not reached in time (fallback-engine.ts). The customer still talks
 * about a WhatsApp message (wam_…): its step reference (`fbs_<send id>:0`) leads back to the send.
 */
import type { Account } from '../accounts/account.js';
import { defaultSmsText, type WhatsAppContent } from '../channels/whatsapp/whatsapp-content.js';
import type { WhatsAppMessage } from '../channels/whatsapp/whatsapp-message.repository.js';
import type { FallbackSpec } from '../channels/whatsapp/whatsapp-request.js';
import type { WhatsAppService } from '../channels/whatsapp/whatsapp.service.js';
import type { ChainInput } from './fallback-send.js';
import { parseStepRef, stepRefOf } from './fallback-send.js';
import type { FallbackSendService } from './fallback-send.service.js';
import type { FallbackSendRecord } from './fallback.repository.js';

export interface WhatsAppWithFallbackInput {
  to: string;
  content: WhatsAppContent;
  reference?: string;
  fallback: FallbackSpec;
}

/** A WhatsApp message and the engine send it is a step of, with the step's index. */
export interface WhatsAppStepOfSend {
  /** Undefined only when WhatsApp stored no message (see `send`). */
  message?: WhatsAppMessage;
  send: FallbackSendRecord;
  step: number;
}

/** The chain of a WhatsApp message with an SMS fallback. */
export function whatsAppSmsChain(fallback: Pick<FallbackSpec, 'condition' | 'timeoutSeconds'>): ChainInput {
  return [{ channel: 'whatsapp', condition: fallback.condition, timeoutSeconds: fallback.timeoutSeconds }, 'sms'];
}

export class WhatsAppSmsFallback {
  constructor(private readonly deps: { whatsapp: WhatsAppService; sends: FallbackSendService }) {}

  /**
   * Refuses what WhatsApp would refuse before anything is stored (the same AppError as a send
   * without fallback: no opt-in, outside the window…), then submits the send and waits for its
   * first round: the WhatsApp message is stored and sent, and when the API refused it at once, the
   * SMS is sent too. `message` is missing only when WhatsApp stored nothing after all (consent
   * withdrawn in between, so the SMS went; or infrastructure trouble, so the sweeper retries).
   */
  async send(account: Account, input: WhatsAppWithFallbackInput): Promise<WhatsAppStepOfSend> {
    const { to, content } = await this.deps.whatsapp.assertSendable(account.id, input);
    const sms = input.fallback.sms;
    const created = await this.deps.sends.send(account, {
      to, category: sms.category, channels: whatsAppSmsChain(input.fallback), reference: input.reference,
      whatsapp: content, text: sms.text ?? defaultSmsText(content), signature: sms.signature,
    }, { awaitSteps: true });
    const message = await this.deps.whatsapp.messages.byReference(account.id, stepRefOf(created.id, 0));
    return { message, send: created, step: 0 };
  }

  /** The send a WhatsApp message is a step of; undefined for a message sent on its own. */
  async sendOf(message: WhatsAppMessage): Promise<WhatsAppStepOfSend | undefined> {
    const ref = parseStepRef(message.reference);
    const send = ref && (await this.deps.sends.get(message.accountId, ref.sendId));
    return send ? { message, send, step: ref.idx } : undefined;
  }
}
