/** Card campaigns (card-campaigns.routes.ts): a card template sent as smart SMS. */
import { cardSendSchema } from '../routes/card-campaigns.routes.js';
import { jsonSchema } from './schemas-whatsapp.js';
import { arr, int, nullable, obj, operation, ref, str, type Schema } from './operation.js';

export const cardCampaignSchemas: Record<string, Schema> = {
  CardSendRequest: jsonSchema(cardSendSchema),
  CardSendResult: obj({
    campaignId: str({ description: 'Use it with GET /v1/reports/clicks?campaign=… (PV, UV, click rate, parse rate).' }),
    batchId: nullable(str({ description: 'The text messages (GET /v1/messages?batchId=…).' })),
    accepted: int(),
    rejected: arr(obj({ index: int(), to: str(), code: str(), field: str(), message: str(), messageId: str() }, ['index', 'to', 'code', 'field', 'message'])),
    costMillis: int({ description: 'Text fee (per part); the parse fee follows the parse platform\'s report.' }),
    smartSms: obj({
      providerTemplateId: nullable(str()),
      status: str({ enum: ['approved', 'pending', 'rejected', 'unavailable'], description: 'Not approved: the texts carry the card-page short links only (every handset opens the H5 page).' }),
    }, ['providerTemplateId', 'status']),
  }, ['campaignId', 'batchId', 'accepted', 'rejected', 'costMillis', 'smartSms']),
};

export const cardCampaignPaths: Record<string, Record<string, Schema>> = {
  '/v1/cards/send': {
    post: operation({
      id: 'sendCardCampaign', tag: 'Cards', auth: 'account',
      summary: 'Send an approved card template as smart SMS, one personalised link per recipient',
      description:
        'Each recipient gets their card (template + their variables, validated), a short link of their own to its H5 page (click tracking), the parse platform\'s personalised link pointing at it, ' +
        'and a marketing text SMS `【signature】summary link 拒收请回复R` through the core router. Parse-capable Android handsets show the card; others show the text and open the H5 page. ' +
        'Bad recipients are listed by index and the rest still go. Billing: the text per part at send; the parse fee (account setting parseFeeMillis) only for parses the platform reports, in aggregate.',
      body: { schema: ref('CardSendRequest'), examples: { coupon: { summary: 'Two recipients', value: { templateId: 'ctp_0mx4cqgh9xhze6cfz6a', signature: '阿里云', campaignName: 'Spring', recipients: [{ to: '13800138000', variables: { name: 'Li Lei', amount: '20', code: 'LI20', expiry: '2030-06-30' } }] } } } },
      ok: { status: 202, description: 'Accepted (bad recipients listed). With `channels` (or the account\'s marketing default chain) each recipient goes down the chain: a FallbackCampaignResult.', schema: { anyOf: [ref('CardSendResult'), ref('FallbackCampaignResult')] } },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CARD_TEMPLATE_NOT_APPROVED', 'CATEGORY_NOT_ALLOWED', 'INSUFFICIENT_BALANCE'],
    }),
  },
};
