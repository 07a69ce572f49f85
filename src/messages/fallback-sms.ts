/**
 * Sends a text SMS on behalf of another channel (WhatsApp failover) through the ordinary accept
 * path: the same content rules, policy checks, billing, routing and reports as POST /v1/messages.
 * Idempotent per key: a repeat (a failover claim taken over after a crash) replays the first
 * SMS's id instead of sending again.
 */
import type { Category } from '../accounts/account.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import type { SignatureRepository } from '../accounts/signature.repository.js';
import type { KeywordMatcher } from '../content/keywords.js';
import { AppError } from '../http/app-error.js';
import { claimIdempotencyKey, requestHash } from '../http/idempotency.js';
import { acceptMessages, type AcceptDeps } from './accept-messages.js';

export interface FallbackSmsDeps extends AcceptDeps {
  accounts: AccountRepository;
  signatures: SignatureRepository;
  keywords: KeywordMatcher;
}

export interface FallbackSmsRequest {
  accountId: string;
  to: string;
  text: string;
  category: Category;
  signature?: string;
  /** Echoed in the SMS's status reports (the WhatsApp message id). */
  reference?: string;
  /** One SMS per key, ever (e.g. `whatsapp-fallback:<message id>`). */
  idempotencyKey: string;
}

/**
 * Resolves with the SMS message id, also when a policy check stored the SMS as failed (it is then
 * visible, with its errorCode, like any message). Throws AppError when nothing could be stored
 * (unknown account, category not allowed, invalid number or text, insufficient balance).
 */
export async function sendFallbackSms(deps: FallbackSmsDeps, req: FallbackSmsRequest): Promise<{ smsMessageId: string }> {
  const account = await deps.accounts.findById(req.accountId);
  if (!account) throw new AppError(404, 'NOT_FOUND', `Account ${req.accountId} not found`);
  if (!account.categories.includes(req.category)) {
    throw new AppError(403, 'CATEGORY_NOT_ALLOWED', `This account may not send ${req.category} messages`, 'fallback.sms.category');
  }
  const hash = requestHash({ to: req.to, text: req.text, category: req.category, signature: req.signature ?? null }, 'fallback-sms');
  const claim = await claimIdempotencyKey(deps.db, account.id, req.idempotencyKey, hash);
  if (claim.kind === 'replay') return { smsMessageId: (claim.body as { id: string }).id };
  let stored = false;
  try {
    const text = req.text;
    const result = await acceptMessages(deps, {
      account, category: req.category, recipients: [{ to: req.to, reference: req.reference }],
      content: { render: () => text, signature: req.signature, signatures: await deps.signatures.approvedNames(account.id), keywords: deps.keywords },
      templateId: null, scheduledAt: null, callbackUrl: null, batch: false,
      idempotency: { key: req.idempotencyKey, answer: (r) => ({ id: r.messages[0]?.id }) },
    });
    const bad = result.rejected[0];
    if (bad) throw new AppError(400, bad.code, bad.message, `fallback.sms.${bad.field}`);
    stored = true;
    return { smsMessageId: result.messages[0].id };
  } finally {
    if (!stored) await claim.release();
  }
}
