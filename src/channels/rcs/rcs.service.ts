/**
 * The 5G message use cases: send one message from a chatbot (stored first, idempotent per fallback
 * step reference, then posted to the MaaP), apply the MaaP's notifications (statuses move forward
 * only; user messages go to rcs-inbound.ts), and tell listeners about status changes after commit.
 */
import type { Db } from '../../db/db-client.js';
import { AppError } from '../../http/app-error.js';
import { newId } from '../../ids.js';
import { maskNumber, type Logger } from '../../logging/logger.js';
import type { ChannelError } from '../channel-adapter.js';
import { maapNotificationsSchema, telUri, type MaapDeliveryInfo, type MaapInboundMessage, type MaapOutboundRequest } from './maap-api.js';
import type { MaapSendOutcome } from './maap.adapter.js';
import { MAAP_UPSTREAM } from './maap.adapter.js';
import type { RcsMessageBody } from './maap-message.js';
import type { Chatbot } from './chatbot.repository.js';
import { RcsMessageRepository, type RcsMessage, type RcsOrigin } from './rcs-message.repository.js';
import { fromMaapStatus, type RcsStatus } from './rcs-status.js';

/** Message-level codes of refused sends (the MaaP said no, or could not be reached). */
export const RCS_SEND_CODES = { rejected: 'RCS_REJECTED', unavailable: 'RCS_UNAVAILABLE' } as const;

export interface RcsSendRequest {
  accountId: string;
  chatbot: Pick<Chatbot, 'id' | 'address'>;
  /** E.164. */
  to: string;
  kind: string;
  body: RcsMessageBody;
  origin: RcsOrigin;
  stepRef?: string;
  reference?: string;
  /** Ask the network for SMS delivery to non-RCS terminals (direct API sends only). */
  smsContent?: string;
}

export interface RcsSendResult {
  message: RcsMessage;
  /** False when the step reference was sent before: nothing was sent now. */
  created: boolean;
  error?: ChannelError;
}

/** A status change of a stored message, after commit. */
export interface RcsStatusEvent {
  message: RcsMessage;
  previous: RcsStatus;
}

export interface RcsServiceOptions {
  db: Db;
  adapter: { send(chatbotAddress: string, request: MaapOutboundRequest): Promise<MaapSendOutcome> };
  /** Handles a user's message to a chatbot (rcs-inbound.ts); true when it was new. */
  onInbound: (e: MaapInboundMessage) => Promise<boolean>;
  logger: Logger;
  now?: () => Date;
}

export class RcsService {
  readonly messages: RcsMessageRepository;
  private readonly listeners = new Set<(e: RcsStatusEvent) => void | Promise<void>>();
  private readonly now: () => Date;
  private readonly log: Logger;

  constructor(private readonly opts: RcsServiceOptions) {
    this.messages = new RcsMessageRepository(opts.db);
    this.now = opts.now ?? (() => new Date());
    this.log = opts.logger.child({ component: 'rcs' });
  }

  onStatus(listener: (e: RcsStatusEvent) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores and posts one message. A refusal comes back as a `failed` message with `error`. */
  async send(req: RcsSendRequest): Promise<RcsSendResult> {
    const { message, created } = await this.messages.insert({
      id: newId('rcm'), accountId: req.accountId, chatbotId: req.chatbot.id, to: req.to, kind: req.kind, payload: req.body,
      stepRef: req.stepRef ?? null, reference: req.reference ?? null, origin: req.origin, smsContent: req.smsContent ?? null, createdAt: this.now(),
    });
    if (!created) return { message, created: false };
    const outcome = await this.opts.adapter.send(req.chatbot.address, {
      messageId: message.id, senderAddress: req.chatbot.address, destinationAddress: [telUri(req.to)], messageList: req.body.messageList,
      reportRequest: ['Delivered', 'Displayed', 'Failed'], smsSupported: req.smsContent !== undefined, ...(req.smsContent !== undefined ? { smsContent: req.smsContent } : {}),
    });
    const at = this.now();
    const change = outcome.ok
      ? { status: 'accepted' as const, at }
      : { status: 'failed' as const, at, code: sendErrorCode(outcome.error), message: `${outcome.error.code}: ${outcome.error.message}` };
    if (!outcome.ok) this.log.warn('5G message refused', { rcsMessageId: message.id, to: maskNumber(req.to), code: outcome.error.code, providerCode: outcome.error.providerCode });
    const t = await this.messages.transition(message.id, change);
    this.emitChange(t);
    return { message: t!.after, created: true, ...(outcome.ok ? {} : { error: outcome.error }) };
  }

  get(accountId: string, id: string): Promise<RcsMessage | undefined> {
    return this.messages.get(accountId, id);
  }

  /**
   * Applies a notification body that passed the signature check.
   * @throws AppError WEBHOOK_PAYLOAD_INVALID when it is not a MaaP notification body.
   */
  async handleWebhook(payload: unknown): Promise<{ statuses: number; inbound: number; ignored: number }> {
    const parsed = maapNotificationsSchema.safeParse(payload);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new AppError(400, 'WEBHOOK_PAYLOAD_INVALID', `Not a MaaP notification body: ${first.path.join('.')}: ${first.message}`, 'body');
    }
    const counts = { statuses: 0, inbound: 0, ignored: 0 };
    for (const n of parsed.data.notifications) {
      const applied = n.type === 'deliveryInfo' ? await this.applyStatus(n) : await this.opts.onInbound(n);
      if (!applied) counts.ignored++;
      else counts[n.type === 'deliveryInfo' ? 'statuses' : 'inbound']++;
    }
    return counts;
  }

  private async applyStatus(n: MaapDeliveryInfo): Promise<boolean> {
    const { status, code } = fromMaapStatus(n.status);
    const t = await this.messages.transition(n.messageId, {
      status, at: new Date(n.timestamp), maapStatus: n.status, code,
      message: n.errorCode || n.description ? `${n.errorCode ?? n.status}: ${n.description ?? ''}`.trim() : null,
      deliveredAsSms: n.status === 'DeliveredToNetwork',
    });
    if (!t) {
      this.log.warn('status for an unknown 5G message', { messageId: n.messageId, status: n.status });
      return false;
    }
    this.emitChange(t);
    return true;
  }

  private emitChange(t: { before: RcsMessage; after: RcsMessage } | undefined): void {
    if (!t || t.after.status === t.before.status) return;
    const e: RcsStatusEvent = { message: t.after, previous: t.before.status };
    for (const l of this.listeners) {
      Promise.resolve()
        .then(() => l(e))
        .catch((err) => this.log.error('a 5G status listener failed', { err: err instanceof Error ? err.message : String(err) }));
    }
  }
}

function sendErrorCode(e: ChannelError): string {
  return e.code === MAAP_UPSTREAM.REJECTED || e.code === MAAP_UPSTREAM.AUTH ? RCS_SEND_CODES.rejected : RCS_SEND_CODES.unavailable;
}
