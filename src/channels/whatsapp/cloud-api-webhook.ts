/**
 * The `messages` webhook Meta POSTs to the business (and the bundled simulator imitates):
 * `entry[].changes[].value` carries `statuses[]` (sent / delivered / read / failed, in no
 * guaranteed order, `errors[]` on failures, e.g. 131026) and `messages[]` (what users send, which
 * opens the 24 h window). Parsing is lenient on purpose: Meta adds fields over time and a webhook
 * we refuse is redelivered for days, so unknown keys pass and unknown message types are kept raw.
 */
import { z } from 'zod';

export const WEBHOOK_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type WebhookStatusValue = (typeof WEBHOOK_STATUSES)[number];

const cloudError = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

const statusSchema = z.looseObject({
  id: z.string().min(1),
  /** `deleted` and `warning` exist too; they are read and ignored. */
  status: z.string().min(1),
  /** Unix seconds, as a string. */
  timestamp: z.string().regex(/^\d{1,12}$/),
  recipient_id: z.string().min(1),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(cloudError).optional(),
});

const inboundMessageSchema = z.looseObject({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().min(1),
  text: z.looseObject({ body: z.string() }).optional(),
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }).optional(),
  interactive: z.looseObject({
    type: z.string(),
    button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
  }).optional(),
  /** Present when the user replied to one of our messages: its wamid. */
  context: z.looseObject({ from: z.string().optional(), id: z.string().optional() }).optional(),
});

const valueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({ display_phone_number: z.string(), phone_number_id: z.string() }),
  contacts: z.array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  statuses: z.array(statusSchema).optional(),
  messages: z.array(inboundMessageSchema).optional(),
});

export const webhookPayloadSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({
    id: z.string(),
    changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
  })),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
export type WebhookStatus = z.infer<typeof statusSchema>;
export type WebhookInboundMessage = z.infer<typeof inboundMessageSchema>;
export type WebhookValue = z.infer<typeof valueSchema>;

/** A status event, normalised: times as Dates, the first error flattened. */
export interface StatusEvent {
  kind: 'status';
  phoneNumberId: string;
  providerMessageId: string;
  status: WebhookStatusValue;
  at: Date;
  recipientId: string;
  /** Our own message id when the send carried it in biz_opaque_callback_data. */
  callbackData?: string;
  error?: { code: number; title: string; details?: string };
}

/** A user's message, normalised to one line of text for the customer (buttons give their title). */
export interface InboundEvent {
  kind: 'inbound';
  phoneNumberId: string;
  displayPhoneNumber: string;
  providerMessageId: string;
  /** The user's WhatsApp id (their number in international form without `+`). */
  from: string;
  profileName?: string;
  type: string;
  text: string;
  at: Date;
  /** The wamid of our message the user replied to. */
  contextId?: string;
  raw: WebhookInboundMessage;
}

export type WebhookEvent = StatusEvent | InboundEvent;

const fromUnix = (s: string) => new Date(Number(s) * 1000);

function inboundText(m: WebhookInboundMessage): string {
  if (m.text) return m.text.body;
  if (m.button) return m.button.text;
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  if (reply) return reply.title;
  return `[${m.type}]`;
}

/**
 * Flattens a payload into events. Changes other than `messages`, and statuses other than the four
 * tracked ones, are skipped; a `messages` change whose value does not parse throws (the caller
 * answers 400: that is a malformed request, not a new field).
 */
export function webhookEvents(payload: WebhookPayload): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = valueSchema.parse(change.value);
      const phoneNumberId = value.metadata.phone_number_id;
      for (const s of value.statuses ?? []) {
        if (!(WEBHOOK_STATUSES as readonly string[]).includes(s.status)) continue;
        const e = s.errors?.[0];
        out.push({
          kind: 'status', phoneNumberId, providerMessageId: s.id, status: s.status as WebhookStatusValue, at: fromUnix(s.timestamp),
          recipientId: s.recipient_id, callbackData: s.biz_opaque_callback_data,
          error: e ? { code: e.code, title: e.title ?? e.message ?? 'error', details: e.error_data?.details } : undefined,
        });
      }
      for (const m of value.messages ?? []) {
        const profile = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name;
        out.push({
          kind: 'inbound', phoneNumberId, displayPhoneNumber: value.metadata.display_phone_number, providerMessageId: m.id,
          from: m.from, profileName: profile, type: m.type, text: inboundText(m), at: fromUnix(m.timestamp), contextId: m.context?.id, raw: m,
        });
      }
    }
  }
  return out;
}
