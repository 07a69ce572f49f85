/** Component schemas of /v1/messages (mirrors src/http/routes/message-schemas.ts). */
import { MAX_BATCH_RECIPIENTS } from '../routes/message-schemas.js';
import { arr, int, nullable, obj, ref, str, strictObj, type Schema } from './operation.js';

const variables: Schema = {
  type: 'object',
  description: 'Values of the template\'s {{variables}}.',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
  example: { code: '482913', minutes: 5 },
};

const common: Record<string, Schema> = {
  category: ref('Category'),
  signature: str({ minLength: 2, maxLength: 8, description: 'Signature without brackets; prepended as 【signature】 when the text has none. Must be registered and approved.', example: '示例科技' }),
  scheduledAt: str({ format: 'date-time', description: 'ISO 8601 with an offset (Z or ±hh:mm). Later than now: the message waits as `scheduled` and can be cancelled.', example: '2030-01-01T09:00:00+08:00' }),
  callbackUrl: str({ format: 'uri', maxLength: 2048, pattern: '^https?://', description: 'Status reports for these messages go here instead of the account\'s callbackUrl.' }),
  senderId: str({
    minLength: 1,
    maxLength: 16,
    description: 'International messages only (domestic ones send from the access code + extension): a number (digits, optional +) or 1–11 letters, digits, space . - _ & with at least one letter. Checked per destination country against the sender ID rules and the account\'s approved registrations: where it cannot be used, otp and notification fall back to the generic sender and marketing fails with SENDER_TYPE_NOT_ALLOWED or SENDER_NOT_REGISTERED. Without it: the account\'s approved sender for the country, else the generic one.',
    example: 'ACME',
  }),
};

const oneOfTextOrTemplate = 'Give exactly one of `text` or `template` (VALIDATION_FAILED on field `text` otherwise).';

