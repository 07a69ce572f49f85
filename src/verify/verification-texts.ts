/**
 * The SMS text of a verification code, per locale, from templates/verify/sms.<language>.hbs.
 * A locale picks its exact file (`pt-BR` → sms.pt-BR.hbs), else its language (sms.pt.hbs), else
 * English. Domestic (China) texts get the account's 【signature】 in front: the content rules
 * require one on every domestic message.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'verify');

type Render = (vars: { code: string; minutes: number }) => string;

function load(): Map<string, Render> {
  const out = new Map<string, Render>();
  for (const file of readdirSync(DIR)) {
    const m = /^sms\.([A-Za-z-]+)\.hbs$/.exec(file);
    if (m) out.set(m[1].toLowerCase(), Handlebars.compile(readFileSync(join(DIR, file), 'utf8'), { noEscape: true, strict: true }));
  }
  if (!out.has('en')) throw new Error(`templates/verify/sms.en.hbs is missing (${DIR})`);
  return out;
}

const templates = load();

/** Locales with a text of their own (languages and exact locales). */
export const VERIFICATION_LOCALES: readonly string[] = [...templates.keys()].sort();

export function verificationSmsText(opts: { locale?: string | null; code: string; ttlSeconds: number; signature?: string | null }): string {
  const locale = (opts.locale ?? 'en').toLowerCase();
  const render = templates.get(locale) ?? templates.get(locale.split('-')[0]) ?? templates.get('en')!;
  const text = render({ code: opts.code, minutes: Math.max(1, Math.round(opts.ttlSeconds / 60)) });
  return opts.signature ? `【${opts.signature}】${text}` : text;
}
