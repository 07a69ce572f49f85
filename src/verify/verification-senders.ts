/**
 * One verification attempt out on one channel: SMS through the ordinary accept pipeline (rules,
 * policy, billing, routing; its reports come back to the verification through the reports outbox,
 * callback `verify://<attempt id>`), WhatsApp as an authentication template with a copy-code button.
 */
import type { Account } from '../accounts/account.js';
import type { SignatureRepository } from '../accounts/signature.repository.js';
import type { KeywordMatcher } from '../content/keywords.js';
import { compileTemplate } from '../content/template-render.js';
import { AppError } from '../http/app-error.js';
import { newId } from '../ids.js';
import { AcceptCoalescer } from '../messages/accept-coalescer.js';
import type { AcceptDeps } from '../messages/accept-messages.js';
import type { TemplateRepository } from '../messages/template.repository.js';
import type { WhatsAppService } from '../channels/whatsapp/whatsapp.service.js';
import { verificationSmsText } from './verification-texts.js';
import type { Verification, VerificationAttempt } from './verification.repository.js';

/** What happened when the attempt was handed to its channel. */
export type SendOutcome =
  | { ok: true; messageId: string; route?: string; connection?: string; senderId?: string | null; sentAt?: Date | null }
  | { ok: false; messageId: string | null; errorCode: string; message: string };

export interface VerificationSenderDeps extends AcceptDeps {
  signatures: SignatureRepository;
  keywords: KeywordMatcher;
  templates: TemplateRepository;
  whatsapp: WhatsAppService;
  /** WhatsApp authentication template name registered for verification codes. */
  whatsappTemplate: string;
}

/** The reports of a verification's SMS go to the verification, not to the customer. */
export const verifyCallbackUrl = (attemptId: string) => `verify://${attemptId}`;
export const attemptIdOf = (url: string) => (url.startsWith('verify://') ? url.slice('verify://'.length) : undefined);

export class VerificationSenders {
  private readonly coalescer: AcceptCoalescer;

  constructor(private readonly deps: VerificationSenderDeps) {
    this.coalescer = new AcceptCoalescer(deps);
  }

  async send(account: Account, v: Verification, attempt: VerificationAttempt, code: string): Promise<SendOutcome> {
    return attempt.channel === 'sms' ? this.sms(account, v, attempt, code) : this.whatsapp(account, v, attempt, code);
  }

  private async sms(account: Account, v: Verification, attempt: VerificationAttempt, code: string): Promise<SendOutcome> {
    const messageId = attempt.messageId ?? newId('msg');
    const domestic = v.country === 'CN';
    const signatures = await this.deps.signatures.approvedNames(account.id);
    const text = await this.smsText(account, v, code, domestic ? signatures[0] : null);
    try {
      const result = await this.coalescer.accept({
        account, category: 'otp', recipients: [{ to: v.to, id: messageId }],
        content: { render: () => text, signatures, keywords: this.deps.keywords },
        templateId: v.templateId, scheduledAt: null, batch: false, callbackUrl: verifyCallbackUrl(attempt.id), senderId: v.senderId,
      });
      const bad = result.rejected[0];
      if (bad) return { ok: false, messageId: null, errorCode: bad.code, message: bad.message };
      const m = result.messages[0];
      if (m.status === 'failed') return { ok: false, messageId: m.id, errorCode: m.errorCode ?? 'FAILED', message: m.errorMessage ?? 'refused' };
      return { ok: true, messageId: m.id };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, messageId: null, errorCode: err.code, message: err.message };
      throw err;
    }
  }

  /** The account's approved OTP template with a {{code}} variable, else the locale's text. */
  private async smsText(account: Account, v: Verification, code: string, signature: string | null | undefined): Promise<string> {
    const ttlSeconds = Math.round((v.expiresAt.getTime() - v.createdAt.getTime()) / 1000);
    // Without a locale, a domestic number reads Chinese and any other English.
    if (!v.templateId) return verificationSmsText({ locale: v.locale ?? (v.country === 'CN' ? 'zh' : 'en'), code, ttlSeconds, signature });
    const t = await this.deps.templates.get(account.id, v.templateId);
    if (!t) throw new AppError(400, 'TEMPLATE_NOT_FOUND', `Template ${v.templateId} does not exist in this account`, 'template');
    return compileTemplate(t.body).render({ code, minutes: Math.max(1, Math.round(ttlSeconds / 60)) });
  }

  private async whatsapp(account: Account, v: Verification, attempt: VerificationAttempt, code: string): Promise<SendOutcome> {
    try {
      const { message } = await this.deps.whatsapp.send(account.id, {
        to: v.to, reference: attempt.id,
        content: { type: 'authentication', authentication: { template: this.deps.whatsappTemplate, language: (v.locale ?? 'en').replace('-', '_'), code } },
      });
      if (message.status === 'failed') return { ok: false, messageId: message.id, errorCode: message.errorCode ?? 'WHATSAPP_FAILED', message: message.errorMessage ?? 'failed' };
      return { ok: true, messageId: message.id, route: 'whatsapp', connection: 'whatsapp-cloud', sentAt: message.sentAt };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, messageId: null, errorCode: err.code, message: err.message };
      throw err;
    }
  }
}
