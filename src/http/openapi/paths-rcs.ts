/** 5G messages (RCS chatbots over the carrier MaaP): rcs.routes.ts and rcs-webhook.routes.ts. */
import { chatbotReviewQuery } from '../routes/rcs.routes.js';
import { jsonSchema } from './schemas-whatsapp.js';
import { rcsMessageExample } from './schemas-rcs.js';
import { operation, pathParam, queryParam, ref, str, type Schema } from './operation.js';

const TAG = '5G messages';
const ADMIN_TAG = 'Admin: 5G';
const chatbotParam = pathParam('id', 'Chatbot id (rcb_…).', str(), 'rcb_0lx2k3m4n000a1b2c3d');
const ruleParam = pathParam('ruleId', 'Keyword rule id (rkw_…).', str(), 'rkw_0lx2k3m4n000a1b2c3d');
const q = chatbotReviewQuery.shape;
const statusQuery = queryParam('status', 'Only chatbots in this status.', jsonSchema(q.status), 'approved');
const limitQuery = queryParam('limit', 'At most this many (default 100).', jsonSchema(q.limit), 100);
const PROFILE_EXAMPLE = { name: 'Acme Shop', logoUrl: 'https://acme.example/logo.png', description: 'Orders, coupons and help from Acme.', colour: '#1A73E8', callbackNumber: '400-820-8820', website: 'https://acme.example', category: 'retail' };
const MENU_EXAMPLE = [{ text: 'Orders', submenu: [{ type: 'reply', text: 'Where is my parcel', postback: 'track' }, { type: 'openUrl', text: 'All orders', url: 'https://acme.example/orders' }] }, { type: 'dial', text: 'Call us', phoneNumber: '400-820-8820' }];

const SEND_DESCRIPTION =
  'Sends one 5G message from a chatbot (`chatbotId`, default the account\'s first approved) to one number: `text`, `file`, `card` / `carousel` (an approved card template and its variables, rendered by the `rcs` card renderer) or `chips` (text with suggestion chips). ' +
  'Limits are checked before anything is sent (text ≤ 3,072; ≤ 11 suggestions, ≤ 4 per card, label ≤ 25, postback ≤ 2,048; title ≤ 200; description ≤ 2,000; carousel 2–10) and a breach names the field. ' +
  'Button mapping: openUrl → urlAction.openUrl; dial → dialerAction; reply → reply with its postback; openApp / openMiniProgram → openUrl of the fallbackUrl (else the deep link / WeChat URL); copyCode → a reply with postback `copyCode:<code>`, answered by the chatbot with the code as text. ' +
  'A MaaP refusal is not an HTTP error: 202 with `status: "failed"`. Statuses come back from the MaaP as notifications; `GET /v1/rcs/messages/{id}` shows them. Capability is not checked first: a non-RCS terminal ends `not_capable` (DeliveryImpossible), or `delivered` as SMS with `smsFallback`.';

