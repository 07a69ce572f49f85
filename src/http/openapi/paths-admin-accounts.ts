/** Operator routes for accounts and reviews (admin.routes.ts), behind the admin key. */
import { operation, pathParam, ref, str, type Schema } from './operation.js';

const accountId = pathParam('id', 'Account id (acc_…).', str(), 'acc_V1StGXR8_Z5j');

export const adminAccountPaths: Record<string, Record<string, Schema>> = {
  '/v1/admin/accounts': {
    post: operation({
      id: 'createAccount',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Create an account and its first API key',
      description: 'Unset fields take the defaults (all categories, prepaid, submit-billed, 35 milli-yuan per part, push reports at 200/s).',
      body: {
        schema: ref('CreateAccountRequest'),
        examples: {
          minimal: { summary: 'Name and extension', value: { name: 'Acme Retail', extension: '01' } },
          full: { summary: 'With callback and settings', value: { name: 'Acme Retail', extension: '01', callbackUrl: 'https://acme.example/sms/reports', categories: ['otp', 'notification', 'marketing'], chargingMode: 'receipt', settings: { outsideWindow: 'hold' } } },
        },
      },
      ok: { status: 201, description: 'The account and its API key (shown once).', schema: ref('CreateAccountResponse') },
      errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/admin/accounts/{id}': {
    get: operation({
      id: 'getAccountAdmin',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Read an account, including its callback secret',
      parameters: [accountId],
      ok: { status: 200, description: 'The account.', schema: ref('Account') },
      errors: ['NOT_FOUND'],
    }),
    patch: operation({
      id: 'updateAccount',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Change an account',
      description: 'Only the given fields change; `settings` is merged key by key into the current settings. Takes effect at once in this process.',
      parameters: [accountId],
      body: { schema: ref('UpdateAccountRequest'), examples: { pull: { summary: 'Switch to pull reports', value: { reportMode: 'pull' } } } },
      ok: { status: 200, description: 'The updated account.', schema: ref('Account') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
    }),
  },
  '/v1/admin/accounts/{id}/topup': {
    post: operation({
      id: 'topUpAccount',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Add to a prepaid balance',
      parameters: [accountId],
      body: { schema: ref('TopUpRequest'), examples: { thousand: { summary: '¥1,000', value: { amountMillis: 1000000, reason: 'bank transfer 2030-01-01' } } } },
      ok: { status: 200, description: 'The new balance.', schema: ref('TopUpResponse'), example: { balanceMillis: 1000000 } },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
    }),
  },
  '/v1/admin/accounts/{id}/keys': {
    post: operation({
      id: 'rotateApiKey',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Issue a new API key and revoke the previous ones',
      parameters: [accountId],
      ok: { status: 201, description: 'The new key (shown once).', schema: ref('ApiKeyResponse') },
      errors: ['NOT_FOUND'],
    }),
  },
  '/v1/admin/accounts/{id}/signatures/{name}': {
    put: operation({
      id: 'reviewSignature',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Approve or reject a signature',
      parameters: [accountId, pathParam('name', 'The signature, URL-encoded (示例科技 → %E7%A4%BA%E4%BE%8B%E7%A7%91%E6%8A%80).', str(), '示例科技')],
      body: { schema: ref('ReviewRequest'), examples: { approve: { summary: 'Approve', value: { status: 'approved' } } } },
      ok: { status: 200, description: 'The signature.', schema: ref('Signature') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
    }),
  },
  '/v1/admin/templates/{id}/review': {
    post: operation({
      id: 'reviewTemplate',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Approve or reject a template',
      parameters: [pathParam('id', 'Template id (tpl_…).', str(), 'tpl_0lx2k3m4nabcdefghij')],
      body: {
        schema: ref('ReviewRequest'),
        examples: {
          approve: { summary: 'Approve', value: { status: 'approved' } },
          reject: { summary: 'Reject (reason required)', value: { status: 'rejected', reason: 'Marketing content in an OTP template' } },
        },
      },
      ok: { status: 200, description: 'The template.', schema: ref('Template') },
      errors: ['VALIDATION_FAILED', 'REASON_REQUIRED', 'NOT_FOUND'],
    }),
  },
};
