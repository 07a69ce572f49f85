/**
 * The per-recipient content pipeline, pure and synchronous: render the template, apply the
 * signature and marketing-suffix rules, screen keywords and registered links, then segment.
 * Runs 100,000 times for one batch, so everything it needs is compiled before the loop.
 */
import type { Account, Category } from '../accounts/account.js';
import { segment, type Encoding } from '../content/segmentation.js';
import { checkSignature } from '../content/signature.js';
import { checkMarketingSuffix } from '../content/marketing-suffix.js';
import type { KeywordMatcher } from '../content/keywords.js';
import { checkRegisteredContent } from '../content/links-and-numbers.js';
import { TemplateVariableError } from '../content/template-render.js';

export interface ContentContext {
  account: Account;
  category: Category;
  /** Registered, approved signatures of the account. */
  signatures: string[];
  keywords: KeywordMatcher;
  /** Renders the text for one recipient (template or fixed text). */
  render: (variables: Record<string, unknown>) => string;
  signature?: string;
  international: boolean;
  /**
   * Links the platform itself put in the text (short links, smart-SMS parse links), registered on
   * the platform's own domains: they pass the registered-links rule like the account's own.
   */
  platformLinks?: readonly string[];
}

export type ContentOutcome =
  | { kind: 'ok'; text: string; signature: string | null; encoding: Encoding; parts: string[] }
  /** The request itself is wrong (fix and resend): not stored as a message. */
  | { kind: 'invalid'; code: string; field: string; message: string }
  /** A content rule refused it: stored as a failed message and reported. */
  | { kind: 'rejected'; code: string; message: string; text: string; signature: string | null };

export function composeContent(ctx: ContentContext, variables: Record<string, unknown>): ContentOutcome {
  let text: string;
  try {
    text = ctx.render(variables);
  } catch (err) {
    if (err instanceof TemplateVariableError) {
      return { kind: 'invalid', code: err.code, field: `variables.${err.variable}`, message: err.message };
    }
    throw err;
  }
  return checkContent(ctx, text);
}

/**
 * The rules and segmentation for one rendered text. Depends only on the text and the context, so
 * a batch that sends one text to many recipients computes it once (see prepare-accept.ts).
 */
export function checkContent(ctx: ContentContext, rendered: string): ContentOutcome {
  let text = rendered;
  if (text.trim() === '') return { kind: 'invalid', code: 'TEXT_EMPTY', field: 'text', message: 'The message text is empty' };
  const settings = ctx.account.settings;
  let signature: string | null = null;
  // International traffic carries a sender ID instead of a 【signature】.
  if (!ctx.international) {
    const sig = checkSignature({ text, signature: ctx.signature, registered: ctx.signatures, strayBrackets: settings.strayBrackets });
    if (!sig.ok) return { kind: 'rejected', code: sig.code, message: sig.message, text, signature: ctx.signature ?? null };
    text = sig.text;
    signature = sig.signature;
    if (ctx.category === 'marketing') {
      const suffix = checkMarketingSuffix(text, settings.marketingSuffix);
      if (!suffix.ok) return { kind: 'rejected', code: suffix.code, message: suffix.message, text, signature };
      text = suffix.text;
    }
  }
  const kw = ctx.keywords.check(text, settings.keywordGroups);
  if (!kw.ok) {
    const what = kw.group ? `keyword group ${kw.group}` : 'the absolute block list';
    return { kind: 'rejected', code: kw.code, message: `Text contains "${kw.keyword}" from ${what}`, text, signature };
  }
  if (settings.enforceRegisteredContent) {
    const links = ctx.platformLinks?.length ? [...settings.registeredLinks, ...ctx.platformLinks] : settings.registeredLinks;
    const reg = checkRegisteredContent(text, { links, phones: settings.registeredPhones });
    if (!reg.ok) return { kind: 'rejected', code: reg.code, message: `${reg.value} is not registered for this account`, text, signature };
  }
  const seg = segment(text);
  return { kind: 'ok', text, signature, encoding: seg.encoding, parts: seg.parts };
}
