/**
 * Card templates (issue 4): the account's templates and their media, the operator's review, and
 * the public media path. Thin: bodies and queries are parsed with the platform's JSON Schema
 * validator (the same schemas the OpenAPI document shows), the card against its type's schema.
 */
import express, { Router } from 'express';
import { cardApiValidator } from '../../cards/card-api-schemas.js';
import type { CardMediaService } from '../../cards/card-media.service.js';
import type { CardType } from '../../cards/card-model.js';
import type { CardTemplateStatus } from '../../cards/card-template.repository.js';
import type { CardTemplateInput, CardTemplateService } from '../../cards/card-template.service.js';
import { parseWith } from '../../cards/json-validator.js';
import { AppError } from '../app-error.js';
import { publicMediaRoute } from '../public-media.js';

export interface CardRouteDeps {
  templates: CardTemplateService;
  media: CardMediaService;
}

/** What the smart-SMS and plain-text previews carry when the request gives no link (typical short-link length). */
export const PREVIEW_LINK = 'https://s.example/AbCdEfGh';

interface ListQuery { status?: CardTemplateStatus; type?: CardType; limit?: string; accountId?: string }
interface PreviewBody { variables?: Record<string, string | number | boolean>; signature?: string; link?: string; lang?: 'zh-CN' | 'en' }

// Raw image uploads; the processor enforces the 10 MB limit with its own error code.
const rawImage = express.raw({ type: 'image/*', limit: '20mb' });
const MEDIA_ID = /^med_[A-Za-z0-9_-]{21}$/;

/** Account routes: templates, review submission, previews, media uploads. */
export function cardTemplatesRouter(deps: CardRouteDeps): Router {
  const r = Router();
  const body = (b: unknown) => parseWith<CardTemplateInput>(cardApiValidator('CardTemplateRequest'), b ?? {});

  r.post('/v1/cards/templates', async (req, res) => {
    res.status(201).json(await deps.templates.create(req.account!.id, body(req.body)));
  });
  r.get('/v1/cards/templates', async (req, res) => {
    const q = parseWith<ListQuery>(cardApiValidator('CardTemplateListQuery'), { ...req.query });
    res.json({ data: await deps.templates.list(req.account!.id, { status: q.status, type: q.type, limit: Number(q.limit ?? 100) }) });
  });
  r.get('/v1/cards/templates/:id', async (req, res) => {
    res.json(await deps.templates.get(req.account!.id, String(req.params.id)));
  });
  r.put('/v1/cards/templates/:id', async (req, res) => {
    res.json(await deps.templates.replace(req.account!.id, String(req.params.id), body(req.body)));
  });
  r.post('/v1/cards/templates/:id/submit', async (req, res) => {
    res.json(await deps.templates.submit(req.account!.id, String(req.params.id)));
  });
  r.post('/v1/cards/templates/:id/preview', async (req, res) => {
    const b = parseWith<PreviewBody>(cardApiValidator('CardPreviewRequest'), req.body ?? {});
    const ctx = { signature: b.signature, link: b.link ?? PREVIEW_LINK, lang: b.lang };
    res.json(await deps.templates.preview(req.account!.id, String(req.params.id), b.variables ?? {}, ctx));
  });
  r.post('/v1/cards/templates/:id/media', rawImage, async (req, res) => {
    let bytes: Buffer;
    if (Buffer.isBuffer(req.body)) bytes = req.body;
    else if (req.is('application/json')) bytes = Buffer.from(parseWith<{ data: string }>(cardApiValidator('CardMediaUploadRequest'), req.body ?? {}).data, 'base64');
    else throw new AppError(415, 'CARD_MEDIA_TYPE_NOT_ALLOWED', 'Send the image with Content-Type image/jpeg, image/png, image/webp or image/gif, or as JSON {"data": "<base64>"}', 'Content-Type');
    res.status(201).json(await deps.media.upload(req.account!.id, String(req.params.id), bytes));
  });
  r.get('/v1/cards/templates/:id/media', async (req, res) => {
    res.json({ data: await deps.media.list(req.account!.id, String(req.params.id)) });
  });

  return r;
}

/** Operator routes (admin key): the review queue and the decisions. */
export function cardTemplatesAdminRouter(deps: Pick<CardRouteDeps, 'templates'>): Router {
  const r = Router();

  r.get('/v1/admin/cards/templates', async (req, res) => {
    const q = parseWith<ListQuery>(cardApiValidator('CardTemplateReviewQuery'), { ...req.query });
    res.json({ data: await deps.templates.review({ status: q.status, type: q.type, accountId: q.accountId, limit: Number(q.limit ?? 100) }) });
  });
  r.get('/v1/admin/cards/templates/:id', async (req, res) => {
    res.json(await deps.templates.findForReview(String(req.params.id)));
  });
  r.post('/v1/admin/cards/templates/:id/approve', async (req, res) => {
    const b = parseWith<{ operator?: string }>(cardApiValidator('ApproveCardTemplateRequest'), req.body ?? {});
    res.json(await deps.templates.approve(String(req.params.id), b.operator));
  });
  r.post('/v1/admin/cards/templates/:id/reject', async (req, res) => {
    const b = parseWith<{ reason: string; operator?: string }>(cardApiValidator('RejectCardTemplateRequest'), req.body ?? {});
    res.json(await deps.templates.reject(String(req.params.id), b.reason.trim(), b.operator));
  });

  return r;
}

/** Public: uploaded card images for H5 pages and handsets. Content never changes under an id, so caches keep it. */
export function cardMediaRouter(deps: Pick<CardRouteDeps, 'media'>): Router {
  const r = Router();

  publicMediaRoute(r, '/m/:mediaId', MEDIA_ID, (id) => deps.media.get(id), 'public, max-age=31536000, immutable');

  return r;
}
