/** SMPP credentials (smpp-credentials.routes.ts): operator routes and the account's read-only view. */
import { arr, bool, int, obj, operation, pathParam, ref, str, strictObj, type Schema } from './operation.js';

const accountId = pathParam('id', 'Account id (acc_…).', str(), 'acc_V1StGXR8_Z5j');
const systemId = pathParam('systemId', 'The SMPP system_id: 1–15 letters, digits, `_`, `.` or `-`; unique across accounts.', str({ pattern: '^[A-Za-z0-9_.-]{1,15}$' }), 'acme');

export const smppSchemas: Record<string, Schema> = {
  SmppCredentialsRequest: strictObj({
    password: str({ maxLength: 8, pattern: '^[\\x21-\\x7e]+$', description: 'At most 8 printable ASCII characters (SMPP 3.4). Omit it to have one generated and returned once.' }),
    maxBinds: int({ minimum: 1, maximum: 64, description: 'Binds this system_id may hold at once. Default 4.' }),
    submitsPerSecond: int({ minimum: 1, maximum: 100000, description: 'submit_sm per second shared by all binds of the account; above it: ESME_RTHROTTLED. Default 1000.' }),
    defaultCategory: ref('Category'),
    moViaSmpp: bool({ description: "MO replies go to this account's receiver binds instead of its callback URL. Default true." }),
  }),
  SmppCredentials: obj({
    systemId: str({ example: 'acme' }),
    accountId: str(),
    maxBinds: int(),
    submitsPerSecond: int(),
    defaultCategory: ref('Category'),
    moViaSmpp: bool(),
    createdAt: str({ format: 'date-time' }),
  }, ['systemId', 'accountId', 'maxBinds', 'submitsPerSecond', 'defaultCategory', 'moViaSmpp', 'createdAt']),
  SmppCredentialsResponse: obj({
    credentials: ref('SmppCredentials'),
    password: str({ description: 'Only when it was generated: shown this once, stored as a scrypt hash.' }),
  }, ['credentials']),
  SmppCredentialsList: obj({ data: arr(ref('SmppCredentials')) }, ['data']),
};

export const smppPaths: Record<string, Record<string, Schema>> = {
  '/v1/admin/accounts/{id}/smpp-credentials/{systemId}': {
    put: operation({
      id: 'putSmppCredentials',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Create or replace SMPP credentials of an account',
      description: 'Customers bind to the SMPP server (SMPP_SERVER_PORT, default 2776) with this system_id and password. The account\'s IP allowlist applies to binds too. `service_type` otp / notification / marketing on a submit_sm overrides `defaultCategory`.',
      parameters: [accountId, systemId],
      body: { schema: ref('SmppCredentialsRequest'), examples: { generated: { summary: 'Generate a password', value: { defaultCategory: 'otp', maxBinds: 2 } } } },
      ok: { status: 200, description: 'The credentials, and the password when it was generated.', schema: ref('SmppCredentialsResponse'), example: { credentials: { systemId: 'acme', accountId: 'acc_V1StGXR8_Z5j', maxBinds: 2, submitsPerSecond: 1000, defaultCategory: 'otp', moViaSmpp: true, createdAt: '2026-12-01T08:00:00.000Z' }, password: 'Xk7pQm2a' } },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SYSTEM_ID_TAKEN'],
    }),
    delete: operation({
      id: 'deleteSmppCredentials',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: 'Remove SMPP credentials (new binds are refused; open binds stay until they unbind)',
      parameters: [accountId, systemId],
      ok: { status: 204, description: 'Removed.' },
      errors: ['NOT_FOUND'],
    }),
  },
  '/v1/admin/accounts/{id}/smpp-credentials': {
    get: operation({
      id: 'listSmppCredentialsAdmin',
      tag: 'Admin: accounts',
      auth: 'admin',
      summary: "List an account's SMPP credentials (never passwords)",
      parameters: [accountId],
      ok: { status: 200, description: 'The credentials.', schema: ref('SmppCredentialsList') },
      errors: ['NOT_FOUND'],
    }),
  },
  '/v1/smpp-credentials': {
    get: operation({
      id: 'listSmppCredentials',
      tag: 'Account',
      auth: 'account',
      summary: 'The system ids this account may bind with over SMPP',
      ok: { status: 200, description: 'The credentials (never passwords).', schema: ref('SmppCredentialsList') },
      errors: [],
    }),
  },
};
