/** Component schemas of sender ID rules and registrations (sender-ids.routes.ts). */
import { OPT_OUT_METHODS } from '../../senders/sender-id-rules.js';
import { REGISTRATION_STATUSES } from '../../senders/sender-registration.repository.js';
import { SENDER_TYPES } from '../../senders/sender-type.js';
import { arr, bool, int, nullable, obj, ref, str, strictObj, type Schema } from './operation.js';

const usd = (what: string): Schema => nullable({ type: 'number', minimum: 0, description: `${what} in USD; null: none.` });
const country = str({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 alpha-2 destination country (any case; answers use capitals).', example: 'VN' });
const senderId = str({
  minLength: 1,
  maxLength: 16,
  description: 'A number (digits, optional +; up to 8 digits is a short code) or 1–11 letters, digits, space . - _ & with at least one letter.',
  example: 'ACME',
});
const categories = arr(ref('Category'), { minItems: 1, maxItems: 3, description: 'Categories the sender will carry (duplicates are dropped).' });
const useCase = str({ minLength: 1, maxLength: 2000, description: 'Who sends what to whom, and why the recipients expect it.', example: 'Login codes and order notices for ACME shop customers in Vietnam' });
const documents = arr(ref('SenderDocument'), { maxItems: 20, description: 'Company registration, letter of authorisation, … as links the operator can open.' });

const registrationRequired = obj(
  { otp: bool(), notification: bool(), marketing: bool() },
  ['otp', 'notification', 'marketing'],
  { description: 'Per category: whether a sender must be registered (approved) before traffic passes.' },
);

const registrationExample = {
  id: 'sid_0m3x9k2p1abcdefghij', accountId: 'acc_V1StGXR8_Z5j', country: 'VN', senderId: 'ACME', senderType: 'alphabetic',
  categories: ['otp', 'marketing'], status: 'submitted', useCase: 'Login codes and promotions for ACME shop customers',
  documents: [{ name: 'Business licence', url: 'https://acme.example/docs/licence.pdf' }], rejectionReason: null,
  fees: { oneOffUsd: 50, monthlyUsd: 20 }, leadTimeDays: 30,
  history: [
    { at: '2030-01-01T00:00:00.000Z', by: 'account:acc_V1StGXR8_Z5j', action: 'created', from: null, to: 'draft', reason: null },
    { at: '2030-01-01T00:05:00.000Z', by: 'account:acc_V1StGXR8_Z5j', action: 'submitted', from: 'draft', to: 'submitted', reason: null },
  ],
  createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:05:00.000Z', submittedAt: '2030-01-01T00:05:00.000Z', decidedAt: null,
};

export const senderIdSchemas: Record<string, Schema> = {
  SenderType: str({
    enum: [...SENDER_TYPES],
    description: 'numeric: a long number, TON/NPI 1/1; short_code: up to 8 digits, 3/0; alphabetic: letters only, 5/0; alphanumeric: letters and digits, 5/0. A country that allows alphanumeric also takes alphabetic senders.',
  }),
  CountrySenderRules: obj(
    {
      country: str({ description: 'ISO 3166 alpha-2.', example: 'VN' }),
      name: str({ example: 'Vietnam' }),
      senderTypes: arr(ref('SenderType'), { minItems: 1 }),
      registrationRequired,
      leadTimeDays: int({ minimum: 0, description: 'Typical days from submission to approval.' }),
      fees: obj({ oneOffUsd: usd('One-off registration fee'), monthlyUsd: usd('Monthly fee') }, ['oneOffUsd', 'monthlyUsd']),
      optOut: obj(
        {
          method: str({ enum: [...OPT_OUT_METHODS], description: 'keyword: reply STOP (etc.); opt_out_number: a free number in the message; operator_website; national_dnc: a national do-not-disturb list; none.' }),
          keywords: arr(str()),
          details: str(),
        },
        ['method', 'keywords'],
      ),
      genericSender: nullable(str({ description: 'Shared sender that otp and notification fall back to; null: the route channel\'s own source address.' })),
      note: str(),
    },
    ['country', 'name', 'senderTypes', 'registrationRequired', 'leadTimeDays', 'fees', 'optOut', 'genericSender', 'note'],
    { description: 'Indicative: commonly published industry facts; check with the upstream before relying on a figure.' },
  ),
  SenderIdRulesList: obj(
    { updated: str({ description: 'When the table was last reviewed.', example: '2025-01' }), indicative: bool({ const: true }), data: arr(ref('CountrySenderRules')) },
    ['updated', 'indicative', 'data'],
  ),
  SenderDocument: strictObj(
    { name: str({ minLength: 1, maxLength: 200, example: 'Business licence' }), url: str({ format: 'uri', maxLength: 2048, pattern: '^https?://', example: 'https://acme.example/docs/licence.pdf' }) },
    ['name', 'url'],
  ),
  SenderIdEvent: obj(
    {
      at: str({ format: 'date-time' }),
      by: str({ description: '`account:<id>` for the account\'s own actions, `operator` or `operator:<name>` for decisions.' }),
      action: str({ enum: ['created', 'edited', 'submitted', 'approved', 'rejected'] }),
      from: nullable(str({ enum: [...REGISTRATION_STATUSES] })),
      to: str({ enum: [...REGISTRATION_STATUSES] }),
      reason: nullable(str()),
    },
    ['at', 'by', 'action', 'from', 'to', 'reason'],
  ),
  SenderIdRegistration: obj(
    {
      id: str({ example: 'sid_0m3x9k2p1abcdefghij' }),
      accountId: str(),
      country: str({ example: 'VN' }),
      senderId: str({ example: 'ACME' }),
      senderType: ref('SenderType'),
      categories: arr(ref('Category')),
      status: str({ enum: [...REGISTRATION_STATUSES], description: 'draft → submitted → approved | rejected; a rejected one is edited and submitted again.' }),
      useCase: nullable(str()),
      documents: arr(ref('SenderDocument')),
      rejectionReason: nullable(str({ description: 'The operator\'s reason while rejected (kept while it is edited; cleared on resubmission).' })),
      fees: nullable(obj({ oneOffUsd: usd('One-off fee'), monthlyUsd: usd('Monthly fee') }, ['oneOffUsd', 'monthlyUsd'], { description: 'Quoted from the rules table at submission; null before.' })),
      leadTimeDays: nullable(int({ description: 'Quoted at submission.' })),
      history: arr(ref('SenderIdEvent'), { description: 'Every action, oldest first.' }),
      createdAt: str({ format: 'date-time' }),
      updatedAt: str({ format: 'date-time' }),
      submittedAt: nullable(str({ format: 'date-time' })),
      decidedAt: nullable(str({ format: 'date-time' })),
    },
    ['id', 'accountId', 'country', 'senderId', 'senderType', 'categories', 'status', 'useCase', 'documents', 'rejectionReason', 'fees',
      'leadTimeDays', 'history', 'createdAt', 'updatedAt', 'submittedAt', 'decidedAt'],
    { example: registrationExample },
  ),
  SenderIdRegistrationList: obj({ data: arr(ref('SenderIdRegistration')) }, ['data']),
  CreateSenderIdRequest: strictObj({ country, senderId, categories, useCase, documents }, ['country', 'senderId', 'categories']),
  UpdateSenderIdRequest: strictObj({ country, senderId, categories, useCase, documents }, [], { description: 'Any non-empty subset; only draft and rejected registrations can be edited.' }),
  ApproveSenderIdRequest: strictObj({ operator: str({ minLength: 1, maxLength: 100, description: 'Who decided (recorded in history).', example: 'alice' }) }),
  RejectSenderIdRequest: strictObj(
    { reason: str({ minLength: 1, maxLength: 1000, description: 'What the account must fix.', example: 'Letter of authorisation missing' }), operator: str({ minLength: 1, maxLength: 100 }) },
    ['reason'],
  ),
};
