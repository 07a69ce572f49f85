/**
 * Multimedia messages (issue 5): MMS templates with their media and review, sends from a template
 * or inline, and a message's status history. Thin: bodies are parsed with the MMS API schemas
 * (the same objects the OpenAPI document shows); the channel code does the rest.
 */
import express, { Router } from 'express';
import type { Category } from '../../accounts/account.js';
import { cardApiValidator } from '../../cards/card-api-schemas.js';
import { parseWith, validationError } from '../../cards/json-validator.js';
import { mmsApiValidator } from '../../channels/mms/mms-api-schemas.js';
import type { MmsMessage } from '../../channels/mms/mms-message.repository.js';
import { DEFAULT_MMS_PROFILE, type MmsProfileId } from '../../channels/mms/mms-profiles.js';
import type { MmsTemplateStatus } from '../../channels/mms/mms-template.repository.js';
import type { MmsTemplateInput, MmsTemplateService } from '../../channels/mms/mms-template.service.js';
import type { MmsService } from '../../channels/mms/mms.service.js';
import { parsePhoneNumber } from '../../numbers/phone-number.js';
import { AppError, notFound } from '../app-error.js';
import { publicMediaRoute } from '../public-media.js';

export interface MmsRouteDeps {
  templates: MmsTemplateService;
  messages: MmsService;
}

interface SendBody {
  to: string;
  category?: Category;
  templateId?: string;
  variables?: Record<string, string | number | boolean>;
  profile?: MmsProfileId;
  subject?: string;
  slides?: Array<{ text: string; image?: string; video?: string; audio?: string; durationSeconds?: number }>;
}

const rawMedia = express.raw({ type: ['image/*', 'video/*', 'audio/*'], limit: '20mb' });
const b64 = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s, 'base64'));

/** A message as the API shows it (the step reference is the fallback engine's, shown as `reference`). */
export function mmsMessageView(m: MmsMessage) {
  return {
    id: m.id, to: m.to, category: m.category, templateId: m.templateId, profile: m.profile, subject: m.subject, status: m.status,
    errorCode: m.errorCode, providerCode: m.providerCode, errorMessage: m.errorMessage, providerMessageId: m.providerMessageId,
    reference: m.stepRef, totalBytes: m.totalBytes, slides: m.slides, costMillis: m.costMillis, refundedMillis: m.refundedMillis,
    history: m.history, createdAt: m.createdAt, doneAt: m.doneAt,
  };
}

