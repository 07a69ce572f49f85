/**
 * The WhatsApp Cloud API shapes the adapter sends and the simulator accepts:
 * `POST /{version}/{phone_number_id}/messages` bodies (text, template, interactive), the success
 * answer and the Graph API error answer. Outbound parts are zod schemas so the platform refuses a
 * message Meta would refuse, before sending, with an error naming the field (e.g.
 * `interactive.action.buttons`: at most 3). Limits are Meta's published ones.
 * Webhook payloads are in cloud-api-webhook.ts.
 */
import { z } from 'zod';

// ---- text ----------------------------------------------------------------------------------

export const textPartSchema = z.object({
  body: z.string().min(1).max(4096).describe('Message text, up to 4,096 characters.'),
  preview_url: z.boolean().optional().describe('Render a preview of the first URL in the body.'),
}).strict();

// ---- template ------------------------------------------------------------------------------

const textParam = z.object({ type: z.literal('text'), text: z.string().min(1).max(1024) }).strict();
const currencyParam = z.object({
  type: z.literal('currency'),
  currency: z.object({ fallback_value: z.string().min(1), code: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'), amount_1000: z.number().int() }).strict(),
}).strict();
const dateTimeParam = z.object({ type: z.literal('date_time'), date_time: z.object({ fallback_value: z.string().min(1) }).strict() }).strict();
const mediaObject = z.object({
  id: z.string().min(1).optional(),
  link: z.url({ protocol: /^https$/ }).optional(),
}).strict().refine((m) => (m.id === undefined) !== (m.link === undefined), { message: 'give exactly one of id or link' });
const imageParam = z.object({ type: z.literal('image'), image: mediaObject }).strict();
const videoParam = z.object({ type: z.literal('video'), video: mediaObject }).strict();
const documentParam = z.object({ type: z.literal('document'), document: mediaObject }).strict();

const headerComponent = z.object({
  type: z.literal('header'),
  parameters: z.array(z.discriminatedUnion('type', [textParam, imageParam, videoParam, documentParam])).min(1).max(1),
}).strict();
const bodyComponent = z.object({
  type: z.literal('body'),
  parameters: z.array(z.discriminatedUnion('type', [textParam, currencyParam, dateTimeParam])).min(1).max(100),
}).strict();

/** Which parameter type each button sub_type takes (quick_reply: payload, url: text, copy_code: coupon_code). */
export const BUTTON_PARAMETER_TYPE = { quick_reply: 'payload', url: 'text', copy_code: 'coupon_code' } as const;

const buttonComponent = z.object({
  type: z.literal('button'),
  sub_type: z.enum(['quick_reply', 'url', 'copy_code']),
  index: z.union([z.number().int().min(0).max(9), z.string().regex(/^\d$/, 'a button position 0–9')]),
  parameters: z.array(z.discriminatedUnion('type', [
    z.object({ type: z.literal('payload'), payload: z.string().min(1).max(256) }).strict(),
    z.object({ type: z.literal('text'), text: z.string().min(1).max(2000) }).strict(),
    z.object({ type: z.literal('coupon_code'), coupon_code: z.string().min(1).max(15) }).strict(),
  ])).length(1),
}).strict().superRefine((b, ctx) => {
  const want = BUTTON_PARAMETER_TYPE[b.sub_type];
  if (b.parameters[0] && b.parameters[0].type !== want) {
    ctx.addIssue({ code: 'custom', path: ['parameters', 0, 'type'], message: `a ${b.sub_type} button takes a ${want} parameter` });
  }
});

export const templatePartSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lower-case letters, digits and underscores, up to 512').describe('The approved template\'s name.'),
  language: z.object({
    code: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en or en_US'),
    policy: z.literal('deterministic').optional(),
  }).strict(),
  components: z.array(z.discriminatedUnion('type', [headerComponent, bodyComponent, buttonComponent])).max(13).optional(),
}).strict();

// ---- interactive -----------------------------------------------------------------------------

const interactiveCommon = {
  header: z.object({ type: z.literal('text'), text: z.string().min(1).max(60) }).strict().optional(),
  body: z.object({ text: z.string().min(1).max(1024) }).strict(),
  footer: z.object({ text: z.string().min(1).max(60) }).strict().optional(),
};

/** Adds an issue at `path` for every repeated value (button ids and titles, row ids must be unique). */
function unique(values: string[], ctx: z.RefinementCtx, path: (i: number) => (string | number)[], what: string) {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path: path(i), message: `${what} "${v}" is used twice` });
    seen.add(v);
  });
}

