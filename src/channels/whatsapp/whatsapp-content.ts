/**
 * What a customer (or the verification API) asks the platform to send over WhatsApp, and how it
 * becomes a Cloud API request. Mirrors Meta's shapes (`text`, `template`, `interactive`) plus one
 * convenience, `authentication`: an authentication template (body "<CODE> is your verification
 * code" and a copy-code button) filled from just the template name, language and code.
 */
import { z } from 'zod';
import { parsePhoneNumber, type PhoneNumberResult } from '../../numbers/phone-number.js';
import { interactivePartSchema, templatePartSchema, textPartSchema, type CloudSendRequest, type TemplatePart } from './cloud-api-types.js';

/** Authentication templates carry the code as body parameter and copy-code button: ≤ 15 characters, no URLs, media or emoji. */
export const AUTH_CODE_PATTERN = /^[A-Za-z0-9]{1,15}$/;

export const authenticationPartSchema = z.object({
  template: templatePartSchema.shape.name.describe('Name of an approved AUTHENTICATION template with a copy-code button.'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en or en_US').describe('Template language, e.g. en_US.'),
  code: z.string().regex(AUTH_CODE_PATTERN, '1–15 letters or digits (no URLs, media or emoji)').describe('The one-time code.'),
}).strict();

export const WHATSAPP_TYPES = ['text', 'template', 'authentication', 'interactive'] as const;
export type WhatsAppType = (typeof WHATSAPP_TYPES)[number];

/** Content branches, keyed by type; the route adds `to`, `fallback` and `reference` to each. */
export const contentBranches = {
  text: z.object({ type: z.literal('text'), text: textPartSchema }),
  template: z.object({ type: z.literal('template'), template: templatePartSchema }),
  authentication: z.object({ type: z.literal('authentication'), authentication: authenticationPartSchema }),
  interactive: z.object({ type: z.literal('interactive'), interactive: interactivePartSchema }),
};

export const whatsAppContentSchema = z.discriminatedUnion('type', [
  contentBranches.text.strict(), contentBranches.template.strict(), contentBranches.authentication.strict(), contentBranches.interactive.strict(),
]);

export type WhatsAppContent = z.infer<typeof whatsAppContentSchema>;

/**
 * Free-form content may only go out inside the 24 h customer-service window; templates
 * (authentication included) may always go out.
 */
export function needsWindow(content: Pick<WhatsAppContent, 'type'>): boolean {
  return content.type === 'text' || content.type === 'interactive';
}

/** The Cloud API template for an authentication code: body parameter and copy-code (url) button. */
export function authenticationTemplate(a: { template: string; language: string; code: string }): TemplatePart {
  return {
    name: a.template,
    language: { code: a.language },
    components: [
      { type: 'body', parameters: [{ type: 'text', text: a.code }] },
      // Meta's copy-code button of an authentication template is sent as a url button whose
      // parameter is the code.
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: a.code }] },
    ],
  };
}

/**
 * The request body for one message. `to` is E.164 (`+` kept off: it is the wa_id form);
 * `callbackData` (our message id) comes back in every status webhook of the message.
 */
export function toCloudRequest(content: WhatsAppContent, toE164: string, callbackData: string): CloudSendRequest {
  const common = { messaging_product: 'whatsapp' as const, recipient_type: 'individual' as const, to: toE164.replace(/^\+/, ''), biz_opaque_callback_data: callbackData };
  switch (content.type) {
    case 'text': return { ...common, type: 'text', text: content.text };
    case 'template': return { ...common, type: 'template', template: content.template };
    case 'authentication': return { ...common, type: 'template', template: authenticationTemplate(content.authentication) };
    case 'interactive': return { ...common, type: 'interactive', interactive: content.interactive };
  }
}

/**
 * The text an SMS fallback sends when the request gives none: the body of a text message, the
 * code line of an authentication message. Templates and interactive messages have no text of
 * their own here (the template body lives at Meta), so their fallback must give `sms.text`.
 */
export function defaultSmsText(content: WhatsAppContent): string | undefined {
  if (content.type === 'text') return content.text.body;
  if (content.type === 'authentication') return `${content.authentication.code} is your verification code.`;
  return undefined;
}

/**
 * A number as users of WhatsApp write it: any form the platform's parser reads, or the wa_id form
 * (country code and number, digits only, no `+`), e.g. 919876543210.
 */
export function parseWhatsAppNumber(input: string): PhoneNumberResult {
  const parsed = parsePhoneNumber(input);
  if (parsed.ok || !/^\d{8,15}$/.test(input.trim())) return parsed;
  const intl = parsePhoneNumber('+' + input.trim());
  return intl.ok ? intl : parsed;
}
