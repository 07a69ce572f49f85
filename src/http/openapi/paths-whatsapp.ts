/** The WhatsApp channel: customer routes (whatsapp.routes.ts), Meta's webhook (whatsapp-webhook.routes.ts), the simulator lever. */
import { FALLBACK_TIMEOUT } from '../../channels/whatsapp/whatsapp-request.js';
import { jsonSchema, whatsAppMessageExample } from './schemas-whatsapp.js';
import { optOutQuerySchema } from '../routes/whatsapp.routes.js';
import { operation, pathParam, queryParam, ref, str, type Schema } from './operation.js';

const numberParam = pathParam('number', 'The user\'s number: +E.164 with the + URL-encoded (%2B919876543210), or country code and number without it (919876543210).', str({ maxLength: 32 }), '+919876543210');

const SEND_DESCRIPTION =
  'Sends one WhatsApp message through the Cloud API (the bundled simulator by default). Refused before anything is stored when the number has not opted in to this account ' +
  '(WHATSAPP_NOT_OPTED_IN) or when `text`/`interactive` content is outside the 24 h window opened by the user\'s last message (WHATSAPP_OUTSIDE_WINDOW; templates always go). ' +
  'An API refusal is not an HTTP error: the answer is 202 with `status: "failed"`, its `errorCode` and Meta\'s `providerCode`.\n\n' +
  `**Failover**: with \`fallback\`, the message is a send of the platform's fallback engine down the chain [whatsapp, sms]: the same message goes out as text SMS, once, when WhatsApp fails or does not reach \`condition\` (delivered, or read) within \`timeoutSeconds\` (${FALLBACK_TIMEOUT.min}–${FALLBACK_TIMEOUT.max}, default ${FALLBACK_TIMEOUT.default}). ` +
  'The SMS goes through the ordinary SMS pipeline (rules, billing, routing) and both attempts show in GET /v1/whatsapp/messages/{id} (`fallback`, `attempts`) and in GET /v1/messages/{fallback.sendId} (the engine\'s steps). The customer gets one status report for the send (`messageId` = `fallback.sendId`, `channel` whatsapp or sms), not one per attempt. ' +
  '`fallback.sms.text` defaults to the text body, or to "<code> is your verification code." for `authentication`; template and interactive messages must give it. ' +
  'The answer comes once WhatsApp answered (and, when the API refused at once, once the SMS went). In the rare case that WhatsApp stored no message after the checks above passed (consent withdrawn at that moment, so the SMS went; or a storage failure, retried by the engine), the answer is the fallback send itself, as GET /v1/messages/{id} shows it (`id` msg_…, `steps`).';

