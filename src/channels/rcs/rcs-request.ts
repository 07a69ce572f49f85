/**
 * POST /v1/rcs/messages: one 5G message to one number — text, file, card or carousel (an approved
 * card template + variables, rendered by the `rcs` card renderer) or suggestion chips — and the
 * messageList each becomes. Limits are checked before anything is sent; errors name the field.
 */
import { z } from 'zod';
import type { Card } from '../../cards/card-model.js';
import { suggestionsOf } from '../../cards/render/rcs-suggestions.js';
import { limitError, type RcsCardRenderer } from '../../cards/render/rcs-card-renderer.js';
import type { CardRenderContext } from '../../cards/render/card-renderer.js';
import { MAAP_CONTENT_TYPES, RCS_LIMITS, checkLength, type MaapContent, type RcsFileInfo, type RcsMessageBody, type RcsProblem } from './maap-message.js';
import { rcsButtonSchema, type RcsButton } from './rcs-button.js';

const httpUrl = z.string().regex(/^https?:\/\/\S+$/i, 'an http(s) URL').max(RCS_LIMITS.url);
const suggestions = z.array(rcsButtonSchema).min(1).max(RCS_LIMITS.suggestions).describe('Suggestion chips under the message (≤ 11).');
const variables = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}).describe('Values of the template\'s {{variables}}.');

const envelope = {
  to: z.string().min(3).max(32).describe('Recipient; +E.164 (or a form the number parser reads; mainland China by default).'),
  chatbotId: z.string().min(1).max(64).optional().describe('An approved chatbot of this account; default the first approved.'),
  reference: z.string().max(64).optional().describe('Your own id, echoed back.'),
  smsFallback: z.object({ text: z.string().min(1).max(1000) }).strict().optional()
    .describe('Ask the network to deliver this text as SMS when the terminal is not RCS-capable (smsSupported; the status is then delivered with code DELIVERED_AS_SMS).'),
};

export const sendRcsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1).max(RCS_LIMITS.text), suggestions: suggestions.optional(), ...envelope }).strict(),
  z.object({
    type: z.literal('file'),
    file: z.object({
      url: httpUrl, mime: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/i), size: z.number().int().min(1).optional(), name: z.string().min(1).max(200).optional(),
      thumbnail: z.object({ url: httpUrl, mime: z.string().regex(/^image\/[a-z0-9.+-]+$/i), size: z.number().int().min(1).optional() }).strict().optional(),
    }).strict(),
    suggestions: suggestions.optional(), ...envelope,
  }).strict(),
  z.object({ type: z.literal('card'), templateId: z.string().min(1).max(64).describe('An approved card template (not a carousel).'), variables, ...envelope }).strict(),
  z.object({ type: z.literal('carousel'), templateId: z.string().min(1).max(64).describe('An approved carousel card template.'), variables, ...envelope }).strict(),
  z.object({ type: z.literal('chips'), text: z.string().min(1).max(RCS_LIMITS.text), suggestions: suggestions.describe('Suggestion chips (1–11).'), ...envelope }).strict(),
]);

export type SendRcsBody = z.infer<typeof sendRcsSchema>;

/** A body and the rendering kind the history shows. */
export interface BuiltRcsMessage {
  kind: string;
  body: RcsMessageBody;
}

/** Text (with optional chips) as a messageList. @throws AppError RCS_LIMIT_EXCEEDED. */
export function textMessage(text: string, chips?: readonly RcsButton[], kind = chips?.length ? 'rcs-chips' : 'rcs-text'): BuiltRcsMessage {
  const problems: RcsProblem[] = [];
  checkLength(problems, 'text', text, RCS_LIMITS.text, 1);
  return finish(kind, [{ contentType: MAAP_CONTENT_TYPES.text, contentText: text }], chips, problems);
}

export function fileMessage(file: Extract<SendRcsBody, { type: 'file' }>['file'], chips?: readonly RcsButton[]): BuiltRcsMessage {
  const info: RcsFileInfo[] = [{ type: 'file', contentType: file.mime, url: file.url, ...(file.size ? { fileSize: file.size } : {}), ...(file.name ? { fileName: file.name } : {}) }];
  if (file.thumbnail) info.push({ type: 'thumbnail', contentType: file.thumbnail.mime, url: file.thumbnail.url, ...(file.thumbnail.size ? { fileSize: file.thumbnail.size } : {}) });
  return finish('rcs-file', [{ contentType: MAAP_CONTENT_TYPES.file, contentText: info }], chips, []);
}

/** A card (or carousel) from the `rcs` renderer. @throws AppError RCS_LIMIT_EXCEEDED naming the card field. */
export function cardMessage(renderer: RcsCardRenderer, card: Card, ctx: CardRenderContext): BuiltRcsMessage {
  const r = renderer.toMessage(card, ctx);
  if (!r.ok) throw limitError(r.problems);
  return { kind: r.kind, body: r.body };
}

function finish(kind: string, list: MaapContent[], chips: readonly RcsButton[] | undefined, problems: RcsProblem[]): BuiltRcsMessage {
  const s = suggestionsOf(chips, 's', 'suggestions', RCS_LIMITS.suggestions, problems);
  if (s) list.push({ contentType: MAAP_CONTENT_TYPES.botSuggestion, contentText: { suggestions: s } });
  if (problems.length) throw limitError(problems);
  return { kind, body: { messageList: list } };
}
