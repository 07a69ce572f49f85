/**
 * The 5G channel as the fallback engine drives it (src/fallback/fallback-channel.ts):
 * - capabilities: the MaaP's answers, batched (≤ 100 a call) and cached in Redis — Supported →
 *   capable, NotSupported / Invalid → not_capable, Unknown → unknown. An account without an
 *   approved chatbot gets `unknown` for every number, so the engine goes on to render, whose
 *   refusal (RCS_NO_CHATBOT) says why;
 * - render: a card as rcs-card / rcs-carousel (the `rcs` card renderer), else text as rcs-text;
 *   a refusal names the field that breaks a 5G limit;
 * - send: from the account's sending chatbot — the first approved (earliest approval) — without
 *   smsSupported (the engine falls back itself); idempotent per stepRef (unique in rcs_messages);
 *   a MaaP refusal or an unreachable MaaP is `rejected` (RCS_REJECTED / RCS_UNAVAILABLE), the
 *   message kept as failed;
 * - statuses (onStatus, after commit, in this process; `accepted` too, when the MaaP took it):
 *   MessageSent → sent, DeliveredToTerminal → delivered, MessageDisplayed → read,
 *   DeliveryImpossible → not_capable, DeliveredToNetwork → delivered with code DELIVERED_AS_SMS.
 */
import type { Category } from '../../accounts/account.js';
import type {
  Capability, ChannelStatusEvent, FallbackChannel, FallbackContent, RenderRefusal, StepCondition, StepRendering, StepSendOutcome, StepSendRequest, StepStatus,
} from '../../fallback/fallback-channel.js';
import type { RcsCardRenderer } from '../../cards/render/rcs-card-renderer.js';
import type { MaapCapability } from './maap-api.js';
import { RCS_LIMITS, type RcsMessageBody } from './maap-message.js';
import type { ChatbotService } from './chatbot.service.js';
import type { RcsCapabilities } from './rcs-capabilities.js';
import type { RcsMessage } from './rcs-message.repository.js';
import type { RcsStatus } from './rcs-status.js';
import type { RcsService } from './rcs.service.js';
import { textMessage } from './rcs-request.js';

/** What render() puts in StepRendering.payload. */
export interface RcsStepPayload extends RcsMessageBody {
  /** The chatbot render() saw; send() uses it while it is still approved. */
  chatbotId: string;
}

export interface RcsFallbackChannelDeps {
  chatbots: ChatbotService;
  capabilities: RcsCapabilities;
  service: RcsService;
  renderer: RcsCardRenderer;
  /** Origin that makes uploaded card media (`/m/{id}`) absolute for handsets. */
  mediaBaseUrl: () => string;
}

const CAPABILITY: Record<MaapCapability, Capability> = { Supported: 'capable', NotSupported: 'not_capable', Invalid: 'not_capable', Unknown: 'unknown' };
const STEP_STATUS: Record<RcsStatus, StepStatus> = {
  pending: 'accepted', accepted: 'accepted', sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed', not_capable: 'not_capable',
};

export class RcsFallbackChannel implements FallbackChannel {
  readonly name = 'rcs' as const;
  readonly defaultCondition: StepCondition = 'delivered';
  readonly conditions: readonly StepCondition[] = ['accepted', 'delivered', 'read'];

  constructor(private readonly deps: RcsFallbackChannelDeps) {}

  async capabilities(accountId: string, numbers: readonly string[]): Promise<Map<string, Capability>> {
    // Also refreshes the in-memory sending chatbot render() reads next.
    await this.deps.chatbots.refreshApproved(accountId);
    const bot = this.deps.chatbots.cachedSender(accountId);
    if (!bot) return new Map(numbers.map((n) => [n, 'unknown']));
    const answers = await this.deps.capabilities.query(bot.address, numbers);
    return new Map(numbers.map((n) => [n, CAPABILITY[answers.get(n) ?? 'Unknown']]));
  }

  render(content: FallbackContent, ctx: { accountId: string; to: string; category: Category }): StepRendering | { refused: RenderRefusal } {
    const bot = this.deps.chatbots.cachedSender(ctx.accountId);
    if (!bot) return { refused: { code: 'RCS_NO_CHATBOT', message: 'The account has no approved chatbot to send 5G messages from' } };
    if (content.card) {
      const r = this.deps.renderer.toMessage(content.card.card, { mediaBaseUrl: this.deps.mediaBaseUrl() });
      if (!r.ok) return { refused: { code: 'RCS_LIMIT_EXCEEDED', message: r.problems[0].message, field: r.problems[0].field } };
      return { kind: r.kind, payload: { chatbotId: bot.id, ...r.body } satisfies RcsStepPayload };
    }
    if (content.text) {
      if ([...content.text].length > RCS_LIMITS.text) {
        return { refused: { code: 'RCS_LIMIT_EXCEEDED', message: `text is over ${RCS_LIMITS.text} characters`, field: 'text' } };
      }
      return { kind: 'rcs-text', payload: { chatbotId: bot.id, ...textMessage(content.text).body } satisfies RcsStepPayload };
    }
    return { refused: { code: 'RCS_NO_CONTENT', message: 'Neither a card nor text to send as a 5G message', field: 'text' } };
  }

  async send(req: StepSendRequest): Promise<StepSendOutcome> {
    const payload = req.rendering.payload as RcsStepPayload;
    const chatbot = await this.chatbotFor(req.accountId, payload.chatbotId);
    if (!chatbot) return { ok: false, reason: 'rejected', code: 'RCS_NO_CHATBOT', message: 'The account has no approved chatbot to send 5G messages from' };
    const { message } = await this.deps.service.send({
      accountId: req.accountId, chatbot, to: req.to, kind: req.rendering.kind, body: { messageList: payload.messageList },
      origin: 'fallback', stepRef: req.stepRef,
    });
    return outcomeOf(message);
  }

  async status(accountId: string, channelMessageId: string): Promise<ChannelStatusEvent | undefined> {
    const m = await this.deps.service.get(accountId, channelMessageId);
    return m?.stepRef ? eventOf(m) : undefined;
  }

  onStatus(listener: (e: ChannelStatusEvent) => void | Promise<void>): () => void {
    return this.deps.service.onStatus((e) => (e.message.stepRef ? listener(eventOf(e.message)) : undefined));
  }

  private async chatbotFor(accountId: string, chatbotId: string | undefined) {
    const asked = chatbotId ? await this.deps.chatbots.repo.get(accountId, chatbotId) : undefined;
    if (asked?.status === 'approved') return asked;
    const [first] = await this.deps.chatbots.repo.approved(accountId);
    return first;
  }
}

function outcomeOf(m: RcsMessage): StepSendOutcome {
  if (m.status === 'failed' || m.status === 'not_capable') {
    return {
      ok: false, reason: m.status === 'failed' ? 'rejected' : 'not_capable', code: m.errorCode ?? 'RCS_REJECTED',
      message: m.errorMessage ?? `the 5G message is ${m.status}`, channelMessageId: m.id,
    };
  }
  return { ok: true, channelMessageId: m.id, status: STEP_STATUS[m.status] };
}

function eventOf(m: RcsMessage): ChannelStatusEvent {
  const last = m.history.at(-1);
  return {
    stepRef: m.stepRef!, channelMessageId: m.id, status: STEP_STATUS[m.status], at: last ? new Date(last.at) : m.createdAt,
    code: m.deliveredAsSms ? 'DELIVERED_AS_SMS' : m.errorCode, detail: m.errorMessage,
  };
}
