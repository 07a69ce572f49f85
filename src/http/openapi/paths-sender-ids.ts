/** Sender ID rules, registrations and their review (sender-ids.routes.ts). */
import { REGISTRATION_STATUSES } from '../../senders/sender-registration.repository.js';
import { int, operation, pathParam, queryParam, ref, str, type Schema } from './operation.js';

const registrationId = pathParam('id', 'Registration id (sid_…).', str(), 'sid_0m3x9k2p1abcdefghij');
const countryQuery = queryParam('country', 'Only this destination country (ISO alpha-2).', str({ pattern: '^[A-Za-z]{2}$' }), 'VN');
const statusQuery = queryParam('status', 'Only registrations in this status.', str({ enum: [...REGISTRATION_STATUSES] }), 'submitted');

const WORKFLOW = 'draft → submitted → approved | rejected. A rejected registration keeps its reason, is edited (PATCH) and submitted again. Every action is logged in `history` with who and when.';

export const senderIdPaths: Record<string, Record<string, Schema>> = {
  '/v1/sender-id-rules': {
    get: operation({
      id: 'listSenderIdRules',
      tag: 'Sender IDs',
      auth: 'account',
      summary: 'The sender ID rules of every supported country',
      description: 'Per destination country: sender types allowed, whether registration is required per category, lead time, fees, opt-out rules and the generic sender otp/notification fall back to. Indicative industry facts (data/sender-id-rules.json).',
      ok: { status: 200, description: 'Countries by code.', schema: ref('SenderIdRulesList') },
    }),
  },
  '/v1/sender-id-rules/{country}': {
    get: operation({
      id: 'getSenderIdRules',
      tag: 'Sender IDs',
      auth: 'account',
      summary: 'The sender ID rules of one country',
      parameters: [pathParam('country', 'ISO 3166 alpha-2 (any case).', str(), 'VN')],
      ok: { status: 200, description: 'The country\'s rules.', schema: ref('CountrySenderRules') },
      errors: ['NOT_FOUND'],
    }),
  },
  '/v1/sender-ids': {
    post: operation({
      id: 'createSenderId',
      tag: 'Sender IDs',
      auth: 'account',
      summary: 'Start a sender ID registration (draft)',
      description: `Checked against the country's rules: the country must be in the table and the sender's type allowed there. ${WORKFLOW}`,
      body: {
        schema: ref('CreateSenderIdRequest'),
        examples: {
          vietnam: {
            summary: 'A brand name for Vietnam',
            value: { country: 'VN', senderId: 'ACME', categories: ['otp', 'marketing'], useCase: 'Login codes and promotions for ACME shop customers', documents: [{ name: 'Business licence', url: 'https://acme.example/docs/licence.pdf' }] },
          },
        },
      },
      ok: { status: 201, description: 'The draft.', schema: ref('SenderIdRegistration') },
      errors: ['VALIDATION_FAILED', 'COUNTRY_NOT_SUPPORTED', 'SENDER_ID_TYPE_NOT_ALLOWED', 'SENDER_ID_EXISTS'],
    }),
    get: operation({
      id: 'listSenderIds',
      tag: 'Sender IDs',
      auth: 'account',
      summary: 'The account\'s sender ID registrations',
      parameters: [statusQuery, countryQuery],
      ok: { status: 200, description: 'Registrations, oldest first.', schema: ref('SenderIdRegistrationList') },
      errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/sender-ids/{id}': {
    get: operation({
      id: 'getSenderId',
      tag: 'Sender IDs',
      auth: 'account',
      summary: 'Read one registration with its history',
      parameters: [registrationId],
      ok: { status: 200, description: 'The registration.', schema: ref('SenderIdRegistration') },
      errors: ['NOT_FOUND'],
    }),
    patch: operation({
      id: 'updateSenderId',
      tag: 'Sender IDs',
      auth: 'account',
      summary: 'Edit a draft or rejected registration',
      description: 'Only the given fields change; a new country or sender is checked against the rules again.',
      parameters: [registrationId],
      body: { schema: ref('UpdateSenderIdRequest'), examples: { docs: { summary: 'Add a document', value: { documents: [{ name: 'Letter of authorisation', url: 'https://acme.example/docs/loa.pdf' }] } } } },
      ok: { status: 200, description: 'The registration.', schema: ref('SenderIdRegistration') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'COUNTRY_NOT_SUPPORTED', 'SENDER_ID_TYPE_NOT_ALLOWED', 'SENDER_ID_EXISTS', 'SENDER_ID_INVALID_TRANSITION'],
    }),
  },
  '/v1/sender-ids/{id}/submit': {
    post: operation({
      id: 'submitSenderId',
      tag: 'Sender IDs',
      auth: 'account',
      summary: 'Submit a registration for review',
      description: 'Needs a use case, and at least one document where the country requires registration for one of its categories. Quotes the fees and lead time of the rules table into the registration.',
      parameters: [registrationId],
      ok: { status: 200, description: 'The submitted registration.', schema: ref('SenderIdRegistration') },
      errors: ['NOT_FOUND', 'SENDER_ID_INCOMPLETE', 'COUNTRY_NOT_SUPPORTED', 'SENDER_ID_TYPE_NOT_ALLOWED', 'SENDER_ID_INVALID_TRANSITION'],
    }),
  },
  '/v1/admin/sender-ids': {
    get: operation({
      id: 'reviewSenderIds',
      tag: 'Admin: sender IDs',
      auth: 'admin',
      summary: 'The review queue: registrations of every account',
      description: 'Oldest submission first. Use status=submitted for the registrations waiting for a decision.',
      parameters: [
        statusQuery,
        queryParam('accountId', 'Only this account.', str({ minLength: 1 }), 'acc_V1StGXR8_Z5j'),
        countryQuery,
        queryParam('limit', 'Page size.', int({ minimum: 1, maximum: 1000, default: 100 }), 100),
      ],
      ok: { status: 200, description: 'Registrations.', schema: ref('SenderIdRegistrationList') },
      errors: ['VALIDATION_FAILED'],
    }),
  },
  '/v1/admin/sender-ids/{id}/approve': {
    post: operation({
      id: 'approveSenderId',
      tag: 'Admin: sender IDs',
      auth: 'admin',
      summary: 'Approve a submitted registration',
      description: 'From now on the account\'s messages to that country may use the sender for its categories (at once in this process, within 10 s in others).',
      parameters: [registrationId],
      body: { schema: ref('ApproveSenderIdRequest'), description: 'May be empty (`{}`).', examples: { named: { summary: 'Record who decided', value: { operator: 'alice' } } } },
      ok: { status: 200, description: 'The approved registration.', schema: ref('SenderIdRegistration') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SENDER_ID_INVALID_TRANSITION'],
    }),
  },
  '/v1/admin/sender-ids/{id}/reject': {
    post: operation({
      id: 'rejectSenderId',
      tag: 'Admin: sender IDs',
      auth: 'admin',
      summary: 'Reject a submitted registration with a reason',
      parameters: [registrationId],
      body: { schema: ref('RejectSenderIdRequest'), examples: { loa: { summary: 'Missing document', value: { reason: 'Letter of authorisation missing', operator: 'alice' } } } },
      ok: { status: 200, description: 'The rejected registration.', schema: ref('SenderIdRegistration') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'SENDER_ID_INVALID_TRANSITION'],
    }),
  },
};
