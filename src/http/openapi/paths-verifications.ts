/** The verification (OTP) API (verifications.routes.ts). Request bodies come from the routes' zod schemas. */
import { checkVerificationSchema, resendVerificationSchema, startVerificationSchema } from '../routes/verifications.routes.js';
import { jsonSchema } from './schemas-whatsapp.js';
import { arr, int, nullable, obj, operation, pathParam, ref, str, type Schema } from './operation.js';

const id = pathParam('id', 'Verification id (ver_…).', str(), 'ver_0mx4a1b2c3d4e5f6g7h8');
const STATUSES = ['pending', 'approved', 'max_attempts_reached', 'expired', 'cancelled', 'failed'];
const time = nullable(str({ format: 'date-time' }));

export const verificationSchemas: Record<string, Schema> = {
  StartVerificationRequest: jsonSchema(startVerificationSchema),
  CheckVerificationRequest: jsonSchema(checkVerificationSchema),
  ResendVerificationRequest: jsonSchema(resendVerificationSchema),
  VerificationAttempt: obj({
    seq: int(), channel: str({ enum: ['sms', 'whatsapp'] }),
    status: str({ enum: ['pending', 'sent', 'delivered', 'read', 'failed'] }),
    reason: str({ description: '`initial`, `resend`, or `failover:<why>` (the previous attempt\'s error code, or `timeout`).' }),
    messageId: nullable(str({ description: 'The SMS (msg_…, see GET /v1/messages/{id}) or WhatsApp message (wam_…).' })),
    route: nullable(str({ description: 'Upstream channel id for SMS, `whatsapp` for WhatsApp.' })),
    connection: nullable(str()), senderId: nullable(str()), country: nullable(str()), errorCode: nullable(str()),
    createdAt: str({ format: 'date-time' }), sentAt: time, deliveredAt: time,
    verifiedAt: nullable(str({ format: 'date-time', description: 'Set on the one attempt credited with the approval.' })),
  }, ['seq', 'channel', 'status', 'reason']),
  Verification: obj({
    id: str(), to: str(), country: nullable(str()), status: str({ enum: STATUSES }),
    channels: arr(str({ enum: ['sms', 'whatsapp'] })), locale: nullable(str()), checks: int(), maxChecks: int(),
    expiresAt: str({ format: 'date-time' }), createdAt: str({ format: 'date-time' }), approvedAt: time,
    timeToVerifyMs: nullable(int({ description: 'Approval time minus the send time of the credited attempt.' })),
    attempts: arr(ref('VerificationAttempt')),
  }, ['id', 'to', 'status', 'channels', 'attempts']),
  VerificationCheckResult: obj({ id: str(), status: str({ enum: STATUSES }), checksLeft: int() }, ['id', 'status', 'checksLeft']),
  VerificationStatus: obj({ id: str(), status: str({ enum: STATUSES }) }, ['id', 'status']),
};

const START_DESCRIPTION =
  'Generates a code (CSPRNG, `codeLength` digits), stores only its HMAC with the TTL, and sends it on the first channel. ' +
  'When that attempt fails, or does not reach `failover.condition` (sent, delivered or read) within `failover.timeoutSeconds`, the same code goes out on the next channel, once. ' +
  'SMS text comes from `template` (an approved otp template with {{code}}) or from the locale\'s text (templates/verify); domestic numbers get the account\'s first approved signature. ' +
  'WhatsApp sends an authentication template with a copy-code button (the number must have opted in). ' +
  'Anti-bombing: per number 2/min, 3/3 min, 3/5 min (DOMAIN.md §4); per `clientIp` 10/min and 50/h; per account 60,000/min.';

export const verificationPaths: Record<string, Record<string, Schema>> = {
  '/v1/verifications': {
    post: operation({
      id: 'startVerification', tag: 'Verifications', auth: 'account',
      summary: 'Start a verification: send a one-time code on the first channel, failing over to the next',
      description: START_DESCRIPTION,
      body: {
        schema: ref('StartVerificationRequest'),
        examples: {
          sms: { summary: 'SMS only', value: { to: '+8613800138000', codeLength: 6, ttlSeconds: 300 } },
          whatsappFirst: { summary: 'WhatsApp, then SMS if not delivered within 30 s', value: { to: '+919876543210', channels: ['whatsapp', 'sms'], locale: 'en', failover: { condition: 'delivered', timeoutSeconds: 30 }, clientIp: '203.0.113.7' } },
        },
      },
      ok: { status: 201, description: 'Started; `attempts` shows the first send.', schema: ref('Verification') },
      errors: ['VALIDATION_FAILED', 'INVALID_NUMBER', 'CATEGORY_NOT_ALLOWED', 'TEMPLATE_NOT_FOUND', 'TEMPLATE_NOT_APPROVED', 'TEMPLATE_CATEGORY_MISMATCH', 'TEMPLATE_VARIABLE_MISSING',
        'VERIFY_NUMBER_RATE_LIMITED', 'VERIFY_IP_RATE_LIMITED', 'VERIFY_ACCOUNT_RATE_LIMITED'],
    }),
  },
  '/v1/verifications/{id}': {
    get: operation({
      id: 'getVerification', tag: 'Verifications', auth: 'account', summary: 'Read a verification and every attempt', parameters: [id],
      ok: { status: 200, description: 'The verification.', schema: ref('Verification') }, errors: ['NOT_FOUND'],
    }),
  },
  '/v1/verifications/{id}/check': {
    post: operation({
      id: 'checkVerification', tag: 'Verifications', auth: 'account', parameters: [id],
      summary: 'Check a code: approved, pending (wrong code, checks left), max_attempts_reached or expired',
      description: 'Compared in constant time against the stored HMAC. A verification that is no longer pending answers its status without counting the check.',
      body: { schema: ref('CheckVerificationRequest'), examples: { code: { summary: 'A code', value: { code: '482913' } } } },
      ok: { status: 200, description: 'The outcome.', schema: ref('VerificationCheckResult') }, errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
    }),
  },
  '/v1/verifications/{id}/resend': {
    post: operation({
      id: 'resendVerification', tag: 'Verifications', auth: 'account', parameters: [id],
      summary: 'Send the same code again (on the channel in use, or the one named)',
      body: { schema: ref('ResendVerificationRequest'), examples: { same: { summary: 'Same channel', value: {} }, sms: { summary: 'By SMS', value: { channel: 'sms' } } } },
      ok: { status: 200, description: 'The verification with the new attempt.', schema: ref('Verification') },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'VERIFICATION_NOT_PENDING', 'VERIFICATION_MAX_SENDS', 'VERIFY_NUMBER_RATE_LIMITED', 'VERIFY_IP_RATE_LIMITED', 'VERIFY_ACCOUNT_RATE_LIMITED'],
    }),
  },
  '/v1/verifications/{id}/cancel': {
    post: operation({
      id: 'cancelVerification', tag: 'Verifications', auth: 'account', parameters: [id], summary: 'Cancel a pending verification (its code stops working)',
      ok: { status: 200, description: 'The new status.', schema: ref('VerificationStatus') }, errors: ['NOT_FOUND'],
    }),
  },
};
