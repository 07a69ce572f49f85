/**
 * The WhatsApp use cases: send (opt-in and 24 h window enforced, recorded), apply Meta's webhooks
 * (statuses move forward only; user messages open the window and reach the customer as MO reports),
 * opt-ins, and a status hook other modules listen to (verification, and the fallback engine, which
 * runs the SMS failover of POST /v1/whatsapp/messages: src/fallback/whatsapp-sms-fallback.ts).
 */
import { nanoid } from 'nanoid';
import type { Db } from '../../db/db-client.js';
import { AppError } from '../../http/app-error.js';
import { fromZod } from '../../http/error-handler.js';
import { newId } from '../../ids.js';
import { maskNumber, type Logger } from '../../logging/logger.js';
import type { MoReportPayload } from '../../receipts/report.repository.js';
import type { ChannelError } from '../channel-adapter.js';
import { webhookEvents, webhookPayloadSchema, type InboundEvent, type StatusEvent } from './cloud-api-webhook.js';
import type { WhatsAppSendOutcome } from './whatsapp.adapter.js';
import type { CloudSendRequest } from './cloud-api-types.js';
import { needsWindow, parseWhatsAppNumber, toCloudRequest, type WhatsAppContent } from './whatsapp-content.js';
import { WhatsAppInboundRepository, windowOpen } from './whatsapp-inbound.repository.js';
import { WhatsAppMessageRepository, type Transition, type WhatsAppMessage } from './whatsapp-message.repository.js';
import { WhatsAppOptInRepository, type WhatsAppOptIn } from './whatsapp-opt-in.repository.js';
import { sendWhatsAppSchema, splitBody } from './whatsapp-request.js';
import type { WhatsAppStatus } from './whatsapp-status.js';
import { failureCode, sendErrorCode } from './whatsapp-error-codes.js';

export interface WhatsAppServiceOptions {
  db: Db;
  /** The Cloud API client (WhatsAppCloudAdapter). */
  adapter: { send(request: CloudSendRequest): Promise<WhatsAppSendOutcome> };
  /** Our business number's id: webhooks about other numbers of the same app are ignored. */
  phoneNumberId: string;
  logger: Logger;
  now?: () => Date;
}

/** What `send` takes. `content` is Meta's message shape (see whatsapp-content.ts). */
export interface WhatsAppSendInput {
  to: string;
  content: WhatsAppContent;
  reference?: string;
}

export interface WhatsAppSendResult {
  message: WhatsAppMessage;
  /** The API's refusal or transport failure when the send failed at once (message `failed`). */
  error?: ChannelError;
}

/** Status changes, after commit, in the process that made them. */
export type WhatsAppEvent = { type: 'status'; message: WhatsAppMessage; previous: WhatsAppStatus };

export class WhatsAppService {
  readonly messages: WhatsAppMessageRepository;
  readonly optIns: WhatsAppOptInRepository;
  readonly inbound: WhatsAppInboundRepository;
  private readonly listeners = new Set<(e: WhatsAppEvent) => void | Promise<void>>();
  private readonly now: () => Date;
  private readonly log: Logger;

  constructor(private readonly opts: WhatsAppServiceOptions) {
    this.messages = new WhatsAppMessageRepository(opts.db);
    this.optIns = new WhatsAppOptInRepository(opts.db);
    this.inbound = new WhatsAppInboundRepository(opts.db);
    this.now = opts.now ?? (() => new Date());
    this.log = opts.logger.child({ component: 'whatsapp' });
  }

