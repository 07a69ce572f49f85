/**
 * Sends fallback steps as text SMS through the ordinary accept path (content rules, policy, billing
 * per part, routing), for the sms and smart_sms channels. Each step's SMS:
 * - has a message id derived from its step (`<send id>.<step>`), so a step taken over after a crash
 *   finds the SMS it already sent instead of sending another;
 * - carries the step reference as its reference and `chain://<step ref>` as its callback, so its
 *   status reports go to the engine (sms-step-statuses.ts), not to the customer, one per message.
 */
import type { Account, Category } from '../../accounts/account.js';
import type { AccountRepository } from '../../accounts/account.repository.js';
import type { SignatureRepository } from '../../accounts/signature.repository.js';
import type { KeywordMatcher } from '../../content/keywords.js';
import { checkMarketingSuffix } from '../../content/marketing-suffix.js';
import { AppError } from '../../http/app-error.js';
import { acceptMessages, type AcceptDeps } from '../../messages/accept-messages.js';
import type { StepSendOutcome } from '../fallback-channel.js';
import { parseStepRef } from '../fallback-send.js';

export interface SmsStepSenderDeps extends AcceptDeps {
  accounts: AccountRepository;
  signatures: SignatureRepository;
  keywords: KeywordMatcher;
}

/** One SMS to send for a step: the final text (signature added by the content rules when missing). */
export interface SmsStep {
  accountId: string;
  to: string;
  category: Category;
  stepRef: string;
  text: string;
  signature?: string;
  senderId?: string;
  /** Origins of links the platform put in the text (short links, parse links). */
  platformLinks?: readonly string[];
}

export const CHAIN_CALLBACK_PREFIX = 'chain://';
export const chainCallbackUrl = (stepRef: string) => `${CHAIN_CALLBACK_PREFIX}${stepRef}`;
export const stepRefOfCallback = (url: string | null | undefined) => (url?.startsWith(CHAIN_CALLBACK_PREFIX) ? url.slice(CHAIN_CALLBACK_PREFIX.length) : undefined);

/** The SMS message id of a step: the send's id and the step's index. */
export function smsIdOfStep(stepRef: string): string {
  const ref = parseStepRef(stepRef);
  if (!ref) throw new Error(`not a step reference: ${stepRef}`);
  return `${ref.sendId}.${ref.idx}`;
}

/**
 * The platform writes a step's text, so a marketing one carries the unsubscribe suffix whatever the
 * account's suffix mode (append mode always succeeds).
 */
function withSuffix(step: SmsStep): string {
  if (step.category !== 'marketing') return step.text;
  const suffixed = checkMarketingSuffix(step.text, 'append');
  return suffixed.ok ? suffixed.text : step.text;
}

export class SmsStepSender {
  constructor(private readonly deps: SmsStepSenderDeps) {}

  /** Sends the SMS of many steps; the answer is in the same order. Throws only for infrastructure trouble. */
  async send(steps: readonly SmsStep[]): Promise<StepSendOutcome[]> {
    const out: StepSendOutcome[] = new Array(steps.length);
    const ids = steps.map((s) => smsIdOfStep(s.stepRef));
    const existing = await this.existing(ids);
    const groups = new Map<string, number[]>();
    steps.forEach((s, i) => {
      if (existing.has(ids[i])) {
        out[i] = { ok: true, channelMessageId: ids[i] };
        return;
      }
      const key = `${s.accountId}\u0000${s.category}\u0000${s.signature ?? ''}\u0000${s.senderId ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const accounts = new Map<string, Account | undefined>();
    const signatures = new Map<string, string[]>();
    for (const idx of groups.values()) {
      const first = steps[idx[0]];
      if (!accounts.has(first.accountId)) {
        accounts.set(first.accountId, await this.deps.accounts.findById(first.accountId));
        signatures.set(first.accountId, await this.deps.signatures.approvedNames(first.accountId));
      }
      const account = accounts.get(first.accountId);
      const refuse = (code: string, message: string) => idx.forEach((i) => (out[i] = { ok: false, reason: 'rejected', code, message }));
      if (!account) {
        refuse('NOT_FOUND', `account ${first.accountId} not found`);
        continue;
      }
      if (!account.categories.includes(first.category)) {
        refuse('CATEGORY_NOT_ALLOWED', `this account may not send ${first.category} messages`);
        continue;
      }
      try {
        const result = await acceptMessages(this.deps, {
          account, category: first.category, batch: idx.length > 1, templateId: null, scheduledAt: null, callbackUrl: null,
          senderId: first.senderId ?? null,
          recipients: idx.map((i) => ({ to: steps[i].to, id: ids[i], reference: steps[i].stepRef, callbackUrl: chainCallbackUrl(steps[i].stepRef), variables: { text: withSuffix(steps[i]) } })),
          content: {
            render: (v) => String(v.text), signature: first.signature, signatures: signatures.get(first.accountId)!, keywords: this.deps.keywords,
            platformLinks: [...new Set(idx.flatMap((i) => steps[i].platformLinks ?? []))],
          },
        });
        for (const r of result.rejected) out[idx[r.index]] = { ok: false, reason: 'rejected', code: r.code, message: `${r.field}: ${r.message}` };
        for (const m of result.messages) {
          out[idx[m.index]] = m.status === 'failed'
            ? { ok: false, reason: 'rejected', code: m.errorCode ?? 'FAILED', message: m.errorMessage ?? 'refused', channelMessageId: m.id }
            : { ok: true, channelMessageId: m.id };
        }
      } catch (err) {
        // A refusal of the whole group (balance) is final for these steps; anything else is retried.
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        refuse(err.code, err.message);
      }
    }
    return out;
  }

  private async existing(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.deps.db.query<{ id: string }>(`select id from messages where id = any($1::text[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }
}
