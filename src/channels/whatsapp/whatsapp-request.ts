/**
 * A send request as the platform takes it (POST /v1/whatsapp/messages and WhatsAppService.send):
 * the destination, the content, optionally a reference and an SMS fallback (which the fallback
 * engine runs as the chain [whatsapp, sms]: src/fallback/whatsapp-sms-fallback.ts).
 */
import { z } from 'zod';
import { CATEGORIES } from '../../accounts/account.js';
import { contentBranches, defaultSmsText, type WhatsAppContent } from './whatsapp-content.js';

/** Failover bounds: commercial APIs allow 30–3600 s (default 300); 1 s minimum here for tests and demos. */
export const FALLBACK_TIMEOUT = { min: 1, max: 3600, default: 300 } as const;

export const fallbackSchema = z.object({
  condition: z.enum(['delivered', 'read']).default('delivered')
    .describe('What WhatsApp must reach within timeoutSeconds; otherwise the message goes out as SMS. `read` never comes from users who turned read receipts off.'),
  timeoutSeconds: z.number().int().min(FALLBACK_TIMEOUT.min).max(FALLBACK_TIMEOUT.max).default(FALLBACK_TIMEOUT.default)
    .describe('Seconds to wait for the condition.'),
  sms: z.object({
    category: z.enum(CATEGORIES).default('otp').describe('SMS category (queue priority, rules, pool).'),
    text: z.string().min(1).max(1000).optional()
      .describe('SMS text. Default: the text body (type text) or "<code> is your verification code." (type authentication); required for template and interactive.'),
    signature: z.string().min(2).max(8).optional().describe('Signature for a domestic (China) number, as for POST /v1/messages.'),
  }).strict().default({ category: 'otp' }),
}).strict();

export type FallbackSpec = z.infer<typeof fallbackSchema>;

const envelope = {
  to: z.string().min(3).max(32).describe('Recipient; +E.164 (or a form the number parser reads).'),
  reference: z.string().max(64).optional().describe('Your own id, echoed back.'),
  fallback: fallbackSchema.optional(),
};

/** The HTTP body: Meta's message shape plus `to`, `reference` and `fallback`. */
export const sendWhatsAppSchema = z.discriminatedUnion('type', [
  contentBranches.text.extend(envelope).strict(),
  contentBranches.template.extend(envelope).strict(),
  contentBranches.authentication.extend(envelope).strict(),
  contentBranches.interactive.extend(envelope).strict(),
]).superRefine((body, ctx) => {
  if (body.fallback && !body.fallback.sms.text && defaultSmsText(body as WhatsAppContent) === undefined) {
    ctx.addIssue({ code: 'custom', path: ['fallback', 'sms', 'text'], message: `required for ${body.type} messages: there is no text to reuse` });
  }
});

export type SendWhatsAppBody = z.infer<typeof sendWhatsAppSchema>;

/** Splits the parsed body into the envelope and the content. */
export function splitBody(body: SendWhatsAppBody): { to: string; reference?: string; fallback?: FallbackSpec; content: WhatsAppContent } {
  const { to, reference, fallback, ...content } = body;
  return { to, reference, fallback, content: content as WhatsAppContent };
}
