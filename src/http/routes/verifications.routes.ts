/** Verification (OTP) API: start, read, check, resend, cancel. Thin: parse, authorise, call the service. */
import { isIP } from 'node:net';
import { Router } from 'express';
import { z } from 'zod';
import type { TemplateRepository } from '../../messages/template.repository.js';
import type { VerificationService } from '../../verify/verification.service.js';
import type { Verification, VerificationAttempt } from '../../verify/verification.repository.js';
import { AppError } from '../app-error.js';
import { senderIdSchema } from './message-schemas.js';

export interface VerificationRouteDeps {
  service: VerificationService;
  templates: TemplateRepository;
}

const CHANNELS = ['sms', 'whatsapp'] as const;

export const startVerificationSchema = z.object({
  to: z.string().min(3).max(32),
  channels: z.array(z.enum(CHANNELS)).min(1).max(2)
    .refine((c) => new Set(c).size === c.length, 'each channel at most once').default(['sms']),
  codeLength: z.number().int().min(4).max(10).default(6),
  ttlSeconds: z.number().int().min(60).max(3600).default(600),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'a locale such as en, zh-CN or pt-BR').optional(),
  template: z.string().min(1).max(64).optional().describe('Id of an approved otp template of the account with a {{code}} variable.'),
  senderId: senderIdSchema.optional(),
  maxChecks: z.number().int().min(1).max(10).default(5),
  failover: z.object({
    condition: z.enum(['sent', 'delivered', 'read']).default('delivered'),
    timeoutSeconds: z.number().int().min(5).max(3600).default(30),
  }).strict().default({ condition: 'delivered', timeoutSeconds: 30 }),
  clientIp: z.string().refine((s) => isIP(s) !== 0, 'an IPv4 or IPv6 address').optional(),
}).strict();
export const checkVerificationSchema = z.object({ code: z.string().regex(/^\d{4,10}$/, '4–10 digits') }).strict();
export const resendVerificationSchema = z.object({ channel: z.enum(CHANNELS).optional() }).strict();

export function verificationsRouter(deps: VerificationRouteDeps): Router {
  const r = Router();

  r.post('/v1/verifications', async (req, res) => {
    const body = startVerificationSchema.parse(req.body);
    const account = req.account!;
    if (!account.categories.includes('otp')) throw new AppError(403, 'CATEGORY_NOT_ALLOWED', 'This account may not send otp messages', 'channels');
    if (body.template) await checkTemplate(deps, account.id, body.template);
    const out = await deps.service.start(account, {
      to: body.to, channels: body.channels, codeLength: body.codeLength, ttlSeconds: body.ttlSeconds, locale: body.locale,
      templateId: body.template, senderId: body.senderId, maxChecks: body.maxChecks, failover: body.failover, clientIp: body.clientIp,
    });
    res.status(201).json(view(out.verification, out.attempts));
  });

  r.get('/v1/verifications/:id', async (req, res) => {
    const out = await deps.service.get(req.account!, String(req.params.id));
    res.json(view(out.verification, out.attempts));
  });

  r.post('/v1/verifications/:id/check', async (req, res) => {
    const { code } = checkVerificationSchema.parse(req.body);
    const v = await deps.service.check(req.account!, String(req.params.id), code);
    res.json({ id: v.id, status: effectiveStatus(v), checksLeft: Math.max(0, v.maxChecks - v.checks) });
  });

  r.post('/v1/verifications/:id/resend', async (req, res) => {
    const { channel } = resendVerificationSchema.parse(req.body ?? {});
    const out = await deps.service.resend(req.account!, String(req.params.id), channel);
    res.json(view(out.verification, out.attempts));
  });

  r.post('/v1/verifications/:id/cancel', async (req, res) => {
    const v = await deps.service.cancel(req.account!, String(req.params.id));
    res.json({ id: v.id, status: effectiveStatus(v) });
  });

  return r;
}

async function checkTemplate(deps: VerificationRouteDeps, accountId: string, id: string): Promise<void> {
  const t = await deps.templates.get(accountId, id);
  if (!t) throw new AppError(400, 'TEMPLATE_NOT_FOUND', `Template ${id} does not exist in this account`, 'template');
  if (t.status !== 'approved') throw new AppError(400, 'TEMPLATE_NOT_APPROVED', `Template ${id} is ${t.status}; only approved templates send`, 'template');
  if (t.category !== 'otp') throw new AppError(400, 'TEMPLATE_CATEGORY_MISMATCH', `Template ${id} is for ${t.category}, not otp`, 'template');
  if (!t.variables.includes('code')) throw new AppError(400, 'TEMPLATE_VARIABLE_MISSING', `Template ${id} has no {{code}} variable for the code`, 'template');
}

/** A pending verification past its TTL reads as expired even before a check records it. */
function effectiveStatus(v: Verification): Verification['status'] {
  return v.status === 'pending' && v.expiresAt <= new Date() ? 'expired' : v.status;
}

function view(v: Verification, attempts: VerificationAttempt[]) {
  const credited = attempts.find((a) => a.verifiedAt);
  return {
    id: v.id, to: v.to, country: v.country, status: effectiveStatus(v), channels: v.channels, locale: v.locale,
    checks: v.checks, maxChecks: v.maxChecks, expiresAt: v.expiresAt.toISOString(), createdAt: v.createdAt.toISOString(),
    approvedAt: v.approvedAt?.toISOString() ?? null,
    timeToVerifyMs: credited?.sentAt && credited.verifiedAt ? credited.verifiedAt.getTime() - credited.sentAt.getTime() : null,
    attempts: attempts.map((a) => ({
      seq: a.seq, channel: a.channel, status: a.status, reason: a.reason, messageId: a.messageId, route: a.route, connection: a.connection,
      senderId: a.senderId, country: a.country, errorCode: a.errorCode, createdAt: a.createdAt.toISOString(),
      sentAt: a.sentAt?.toISOString() ?? null, deliveredAt: a.deliveredAt?.toISOString() ?? null, verifiedAt: a.verifiedAt?.toISOString() ?? null,
    })),
  };
}
