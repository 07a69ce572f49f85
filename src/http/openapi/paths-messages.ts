/** /v1/messages: send one, send a batch, read, list, cancel (messages.routes.ts). */
import type { ErrorCode } from './error-codes.js';
import { int, operation, pathParam, queryParam, ref, str, type Schema } from './operation.js';

const idempotencyHeader: Schema = { $ref: '#/components/parameters/IdempotencyKey' };
const replayedHeader: Record<string, Schema> = {
  'Idempotent-Replayed': { description: '`true` when this answer is the stored answer of an earlier request with the same Idempotency-Key.', schema: { type: 'string', const: 'true' } },
};
const messageId = pathParam('id', 'Message id (msg_…).', str(), 'msg_0lx2k3m4nq1w2e3r4t5');

/** Checks at accept time that fail the message (stored, reported) rather than the request. */
const CHECK_FAILURES: ErrorCode[] = [
  'SIGNATURE_MISSING', 'SIGNATURE_INVALID_LENGTH', 'SIGNATURE_NOT_REGISTERED', 'SIGNATURE_STRAY_BRACKETS', 'SIGNATURE_MISMATCH',
  'MARKETING_SUFFIX_MISSING', 'KEYWORD_BLOCKED', 'KEYWORD_GROUP_HIT', 'UNREGISTERED_LINK', 'UNREGISTERED_PHONE', 'OUTSIDE_SENDING_WINDOW',
  'BLACKLIST_HIGH', 'BLACKLIST_LOW', 'BLACKLIST_UNSUBSCRIBED', 'CAP_NUMBER_MINUTE', 'CAP_NUMBER_DAILY', 'CAP_CONTENT_MINUTE',
  'CAP_CONTENT_DAILY', 'CAP_HIGH_RISK_DAILY', 'OTP_ANTI_BOMBING',
];
const sendFailures = `A content or policy check that fails does not make the request fail: the message is stored as \`failed\` with one of these \`errorCode\`s, nothing is charged, and a status report follows: ${CHECK_FAILURES.map((c) => `\`${c}\``).join(', ')}.`;

export const messagePaths: Record<string, Record<string, Schema>> = {
  '/v1/messages': {
    post: operation({
      id: 'sendMessage',
      tag: 'Messages',
      auth: 'account',
      summary: 'Send one message',
      description: `Validates, prices, stores and queues one message. ${sendFailures}\n\nRetry safely with an Idempotency-Key: a retry replays the first answer and never sends twice.\n\n**Channel chains.** With \`channels\`, a \`card\`, \`mms\` or \`whatsapp\` content, or an account default chain for the category, the message goes down a chain (ChainSendRequest): each step renders the richest form its channel supports and the next takes over when the terminal can't show it, the channel refuses, or the step's condition isn't met in time. The answer is then a FallbackSend.`,
      parameters: [idempotencyHeader],
      body: {
        schema: { anyOf: [ref('SendMessageRequest'), ref('ChainSendRequest')] },
        examples: {
          otp: { summary: 'OTP, signature inside the text', value: { to: '13800138000', category: 'otp', text: '【示例科技】您的验证码是482913，5分钟内有效。', reference: 'login-42' } },
          marketing: { summary: 'Marketing with the signature field and the unsubscribe suffix', value: { to: '13800138001', category: 'marketing', signature: '示例科技', text: '会员日全场8折，详情见App。拒收请回复R' } },
          template: { summary: 'From an approved template', value: { to: '+8613800138002', category: 'otp', template: { id: 'tpl_0lx2k3m4nabcdefghij', variables: { code: '482913', minutes: 5 } } } },
          scheduled: { summary: 'Scheduled notification', value: { to: '13800138003', category: 'notification', text: '【示例科技】您预约的服务明天9点开始。', scheduledAt: '2030-01-01T09:00:00+08:00' } },
          chain: { summary: '5G first, text if not read within a minute', value: { to: '+8613800138006', category: 'notification', signature: '示例科技', text: 'Your parcel is at locker 12', channels: [{ channel: 'rcs', condition: 'read', timeoutSeconds: 60 }, 'sms'] } },
          card: { summary: 'A card down 5G → smart SMS → text', value: { to: '+8613800138004', category: 'marketing', signature: '示例科技', card: { templateId: 'ctp_0mx4cqgh9xhze6cfz6a', variables: { name: 'Li Lei' } }, channels: ['rcs', 'smart_sms', 'sms'] } },
        },
      },
      ok: {
        status: 202,
        description: 'Accepted and stored (check `status`: a failed content/policy check is still a 202).',
        schema: { anyOf: [ref('SendMessageResponse'), ref('FallbackSend')] },
        headers: replayedHeader,
        example: { id: 'msg_0lx2k3m4nq1w2e3r4t5', to: '+8613800138000', status: 'queued', parts: 1, encoding: 'ucs2', costMillis: 35, errorCode: null, errorMessage: null, scheduledAt: null },
      },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'TEXT_EMPTY', 'TEMPLATE_NOT_FOUND', 'TEMPLATE_NOT_APPROVED', 'TEMPLATE_CATEGORY_MISMATCH',
        'TEMPLATE_VARIABLE_MISSING', 'INVALID_IDEMPOTENCY_KEY', 'INSUFFICIENT_BALANCE', 'CATEGORY_NOT_ALLOWED', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED',
        'CHANNEL_NOT_AVAILABLE', 'CONDITION_NOT_SUPPORTED', 'CARD_TEMPLATE_NOT_APPROVED'],
    }),
    get: operation({
      id: 'listMessages',
      tag: 'Messages',
      auth: 'account',
      summary: 'List messages',
      description: 'Oldest first, filtered; page with `after` = the previous page\'s `nextCursor`.',
      parameters: [
        queryParam('batchId', 'Only this batch.', str(), 'bat_0lx2k3m4nq1w2e3r4t5'),
        queryParam('status', 'Only this status.', ref('MessageStatus'), 'delivered'),
        queryParam('to', 'Only this destination (any common form; compared as E.164).', str(), '13800138000'),
        queryParam('from', 'Created at or after (ISO 8601 with offset).', str({ format: 'date-time' }), '2030-01-01T00:00:00+08:00'),
        queryParam('until', 'Created before (ISO 8601 with offset).', str({ format: 'date-time' })),
        queryParam('limit', 'Page size.', int({ minimum: 1, maximum: 1000, default: 100 }), 100),
        queryParam('after', 'Cursor: the last message id of the previous page.', str()),
      ],
      ok: { status: 200, description: 'One page.', schema: ref('MessageList') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER'],
    }),
  },
  '/v1/messages/batch': {
    post: operation({
      id: 'sendBatch',
      tag: 'Messages',
      auth: 'account',
      summary: 'Send one text or template to many recipients',
      description: `One call, up to 100,000 recipients, one transaction: an invalid recipient is listed in \`rejected\` (with its index and field) and the rest go out; a recipient failed by a content or policy check is listed with its stored \`messageId\`. ${sendFailures}`,
      parameters: [idempotencyHeader],
      body: {
        schema: ref('SendBatchRequest'),
        examples: {
          text: { summary: 'Same text to every recipient', value: { category: 'notification', text: '【示例科技】系统将于今晚22:00维护。', recipients: [{ to: '13900000001' }, { to: '13900000002', reference: 'r2' }] } },
          template: { summary: 'Template with per-recipient variables', value: { category: 'otp', template: { id: 'tpl_0lx2k3m4nabcdefghij' }, recipients: [{ to: '13900000001', variables: { code: '111111', minutes: 5 } }] } },
        },
      },
      ok: {
        status: 202,
        description: 'Stored; see `rejected` for recipients that did not go out.',
        schema: ref('BatchResponse'),
        headers: replayedHeader,
        example: { batchId: 'bat_0lx2k3m4nq1w2e3r4t5', accepted: 98, rejectedCount: 2, costMillis: 3430, rejected: [{ index: 5, to: 'not-a-number', code: 'INVALID_NUMBER', field: 'recipients.5.to', message: 'invalid phone number "not-a-number": not a phone number' }, { index: 50, to: '+8613900000050', code: 'BLACKLIST_HIGH', message: 'Number is on blacklist group complainers_high (high)', messageId: 'msg_0lx2k3m4nq1w2e3r4t6' }] },
      },
      errors: ['VALIDATION_FAILED', 'TEMPLATE_NOT_FOUND', 'TEMPLATE_NOT_APPROVED', 'TEMPLATE_CATEGORY_MISMATCH', 'INVALID_IDEMPOTENCY_KEY',
        'INSUFFICIENT_BALANCE', 'CATEGORY_NOT_ALLOWED', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'],
    }),
  },
  '/v1/messages/{id}': {
    get: operation({
      id: 'getMessage',
      tag: 'Messages',
      auth: 'account',
      summary: 'Read one message with its attempts and parts',
      parameters: [messageId],
      ok: { status: 200, description: 'The message; a send with a channel chain answers a FallbackSend (each step: channel, rendering, times, status, why it moved on).', schema: { anyOf: [ref('MessageDetail'), ref('FallbackSend')] } },
      errors: ['NOT_FOUND'],
    }),
    delete: operation({
      id: 'cancelMessage',
      tag: 'Messages',
      auth: 'account',
      summary: 'Cancel a scheduled message',
      description: 'Only while `scheduled`; the charge is refunded at once.',
      parameters: [messageId],
      ok: { status: 200, description: 'Cancelled.', schema: ref('CancelResponse'), example: { id: 'msg_0lx2k3m4nq1w2e3r4t5', status: 'cancelled', refundedMillis: 35 } },
      errors: ['NOT_FOUND', 'NOT_CANCELLABLE'],
    }),
  },
};
