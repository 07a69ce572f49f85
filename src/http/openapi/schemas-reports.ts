/**
 * Report payloads, the same whether pushed (webhooks) or pulled (GET /v1/reports): see
 * src/receipts/status-report.ts, report.repository.ts (toWireReport, MoReportPayload).
 */
import { arr, bool, int, nullable, obj, ref, str, type Schema } from './operation.js';

const reportId = int({ minimum: 1, description: 'Unique per report: dedupe by it (delivery is at least once) and ack it when pulling.', example: 1042 });

export const statusReportExample = {
  type: 'status',
  messageId: 'msg_0lx2k3m4nq1w2e3r4t5',
  reference: 'order-1234',
  to: '+8613800138000',
  status: 'delivered',
  errorCode: null,
  errorMessage: null,
  part: { no: 1, of: 1 },
  upstream: { channelId: 'simulator', stat: 'DELIVRD', err: '000' },
  at: '2030-01-01T01:00:03.120Z',
  reportId: 1042,
};

export const moReportExample = {
  type: 'mo',
  id: 'mo_x1Y2z3A4b5C6d7E8',
  from: '13800138000',
  to: '10690001',
  text: 'R',
  receivedAt: '2030-01-01T01:05:00.000Z',
  unsubscribed: true,
  reportId: 1043,
};

export const reportSchemas: Record<string, Schema> = {
  StatusReport: obj(
    {
      type: { const: 'status' },
      messageId: str(),
      reference: nullable(str({ description: 'Your `reference` from the send request.' })),
      to: str({ description: 'E.164.' }),
      status: str({ enum: ['delivered', 'failed', 'unknown', 'cancelled'], description: '`unknown`: no receipt within 72 h (final).' }),
      errorCode: nullable(ref('MessageErrorCode')),
      errorMessage: nullable(str()),
      part: obj({ no: int({ minimum: 1 }), of: int({ minimum: 1 }) }, ['no', 'of'], { description: 'Per-part reports of a long message (absent with reportPerMessage).' }),
      upstream: obj(
        { channelId: str(), stat: nullable(str({ description: 'Raw receipt stat, e.g. DELIVRD, UNDELIV.' })), err: nullable(str({ description: 'Raw receipt err field.' })) },
        ['channelId', 'stat', 'err'],
        { description: 'The upstream receipt as it came, when there was one.' },
      ),
      at: str({ format: 'date-time' }),
      reportId,
    },
    ['type', 'messageId', 'reference', 'to', 'status', 'errorCode', 'errorMessage', 'at', 'reportId'],
    { description: 'The outcome of one message (or one part). Platform rejections, submit failures and carrier receipts share this shape.', example: statusReportExample },
  ),
  MoReport: obj(
    {
      type: { const: 'mo' },
      id: str(),
      from: str({ description: 'The subscriber, as the gateway sent it.' }),
      to: str({ description: 'Access code + your extension.' }),
      text: str(),
      receivedAt: str({ format: 'date-time' }),
      unsubscribed: bool({ description: 'The reply was R (or TD/T/退订): the number is now on your unsubscribe list and marketing to it fails with BLACKLIST_UNSUBSCRIBED.' }),
      channel: str({ enum: ['whatsapp', 'rcs'], description: 'Absent for SMS. `whatsapp`: a user wrote to the WhatsApp business number; `from` is E.164 and `to` the business number. It opened the 24 h window. `rcs`: a user wrote to your 5G chatbot (or tapped a suggestion) and no keyword rule answered; `to` is the chatbot address.' }),
      chatbotId: str({ description: 'rcs: the chatbot written to.' }),
      postback: str({ description: 'rcs: the postback data of the suggestion tapped (`text` is its label).' }),
      reportId,
    },
    ['type', 'id', 'from', 'to', 'text', 'receivedAt', 'unsubscribed', 'reportId'],
    { description: 'An uplink (MO) reply routed to the account by its extension.', example: moReportExample },
  ),
  Report: {
    oneOf: [ref('StatusReport'), ref('MoReport')],
    discriminator: { propertyName: 'type', mapping: { status: '#/components/schemas/StatusReport', mo: '#/components/schemas/MoReport' } },
  },
  ReportPage: obj(
    {
      reports: arr(ref('Report'), { description: 'Pending (not yet acked) reports after the cursor, oldest first.' }),
      next: int({ minimum: 0, description: 'Cursor for the next read: the last reportId of this page (or `after` when empty).' }),
      hasMore: bool(),
    },
    ['reports', 'next', 'hasMore'],
  ),
  AckRequest: {
    type: 'object',
    required: ['ids'],
    properties: {
      ids: arr({ oneOf: [int({ minimum: 1 }), str({ pattern: '^\\d{1,15}$' })] }, { minItems: 1, maxItems: 1000, description: 'reportIds you have stored.', example: [1042, 1043] }),
    },
  },
  AckResponse: obj({ acked: int({ description: 'Reports that were pending and are now acked; repeats and other accounts\' ids count 0.' }) }, ['acked']),
  CallbackBatch: obj(
    { reports: arr(ref('Report'), { minItems: 1, maxItems: 100, description: 'Up to 100 reports of one account per request.' }) },
    ['reports'],
    { example: { reports: [statusReportExample, moReportExample] } },
  ),
};
