/**
 * Text SMS as a fallback step: the plain text of the content (a card's text with its H5 page link,
 * or the text with the page link of its media), sent through the core router. Every terminal can
 * show it, so it is the usual last step. Its statuses come from the step SMS reports
 * (sms-step-statuses.ts), which also carry the smart_sms channel's: they reach the engine once,
 * through this channel.
 */
import type { CardRendererRegistry } from '../../cards/render/card-renderer.js';
import type { MessageRepository } from '../../messages/message.repository.js';
import type { Capability, ChannelStatusEvent, FallbackChannel, FallbackContent, StepRendering, StepSendOutcome, StepSendRequest, StepStatus } from '../fallback-channel.js';
import { plainTextOf, smsExtras, textRendering } from './fallback-texts.js';
import type { SmsStepSender } from './sms-step-sender.js';
import type { SmsStepStatuses } from './sms-step-statuses.js';

/** A stored SMS's status as a step status. */
export function stepStatusOfMessage(status: string): StepStatus {
  switch (status) {
    case 'delivered': return 'delivered';
    case 'failed': case 'cancelled': return 'failed';
    case 'submitted': case 'unknown': return 'sent';
    default: return 'accepted';
  }
}

/** The latest state of a step's SMS, read from the message itself. */
export async function smsStepStatus(messages: MessageRepository, accountId: string, id: string): Promise<ChannelStatusEvent | undefined> {
  const m = await messages.get(accountId, id);
  if (!m) return undefined;
  return {
    stepRef: m.reference ?? '', channelMessageId: m.id, status: stepStatusOfMessage(m.status),
    at: new Date(m.doneAt ?? m.submittedAt ?? m.createdAt), code: m.errorCode, detail: m.errorMessage,
  };
}

export class SmsFallbackChannel implements FallbackChannel {
  readonly name = 'sms' as const;
  readonly defaultCondition = 'accepted' as const;
  readonly conditions = ['accepted', 'delivered'] as const;

  constructor(private readonly deps: { sender: SmsStepSender; statuses: SmsStepStatuses; messages: MessageRepository; renderers: CardRendererRegistry }) {}

  async capabilities(_accountId: string, numbers: readonly string[]): Promise<Map<string, Capability>> {
    return new Map(numbers.map((n) => [n, 'capable' as const]));
  }

  render(content: FallbackContent): StepRendering | { refused: { code: string; message: string; field?: string } } {
    const t = plainTextOf(content, this.deps.renderers);
    return 'refused' in t ? t : textRendering(t.kind, t.text, smsExtras(content));
  }

  send(req: StepSendRequest): Promise<StepSendOutcome> {
    return this.sendMany([req]).then((o) => o[0]);
  }

  sendMany(reqs: readonly StepSendRequest[]): Promise<StepSendOutcome[]> {
    return this.deps.sender.send(reqs.map((r) => {
      const p = r.rendering.payload as { text: string; signature?: string; senderId?: string; links?: string[] };
      return { accountId: r.accountId, to: r.to, category: r.category, stepRef: r.stepRef, text: p.text, signature: p.signature, senderId: p.senderId, platformLinks: p.links };
    }));
  }

  status(accountId: string, channelMessageId: string): Promise<ChannelStatusEvent | undefined> {
    return smsStepStatus(this.deps.messages, accountId, channelMessageId);
  }

  onStatus(listener: (e: ChannelStatusEvent) => void | Promise<void>): () => void {
    return this.deps.statuses.onStatus(listener);
  }
}
