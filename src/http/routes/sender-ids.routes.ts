/**
 * Sender IDs: the rules table (read), the account's registrations (draft → submit), and the
 * operator's review (approve / reject). Thin: parse, call the workflow, answer.
 */
import { Router } from 'express';
import { z } from 'zod';
import { CATEGORIES } from '../../accounts/account.js';
import type { SenderIdRules } from '../../senders/sender-id-rules.js';
import { REGISTRATION_STATUSES, type SenderRegistrationRepository } from '../../senders/sender-registration.repository.js';
import type { SenderRegistrations } from '../../senders/sender-registrations.js';
import { notFound } from '../app-error.js';
import { senderIdSchema } from './message-schemas.js';

export interface SenderIdRouteDeps {
  rules: SenderIdRules;
  repo: SenderRegistrationRepository;
  registrations: SenderRegistrations;
}

const country = z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166 alpha-2 country code such as VN').transform((c) => c.toUpperCase());
const documentSchema = z.object({
  name: z.string().min(1).max(200),
  url: z.url({ protocol: /^https?$/ }).max(2048),
}).strict();
const fields = {
  country,
  senderId: senderIdSchema,
  categories: z.array(z.enum(CATEGORIES)).min(1).max(3).transform((cs) => [...new Set(cs)]),
  useCase: z.string().min(1).max(2000),
  documents: z.array(documentSchema).max(20),
};
export const createSenderIdSchema = z.object({ ...fields, useCase: fields.useCase.optional(), documents: fields.documents.optional() }).strict();
export const updateSenderIdSchema = z.object({
  country: fields.country.optional(),
  senderId: fields.senderId.optional(),
  categories: fields.categories.optional(),
  useCase: fields.useCase.optional(),
  documents: fields.documents.optional(),
}).strict().refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' });
export const listSenderIdsQuery = z.object({ status: z.enum(REGISTRATION_STATUSES).optional(), country: country.optional() });
export const reviewQuery = z.object({
  status: z.enum(REGISTRATION_STATUSES).optional(),
  accountId: z.string().min(1).optional(),
  country: country.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const operator = z.string().min(1).max(100);
export const approveSchema = z.object({ operator: operator.optional() }).strict();
export const rejectSchema = z.object({ reason: z.string().trim().min(1).max(1000), operator: operator.optional() }).strict();

/** Account routes: the rules table and the account's own registrations. */
export function senderIdsRouter(deps: SenderIdRouteDeps): Router {
  const r = Router();

  r.get('/v1/sender-id-rules', (_req, res) => {
    res.json({ updated: deps.rules.updated, indicative: true, data: deps.rules.list() });
  });
  r.get('/v1/sender-id-rules/:country', (req, res) => {
    const rules = deps.rules.get(String(req.params.country));
    if (!rules) throw notFound(`Sender ID rules for ${req.params.country}`);
    res.json(rules);
  });

  r.post('/v1/sender-ids', async (req, res) => {
    const body = createSenderIdSchema.parse(req.body);
    res.status(201).json(await deps.registrations.create(req.account!.id, body));
  });
  r.get('/v1/sender-ids', async (req, res) => {
    const q = listSenderIdsQuery.parse(req.query);
    res.json({ data: await deps.repo.list(req.account!.id, q) });
  });
  r.get('/v1/sender-ids/:id', async (req, res) => {
    const reg = await deps.repo.get(req.account!.id, String(req.params.id));
    if (!reg) throw notFound(`Sender ID registration ${req.params.id}`);
    res.json(reg);
  });
  r.patch('/v1/sender-ids/:id', async (req, res) => {
    const body = updateSenderIdSchema.parse(req.body);
    res.json(await deps.registrations.edit(req.account!.id, String(req.params.id), body));
  });
  r.post('/v1/sender-ids/:id/submit', async (req, res) => {
    res.json(await deps.registrations.submit(req.account!.id, String(req.params.id)));
  });

  return r;
}

/** Operator routes (admin key): the review queue and the decisions. */
export function senderIdsAdminRouter(deps: SenderIdRouteDeps): Router {
  const r = Router();

  r.get('/v1/admin/sender-ids', async (req, res) => {
    const q = reviewQuery.parse(req.query);
    res.json({ data: await deps.repo.review(q) });
  });
  r.post('/v1/admin/sender-ids/:id/approve', async (req, res) => {
    const body = approveSchema.parse(req.body ?? {});
    res.json(await deps.registrations.approve(String(req.params.id), body.operator));
  });
  r.post('/v1/admin/sender-ids/:id/reject', async (req, res) => {
    const body = rejectSchema.parse(req.body ?? {});
    res.json(await deps.registrations.reject(String(req.params.id), body.reason, body.operator));
  });

  return r;
}
