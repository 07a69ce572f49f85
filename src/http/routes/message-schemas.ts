import { z } from 'zod';
import { CATEGORIES } from '../../accounts/account.js';
import { MAX_TEXT_LENGTH } from '../../messages/message.js';
import { classifySender } from '../../senders/sender-type.js';
import { chainSchema } from '../../fallback/fallback-send.js';
import { whatsAppContentSchema } from '../../channels/whatsapp/whatsapp-content.js';

export const MAX_BATCH_RECIPIENTS = 100_000;

/** A sender ID: a number (digits, optional +) or 1–11 letters, digits, space . - _ & with a letter. */
export const senderIdSchema = z.string().min(1).max(16).superRefine((s, ctx) => {
  const c = classifySender(s);
  if (!c.ok) ctx.addIssue({ code: 'custom', message: c.message });
});

const variables = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const common = {
  category: z.enum(CATEGORIES),
  signature: z.string().min(2).max(8).optional(),
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
  callbackUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  senderId: senderIdSchema.optional(),
};

const oneContent = (v: { text?: string; template?: unknown }, ctx: z.RefinementCtx) => {
  if ((v.text === undefined) === (v.template === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['text'], message: 'give exactly one of text or template' });
  }
};

export const sendSchema = z
  .object({
    ...common,
    to: z.string().min(3).max(32),
    text: z.string().min(1).max(MAX_TEXT_LENGTH).optional(),
    template: z.object({ id: z.string().min(1), variables: variables.default({}) }).strict().optional(),
    reference: z.string().max(64).optional(),
  })
  .strict()
  .superRefine(oneContent);

/**
 * A send down a channel chain (src/fallback): the content once — text (or an SMS template), a card
 * template, an MMS template, WhatsApp content — and the chain, or the account's default chain.
 */
export const chainSendSchema = z
  .object({
    ...common,
    to: z.string().min(3).max(32),
    channels: chainSchema.optional(),
    text: z.string().min(1).max(MAX_TEXT_LENGTH).optional(),
    template: z.object({ id: z.string().min(1), variables: variables.default({}) }).strict().optional(),
    card: z.object({ templateId: z.string().min(1).max(64), variables: variables.default({}) }).strict().optional(),
    mms: z.object({ templateId: z.string().min(1).max(64), variables: variables.default({}) }).strict().optional(),
    whatsapp: whatsAppContentSchema.optional(),
    reference: z.string().max(64).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.text === undefined && v.template === undefined && v.card === undefined && v.mms === undefined && v.whatsapp === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'give the content: text, template, card, mms or whatsapp' });
    }
    if (v.text !== undefined && v.template !== undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'give text or template, not both' });
    if (v.scheduledAt !== undefined) ctx.addIssue({ code: 'custom', path: ['scheduledAt'], message: 'scheduled sends are not available with a channel chain' });
  });

/** Whether a POST /v1/messages body goes down a channel chain rather than straight to text SMS. */
export function wantsChain(body: Record<string, unknown>, accountDefault: unknown): boolean {
  return body.channels !== undefined || body.card !== undefined || body.mms !== undefined || body.whatsapp !== undefined
    || (accountDefault !== undefined && body.scheduledAt === undefined);
}

export const batchSchema = z
  .object({
    ...common,
    text: z.string().min(1).max(MAX_TEXT_LENGTH).optional(),
    template: z.object({ id: z.string().min(1) }).strict().optional(),
    recipients: z
      .array(z.object({ to: z.string().min(1).max(32), variables: variables.optional(), reference: z.string().max(64).optional() }).strict())
      .min(1)
      .max(MAX_BATCH_RECIPIENTS),
  })
  .strict()
  .superRefine(oneContent);

export const listQuerySchema = z.object({
  batchId: z.string().optional(),
  status: z.enum(['scheduled', 'queued', 'submitted', 'delivered', 'failed', 'unknown', 'cancelled']).optional(),
  to: z.string().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().optional(),
});
