/**
 * 5G messages (RCS chatbots): the account's chatbots (CRUD, review submission, menu), keyword
 * rules, direct sends with their status history, capability queries; the operator's review and the
 * simulator lever (a user writes in or taps a suggestion). Thin: parse, call the rcs module.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { ChatbotService } from '../../channels/rcs/chatbot.service.js';
import { CHATBOT_STATUSES } from '../../channels/rcs/chatbot.repository.js';
import { e164OrThrow, type RcsApi } from '../../channels/rcs/rcs-api.js';
import type { RcsService } from '../../channels/rcs/rcs.service.js';
import type { InjectedInbound } from '../../channels/rcs/maap-simulator.js';
import { AppError, notFound } from '../app-error.js';
import { chatbotView, rcsMessageView } from './rcs-views.js';

export interface RcsRouteDeps {
  chatbots: ChatbotService;
  api: RcsApi;
  service: RcsService;
}

export const chatbotListQuery = z.object({
  status: z.enum(CHATBOT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const chatbotReviewQuery = chatbotListQuery.extend({ accountId: z.string().min(1).optional() });
export const menuBodySchema = z.object({ menu: z.array(z.unknown()) }).strict();
export const capabilitiesBodySchema = z.object({
  numbers: z.array(z.string().min(3).max(32)).min(1).max(10_000).describe('Numbers to check; asked of the MaaP 100 at a time, answers cached.'),
  chatbotId: z.string().min(1).max(64).optional().describe('Default: the account\'s first approved chatbot.'),
}).strict();
export const approveChatbotSchema = z.object({
  operator: z.string().min(1).max(100).optional(),
  address: z.string().regex(/^sip:[^\s@]+@[^\s@]+$/).optional().describe('The chatbot address the carrier assigned (default: the one generated at creation).'),
}).strict();
export const rejectChatbotSchema = z.object({ reason: z.string().trim().min(1).max(500), operator: z.string().min(1).max(100).optional() }).strict();

export function rcsRouter(deps: RcsRouteDeps): Router {
  const r = Router();
  const id = (v: unknown) => String(v);

  r.post('/v1/rcs/chatbots', async (req, res) => {
    res.status(201).json(chatbotView(await deps.chatbots.create(req.account!.id, req.body)));
  });
  r.get('/v1/rcs/chatbots', async (req, res) => {
    const q = chatbotListQuery.parse(req.query);
    res.json({ data: (await deps.chatbots.list(req.account!.id, q)).map(chatbotView) });
  });
  r.get('/v1/rcs/chatbots/:id', async (req, res) => {
    res.json(chatbotView(await deps.chatbots.get(req.account!.id, id(req.params.id))));
  });
  r.put('/v1/rcs/chatbots/:id', async (req, res) => {
    res.json(chatbotView(await deps.chatbots.replace(req.account!.id, id(req.params.id), req.body)));
  });
  r.delete('/v1/rcs/chatbots/:id', async (req, res) => {
    await deps.chatbots.delete(req.account!.id, id(req.params.id));
    res.status(204).end();
  });
  r.post('/v1/rcs/chatbots/:id/submit', async (req, res) => {
    res.json(chatbotView(await deps.chatbots.submit(req.account!.id, id(req.params.id))));
  });
  r.put('/v1/rcs/chatbots/:id/menu', async (req, res) => {
    const { menu } = menuBodySchema.parse(req.body ?? {});
    res.json(chatbotView(await deps.chatbots.setMenu(req.account!.id, id(req.params.id), menu)));
  });

  r.get('/v1/rcs/chatbots/:id/keywords', async (req, res) => {
    res.json({ data: await deps.api.listRules(req.account!.id, id(req.params.id)) });
  });
  r.post('/v1/rcs/chatbots/:id/keywords', async (req, res) => {
    res.status(201).json(await deps.api.createRule(req.account!.id, id(req.params.id), req.body));
  });
  r.put('/v1/rcs/chatbots/:id/keywords/:ruleId', async (req, res) => {
    res.json(await deps.api.replaceRule(req.account!.id, id(req.params.id), id(req.params.ruleId), req.body));
  });
  r.delete('/v1/rcs/chatbots/:id/keywords/:ruleId', async (req, res) => {
    await deps.api.deleteRule(req.account!.id, id(req.params.id), id(req.params.ruleId));
    res.status(204).end();
  });

  r.post('/v1/rcs/messages', async (req, res) => {
    res.status(202).json(rcsMessageView(await deps.api.send(req.account!.id, req.body)));
  });
  r.get('/v1/rcs/messages/:id', async (req, res) => {
    const m = await deps.service.get(req.account!.id, id(req.params.id));
    if (!m) throw notFound(`5G message ${req.params.id}`);
    res.json(rcsMessageView(m));
  });
  r.post('/v1/rcs/capabilities', async (req, res) => {
    const b = capabilitiesBodySchema.parse(req.body ?? {});
    res.json({ data: await deps.api.capabilities(req.account!.id, b.numbers, b.chatbotId) });
  });

  return r;
}

export const simulatedRcsInboundSchema = z.object({
  chatbotId: z.string().min(1).max(64).describe('The chatbot written to.'),
  from: z.string().min(3).max(32).describe('The user\'s number.'),
  text: z.string().min(1).max(3072).optional().describe('What the user typed (or give postback).'),
  postback: z.object({ data: z.string().min(1).max(2048), displayText: z.string().min(1).max(25) }).strict().optional().describe('A suggestion tap.'),
  inReplyTo: z.string().min(1).max(64).optional().describe('Our message the user answers.'),
}).strict().refine((b) => (b.text === undefined) !== (b.postback === undefined), { message: 'give text or postback (one of them)', path: ['text'] });

export interface RcsAdminDeps {
  chatbots: ChatbotService;
  /** The bundled MaaP simulator when this process runs it. */
  simulator: () => { injectInbound(m: InjectedInbound): Promise<{ messageId: string; delivered: boolean }> } | undefined;
}

