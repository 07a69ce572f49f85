/**
 * The contract between the fallback engine (src/fallback) and each channel it can step through:
 * rcs (5G message), smart_sms, mms, whatsapp, sms. A send carries an ordered chain of steps; for
 * each step the engine asks the channel whether the terminal can show its content (capability),
 * lets it render the richest form it supports from the content given once, sends it, and then
 * listens for the channel's statuses until the step's condition is met, the channel gives up, or
 * the step's timeout passes. Channels know nothing about chains: they only echo the `stepRef`.
 */
import type { Category } from '../accounts/account.js';
import type { Card } from '../cards/card-model.js';
import type { WhatsAppContent } from '../channels/whatsapp/whatsapp-content.js';

export const CHANNEL_NAMES = ['rcs', 'smart_sms', 'mms', 'whatsapp', 'sms'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** What counts as success for a step (PROTOCOLS.md "Failover models"). */
export const STEP_CONDITIONS = ['accepted', 'delivered', 'read'] as const;
export type StepCondition = (typeof STEP_CONDITIONS)[number];

/** Whether a terminal can show a channel's content; `unknown` is tried (the channel may still refuse). */
export type Capability = 'capable' | 'not_capable' | 'unknown';

/**
 * A channel message's state, normalised:
 * - `accepted`: the provider took it; `sent`: it left for the network;
 * - `delivered`: on the terminal (5G DeliveredToTerminal, SMS DELIVRD, WhatsApp delivered);
 * - `read`: displayed / read;
 * - `failed`: the provider or network gave up (rejected, expired, undeliverable);
 * - `not_capable`: the terminal cannot show this channel's content (5G DeliveryImpossible for a
 *   non-RCS terminal, WhatsApp 131026): the engine moves on with reason `not_capable`.
 */
export const STEP_STATUSES = ['accepted', 'sent', 'delivered', 'read', 'failed', 'not_capable'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * The content of a send, given once. The engine fills in what it resolved (the card from an approved
 * template with the recipient's variables, the recipient's H5 page link); each channel renders the
 * richest form it supports from whatever is present, or says it cannot.
 */
export interface FallbackContent {
  /** A card from an approved card template, variables applied (rcs: 5G card; smart_sms: parse-link text; sms: text + page link). */
  card?: { templateId: string; /** The template's name (the parse platform registration's title). */ name?: string; card: Card };
  /** Plain text: what text channels send when there is no card (and the caption of media). */
  text?: string;
  /** An approved MMS template and the recipient's variables (mms channel; others use its text + pageUrl). */
  mms?: { templateId: string; variables: Record<string, unknown> };
  /** WhatsApp's own content (e.g. a template, which may go out outside the 24 h window). */
  whatsapp?: WhatsAppContent;
  /** The recipient's own short link to the H5 page of the card or of the MMS media (text renderings carry it). */
  pageUrl?: string;
  /** Domestic SMS signature, without 【】. */
  signature?: string;
  /** International sender ID (SMS), when the customer chose one. */
  senderId?: string;
  /** The campaign the send belongs to (click reports; smart-SMS parse counts are reported under it). */
  campaignId?: string;
}

/** One channel's rendering of the content: what is sent, and a kind the message history shows. */
export interface StepRendering {
  /** e.g. `rcs-card`, `rcs-carousel`, `rcs-text`, `smart-sms`, `mms`, `text-with-link`, `text`, `whatsapp-text`. */
  kind: string;
  /** The channel's own payload (5G message JSON, SMS text, MMS slides…), stored with the step. */
  payload: unknown;
}

/** Why a channel cannot render the content (the engine moves on with reason `not_renderable`). */
export interface RenderRefusal {
  code: string;
  message: string;
  /** The content field at fault, e.g. `card.buttons.4` or `mms.slides.2.image`. */
  field?: string;
}

export interface StepSendRequest {
  accountId: string;
  /** E.164 with `+`. */
  to: string;
  category: Category;
  /**
   * Unique per (send, step), e.g. `mst_…:1`. The channel stores it as the message's reference, echoes
   * it in status events, and uses it as an idempotency key: sending the same stepRef twice returns
   * the first send's message id and sends nothing (a step taken over after a crash).
   */
  stepRef: string;
  rendering: StepRendering;
}

export type StepSendOutcome =
  | { ok: true; channelMessageId: string; /** when the send already knows more than `accepted` */ status?: StepStatus }
  | {
      ok: false;
      /** `rejected`: the channel refused the message; `not_capable`: the terminal can't show it. */
      reason: 'rejected' | 'not_capable';
      code: string;
      message: string;
      /** The channel message id when one was stored (a failed message kept for the history). */
      channelMessageId?: string;
    };

/** A status of a message that was sent with a stepRef. */
export interface ChannelStatusEvent {
  stepRef: string;
  channelMessageId: string;
  status: StepStatus;
  at: Date;
  /** The platform's or provider's code for failures (e.g. `DELIVERY_IMPOSSIBLE`, `131026`, `DLR_FAILED`). */
  code?: string | null;
  detail?: string | null;
}

export interface FallbackChannel {
  readonly name: ChannelName;
  /** The condition a step on this channel uses when the chain does not say. */
  readonly defaultCondition: StepCondition;
  /** The conditions this channel can ever report (a step asking for another is refused up front). */
  readonly conditions: readonly StepCondition[];
  /**
   * Capability of each number, batched (the channel splits into provider-sized calls and caches
   * answers with an expiry). Numbers are E.164. Channels without a notion of capability answer
   * `capable` for all. Throws only for infrastructure trouble (the engine then treats all as `unknown`).
   */
  capabilities(accountId: string, numbers: readonly string[]): Promise<Map<string, Capability>>;
  /**
   * Optional: loads what `render` needs for this content (e.g. an approved MMS template and its
   * pre-fitted media) into memory. The engine calls it once per send or campaign before rendering,
   * for channels that have it; a failure to load shows up as the render's refusal, not as a throw
   * (throws are infrastructure trouble only).
   */
  prepare?(content: FallbackContent, ctx: { accountId: string }): Promise<void>;
  /** The richest form of `content` this channel takes. Pure and fast (no I/O): it runs per recipient. */
  render(content: FallbackContent, ctx: { accountId: string; to: string; category: Category }): StepRendering | { refused: RenderRefusal };
  /** Sends one rendering. Refusals come back as `{ ok: false }`; throws only for infrastructure trouble (retried later). */
  send(req: StepSendRequest): Promise<StepSendOutcome>;
  /** The latest state of a message this channel sent (the engine re-reads it when a step comes due). */
  status(accountId: string, channelMessageId: string): Promise<ChannelStatusEvent | undefined>;
  /** Status changes of messages sent with a stepRef, in this process, after commit; returns the unsubscribe. */
  onStatus(listener: (e: ChannelStatusEvent) => void | Promise<void>): () => void;
}

/**
 * Optional batch form of `send` for campaigns (one round trip for many messages). Same contract per
 * request; the answer is in the same order as the requests.
 */
export interface BatchSendingChannel extends FallbackChannel {
  sendMany(reqs: readonly StepSendRequest[]): Promise<StepSendOutcome[]>;
}

export function sendsInBatches(channel: FallbackChannel): channel is BatchSendingChannel {
  return typeof (channel as Partial<BatchSendingChannel>).sendMany === 'function';
}
