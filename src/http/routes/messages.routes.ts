/** Customer routes for sending and reading messages. Thin: parse, authorise, call the use case. */
import { Router, type Request, type Response } from 'express';
import type { Account, Category } from '../../accounts/account.js';
import { compileTemplate } from '../../content/template-render.js';
import { acceptMessages, type AcceptDeps, type AcceptResult } from '../../messages/accept-messages.js';
import { AcceptCoalescer } from '../../messages/accept-coalescer.js';
import type { MessageRepository } from '../../messages/message.repository.js';
import type { TemplateRepository } from '../../messages/template.repository.js';
import type { SignatureRepository } from '../../accounts/signature.repository.js';
import type { KeywordMatcher } from '../../content/keywords.js';
import { parsePhoneNumber } from '../../numbers/phone-number.js';
import { cancelScheduledMessage } from '../../messages/cancel-message.js';
import { AppError, notFound } from '../app-error.js';
import { claimIdempotencyKey, requestHash } from '../idempotency.js';
import { batchSchema, chainSendSchema, listQuerySchema, sendSchema, wantsChain } from './message-schemas.js';
import { fallbackSendView, type FallbackSendService } from '../../fallback/fallback-send.service.js';

export interface MessagesRouteDeps extends AcceptDeps {
  messageRepo: MessageRepository;
  templates: TemplateRepository;
  signatures: SignatureRepository;
  keywords: KeywordMatcher;
  /** Sends with a channel chain (absent: only text SMS). */
  fallback?: FallbackSendService;
}

async function contentFor(deps: MessagesRouteDeps, account: Account, category: Category, body: { text?: string; template?: { id: string } }, signature?: string) {
  if (!account.categories.includes(category)) {
    throw new AppError(403, 'CATEGORY_NOT_ALLOWED', `This account may not send ${category} messages`, 'category');
  }
  let render: (v: Record<string, unknown>) => string;
  let templateId: string | null = null;
  if (body.template) {
    const t = await deps.templates.get(account.id, body.template.id);
    if (!t) throw new AppError(400, 'TEMPLATE_NOT_FOUND', `Template ${body.template.id} does not exist in this account`, 'template.id');
    if (t.status !== 'approved') throw new AppError(400, 'TEMPLATE_NOT_APPROVED', `Template ${t.id} is ${t.status}; only approved templates send`, 'template.id');
    if (t.category !== category) throw new AppError(400, 'TEMPLATE_CATEGORY_MISMATCH', `Template ${t.id} is for ${t.category}, not ${category}`, 'category');
    const compiled = compileTemplate(t.body);
    render = (v) => compiled.render(v);
    templateId = t.id;
  } else {
    const text = body.text!;
    render = () => text;
  }
  return { content: { render, signature, signatures: await deps.signatures.approvedNames(account.id), keywords: deps.keywords }, templateId };
}

/**
 * Runs fn once per Idempotency-Key and replays the stored answer for a retry. fn stores its answer
 * under the key in the same statement that stores the messages; when it stored nothing (the
 * request was refused before anything was written) the claim is released so a corrected retry
 * can go through.
 */
async function idempotent(deps: MessagesRouteDeps, req: Request, res: Response, fn: (key?: string) => Promise<{ status: number; body: unknown; stored: boolean }>) {
  const key = req.header('Idempotency-Key');
  if (key === undefined) {
    const out = await fn();
    return void res.status(out.status).json(out.body);
  }
  const claim = await claimIdempotencyKey(deps.db, req.account!.id, key, requestHash(req.body, req.path));
  if (claim.kind === 'replay') return void res.status(claim.status).set('Idempotent-Replayed', 'true').json(claim.body);
  let stored = false;
  try {
    const out = await fn(key);
    stored = out.stored;
    if (!stored) await claim.release();
    res.status(out.status).json(out.body);
  } catch (err) {
    if (!stored) await claim.release();
    throw err;
  }
}

const singleBody = (r: AcceptResult) => {
  const m = r.messages[0];
  return { id: m.id, to: m.to, status: m.status, parts: m.parts, encoding: m.encoding, costMillis: r.costMillis, errorCode: m.errorCode, errorMessage: m.errorMessage, scheduledAt: m.scheduledAt };
};

const batchBody = (r: AcceptResult) => ({
  batchId: r.batchId,
  accepted: r.messages.filter((m) => m.status !== 'failed').length,
  rejectedCount: r.rejected.length + r.messages.filter((m) => m.status === 'failed').length,
  costMillis: r.costMillis,
  rejected: [
    ...r.rejected.map((x) => ({ index: x.index, to: x.to, code: x.code, field: x.field, message: x.message })),
    ...r.messages.filter((m) => m.status === 'failed').map((m) => ({ index: m.index, to: m.to, code: m.errorCode, message: m.errorMessage, messageId: m.id })),
  ].sort((a, b) => a.index - b.index),
});