export function rcsAdminRouter(deps: RcsAdminDeps): Router {
  const r = Router();
  r.get('/v1/admin/rcs/chatbots', async (req, res) => {
    const q = chatbotReviewQuery.parse(req.query);
    res.json({ data: (await deps.chatbots.review({ status: q.status ?? 'submitted', accountId: q.accountId, limit: q.limit })).map(chatbotView) });
  });
  r.get('/v1/admin/rcs/chatbots/:id', async (req, res) => {
    res.json(chatbotView(await deps.chatbots.findForReview(String(req.params.id))));
  });
  r.post('/v1/admin/rcs/chatbots/:id/approve', async (req, res) => {
    const b = approveChatbotSchema.parse(req.body ?? {});
    res.json(chatbotView(await deps.chatbots.approve(String(req.params.id), b.operator, b.address)));
  });
  r.post('/v1/admin/rcs/chatbots/:id/reject', async (req, res) => {
    const b = rejectChatbotSchema.parse(req.body ?? {});
    res.json(chatbotView(await deps.chatbots.reject(String(req.params.id), b.reason, b.operator)));
  });
  r.post('/v1/admin/simulator/rcs/inbound', async (req, res) => {
    const b = simulatedRcsInboundSchema.parse(req.body ?? {});
    const chatbot = await deps.chatbots.findForReview(b.chatbotId);
    const sim = deps.simulator();
    if (!sim) throw new AppError(409, 'SIMULATOR_NOT_RUNNING', 'This process does not run the MaaP simulator (ROLES has no simulator)');
    res.json(await sim.injectInbound({ chatbotAddress: chatbot.address, from: e164OrThrow(b.from, 'from'), text: b.text, postback: b.postback, inReplyTo: b.inReplyTo }));
  });
  return r;
}
