/**
 * WhatsApp as a fallback step: the customer's WhatsApp content (a template, say) when given, else
 * the content's plain text (a card's text with its H5 link) as a free-form text, which only goes out
 * within the 24 h window. The opt-in and window rules of WhatsAppService apply; their refusals and
 * Meta's "not a WhatsApp user" (131026) hand the message to the next step.
 */
import type { CardRendererRegistry } from '../../cards/render/card-renderer.js';
import type { WhatsAppMessage } from '../../channels/whatsapp/whatsapp-message.repository.js';
import type { WhatsAppService } from '../../channels/whatsapp/whatsapp.service.js';
import type { WhatsAppContent } from '../../channels/whatsapp/whatsapp-content.js';
import { AppError } from '../../http/app-error.js';
import type { Capability, ChannelStatusEvent, FallbackChannel, FallbackContent, RenderRefusal, StepRendering, StepSendOutcome, StepSendRequest, StepStatus } from '../fallback-channel.js';
import { parseStepRef } from '../fallback-send.js';
import { plainTextOf } from './fallback-texts.js';

/** Meta's error for a number that is not on WhatsApp. */
const NOT_A_WHATSAPP_USER = '131026';

export function stepEventOfWhatsApp(m: WhatsAppMessage): ChannelStatusEvent {
  const notUser = m.status === 'failed' && m.providerCode === NOT_A_WHATSAPP_USER;
  const status: StepStatus = notUser ? 'not_capable' : m.status === 'pending' ? 'accepted' : m.status;
  const at = m.failedAt ?? m.readAt ?? m.deliveredAt ?? m.sentAt ?? m.acceptedAt ?? m.createdAt;
  return { stepRef: m.reference ?? '', channelMessageId: m.id, status, at, code: m.providerCode ?? m.errorCode, detail: m.errorMessage };
}

export class WhatsAppFallbackChannel implements FallbackChannel {
  readonly name = 'whatsapp' as const;
  readonly defaultCondition = 'delivered' as const;
  readonly conditions = ['accepted', 'delivered', 'read'] as const;

  constructor(private readonly deps: { service: WhatsAppService; renderers: CardRendererRegistry }) {}

  /** The Cloud API has no contact check: every number is tried (131026 answers for those not on WhatsApp). */
  async capabilities(_accountId: string, numbers: readonly string[]): Promise<Map<string, Capability>> {
    return new Map(numbers.map((n) => [n, 'unknown' as const]));
  }

  render(content: FallbackContent): StepRendering | { refused: RenderRefusal } {
    if (content.whatsapp) return { kind: `whatsapp-${content.whatsapp.type}`, payload: content.whatsapp };
    const t = plainTextOf(content, this.deps.renderers);
    if ('refused' in t) return t;
    const payload: WhatsAppContent = { type: 'text', text: { body: t.text, preview_url: t.kind === 'text-with-link' } };
    return { kind: 'whatsapp-text', payload };
  }

  async send(req: StepSendRequest): Promise<StepSendOutcome> {
    const earlier = await this.deps.service.messages.byReference(req.accountId, req.stepRef);
    if (earlier) return { ok: true, channelMessageId: earlier.id, status: stepEventOfWhatsApp(earlier).status };
    try {
      const { message, error } = await this.deps.service.send(req.accountId, { to: req.to, content: req.rendering.payload as WhatsAppContent, reference: req.stepRef });
      if (!error) return { ok: true, channelMessageId: message.id, status: stepEventOfWhatsApp(message).status };
      const notUser = String(error.providerCode) === NOT_A_WHATSAPP_USER;
      return { ok: false, reason: notUser ? 'not_capable' : 'rejected', code: error.providerCode == null ? error.code : String(error.providerCode), message: error.message, channelMessageId: message.id };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return { ok: false, reason: 'rejected', code: err.code, message: err.message };
      throw err;
    }
  }

  async status(accountId: string, channelMessageId: string): Promise<ChannelStatusEvent | undefined> {
    const m = await this.deps.service.get(accountId, channelMessageId);
    return m && stepEventOfWhatsApp(m);
  }

  onStatus(listener: (e: ChannelStatusEvent) => void | Promise<void>): () => void {
    return this.deps.service.onStatus((e) => {
      if (e.type === 'status' && parseStepRef(e.message.reference)) return listener(stepEventOfWhatsApp(e.message));
    });
  }
}
