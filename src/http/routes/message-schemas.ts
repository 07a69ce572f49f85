import { z } from 'zod';
import { CATEGORIES } from '../../accounts/account.js';
import { MAX_TEXT_LENGTH } from '../../messages/message.js';
import { classifySender } from '../../senders/sender-type.js';

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
