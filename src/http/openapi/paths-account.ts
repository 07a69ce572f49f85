/** Customer self-service: the account, signatures, templates, own blacklist (account.routes.ts). */
import { arr, obj, operation, pathParam, ref, str, type Schema } from './operation.js';

const list = (item: string): Schema => obj({ data: arr(ref(item)) }, ['data']);

export const accountPaths: Record<string, Record<string, Schema>> = {
  '/v1/account': {
    get: operation({
      id: 'getAccount',
      tag: 'Account',
      auth: 'account',
      summary: 'Read the calling account (balance, settings)',
      ok: { status: 200, description: 'The account.', schema: ref('AccountSelf') },
    }),
  },
  '/v1/signatures': {
    post: operation({
      id: 'registerSignature',
      tag: 'Account',
      auth: 'account',
      summary: 'Register a signature (【签名】)',
      description: 'Registers (or re-registers with a new extension) a signature. An operator reviews it with PUT /v1/admin/accounts/{id}/signatures/{name}; only approved signatures send.',
      body: { schema: ref('RegisterSignatureRequest'), examples: { plain: { summary: 'Signature with an extension', value: { name: '示例科技', extension: '01' } } } },
      ok: { status: 201, description: 'The signature.', schema: ref('Signature'), example: { name: '示例科技', extension: '01', status: 'pending', createdAt: '2030-01-01T00:00:00.000Z' } },
      errors: ['VALIDATION_FAILED'],
    }),
    get: operation({
      id: 'listSignatures',
      tag: 'Account',
      auth: 'account',
      summary: 'List the account\'s signatures',
      ok: { status: 200, description: 'Signatures, by name.', schema: list('Signature') },
    }),
  },
  '/v1/templates': {
    post: operation({
      id: 'createTemplate',
      tag: 'Account',
      auth: 'account',
      summary: 'Submit a template for review',
      description: 'Only plain {{variable}} substitutions are allowed. The template is `pending` until an operator approves it.',
      body: {
        schema: ref('CreateTemplateRequest'),
        examples: { otp: { summary: 'OTP template', value: { name: 'login code', category: 'otp', body: '【示例科技】您的验证码是{{code}}，{{minutes}}分钟内有效。' } } },
      },
      ok: { status: 201, description: 'The template, pending review.', schema: ref('Template') },
      errors: ['VALIDATION_FAILED', 'TEMPLATE_SYNTAX'],
    }),
    get: operation({
      id: 'listTemplates',
      tag: 'Account',
      auth: 'account',
      summary: 'List the account\'s templates',
      ok: { status: 200, description: 'Templates.', schema: list('Template') },
    }),
  },
  '/v1/templates/{id}': {
    get: operation({
      id: 'getTemplate',
      tag: 'Account',
      auth: 'account',
      summary: 'Read one template',
      parameters: [pathParam('id', 'Template id (tpl_…).', str(), 'tpl_0lx2k3m4nabcdefghij')],
      ok: { status: 200, description: 'The template.', schema: ref('Template') },
      errors: ['NOT_FOUND'],
    }),
  },
  '/v1/blacklist': {
    post: operation({
      id: 'addToAccountBlacklist',
      tag: 'Account',
      auth: 'account',
      summary: 'Add numbers to the account\'s own do-not-send list',
      description: 'The account\'s unsubscribe group: marketing to these numbers fails with BLACKLIST_UNSUBSCRIBED. All numbers must be valid or nothing is added.',
      body: { schema: ref('AccountBlacklistRequest'), examples: { two: { summary: 'Two numbers', value: { numbers: ['13800138000', '+8613900139000'] } } } },
      ok: { status: 201, description: 'Added.', schema: ref('Added') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER'],
    }),
  },
  '/v1/blacklist/{number}': {
    delete: operation({
      id: 'removeFromAccountBlacklist',
      tag: 'Account',
      auth: 'account',
      summary: 'Remove a number from the account\'s do-not-send list',
      parameters: [pathParam('number', 'The number in any common form; URL-encode a leading + as %2B.', str(), '13800138000')],
      ok: { status: 204, description: 'Removed (also when it was not listed).' },
      errors: ['INVALID_NUMBER'],
    }),
  },
};
