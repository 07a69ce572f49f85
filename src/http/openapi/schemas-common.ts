/** Shared component schemas: the error shape and the enums several resources use. */
import { CATEGORIES, CHARGING_MODES } from '../../accounts/account.js';
import { CARRIERS } from '../../numbers/china-carrier.js';
import { ERROR_CODES, MESSAGE_ERROR_CODES } from './error-codes.js';
import { arr, int, obj, str, type Schema } from './operation.js';

const MESSAGE_STATUSES = ['scheduled', 'queued', 'submitted', 'delivered', 'failed', 'unknown', 'cancelled'];

export const commonSchemas: Record<string, Schema> = {
  ErrorResponse: {
    type: 'object',
    description: 'Every error answer has this shape. `code` is stable (see the error-code table); `message` says what was wrong and how to fix it.',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: Object.keys(ERROR_CODES).filter((c) => ERROR_CODES[c as keyof typeof ERROR_CODES].status !== null), example: 'VALIDATION_FAILED' },
          message: str({ example: 'to: Too small: expected string to have >=3 characters' }),
          field: str({ description: 'The offending input: a dotted body path (`recipients.5.to`), a query parameter or a header name.', example: 'to' }),
          details: {
            description: 'VALIDATION_FAILED: up to 20 problems.',
            type: 'array',
            items: obj({ field: str(), rule: str({ description: 'The zod issue code, e.g. too_small, invalid_type, custom.' }), message: str() }, ['field', 'rule', 'message']),
          },
        },
      },
    },
  },
  Category: {
    type: 'string',
    enum: [...CATEGORIES],
    description: 'otp > notification > marketing in queue priority. Marketing needs the 拒收请回复R suffix and honours the sending window.',
  },
  MessageStatus: {
    type: 'string',
    enum: MESSAGE_STATUSES,
    description: 'scheduled → queued → submitted → delivered | failed | unknown (no receipt within 72 h); cancelled only from scheduled.',
  },
  MessageErrorCode: {
    type: 'string',
    description: 'Why a message failed. Platform codes are listed here; the set may grow, so treat unknown values as a generic failure.',
    examples: [...MESSAGE_ERROR_CODES],
  },
  ChargingMode: {
    type: 'string',
    enum: [...CHARGING_MODES],
    description: 'submit: billed on submit; success: billed on submit success; receipt: billed on a delivered receipt; receipt_half_unknown / receipt_full_unknown: also 50% / 100% of no-receipt.',
  },
  Carrier: { type: 'string', enum: [...CARRIERS], description: 'cmcc China Mobile, cucc China Unicom, ctcc China Telecom.' },
  Added: obj({ added: int({ minimum: 0, description: 'Numbers added (after normalising to E.164).' }) }, ['added'], { example: { added: 2 } }),
  E164List: arr(str({ maxLength: 32 }), {
    minItems: 1,
    maxItems: 10000,
    description: 'Phone numbers in any common form (13800138000, +86 138 0013 8000, 008613800138000); stored as E.164.',
  }),
};
