/** Meta's `messages` webhook payloads, as the tests feed them to WhatsAppService.handleWebhook. */
import type { WhatsAppMessage } from '../../src/channels/whatsapp/whatsapp-message.repository.js';

/** A status of our message, naming it by wamid and by our id (biz_opaque_callback_data). */
export const whatsAppStatus = (phoneNumberId: string, m: WhatsAppMessage, status: string, extra: Record<string, unknown> = {}) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'W', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
    statuses: [{ id: m.providerMessageId, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: m.to.slice(1), biz_opaque_callback_data: m.id, ...extra }],
  } }] }],
});

/** A `failed` status with Meta's error code (131026: not a WhatsApp user). */
export const whatsAppFailed = (phoneNumberId: string, m: WhatsAppMessage, code = 131026) =>
  whatsAppStatus(phoneNumberId, m, 'failed', { errors: [{ code, title: 'Message undeliverable' }] });
