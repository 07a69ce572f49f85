/**
 * Component schemas of the 5G message routes. Request bodies are generated from the zod schemas
 * the routes parse with (src/channels/rcs, rcs.routes.ts); responses are written out here.
 */
import { chatbotInputSchema } from '../../channels/rcs/chatbot.service.js';
import { CHATBOT_STATUSES } from '../../channels/rcs/chatbot.repository.js';
import { MENU_LIMITS } from '../../channels/rcs/chatbot-menu.js';
import { keywordRuleSchema } from '../../channels/rcs/keyword-rule.repository.js';
import { MAAP_CAPABILITIES } from '../../channels/rcs/maap-api.js';
import { rcsButtonSchema } from '../../channels/rcs/rcs-button.js';
import { sendRcsSchema } from '../../channels/rcs/rcs-request.js';
import { RCS_STATUSES } from '../../channels/rcs/rcs-status.js';
import { approveChatbotSchema, capabilitiesBodySchema, rejectChatbotSchema, simulatedRcsInboundSchema } from '../routes/rcs.routes.js';
import { jsonSchema } from './schemas-whatsapp.js';
import { arr, bool, int, nullable, obj, ref, str, type Schema } from './operation.js';

const iso = (description: string) => str({ format: 'date-time', description });

const menu = arr(
  { oneOf: [ref('RcsButton'), obj({ text: str({ minLength: 1, maxLength: MENU_LIMITS.text }), submenu: arr(ref('RcsButton'), { minItems: 1, maxItems: MENU_LIMITS.submenu }) }, ['text', 'submenu'], { additionalProperties: false })] },
  { maxItems: MENU_LIMITS.top, description: `Persistent menu: ≤ ${MENU_LIMITS.top} top entries, each a button or a submenu of ≤ ${MENU_LIMITS.submenu} buttons (2 levels at most); labels 1–${MENU_LIMITS.text} characters.` },
);
const chatbotRequest = jsonSchema(chatbotInputSchema);
(chatbotRequest.properties as Record<string, Schema>).menu = menu;