export function mmsRouter(deps: MmsRouteDeps): Router {
  const r = Router();
  const body = (b: unknown) => parseWith<MmsTemplateInput>(mmsApiValidator('MmsTemplateRequest'), b ?? {});

  r.post('/v1/mms/templates', async (req, res) => {
    res.status(201).json(await deps.templates.create(req.account!.id, body(req.body)));
  });
  r.get('/v1/mms/templates', async (req, res) => {
    const q = parseWith<{ status?: MmsTemplateStatus; limit?: string }>(mmsApiValidator('MmsTemplateListQuery'), { ...req.query });
    res.json({ data: await deps.templates.list(req.account!.id, { status: q.status, limit: Number(q.limit ?? 100) }) });
  });
  r.get('/v1/mms/templates/:id', async (req, res) => {
    res.json(await deps.templates.get(req.account!.id, String(req.params.id)));
  });
  r.put('/v1/mms/templates/:id', async (req, res) => {
    res.json(await deps.templates.replace(req.account!.id, String(req.params.id), body(req.body)));
  });
  r.post('/v1/mms/templates/:id/submit', async (req, res) => {
    res.json(await deps.templates.submit(req.account!.id, String(req.params.id)));
  });
  r.post('/v1/mms/templates/:id/media', rawMedia, async (req, res) => {
    let bytes: Buffer;
    if (Buffer.isBuffer(req.body)) bytes = req.body;
    else if (req.is('application/json')) bytes = Buffer.from(parseWith<{ data: string }>(mmsApiValidator('MmsMediaUploadRequest'), req.body ?? {}).data, 'base64');
    else throw new AppError(400, 'MMS_MEDIA_TYPE_NOT_ALLOWED', 'Send the file with Content-Type image/*, video/* or audio/*, or as JSON {"data": "<base64>"}', 'Content-Type');
    res.status(201).json({ media: await deps.templates.upload(req.account!.id, String(req.params.id), bytes) });
  });
  r.get('/v1/mms/templates/:id/media', async (req, res) => {
    res.json({ data: await deps.templates.listMedia(req.account!.id, String(req.params.id)) });
  });

  r.post('/v1/mms/messages', async (req, res) => {
    const b = parseWith<SendBody>(mmsApiValidator('MmsSendRequest'), req.body ?? {});
    if ((b.templateId === undefined) === (b.slides === undefined)) {
      throw validationError([{ field: b.templateId ? 'slides' : 'templateId', rule: 'oneOf', message: 'give exactly one of templateId (an approved template) and slides (inline)' }]);
    }
    const number = parsePhoneNumber(b.to);
    if (!number.ok) throw new AppError(400, 'INVALID_NUMBER', number.message, 'to');
    const opts = { to: number.e164, category: b.category ?? 'notification', mode: 'api' as const };
    const accountId = req.account!.id;
    const m = b.templateId
      ? await deps.messages.sendTemplate(accountId, { templateId: b.templateId, variables: b.variables ?? {}, profile: b.profile }, opts)
      : await deps.messages.sendInline(accountId, {
        subject: b.subject ?? '', profile: b.profile ?? DEFAULT_MMS_PROFILE,
        slides: b.slides!.map((s) => ({ text: s.text, image: b64(s.image), video: b64(s.video), audio: b64(s.audio), durationSeconds: s.durationSeconds })),
      }, opts);
    res.status(202).json(mmsMessageView(m));
  });
  r.get('/v1/mms/messages/:id', async (req, res) => {
    const m = await deps.messages.get(req.account!.id, String(req.params.id));
    if (!m) throw notFound(`MMS message ${String(req.params.id)}`);
    res.json(mmsMessageView(m));
  });

  return r;
}

/** Operator routes (admin key): the review queue and the decisions. */
export function mmsAdminRouter(deps: Pick<MmsRouteDeps, 'templates'>): Router {
  const r = Router();

  r.get('/v1/admin/mms/templates', async (req, res) => {
    const q = parseWith<{ status?: MmsTemplateStatus; limit?: string }>(mmsApiValidator('MmsTemplateListQuery'), { ...req.query });
    res.json({ data: await deps.templates.review({ status: q.status, limit: Number(q.limit ?? 100) }) });
  });
  r.get('/v1/admin/mms/templates/:id', async (req, res) => {
    res.json(await deps.templates.findForReview(String(req.params.id)));
  });
  r.post('/v1/admin/mms/templates/:id/approve', async (req, res) => {
    const b = parseWith<{ operator?: string }>(cardApiValidator('ApproveCardTemplateRequest'), req.body ?? {});
    res.json(await deps.templates.approve(String(req.params.id), b.operator));
  });
  r.post('/v1/admin/mms/templates/:id/reject', async (req, res) => {
    const b = parseWith<{ reason: string; operator?: string }>(cardApiValidator('RejectCardTemplateRequest'), req.body ?? {});
    res.json(await deps.templates.reject(String(req.params.id), b.reason.trim(), b.operator));
  });

  return r;
}

const MEDIA_ID = /^mmd_[A-Za-z0-9_-]{21}$/;

/**
 * Public: the media of approved MMS templates, as fitted, for the H5 page of an MMS (what a
 * handset that got the SMS instead opens). Only approved templates' media answer. Cached for a
 * day, not a year like card images: the fit does not change, but approval is what lets it out.
 */
export function mmsMediaRouter(deps: Pick<MmsRouteDeps, 'templates'>): Router {
  const r = Router();
  publicMediaRoute(r, '/mm/:mediaId', MEDIA_ID, async (id) => {
    const m = await deps.templates.approvedMedia(id);
    return m && { mime: m.contentType, bytes: m.bytes };
  }, 'public, max-age=86400');
  return r;
}