const replyButtons = z.object({
  type: z.literal('button'),
  ...interactiveCommon,
  action: z.object({
    buttons: z.array(z.object({
      type: z.literal('reply'),
      reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }).strict(),
    }).strict()).min(1).max(3),
  }).strict().superRefine((a, ctx) => {
    unique(a.buttons.map((b) => b.reply.id), ctx, (i) => ['buttons', i, 'reply', 'id'], 'button id');
    unique(a.buttons.map((b) => b.reply.title), ctx, (i) => ['buttons', i, 'reply', 'title'], 'button title');
  }),
}).strict();

/** A list message holds at most 10 rows across all its sections. */
export const MAX_LIST_ROWS = 10;

const list = z.object({
  type: z.literal('list'),
  ...interactiveCommon,
  action: z.object({
    button: z.string().min(1).max(20),
    sections: z.array(z.object({
      title: z.string().min(1).max(24).optional(),
      rows: z.array(z.object({
        id: z.string().min(1).max(200),
        title: z.string().min(1).max(24),
        description: z.string().min(1).max(72).optional(),
      }).strict()).min(1).max(MAX_LIST_ROWS),
    }).strict()).min(1).max(10),
  }).strict().superRefine((a, ctx) => {
    const rows = a.sections.flatMap((s) => s.rows);
    if (rows.length > MAX_LIST_ROWS) ctx.addIssue({ code: 'custom', path: ['sections'], message: `at most ${MAX_LIST_ROWS} rows in all sections together, got ${rows.length}` });
    if (a.sections.length > 1) a.sections.forEach((s, i) => { if (!s.title) ctx.addIssue({ code: 'custom', path: ['sections', i, 'title'], message: 'required when there are several sections' }); });
    unique(rows.map((r) => r.id), ctx, () => ['sections'], 'row id');
  }),
}).strict();

export const interactivePartSchema = z.discriminatedUnion('type', [replyButtons, list]);

// ---- the request, answer and error --------------------------------------------------------------

const common = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().regex(/^\+?\d{6,15}$/, 'a phone number in international form, digits only'),
  /** Echoed by Meta in the status webhooks of this message: the platform puts its own id here. */
  biz_opaque_callback_data: z.string().max(512).optional(),
  context: z.object({ message_id: z.string().min(1) }).strict().optional(),
};

/** The body of `POST /{version}/{phone_number_id}/messages` for the types the platform sends. */
export const cloudSendRequestSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('text'), text: textPartSchema }).strict(),
  z.object({ ...common, type: z.literal('template'), template: templatePartSchema }).strict(),
  z.object({ ...common, type: z.literal('interactive'), interactive: interactivePartSchema }).strict(),
]);

export type TextPart = z.infer<typeof textPartSchema>;
export type TemplatePart = z.infer<typeof templatePartSchema>;
export type InteractivePart = z.infer<typeof interactivePartSchema>;
export type CloudSendRequest = z.infer<typeof cloudSendRequestSchema>;

/** The success answer: `wa_id` is the recipient's WhatsApp id, `messages[0].id` the wamid. */
export interface CloudSendResponse {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id: string }>;
  messages: Array<{ id: string; message_status?: 'accepted' | 'held_for_quality_assessment' }>;
}

/** A Graph API error answer (any non-2xx). `code` is what to act on; the title is inside `message`. */
export interface CloudErrorResponse {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product?: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

/** Meta error codes the platform acts on (the full list is Meta's "WhatsApp error codes" page). */
export const CloudErrorCode = {
  /** Access token expired or invalid. */
  TOKEN_INVALID: 190,
  AUTH_EXCEPTION: 0,
  INVALID_PARAMETER: 100,
  /** Generic unknown / service errors: try again later. */
  UNKNOWN: 1,
  SERVICE_UNAVAILABLE: 2,
  API_TOO_MANY_CALLS: 4,
  RATE_LIMIT: 80007,
  /** More than the number's throughput (80 msg/s by default). */
  THROUGHPUT_LIMIT: 130429,
  SOMETHING_WENT_WRONG: 131000,
  PARAMETER_INVALID: 131009,
  SERVICE_TEMPORARILY_UNAVAILABLE: 131016,
  /** Message undeliverable: usually the number is not on WhatsApp. Arrives in a `failed` status. */
  UNDELIVERABLE: 131026,
  /** Free-form message outside the 24 h customer-service window. */
  REENGAGEMENT_REQUIRED: 131047,
  SPAM_RATE_LIMIT: 131048,
  /** Too many messages to the same user (about one per 6 s). */
  PAIR_RATE_LIMIT: 131056,
  TEMPLATE_NOT_FOUND: 132001,
} as const;