export const rcsMessageExample = {
  id: 'rcm_0lx2k3m4n7q1w2e3r4t', chatbotId: 'rcb_0lx2k3m4n000a1b2c3d', to: '+8613800138001', kind: 'rcs-card', origin: 'api', reference: 'r-1', stepRef: null,
  status: 'read', maapStatus: 'MessageDisplayed', deliveredAsSms: false, errorCode: null, errorMessage: null,
  createdAt: '2030-01-01T01:00:00.000Z', acceptedAt: '2030-01-01T01:00:00.040Z', sentAt: '2030-01-01T01:00:00.300Z', deliveredAt: '2030-01-01T01:00:00.600Z',
  readAt: '2030-01-01T01:00:03.000Z', failedAt: null, smsFallback: null,
  history: [
    { status: 'pending', maapStatus: null, at: '2030-01-01T01:00:00.000Z', code: null },
    { status: 'accepted', maapStatus: null, at: '2030-01-01T01:00:00.040Z', code: null },
    { status: 'sent', maapStatus: 'MessageSent', at: '2030-01-01T01:00:00.300Z', code: null },
    { status: 'delivered', maapStatus: 'DeliveredToTerminal', at: '2030-01-01T01:00:00.600Z', code: null },
    { status: 'read', maapStatus: 'MessageDisplayed', at: '2030-01-01T01:00:03.000Z', code: null },
  ],
  message: { messageList: [{ contentType: 'application/vnd.gsma.botmessage.v1.0+json', contentText: { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' }, content: { title: 'A coupon for Li Lei', description: '券码: SPRING20', suggestions: [{ reply: { displayText: 'Copy code', postback: { data: 'copyCode:SPRING20' } } }] } } } } }] },
};

export const rcsSchemas: Record<string, Schema> = {
  RcsButton: jsonSchema(rcsButtonSchema),
  RcsChatbotRequest: chatbotRequest,
  RcsMenuRequest: obj({ menu }, ['menu'], { additionalProperties: false }),
  RcsChatbot: obj(
    {
      id: str({ description: 'rcb_…' }), accountId: str(), address: str({ description: 'The chatbot\'s address at the MaaP (sip:…).' }),
      name: str(), logoUrl: str(), description: str(), colour: str(), callbackNumber: str(), website: nullable(str()), category: str(),
      menu, persistentMenu: { type: 'object', description: 'The menu as registered at the MaaP (GSMA persistentMenu: entries of suggestions and submenus).' },
      status: str({ enum: [...CHATBOT_STATUSES], description: 'draft → submitted → approved | rejected (edit and submit again). Only approved chatbots send.' }),
      rejectionReason: nullable(str()),
      history: arr(obj({ at: iso('When.'), by: str({ description: 'account:<id> or operator[:<name>]' }), action: str(), from: nullable(str()), to: str(), reason: nullable(str()) }, ['at', 'by', 'action', 'from', 'to', 'reason'])),
      createdAt: iso('Created.'), updatedAt: iso('Last change.'), submittedAt: nullable(iso('Last submission.')), decidedAt: nullable(iso('Last decision.')),
    },
    ['id', 'accountId', 'address', 'name', 'logoUrl', 'description', 'colour', 'callbackNumber', 'website', 'category', 'menu', 'persistentMenu', 'status', 'rejectionReason', 'history', 'createdAt', 'updatedAt', 'submittedAt', 'decidedAt'],
  ),
  RcsChatbotList: obj({ data: arr(ref('RcsChatbot')) }, ['data']),
  ApproveRcsChatbotRequest: jsonSchema(approveChatbotSchema),
  RejectRcsChatbotRequest: jsonSchema(rejectChatbotSchema),
  RcsKeywordRuleRequest: jsonSchema(keywordRuleSchema),
  RcsKeywordRule: obj(
    {
      id: str({ description: 'rkw_…' }), accountId: str(), chatbotId: str(), matchType: str({ enum: ['exact', 'contains', 'regex'] }), pattern: str(),
      priority: int(), reply: { type: 'object', description: '{type: text, text} or {type: card, templateId, variables}.' }, enabled: bool(),
      createdAt: iso('Created.'), updatedAt: iso('Last change.'),
    },
    ['id', 'accountId', 'chatbotId', 'matchType', 'pattern', 'priority', 'reply', 'enabled', 'createdAt', 'updatedAt'],
  ),
  RcsKeywordRuleList: obj({ data: arr(ref('RcsKeywordRule')) }, ['data']),
  SendRcsRequest: jsonSchema(sendRcsSchema),
  RcsMessage: obj(
    {
      id: str({ description: 'rcm_…' }), chatbotId: str(), to: str({ description: 'E.164.' }),
      kind: str({ description: 'rcs-text, rcs-file, rcs-card, rcs-carousel or rcs-chips.' }),
      origin: str({ enum: ['api', 'fallback', 'auto_reply'] }), reference: nullable(str()), stepRef: nullable(str({ description: 'The fallback engine\'s step reference.' })),
      status: str({ enum: [...RCS_STATUSES], description: 'pending → accepted → sent → delivered → read, or failed / not_capable (DeliveryImpossible). Only moves forward.' }),
      maapStatus: nullable(str({ description: 'The last MaaP status: MessageSent, DeliveredToTerminal, MessageDisplayed, DeliveryImpossible, DeliveredToNetwork.' })),
      deliveredAsSms: bool({ description: 'DeliveredToNetwork: the network delivered smsFallback.text as SMS.' }),
      errorCode: nullable(str({ description: 'RCS_REJECTED, RCS_UNAVAILABLE, RCS_DELIVERY_IMPOSSIBLE or DELIVERED_AS_SMS.' })), errorMessage: nullable(str()),
      createdAt: iso('Stored.'), acceptedAt: nullable(iso('The MaaP took it.')), sentAt: nullable(iso('MessageSent.')), deliveredAt: nullable(iso('Delivered (to the terminal, or as SMS).')),
      readAt: nullable(iso('MessageDisplayed.')), failedAt: nullable(iso('Refused or DeliveryImpossible.')),
      smsFallback: nullable(obj({ text: str() }, ['text'])),
      history: arr(obj({ status: str({ enum: [...RCS_STATUSES] }), maapStatus: nullable(str()), at: iso('When it arrived.'), code: nullable(str()) }, ['status', 'maapStatus', 'at', 'code']), { description: 'Every status as it arrived (late or repeated ones included).' }),
      message: { type: 'object', description: 'The messageList as posted to the MaaP.' },
    },
    ['id', 'chatbotId', 'to', 'kind', 'origin', 'reference', 'stepRef', 'status', 'maapStatus', 'deliveredAsSms', 'errorCode', 'errorMessage', 'createdAt', 'acceptedAt', 'sentAt', 'deliveredAt', 'readAt', 'failedAt', 'smsFallback', 'history', 'message'],
    { example: rcsMessageExample },
  ),
  RcsCapabilitiesRequest: jsonSchema(capabilitiesBodySchema),
  RcsCapabilities: obj({ data: arr(obj({ number: str({ description: 'E.164.' }), capability: str({ enum: [...MAAP_CAPABILITIES] }) }, ['number', 'capability'])) }, ['data']),
  RcsWebhookAck: obj({ ok: bool({ const: true }), statuses: int(), inbound: int(), ignored: int() }, ['ok', 'statuses', 'inbound', 'ignored']),
  SimulatedRcsInboundRequest: jsonSchema(simulatedRcsInboundSchema),
  SimulatedRcsInboundResponse: obj({ messageId: str({ description: 'The MaaP id of the user\'s message.' }), delivered: bool({ description: 'The notification reached the platform.' }) }, ['messageId', 'delivered']),
};
