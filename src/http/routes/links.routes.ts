/**
 * Short links of the calling account: create one (POST /v1/links) and read one with its click
 * counts (GET /v1/links/:code). Per-recipient links of a send are made by LinkService directly.
 * The public side (/s/:code) is src/links/redirect-handler.ts.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ID_PATTERN } from '../../links/click-report-params.js';
import { CREATABLE_LINK_KINDS } from '../../links/link.js';
import type { LinkService } from '../../links/link.service.js';
import { notFound } from '../app-error.js';

export interface LinksRouterDeps {
  links: LinkService;
}

const id = z.string().regex(ID_PATTERN, '1–64 letters, digits, ".", "_", ":" or "-"');
const variableValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const createLinkSchema = z.object({
  kind: z.enum(CREATABLE_LINK_KINDS).default('redirect'),
  targetUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  campaignId: id.optional(),
  campaignName: z.string().trim().min(1).max(200).optional(),
  card: z.object({
    templateId: id,
    variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a handlebars variable name'), variableValue).optional(),
  }).strict().optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
}).strict().superRefine((b, ctx) => {
  if (b.kind === 'redirect' && !b.targetUrl) ctx.addIssue({ code: 'custom', path: ['targetUrl'], message: 'a redirect link needs a targetUrl' });
  if (b.kind === 'card' && !b.card) ctx.addIssue({ code: 'custom', path: ['card'], message: 'a card link needs card.templateId' });
  if (b.kind === 'redirect' && b.card) ctx.addIssue({ code: 'custom', path: ['card'], message: 'only card links carry a card (set kind to card)' });
  if (b.expiresAt && !(Date.parse(b.expiresAt) > Date.now())) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be in the future' });
  if (b.card?.variables && Object.keys(b.card.variables).length > 100) ctx.addIssue({ code: 'custom', path: ['card', 'variables'], message: 'at most 100 variables' });
});

export function linksRouter(deps: LinksRouterDeps): Router {
  const r = Router();

  r.post('/v1/links', async (req, res) => {
    const body = createLinkSchema.parse(req.body);
    const link = await deps.links.createLink(req.account!.id, {
      kind: body.kind,
      // Stored percent-encoded: a Location header is ASCII.
      targetUrl: body.targetUrl ? new URL(body.targetUrl).href : null,
      campaignId: body.campaignId ?? null,
      campaignName: body.campaignName ?? null,
      card: body.card ? { templateId: body.card.templateId, variables: body.card.variables ?? {} } : null,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    });
    res.status(201).json(link);
  });

  r.get('/v1/links/:code', async (req, res) => {
    const link = await deps.links.getLink(req.account!.id, String(req.params.code));
    if (!link) throw notFound('Link');
    res.json(link);
  });

  return r;
}
