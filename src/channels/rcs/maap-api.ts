/**
 * The carrier MaaP's (China 5G message CSP API) request and notification shapes as the platform
 * speaks them; the bundled simulator (maap-simulator.ts) validates its input with the same schemas.
 *
 * - `POST /{chatbotAddress}/outbound` (address URL-encoded) with an {@link MaapOutboundRequest}:
 *   201 `{messageId}`; refusals are 4xx/5xx `{errorCode, errorMessage}`.
 * - `POST /{chatbotAddress}/capabilities` with `{userContacts: ["tel:+86…", …]}` (≤ 100):
 *   `{results: [{userContact, status}]}`, status Supported | NotSupported | Unknown | Invalid.
 * - Notifications to the platform's webhook (POST /webhooks/rcs), signed like report callbacks
 *   (`X-Maap-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, key RCS_WEBHOOK_SECRET):
 *   `{notifications: [deliveryInfo | inboundMessage, …]}`.
 * Every request carries `Authorization: Bearer <RCS_MAAP_TOKEN>`.
 */
import { z } from 'zod';
import { MAAP_CONTENT_TYPES, type MaapContent } from './maap-message.js';

export const MAAP_MAX_CAPABILITY_BATCH = 100;
export const MAAP_SIGNATURE_HEADER = 'x-maap-signature';

export const MAAP_CAPABILITIES = ['Supported', 'NotSupported', 'Unknown', 'Invalid'] as const;
export type MaapCapability = (typeof MAAP_CAPABILITIES)[number];

/** Delivery statuses; DeliveredToNetwork = the network delivered it as SMS (smsSupported). */
export const MAAP_STATUSES = ['MessageSent', 'DeliveredToTerminal', 'MessageDisplayed', 'DeliveryImpossible', 'DeliveredToNetwork'] as const;
export type MaapStatus = (typeof MAAP_STATUSES)[number];

export interface MaapOutboundRequest {
  /** Ours (the rcs_messages id): statuses come back with it, and a retried post is recognisable. */
  messageId: string;
  senderAddress: string;
  /** `tel:+E164`. */
  destinationAddress: string[];
  messageList: MaapContent[];
  reportRequest: Array<'Delivered' | 'Displayed' | 'Failed'>;
  /** Ask the network to send `smsContent` as SMS when the terminal is not RCS-capable. */
  smsSupported: boolean;
  smsContent?: string;
}

const contentSchema = z.discriminatedUnion('contentType', [
  z.object({ contentType: z.literal(MAAP_CONTENT_TYPES.text), contentText: z.string().min(1) }),
  z.object({ contentType: z.literal(MAAP_CONTENT_TYPES.botMessage), contentText: z.object({ message: z.record(z.string(), z.unknown()) }) }),
  z.object({ contentType: z.literal(MAAP_CONTENT_TYPES.botSuggestion), contentText: z.object({ suggestions: z.array(z.unknown()).min(1) }) }),
  z.object({ contentType: z.literal(MAAP_CONTENT_TYPES.file), contentText: z.array(z.object({ type: z.enum(['file', 'thumbnail']), url: z.string().min(1), contentType: z.string().min(1) }).loose()).min(1) }),
]);

export const maapOutboundSchema = z.object({
  messageId: z.string().min(1).max(128),
  senderAddress: z.string().min(1),
  destinationAddress: z.array(z.string().regex(/^tel:\+\d{6,15}$/)).length(1),
  messageList: z.array(contentSchema).min(1).max(4),
  reportRequest: z.array(z.enum(['Delivered', 'Displayed', 'Failed'])).optional(),
  smsSupported: z.boolean().default(false),
  smsContent: z.string().max(1000).optional(),
}).loose();

export const maapCapabilityRequestSchema = z.object({
  userContacts: z.array(z.string().min(1)).min(1).max(MAAP_MAX_CAPABILITY_BATCH),
});

export const maapCapabilityResponseSchema = z.object({
  results: z.array(z.object({ userContact: z.string(), status: z.enum(MAAP_CAPABILITIES) })),
});

const deliveryInfoSchema = z.object({
  type: z.literal('deliveryInfo'),
  chatbotAddress: z.string().min(1),
  messageId: z.string().min(1),
  address: z.string().min(1),
  status: z.enum(MAAP_STATUSES),
  timestamp: z.iso.datetime({ offset: true }),
  errorCode: z.string().optional(),
  description: z.string().optional(),
});

const inboundMessageSchema = z.object({
  type: z.literal('inboundMessage'),
  chatbotAddress: z.string().min(1),
  messageId: z.string().min(1),
  senderAddress: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
  /** Our message the user answers (a suggestion tap always has it). */
  inReplyTo: z.string().optional(),
}).and(z.discriminatedUnion('contentType', [
  z.object({ contentType: z.literal(MAAP_CONTENT_TYPES.text), contentText: z.string().min(1).max(10_000) }),
  z.object({
    contentType: z.literal(MAAP_CONTENT_TYPES.suggestionResponse),
    contentText: z.object({ response: z.object({ reply: z.object({ displayText: z.string(), postback: z.object({ data: z.string().max(2048) }) }) }) }),
  }),
]));

export const maapNotificationsSchema = z.object({
  notifications: z.array(z.union([deliveryInfoSchema, inboundMessageSchema])).min(1).max(1000),
});

export type MaapNotification = z.infer<typeof maapNotificationsSchema>['notifications'][number];
export type MaapDeliveryInfo = z.infer<typeof deliveryInfoSchema>;
export type MaapInboundMessage = z.infer<typeof inboundMessageSchema>;

/** `tel:+8613800138000` ↔ `+8613800138000`. */
export const telUri = (e164: string) => `tel:${e164}`;
export const fromTelUri = (uri: string) => uri.replace(/^tel:/, '');