export const whatsAppPaths: Record<string, Record<string, Schema>> = {
  '/v1/whatsapp/messages': {
    post: operation({
      id: 'sendWhatsApp',
      tag: 'WhatsApp',
      auth: 'account',
      summary: 'Send a WhatsApp message (text, template, authentication code, interactive), with optional SMS failover',
      description: SEND_DESCRIPTION,
      body: {
        schema: ref('SendWhatsAppRequest'),
        examples: {
          otp: {
            summary: 'An authentication code with SMS failover',
            value: { to: '+919876543210', type: 'authentication', authentication: { template: 'login_code', language: 'en_US', code: '482913' }, fallback: { condition: 'delivered', timeoutSeconds: 60, sms: { category: 'otp' } } },
          },
          text: { summary: 'Free text inside the 24 h window', value: { to: '+919876543210', type: 'text', text: { body: 'Your order has shipped.' } } },
          buttons: {
            summary: 'Reply buttons (at most 3)',
            value: { to: '+919876543210', type: 'interactive', interactive: { type: 'button', body: { text: 'Confirm your appointment tomorrow at 10:00?' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } } },
          },
          template: {
            summary: 'A template with a body parameter',
            value: { to: '+919876543210', type: 'template', template: { name: 'order_update', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1042' }] }] }, fallback: { sms: { category: 'notification', text: 'Order A-1042 has shipped.' } } },
          },
        },
      },
      ok: { status: 202, description: 'Stored and handed to WhatsApp (or failed at once, see status); rarely, with `fallback`, the fallback send (see above).', schema: { oneOf: [ref('WhatsAppMessage'), ref('WhatsAppFallbackSend')] }, example: whatsAppMessageExample },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'WHATSAPP_NOT_OPTED_IN', 'WHATSAPP_OUTSIDE_WINDOW', 'CATEGORY_NOT_ALLOWED'],
    }),
  },
  '/v1/whatsapp/messages/{id}': {
    get: operation({
      id: 'getWhatsApp',
      tag: 'WhatsApp',
      auth: 'account',
      summary: 'Read a WhatsApp message: status history, its fallback and both attempts when it fell back to SMS',
      parameters: [pathParam('id', 'WhatsApp message id (wam_…).', str(), 'wam_0lx2k3m4n7q1w2e3r4t')],
      ok: { status: 200, description: 'The message.', schema: ref('WhatsAppMessage'), example: whatsAppMessageExample },
      errors: ['NOT_FOUND'],
    }),
  },
  '/v1/whatsapp/opt-ins/{number}': {
    put: operation({
      id: 'recordWhatsAppOptIn',
      tag: 'WhatsApp',
      auth: 'account',
      summary: 'Record that a user agreed to receive WhatsApp messages from this account',
      description: 'Required before any WhatsApp message to the number. Recording again renews it (and undoes a withdrawal). A user writing to the business opens the 24 h window but is not an opt-in.',
      parameters: [numberParam],
      body: { schema: ref('WhatsAppOptInRequest'), examples: { signup: { summary: 'Consent given on the sign-up form', value: { source: 'signup_form' } } } },
      ok: { status: 200, description: 'The opt-in.', schema: ref('WhatsAppOptIn') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER'],
    }),
    delete: operation({
      id: 'withdrawWhatsAppOptIn',
      tag: 'WhatsApp',
      auth: 'account',
      summary: 'Withdraw a user\'s WhatsApp opt-in (the record is kept)',
      parameters: [numberParam, queryParam('source', 'Where the user withdrew, e.g. settings_page.', jsonSchema(optOutQuerySchema.shape.source), 'settings_page')],
      ok: { status: 200, description: 'The opt-in, now withdrawn.', schema: ref('WhatsAppOptIn') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'NOT_FOUND'],
    }),
    get: operation({
      id: 'getWhatsAppOptIn',
      tag: 'WhatsApp',
      auth: 'account',
      summary: 'Read a user\'s WhatsApp opt-in',
      parameters: [numberParam],
      ok: { status: 200, description: 'The opt-in (optedIn false once withdrawn).', schema: ref('WhatsAppOptIn') },
      errors: ['INVALID_NUMBER', 'NOT_FOUND'],
    }),
  },
  '/webhooks/whatsapp': {
    get: operation({
      id: 'verifyWhatsAppWebhook',
      tag: 'WhatsApp',
      auth: 'none',
      summary: 'Meta\'s webhook verification handshake',
      description: 'Meta (or the bundled simulator) calls this when the callback URL is registered: with hub.mode=subscribe and hub.verify_token equal to WHATSAPP_VERIFY_TOKEN, the answer is hub.challenge as plain text.',
      parameters: [
        queryParam('hub.mode', 'Must be `subscribe`.', str({ const: 'subscribe' }), 'subscribe'),
        queryParam('hub.verify_token', 'WHATSAPP_VERIFY_TOKEN.', str(), 'dev-whatsapp-verify-token'),
        queryParam('hub.challenge', 'Echoed back.', str(), '1158201444'),
      ],
      ok: { status: 200, description: 'hub.challenge.', contentType: 'text/plain', schema: str({ example: '1158201444' }) },
      errors: ['WEBHOOK_VERIFICATION_INVALID', 'WEBHOOK_VERIFY_TOKEN_MISMATCH'],
    }),
    post: operation({
      id: 'receiveWhatsAppWebhook',
      tag: 'WhatsApp',
      auth: 'none',
      summary: 'Meta\'s `messages` webhook: statuses and user messages',
      description:
        'Public, but the `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed with WHATSAPP_APP_SECRET>` header is checked (constant time) before anything else. ' +
        'Statuses (sent, delivered, read, failed with `errors[].code`, in any order) update the message; a user\'s message opens the 24 h window of the account it answers (reply context, else the account that last wrote to the number, else the last that recorded consent) and reaches that account as an `mo` report with `channel: "whatsapp"`. Repeats are harmless.',
      parameters: [{ name: 'X-Hub-Signature-256', in: 'header', required: true, description: 'sha256=<hex HMAC-SHA256 of the raw body with the app secret>.', schema: str({ pattern: '^sha256=[0-9a-f]{64}$' }) }],
      body: {
        schema: { type: 'object', required: ['object', 'entry'], properties: { object: { const: 'whatsapp_business_account' }, entry: { type: 'array', items: { type: 'object' } } }, description: 'Meta\'s payload: entry[].changes[].value with statuses[] and/or messages[].' },
        examples: {
          failed: {
            summary: 'A failed status (not on WhatsApp)',
            value: { object: 'whatsapp_business_account', entry: [{ id: 'WABA-ID', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: '100000000000001' }, statuses: [{ id: 'wamid.HBgLOTE5ODc2NTQzMjE4FQIAERgS', status: 'failed', timestamp: '1893459601', recipient_id: '919876543218', errors: [{ code: 131026, title: 'Message undeliverable' }] }] } }] }] },
          },
        },
      },
      ok: { status: 200, description: 'Applied.', schema: ref('WhatsAppWebhookAck') },
      errors: ['WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_PAYLOAD_INVALID'],
    }),
  },
  '/v1/admin/simulator/whatsapp/inbound': {
    post: operation({
      id: 'injectSimulatorWhatsAppInbound',
      tag: 'Admin: routing',
      auth: 'admin',
      summary: 'Make a user write to the business through the bundled WhatsApp simulator',
      description: 'Only where this process runs the simulator. The simulator sends the signed `messages` webhook, which opens the 24 h window and reaches the account as an `mo` report.',
      body: { schema: ref('SimulatedInboundRequest'), examples: { hello: { summary: 'A user says hi', value: { from: '+919876543210', text: 'Hi, where is my order?' } } } },
      ok: { status: 200, description: 'Sent by the simulator.', schema: ref('SimulatedInboundResponse') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'SIMULATOR_NOT_RUNNING'],
    }),
  },
};
