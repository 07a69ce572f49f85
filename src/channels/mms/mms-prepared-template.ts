/**
 * An approved template ready to send: its pictures were fitted once (at submission, per profile)
 * and are kept with the SMIL and the fixed byte count, so a recipient's message is only the texts
 * filled in. `render` is pure and fast (no I/O, no image work): it runs per recipient in campaigns
 * and in the fallback engine's render step.
 *
 * Variables get room reserved at fitting time (VARIABLE_RESERVE_BYTES each, 30 Chinese characters
 * in UTF-8); a recipient whose values push the whole message past the profile's limit is refused
 * with MMS_TOO_LARGE naming the text, never sent over-size.
 */
import { renderCardVariables } from '../../cards/card-variables.js';
import type { RenderRefusal } from '../../fallback/fallback-channel.js';
import { AppError } from '../../http/app-error.js';
import { MMS_PROFILES } from './mms-profiles.js';
import type { FittedTemplate, MmsTemplate } from './mms-template.repository.js';
import { utf8Bytes } from './mms-size.js';

/** Bytes kept for each {{variable}} occurrence when pictures are fitted. */
export const VARIABLE_RESERVE_BYTES = 90;
const VARIABLE = /\{\{\{?[^{}]*\}?\}\}/g;

/** Bytes a template text may take once rendered: its fixed text plus the reserve per variable. */
export function reservedBytes(text: string): number {
  return utf8Bytes(text.replace(VARIABLE, '')) + (text.match(VARIABLE)?.length ?? 0) * VARIABLE_RESERVE_BYTES;
}

/** What the mms channel sends for one recipient: texts filled in, media by reference to the fit. */
export interface MmsRendering {
  templateId: string;
  accountId: string;
  profile: FittedTemplate['profile'];
  subject: string;
  texts: string[];
  totalBytes: number;
}

export class PreparedMmsTemplate {
  constructor(readonly template: MmsTemplate, readonly fit: FittedTemplate) {}

  /** One recipient's message, or why not (field-naming refusal). */
  tryRender(variables: Readonly<Record<string, unknown>>): MmsRendering | { refused: RenderRefusal } {
    const profile = MMS_PROFILES[this.fit.profile];
    let rendered: { subject: string; texts: string[] };
    try {
      rendered = renderCardVariables({ subject: this.template.subject, texts: this.template.slides.map((s) => s.text) }, variables) as { subject: string; texts: string[] };
    } catch (err) {
      if (err instanceof AppError) return { refused: { code: err.code, message: err.message, field: err.field } };
      throw err;
    }
    const blank = rendered.texts.findIndex((t) => t.trim() === '');
    if (blank >= 0) return { refused: { code: 'MMS_INVALID', message: `slides.${blank}.text is blank once rendered`, field: `slides.${blank}.text` } };
    const long = rendered.texts.findIndex((t) => [...t].length > profile.maxTextChars);
    if (long >= 0) return { refused: { code: 'MMS_INVALID', message: `slides.${long}.text: at most ${profile.maxTextChars} characters once rendered`, field: `slides.${long}.text` } };
    const textBytes = rendered.texts.map(utf8Bytes);
    const totalBytes = this.fit.fixedBytes + utf8Bytes(rendered.subject) + textBytes.reduce((a, b) => a + b, 0);
    if (totalBytes > profile.maxBytes) {
      const i = textBytes.indexOf(Math.max(...textBytes));
      return { refused: { code: 'MMS_TOO_LARGE', message: `slides.${i}.text: with these values the message is ${totalBytes} bytes, over the ${profile.id} limit of ${profile.maxBytes} (shorten the variable values)`, field: `slides.${i}.text` } };
    }
    return { templateId: this.template.id, accountId: this.template.accountId, profile: this.fit.profile, subject: rendered.subject, texts: rendered.texts, totalBytes };
  }

  /** @throws AppError with the refusal's code and field (HTTP sends). */
  render(variables: Readonly<Record<string, unknown>>): MmsRendering {
    const r = this.tryRender(variables);
    if ('refused' in r) throw new AppError(400, r.refused.code, r.refused.message, r.refused.field);
    return r;
  }
}