export function messagesRouter(deps: MessagesRouteDeps): Router {
  const r = Router();
  const singles = new AcceptCoalescer(deps);

  r.post('/v1/messages', async (req, res) => {
    const account = req.account!;
    const raw = (req.body ?? {}) as Record<string, unknown>;
    if (deps.fallback && wantsChain(raw, account.settings.fallbackChains?.[raw.category as Category])) return sendDownChain(deps, deps.fallback, req, res);
    const body = sendSchema.parse(req.body);
    const { content, templateId } = await contentFor(deps, account, body.category, body, body.signature);
    await idempotent(deps, req, res, async (key) => {
      const result = await singles.accept({
        account, category: body.category, recipients: [{ to: body.to, variables: body.template?.variables, reference: body.reference }],
        content, templateId, scheduledAt: body.scheduledAt ? new Date(body.scheduledAt) : null, callbackUrl: body.callbackUrl ?? null,
        batch: false, senderId: body.senderId ?? null, idempotency: key === undefined ? undefined : { key, answer: singleBody },
      });
      const bad = result.rejected[0];
      if (bad) throw new AppError(400, bad.code, bad.message, bad.field);
      return { status: 202, body: singleBody(result), stored: true };
    });
  });

  r.post('/v1/messages/batch', async (req, res) => {
    const body = batchSchema.parse(req.body);
    const account = req.account!;
    const { content, templateId } = await contentFor(deps, account, body.category, body, body.signature);
    await idempotent(deps, req, res, async (key) => {
      const result = await acceptMessages(deps, {
        account, category: body.category, recipients: body.recipients, content, templateId,
        scheduledAt: body.scheduledAt ? new Date(body.scheduledAt) : null, callbackUrl: body.callbackUrl ?? null,
        batch: true, senderId: body.senderId ?? null, idempotency: key === undefined ? undefined : { key, answer: batchBody },
      });
      return { status: 202, body: batchBody(result), stored: result.messages.length > 0 };
    });
  });

  r.get('/v1/messages/:id', async (req, res) => {
    const account = req.account!;
    const m = await deps.messageRepo.get(account.id, String(req.params.id));
    if (!m) {
      const send = await deps.fallback?.get(account.id, String(req.params.id));
      if (send) return void res.json(fallbackSendView(send));
      throw notFound(`Message ${req.params.id}`);
    }
    const parts = await deps.messageRepo.attempts(account.id, m.id);
    res.json({ ...m, attempts: groupAttempts(parts) });
  });

  r.get('/v1/messages', async (req, res) => {
    const q = listQuerySchema.parse(req.query);
    let to = q.to;
    if (to) {
      const parsed = parsePhoneNumber(to);
      if (!parsed.ok) throw new AppError(400, parsed.code, parsed.message, 'to');
      to = parsed.e164;
    }
    const data = await deps.messageRepo.list(req.account!.id, { ...q, to, from: q.from ? new Date(q.from) : undefined, until: q.until ? new Date(q.until) : undefined });
    res.json({ data, nextCursor: data.length === q.limit ? data[data.length - 1].id : null });
  });

  r.delete('/v1/messages/:id', async (req, res) => {
    const account = req.account!;
    const id = String(req.params.id);
    const outcome = await cancelScheduledMessage(deps, account.id, id);
    if (outcome.kind === 'not_found') throw notFound(`Message ${id}`);
    if (outcome.kind === 'not_cancellable') {
      throw new AppError(409, 'NOT_CANCELLABLE', `Message ${id} is ${outcome.status}; only scheduled messages can be cancelled`, 'id');
    }
    res.json({ id, status: 'cancelled', refundedMillis: outcome.refundedMillis });
  });

  return r;
}

/**
 * POST /v1/messages down a channel chain. An SMS template is rendered to text here (every text
 * step sends it). With an Idempotency-Key the answer is stored right after the send is: a retry
 * replays it (a crash between the two leaves the key to be taken over after a minute).
 */
async function sendDownChain(deps: MessagesRouteDeps, fallback: FallbackSendService, req: Request, res: Response): Promise<void> {
  const body = chainSendSchema.parse(req.body);
  const account = req.account!;
  let text = body.text;
  if (body.template) {
    const { content } = await contentFor(deps, account, body.category, body, body.signature);
    text = content.render(body.template.variables);
  }
  const key = req.header('Idempotency-Key');
  const claim = key === undefined ? undefined : await claimIdempotencyKey(deps.db, account.id, key, requestHash(req.body, req.path));
  if (claim?.kind === 'replay') return void res.status(claim.status).set('Idempotent-Replayed', 'true').json(claim.body);
  let answer: ReturnType<typeof fallbackSendView>;
  try {
    answer = fallbackSendView(await fallback.send(account, { ...body, text }));
  } catch (err) {
    await claim?.release();
    throw err;
  }
  if (claim) await claim.store(deps.db, 202, answer);
  res.status(202).json(answer);
}

function groupAttempts(parts: Awaited<ReturnType<MessageRepository['attempts']>>) {
  const byAttempt = new Map<number, { attempt: number; channelId: string; parts: typeof parts }>();
  for (const p of parts) {
    const a = byAttempt.get(p.attempt) ?? { attempt: p.attempt, channelId: p.channelId, parts: [] };
    a.parts.push(p);
    byAttempt.set(p.attempt, a);
  }
  return [...byAttempt.values()];
}