export const messageSchemas: Record<string, Schema> = {
  SendMessageRequest: strictObj(
    {
      ...common,
      to: str({ minLength: 3, maxLength: 32, description: 'Destination; national (13800138000), +E.164 or 00-prefixed.', example: '13800138000' }),
      text: str({ minLength: 1, maxLength: 1000, description: 'Full text. Domestic text starts with 【signature】 unless `signature` is given; everything counts toward segmentation.' }),
      template: strictObj({ id: str({ minLength: 1, example: 'tpl_0lx2k3m4nabcdefghij' }), variables: { ...variables, default: {} } }, ['id'], {
        description: 'An approved template of the same category and its variables.',
      }),
      reference: str({ maxLength: 64, description: 'Your own id; echoed in status reports.', example: 'order-1234' }),
    },
    ['category', 'to'],
    { description: oneOfTextOrTemplate },
  ),
  BatchRecipient: strictObj(
    {
      to: str({ minLength: 1, maxLength: 32, example: '13900000001' }),
      variables,
      reference: str({ maxLength: 64 }),
    },
    ['to'],
  ),
  SendBatchRequest: strictObj(
    {
      ...common,
      text: str({ minLength: 1, maxLength: 1000, description: 'The same text for every recipient.' }),
      template: strictObj({ id: str({ minLength: 1 }) }, ['id'], {
        description: 'Variables go on each recipient (recipients[].variables); no other keys here.',
      }),
      recipients: arr(ref('BatchRecipient'), { minItems: 1, maxItems: MAX_BATCH_RECIPIENTS }),
    },
    ['category', 'recipients'],
    { description: `${oneOfTextOrTemplate} Up to ${MAX_BATCH_RECIPIENTS.toLocaleString('en')} recipients per call.` },
  ),
  SendMessageResponse: obj(
    {
      id: str({ example: 'msg_0lx2k3m4nq1w2e3r4t5' }),
      to: str({ description: 'E.164.', example: '+8613800138000' }),
      status: ref('MessageStatus'),
      parts: int({ minimum: 0, description: 'Billed segments (0 when rejected by a content check).' }),
      encoding: str({ enum: ['gsm7', 'ucs2'] }),
      costMillis: int({ description: 'Charged, in milli-yuan (0.001 CNY).' }),
      errorCode: nullable(ref('MessageErrorCode')),
      errorMessage: nullable(str()),
      scheduledAt: nullable(str({ format: 'date-time' })),
    },
    ['id', 'to', 'status', 'parts', 'encoding', 'costMillis', 'errorCode', 'errorMessage', 'scheduledAt'],
    {
      description: 'A 202 means stored. A content or policy check may still have failed it: then `status` is `failed` with an `errorCode`, nothing is charged, and a status report follows.',
    },
  ),
  BatchRejection: obj(
    {
      index: int({ minimum: 0, description: 'Position in `recipients`.' }),
      to: str(),
      code: str({ description: 'INVALID_NUMBER, TEXT_EMPTY, TEMPLATE_VARIABLE_MISSING (not stored), or a message error code (stored as failed, see messageId).' }),
      field: str({ description: 'Input errors only, e.g. recipients.5.to.' }),
      message: str(),
      messageId: str({ description: 'Content/policy failures only: the stored failed message.' }),
    },
    ['index', 'to', 'code', 'message'],
  ),
  BatchResponse: obj(
    {
      batchId: nullable(str({ example: 'bat_0lx2k3m4nq1w2e3r4t5' })),
      accepted: int({ description: 'Messages stored and not failed.' }),
      rejectedCount: int({ description: 'Input errors plus messages failed by a check.' }),
      costMillis: int(),
      rejected: arr(ref('BatchRejection'), { description: 'Sorted by index.' }),
    },
    ['batchId', 'accepted', 'rejectedCount', 'costMillis', 'rejected'],
  ),
  Message: obj(
    {
      id: str(),
      batchId: nullable(str()),
      to: str(),
      category: ref('Category'),
      sender: nullable(str({ description: 'International sender ID chosen for it (see senderId); null: the channel\'s own source address (always for domestic messages).' })),
      status: ref('MessageStatus'),
      errorCode: nullable(ref('MessageErrorCode')),
      errorMessage: nullable(str()),
      text: str({ description: 'As sent: with the signature and any appended suffix.' }),
      encoding: str({ enum: ['gsm7', 'ucs2'] }),
      parts: int(),
      partsDelivered: int(),
      partsFailed: int(),
      costMillis: int(),
      refundedMillis: int(),
      reference: nullable(str()),
      scheduledAt: nullable(str({ format: 'date-time' })),
      createdAt: str({ format: 'date-time' }),
      submittedAt: nullable(str({ format: 'date-time' })),
      doneAt: nullable(str({ format: 'date-time' })),
      channelId: nullable(str()),
    },
    ['id', 'batchId', 'to', 'category', 'sender', 'status', 'errorCode', 'errorMessage', 'text', 'encoding', 'parts', 'partsDelivered', 'partsFailed',
      'costMillis', 'refundedMillis', 'reference', 'scheduledAt', 'createdAt', 'submittedAt', 'doneAt', 'channelId'],
  ),
  AttemptPart: obj(
    {
      attempt: int(),
      partNo: int(),
      channelId: str(),
      upstreamId: nullable(str({ description: 'The upstream\'s message id (SMPP message_id).' })),
      submitStatus: str({ enum: ['ok', 'error'] }),
      submitError: nullable(str({ description: 'e.g. "SMPP_REJECTED: submit_sm refused with ESME_RINVDSTADR (0x0b)".' })),
      providerCode: nullable(str({ description: 'The upstream\'s own code, raw.' })),
      dlrStat: nullable(str({ description: 'Receipt stat, raw (DELIVRD, UNDELIV…).' })),
      dlrErr: nullable(str()),
      submittedAt: str({ format: 'date-time' }),
      doneAt: nullable(str({ format: 'date-time' })),
    },
    ['attempt', 'partNo', 'channelId', 'upstreamId', 'submitStatus', 'submitError', 'providerCode', 'dlrStat', 'dlrErr', 'submittedAt', 'doneAt'],
  ),
  MessageDetail: {
    allOf: [ref('Message')],
    type: 'object',
    required: ['attempts'],
    properties: {
      attempts: arr(obj({ attempt: int(), channelId: str(), parts: arr(ref('AttemptPart')) }, ['attempt', 'channelId', 'parts']), {
        description: 'One entry per channel tried (a resend on another channel is a new attempt).',
      }),
    },
  },
  MessageList: obj(
    {
      data: arr(ref('Message'), { description: 'Oldest first.' }),
      nextCursor: nullable(str({ description: 'Pass as `after` for the next page; null when this page was not full.' })),
    },
    ['data', 'nextCursor'],
  ),
  CancelResponse: obj(
    { id: str(), status: { const: 'cancelled' }, refundedMillis: int() },
    ['id', 'status', 'refundedMillis'],
  ),
};
