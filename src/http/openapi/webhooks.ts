/**
 * The callbacks the platform POSTs to a customer (src/receipts/callback-pusher.ts), signed as in
 * src/receipts/callback-signer.ts.
 */
import { moReportExample, statusReportExample } from './schemas-reports.js';
import { ref, str, type Schema } from './operation.js';

export const SIGNATURE_SCHEME_TEXT =
  '`X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the MAC is computed with the account\'s `callbackSecret` over the string `"<t>.<raw body>"` ' +
  '(the timestamp, a dot, then the request body byte for byte, not re-serialised JSON). Reject a request whose `t` is more than 300 s from your clock. ' +
  'During a secret rotation the header may carry several `v1=` entries; accept the request when any of them matches.';

const signatureHeader: Schema = {
  name: 'X-Signature',
  in: 'header',
  required: true,
  description: SIGNATURE_SCHEME_TEXT,
  schema: str({ pattern: '^t=\\d{1,12}(,v1=[0-9a-f]{64})+$' }),
  example: 't=1893459603,v1=089a74f79e31751dd008071c607f2fe84f5251536ddb2207212404449074dcf8',
};

function callback(id: string, summary: string, description: string, examples: Record<string, { summary: string; value: unknown }>): Schema {
  return {
    post: {
      operationId: id,
      tags: ['Callbacks'],
      summary,
      description:
        `${description}\n\nPOSTed as JSON to the message's \`callbackUrl\`, else the account's, at most \`callbackRatePerS\` reports per second, up to 100 reports per request. ` +
        'Delivery is at least once: dedupe by `reportId`. Any 2xx acknowledges the whole batch; anything else (or no answer within CALLBACK_TIMEOUT_MS, 5 s by default) is retried every 5 minutes for 24 hours. ' +
        `Redirects are not followed. ${SIGNATURE_SCHEME_TEXT}`,
      security: [],
      parameters: [signatureHeader, { name: 'User-Agent', in: 'header', required: false, schema: str({ example: 'sms-platform-callbacks/1' }) }],
      requestBody: { required: true, content: { 'application/json': { schema: ref('CallbackBatch'), examples } } },
      responses: {
        '200': { description: 'Any 2xx: the batch is acknowledged and will not be sent again.' },
        default: { description: 'Anything else: the whole batch is retried in 5 minutes.' },
      },
    },
  };
}

export const webhooks: Record<string, Schema> = {
  statusReport: callback(
    'onStatusReport',
    'Message status report',
    'The outcome of a message (or of each part of a long message): delivered, failed (with errorCode, including platform rejections and submit failures), unknown (no receipt within 72 h) or cancelled.',
    {
      delivered: { summary: 'Delivered', value: { reports: [statusReportExample] } },
      rejected: {
        summary: 'Failed by a platform check',
        value: { reports: [{ type: 'status', messageId: 'msg_0lx2k3m4nq1w2e3r4t6', reference: null, to: '+8613800138001', status: 'failed', errorCode: 'MARKETING_SUFFIX_MISSING', errorMessage: 'Marketing text must end with 拒收请回复R', at: '2030-01-01T01:00:00.000Z', reportId: 1044 }] },
      },
    },
  ),
  moReport: callback(
    'onMoReport',
    'Uplink (MO) reply',
    'A subscriber replied to a message sent from the account\'s extension. A reply of R (TD, T, 退订) also unsubscribes the number from the account\'s marketing. MO and status reports may arrive in the same request.',
    { unsubscribe: { summary: 'Reply R', value: { reports: [moReportExample] } } },
  ),
};
