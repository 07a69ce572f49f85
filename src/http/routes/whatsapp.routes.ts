/**
 * Customer routes of the WhatsApp channel (send, read with both attempts, opt-ins) and the
 * operator's lever on the bundled simulator (a user writes in). Thin: parse, authorise, call
 * WhatsAppService, or the fallback engine (WhatsAppSmsFallback) when the send has a `fallback`.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { WhatsAppService } from '../../channels/whatsapp/whatsapp.service.js';
import { sendWhatsAppSchema, splitBody } from '../../channels/whatsapp/whatsapp-request.js';
import type { WhatsAppMessage } from '../../channels/whatsapp/whatsapp-message.repository.js';
import { fallbackSendView } from '../../fallback/fallback-send.service.js';
import type { WhatsAppSmsFallback, WhatsAppStepOfSend } from '../../fallback/whatsapp-sms-fallback.js';
import { AppError, notFound } from '../app-error.js';
import { parseWhatsAppNumber } from '../../channels/whatsapp/whatsapp-content.js';
import { optInView, whatsAppMessageView, type SmsAttemptState } from './whatsapp-views.js';

export interface WhatsAppRouteDeps {
  service: WhatsAppService;
  /** Sends with `fallback` (the fallback engine's chain [whatsapp, sms]). */
  fallback: WhatsAppSmsFallback;
  /** The SMS message a fallback step sent, for the status history. */
  smsMessage: (accountId: string, id: string) => Promise<SmsAttemptState | undefined>;
}

function e164OrThrow(input: string, field: string): string {
  const p = parseWhatsAppNumber(input);
  if (!p.ok) throw new AppError(400, p.code, `${field}: ${p.message}`, field);
  return p.e164;
}

export const optInSchema = z.object({
  source: z.string().min(1).max(100).describe('Where the user agreed, e.g. signup_form, checkout, support_chat.'),
}).strict();
export const optOutQuerySchema = z.object({ source: z.string().min(1).max(100).default('api') });

export function whatsappRouter(deps: WhatsAppRouteDeps): Router {
  const r = Router();

  r.post('/v1/whatsapp/messages', async (req, res) => {
    const body = sendWhatsAppSchema.parse(req.body);
    const account = req.account!;
    if (body.fallback && !account.categories.includes(body.fallback.sms.category)) {
      throw new AppError(403, 'CATEGORY_NOT_ALLOWED', `This account may not send ${body.fallback.sms.category} messages`, 'fallback.sms.category');
    }
    const { fallback, ...input } = splitBody(body);
    if (!fallback) return void res.status(202).json(whatsAppMessageView((await deps.service.send(account.id, input)).message));
    const chain = await deps.fallback.send(account, { ...input, fallback });
    // WhatsApp stored no message after all (consent withdrawn meanwhile, or infrastructure
    // trouble): the answer is the send itself, as GET /v1/messages/{id} shows it.
    if (!chain.message) return void res.status(202).json(fallbackSendView(chain.send));
    res.status(202).json(await view(account.id, chain.message, chain));
  });

  r.get('/v1/whatsapp/messages/:id', async (req, res) => {
    const account = req.account!;
    const m = await deps.service.get(account.id, String(req.params.id));
    if (!m) throw notFound(`WhatsApp message ${req.params.id}`);
    res.json(await view(account.id, m, await deps.fallback.sendOf(m)));
  });

  /** The message with its fallback, and the SMS's own status when the fallback sent one. */
  async function view(accountId: string, m: WhatsAppMessage, chain: WhatsAppStepOfSend | undefined) {
    const smsId = chain?.send.steps[chain.step + 1]?.channelMessageId;
    return whatsAppMessageView(m, chain, smsId ? await deps.smsMessage(accountId, smsId) : undefined);
  }

  r.put('/v1/whatsapp/opt-ins/:number', async (req, res) => {
    const number = e164OrThrow(String(req.params.number), 'number');
    const { source } = optInSchema.parse(req.body ?? {});
    res.json(optInView(await deps.service.recordOptIn(req.account!.id, number, source)));
  });

  r.delete('/v1/whatsapp/opt-ins/:number', async (req, res) => {
    const number = e164OrThrow(String(req.params.number), 'number');
    const { source } = optOutQuerySchema.parse(req.query);
    const o = await deps.service.withdrawOptIn(req.account!.id, number, source);
    if (!o) throw notFound(`WhatsApp opt-in of ${number}`);
    res.json(optInView(o));
  });

  r.get('/v1/whatsapp/opt-ins/:number', async (req, res) => {
    const number = e164OrThrow(String(req.params.number), 'number');
    const o = await deps.service.getOptIn(req.account!.id, number);
    if (!o) throw notFound(`WhatsApp opt-in of ${number}`);
    res.json(optInView(o));
  });

  return r;
}

export const simulatedInboundSchema = z.object({
  from: z.string().min(3).max(32).describe('The user, in international form.'),
  text: z.string().min(1).max(4096),
  contextId: z.string().min(1).max(200).optional().describe('wamid of the message the user replies to.'),
}).strict();

export interface WhatsAppAdminDeps {
  /** The bundled WhatsApp simulator when this process runs it. */
  simulator: () => { injectInbound(m: { from: string; text: string; contextId?: string }): Promise<{ id: string; delivered: boolean }> } | undefined;
}

export function whatsappAdminRouter(deps: WhatsAppAdminDeps): Router {
  const r = Router();
  r.post('/v1/admin/simulator/whatsapp/inbound', async (req, res) => {
    const body = simulatedInboundSchema.parse(req.body);
    const from = e164OrThrow(body.from, 'from');
    const sim = deps.simulator();
    if (!sim) throw new AppError(409, 'SIMULATOR_NOT_RUNNING', 'This process does not run the WhatsApp simulator (ROLES has no simulator)');
    res.json(await sim.injectInbound({ ...body, from }));
  });
  return r;
}