export const rcsPaths: Record<string, Record<string, Schema>> = {
  '/v1/rcs/chatbots': {
    post: operation({
      id: 'createRcsChatbot', tag: TAG, auth: 'account', summary: 'Register a chatbot (draft): name, logo, description, colour, callback number, website, category, menu',
      body: { schema: ref('RcsChatbotRequest'), examples: { shop: { summary: 'A shop\'s chatbot with a two-level menu', value: { ...PROFILE_EXAMPLE, menu: MENU_EXAMPLE } } } },
      ok: { status: 201, description: 'The chatbot, in draft.', schema: ref('RcsChatbot') },
      errors: ['VALIDATION_FAILED', 'RCS_MENU_INVALID'],
    }),
    get: operation({
      id: 'listRcsChatbots', tag: TAG, auth: 'account', summary: 'The account\'s chatbots, newest first', parameters: [statusQuery, limitQuery],
      ok: { status: 200, description: 'The chatbots.', schema: ref('RcsChatbotList') }, errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/rcs/chatbots/{id}': {
    get: operation({ id: 'getRcsChatbot', tag: TAG, auth: 'account', summary: 'Read a chatbot', parameters: [chatbotParam], ok: { status: 200, description: 'The chatbot.', schema: ref('RcsChatbot') }, errors: ['NOT_FOUND'] }),
    put: operation({
      id: 'replaceRcsChatbot', tag: TAG, auth: 'account', summary: 'Replace a draft or rejected chatbot\'s registration info (and menu, when given)', parameters: [chatbotParam],
      body: { schema: ref('RcsChatbotRequest') }, ok: { status: 200, description: 'The chatbot.', schema: ref('RcsChatbot') },
      errors: ['VALIDATION_FAILED', 'RCS_MENU_INVALID', 'NOT_FOUND', 'RCS_CHATBOT_INVALID_TRANSITION'],
    }),
    delete: operation({
      id: 'deleteRcsChatbot', tag: TAG, auth: 'account', summary: 'Delete a draft or rejected chatbot (with its keyword rules)', parameters: [chatbotParam],
      ok: { status: 204, description: 'Deleted.' }, errors: ['NOT_FOUND', 'RCS_CHATBOT_INVALID_TRANSITION'],
    }),
  },
  '/v1/rcs/chatbots/{id}/submit': {
    post: operation({
      id: 'submitRcsChatbot', tag: TAG, auth: 'account', summary: 'Send a draft or rejected chatbot for the carrier\'s review', parameters: [chatbotParam],
      ok: { status: 200, description: 'The chatbot, submitted.', schema: ref('RcsChatbot') }, errors: ['NOT_FOUND', 'RCS_CHATBOT_INVALID_TRANSITION'],
    }),
  },
  '/v1/rcs/chatbots/{id}/menu': {
    put: operation({
      id: 'setRcsChatbotMenu', tag: TAG, auth: 'account', summary: 'Replace the persistent menu of a draft or rejected chatbot (reviewed with the rest)', parameters: [chatbotParam],
      body: { schema: ref('RcsMenuRequest'), examples: { menu: { summary: 'Two top entries, one a submenu', value: { menu: MENU_EXAMPLE } } } },
      ok: { status: 200, description: 'The chatbot.', schema: ref('RcsChatbot') }, errors: ['VALIDATION_FAILED', 'RCS_MENU_INVALID', 'NOT_FOUND', 'RCS_CHATBOT_INVALID_TRANSITION'],
    }),
  },
  '/v1/rcs/chatbots/{id}/keywords': {
    get: operation({ id: 'listRcsKeywordRules', tag: TAG, auth: 'account', summary: 'A chatbot\'s keyword rules, in the order they are tried', parameters: [chatbotParam], ok: { status: 200, description: 'The rules.', schema: ref('RcsKeywordRuleList') }, errors: ['NOT_FOUND'] }),
    post: operation({
      id: 'createRcsKeywordRule', tag: TAG, auth: 'account', summary: 'Add a keyword auto-reply (exact, contains or regex; text or card reply)',
      description: 'User messages and suggestion taps (postback data or label) are matched trimmed, NFKC-normalised, case-insensitively; the enabled rule with the highest priority answers (among equals the older). Unmatched messages reach the account as `mo` reports with `channel: "rcs"`. Regexes: ≤ 100 characters, no backreferences, no repeated group holding a repetition or alternation.',
      parameters: [chatbotParam],
      body: { schema: ref('RcsKeywordRuleRequest'), examples: { card: { summary: 'Answer "coupon" with a coupon card', value: { matchType: 'contains', pattern: 'coupon', priority: 10, reply: { type: 'card', templateId: 'ctp_0lx2k3m4n000a1b2c3d', variables: { name: 'Li Lei', amount: '20', code: 'SPRING20', expiry: '2030-06-30' } } } } } },
      ok: { status: 201, description: 'The rule.', schema: ref('RcsKeywordRule') }, errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
    }),
  },
  '/v1/rcs/chatbots/{id}/keywords/{ruleId}': {
    put: operation({ id: 'replaceRcsKeywordRule', tag: TAG, auth: 'account', summary: 'Replace a keyword rule', parameters: [chatbotParam, ruleParam], body: { schema: ref('RcsKeywordRuleRequest') }, ok: { status: 200, description: 'The rule.', schema: ref('RcsKeywordRule') }, errors: ['VALIDATION_FAILED', 'NOT_FOUND'] }),
    delete: operation({ id: 'deleteRcsKeywordRule', tag: TAG, auth: 'account', summary: 'Delete a keyword rule', parameters: [chatbotParam, ruleParam], ok: { status: 204, description: 'Deleted.' }, errors: ['NOT_FOUND'] }),
  },
  '/v1/rcs/messages': {
    post: operation({
      id: 'sendRcs', tag: TAG, auth: 'account', summary: 'Send a 5G message (text, file, card, carousel, chips) to one number', description: SEND_DESCRIPTION,
      body: {
        schema: ref('SendRcsRequest'),
        examples: {
          card: { summary: 'A coupon card from an approved template', value: { to: '+8613800138001', type: 'card', templateId: 'ctp_0lx2k3m4n000a1b2c3d', variables: { name: 'Li Lei', amount: '20', code: 'SPRING20', expiry: '2030-06-30' } } },
          chips: { summary: 'Text with suggestion chips, SMS for non-RCS terminals', value: { to: '+8613800138001', type: 'chips', text: 'How did we do?', suggestions: [{ type: 'reply', text: 'Great' }, { type: 'reply', text: 'Could be better' }], smsFallback: { text: 'How did we do? Reply 1-5' } } },
        },
      },
      ok: { status: 202, description: 'Stored and posted to the MaaP (or failed at once, see status).', schema: ref('RcsMessage'), example: rcsMessageExample },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'RCS_LIMIT_EXCEEDED', 'RCS_CARD_TYPE_MISMATCH', 'RCS_NO_CHATBOT', 'RCS_CHATBOT_NOT_APPROVED', 'NOT_FOUND', 'CARD_TEMPLATE_NOT_APPROVED', 'CARD_RENDERED_INVALID', 'TEMPLATE_VARIABLE_MISSING'],
    }),
  },
  '/v1/rcs/messages/{id}': {
    get: operation({
      id: 'getRcs', tag: TAG, auth: 'account', summary: 'Read a 5G message with its status history', parameters: [pathParam('id', '5G message id (rcm_…).', str(), 'rcm_0lx2k3m4n7q1w2e3r4t')],
      ok: { status: 200, description: 'The message.', schema: ref('RcsMessage'), example: rcsMessageExample }, errors: ['NOT_FOUND'],
    }),
  },
  '/v1/rcs/capabilities': {
    post: operation({
      id: 'queryRcsCapabilities', tag: TAG, auth: 'account', summary: 'Which numbers are 5G (RCS) capable',
      description: 'Asked of the MaaP through the account\'s chatbot, 100 numbers a call, and cached (RCS_CAPABILITY_TTL_SECONDS; Unknown answers RCS_CAPABILITY_UNKNOWN_TTL_SECONDS). Supported, NotSupported, Unknown (unreachable terminal) or Invalid.',
      body: { schema: ref('RcsCapabilitiesRequest'), examples: { two: { summary: 'Two numbers', value: { numbers: ['+8613800138001', '13800138007'] } } } },
      ok: { status: 200, description: 'One answer per number, in request order.', schema: ref('RcsCapabilities') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'RCS_NO_CHATBOT', 'RCS_CHATBOT_NOT_APPROVED', 'NOT_FOUND'],
    }),
  },
  '/webhooks/rcs': {
    post: operation({
      id: 'receiveRcsWebhook', tag: TAG, auth: 'none', summary: 'The MaaP\'s notifications: delivery statuses, user messages, suggestion taps',
      description: 'Public, but `X-Maap-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body" keyed with RCS_WEBHOOK_SECRET>` (at most 5 minutes old) is checked on the raw body before anything else. `deliveryInfo` updates the message (forward only); `inboundMessage` (text/plain or a botsuggestion.response) is answered by a keyword rule or reaches the account as an `mo` report. Repeats are harmless.',
      parameters: [{ name: 'X-Maap-Signature', in: 'header', required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">.', schema: str({ pattern: '^t=\\d{1,12}(,v1=[0-9a-f]{64})+$' }) }],
      body: {
        schema: { type: 'object', required: ['notifications'], properties: { notifications: { type: 'array', items: { type: 'object' }, minItems: 1, maxItems: 1000 } }, description: 'deliveryInfo {chatbotAddress, messageId, address, status, timestamp, errorCode?} and inboundMessage {chatbotAddress, messageId, senderAddress, contentType, contentText, timestamp, inReplyTo?}.' },
        examples: { displayed: { summary: 'A message was displayed', value: { notifications: [{ type: 'deliveryInfo', chatbotAddress: 'sip:125200401234@botplatform.rcs.example', messageId: 'rcm_0lx2k3m4n7q1w2e3r4t', address: 'tel:+8613800138001', status: 'MessageDisplayed', timestamp: '2030-01-01T01:00:03.000Z' }] } } },
      },
      ok: { status: 200, description: 'Applied.', schema: ref('RcsWebhookAck') },
      errors: ['WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_PAYLOAD_INVALID'],
    }),
  },
  '/v1/admin/rcs/chatbots': {
    get: operation({
      id: 'reviewRcsChatbots', tag: ADMIN_TAG, auth: 'admin', summary: 'The chatbot review queue (submitted, oldest first) or any status',
      parameters: [queryParam('status', 'Default submitted.', jsonSchema(q.status), 'submitted'), queryParam('accountId', 'Only this account\'s.', jsonSchema(q.accountId)), limitQuery],
      ok: { status: 200, description: 'The chatbots.', schema: ref('RcsChatbotList') }, errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/admin/rcs/chatbots/{id}': {
    get: operation({ id: 'getRcsChatbotForReview', tag: ADMIN_TAG, auth: 'admin', summary: 'Read any account\'s chatbot', parameters: [chatbotParam], ok: { status: 200, description: 'The chatbot.', schema: ref('RcsChatbot') }, errors: ['NOT_FOUND'] }),
  },
  '/v1/admin/rcs/chatbots/{id}/approve': {
    post: operation({
      id: 'approveRcsChatbot', tag: ADMIN_TAG, auth: 'admin', summary: 'Approve a submitted chatbot (optionally with the address the carrier assigned)', parameters: [chatbotParam],
      body: { schema: ref('ApproveRcsChatbotRequest') }, ok: { status: 200, description: 'The chatbot, approved.', schema: ref('RcsChatbot') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'RCS_CHATBOT_INVALID_TRANSITION', 'RCS_CHATBOT_ADDRESS_TAKEN'],
    }),
  },
  '/v1/admin/rcs/chatbots/{id}/reject': {
    post: operation({
      id: 'rejectRcsChatbot', tag: ADMIN_TAG, auth: 'admin', summary: 'Reject a submitted chatbot with a reason', parameters: [chatbotParam],
      body: { schema: ref('RejectRcsChatbotRequest') }, ok: { status: 200, description: 'The chatbot, rejected.', schema: ref('RcsChatbot') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'RCS_CHATBOT_INVALID_TRANSITION'],
    }),
  },
  '/v1/admin/simulator/rcs/inbound': {
    post: operation({
      id: 'injectSimulatorRcsInbound', tag: ADMIN_TAG, auth: 'admin', summary: 'Make a user write to a chatbot, or tap a suggestion, through the bundled MaaP simulator',
      description: 'Only where this process runs the simulator. It sends the signed notification, which a keyword rule answers or which reaches the account as an `mo` report.',
      body: { schema: ref('SimulatedRcsInboundRequest'), examples: { keyword: { summary: 'A user asks for a coupon', value: { chatbotId: 'rcb_0lx2k3m4n000a1b2c3d', from: '+8613800138021', text: 'coupon' } } } },
      ok: { status: 200, description: 'Sent by the simulator.', schema: ref('SimulatedRcsInboundResponse') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'NOT_FOUND', 'SIMULATOR_NOT_RUNNING'],
    }),
  },
};