  /** Subscribes to status changes; returns the unsubscribe function. */
  onStatus(listener: (e: WhatsAppEvent) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Checks what `send` checks before storing anything, and throws the same AppError: invalid input
   * (VALIDATION_FAILED naming the field, INVALID_NUMBER), a number that has not opted in
   * (WHATSAPP_NOT_OPTED_IN), free-form content outside the 24 h window (WHATSAPP_OUTSIDE_WINDOW).
   * Resolves with the number in E.164 and the content as parsed.
   */
  async assertSendable(accountId: string, input: WhatsAppSendInput): Promise<{ to: string; content: WhatsAppContent; reference?: string }> {
    const parsed = sendWhatsAppSchema.safeParse({ ...input.content, to: input.to, reference: input.reference });
    if (!parsed.success) throw fromZod(parsed.error);
    const { content, reference } = splitBody(parsed.data);
    const number = parseWhatsAppNumber(parsed.data.to);
    if (!number.ok) throw new AppError(400, number.code, `to: ${number.message}`, 'to');
    const to = number.e164;

    const optIn = await this.optIns.get(accountId, to);
    if (!optIn?.optedIn) {
      throw new AppError(403, 'WHATSAPP_NOT_OPTED_IN', `${to} has not opted in to WhatsApp messages from this account; record consent with PUT /v1/whatsapp/opt-ins/{number} first`, 'to');
    }
    if (needsWindow(content) && !windowOpen(await this.inbound.lastInboundAt(accountId, to), this.now())) {
      throw new AppError(403, 'WHATSAPP_OUTSIDE_WINDOW', `${content.type} messages may only be sent within 24 h of the user's last message; send a template instead`, 'type');
    }
    return { to, content, reference };
  }

  /**
   * Sends one message. Throws as `assertSendable` does, before storing anything. Otherwise the
   * message is stored and sent; an API refusal comes back as a `failed` message with `error`.
   */
  async send(accountId: string, input: WhatsAppSendInput): Promise<WhatsAppSendResult> {
    const { to, content, reference } = await this.assertSendable(accountId, input);
    const message = await this.messages.insert({ id: newId('wam'), accountId, to, content, reference: reference ?? null, createdAt: this.now() });

    const outcome = await this.opts.adapter.send(toCloudRequest(content, to, message.id));
    const at = this.now();
    const t = outcome.ok
      ? await this.messages.transition({ id: message.id }, { status: 'accepted', at, providerMessageId: outcome.providerMessageId, waId: outcome.waId })
      : await this.messages.transition({ id: message.id }, {
        status: 'failed', at,
        error: { errorCode: sendErrorCode(outcome.error), providerCode: outcome.error.providerCode == null ? null : String(outcome.error.providerCode), message: `${outcome.error.code}: ${outcome.error.message}` },
      });
    if (!outcome.ok) this.log.warn('WhatsApp send failed', { waMessageId: message.id, to: maskNumber(to), code: outcome.error.code, providerCode: outcome.error.providerCode });
    this.afterTransition(t!);
    const latest = (await this.messages.get(accountId, message.id))!;
    return outcome.ok ? { message: latest } : { message: latest, error: outcome.error };
  }

  get(accountId: string, id: string): Promise<WhatsAppMessage | undefined> {
    return this.messages.get(accountId, id);
  }

  recordOptIn(accountId: string, e164: string, source: string): Promise<WhatsAppOptIn> {
    return this.optIns.record(accountId, e164, source, this.now());
  }

  withdrawOptIn(accountId: string, e164: string, source: string): Promise<WhatsAppOptIn | undefined> {
    return this.optIns.withdraw(accountId, e164, source, this.now());
  }

  getOptIn(accountId: string, e164: string): Promise<WhatsAppOptIn | undefined> {
    return this.optIns.get(accountId, e164);
  }

  /**
   * Applies a webhook payload that passed the signature check. Throws AppError
   * WEBHOOK_PAYLOAD_INVALID when it is not a WhatsApp Business Account payload.
   */
  async handleWebhook(payload: unknown): Promise<{ statuses: number; inbound: number; ignored: number }> {
    const parsed = webhookPayloadSchema.safeParse(payload);
    let events;
    try {
      if (!parsed.success) throw parsed.error;
      events = webhookEvents(parsed.data);
    } catch (err) {
      const first = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues?.[0];
      throw new AppError(400, 'WEBHOOK_PAYLOAD_INVALID', `Not a WhatsApp webhook payload${first ? `: ${first.path.join('.')}: ${first.message}` : ''}`, 'body');
    }
    const counts = { statuses: 0, inbound: 0, ignored: 0 };
    for (const e of events) {
      if (e.phoneNumberId !== this.opts.phoneNumberId) {
        counts.ignored++;
        continue;
      }
      const applied = e.kind === 'status' ? await this.applyStatus(e) : await this.applyInbound(e);
      if (applied) counts[e.kind === 'status' ? 'statuses' : 'inbound']++;
      else counts.ignored++;
    }
    return counts;
  }

  private async applyStatus(e: StatusEvent): Promise<boolean> {
    // Our id comes back in biz_opaque_callback_data, so a status that beats the send's answer
    // (it can: the webhook and the HTTP response race) still finds its message.
    const ref = e.callbackData?.startsWith('wam_') ? { id: e.callbackData } : { providerMessageId: e.providerMessageId };
    const t = await this.messages.transition(ref, {
      status: e.status, at: e.at, providerMessageId: e.providerMessageId,
      error: e.status === 'failed' ? { errorCode: failureCode(e.error?.code), providerCode: e.error ? String(e.error.code) : null, message: e.error ? `${e.error.title}${e.error.details ? `: ${e.error.details}` : ''}` : 'failed' } : undefined,
    });
    if (!t) {
      this.log.warn('status for an unknown WhatsApp message', { providerMessageId: e.providerMessageId, status: e.status });
      return false;
    }
    this.afterTransition(t);
    return true;
  }

  private afterTransition(t: Transition): void {
    if (t.after.status !== t.before.status) this.emit({ type: 'status', message: t.after, previous: t.before.status });
  }

  private async applyInbound(e: InboundEvent): Promise<boolean> {
    const from = '+' + e.from.replace(/\D/g, '');
    // One business number serves every account: a reply goes to the account whose message it
    // answers, else to the last account that wrote to the number, else to the last that
    // recorded its consent (see README).
    const accountId = (e.contextId ? await this.messages.accountOfProviderId(e.contextId) : undefined)
      ?? (await this.messages.lastAccountTo(from))
      ?? (await this.optIns.lastAccountFor(from))
      ?? null;
    const id = 'wmo_' + nanoid(16);
    const stored = await this.inbound.record(
      { id, providerMessageId: e.providerMessageId, accountId, from, type: e.type, text: e.text, contextId: e.contextId ?? null, payload: e.raw, receivedAt: e.at },
      accountId ? {
        accountId, kind: 'mo',
        payload: { type: 'mo', id, from, to: e.displayPhoneNumber, text: e.text, receivedAt: e.at.toISOString(), unsubscribed: false, channel: 'whatsapp' } satisfies MoReportPayload,
      } : null,
    );
    if (stored) this.log.info('WhatsApp message from a user', { accountId, from: maskNumber(from), type: e.type });
    if (stored && !accountId) this.log.warn('WhatsApp message from a number no account knows', { from: maskNumber(from) });
    return stored;
  }

  private emit(e: WhatsAppEvent): void {
    for (const l of this.listeners) {
      Promise.resolve()
        .then(() => l(e))
        .catch((err) => this.log.error('a WhatsApp status listener failed', { err: err instanceof Error ? err.message : String(err) }));
    }
  }
}
