/**
 * The OpenAPI 3.1 document of the HTTP API, assembled from one file per resource. Served at
 * /openapi.json and rendered at /docs (docs.routes.ts); test/api/openapi.test.ts checks that it
 * lists exactly the routes the routers register.
 */
import { accountPaths } from './paths-account.js';
import { backfillPaths, backfillSchemas } from './paths-backfill.js';
import { adminAccountPaths } from './paths-admin-accounts.js';
import { adminRoutingPaths } from './paths-admin-routing.js';
import { messagePaths } from './paths-messages.js';
import { smppPaths, smppSchemas } from './paths-smpp.js';
import { verificationPaths, verificationSchemas } from './paths-verifications.js';
import { reportPaths, systemPaths } from './paths-reports.js';
import { senderIdPaths } from './paths-sender-ids.js';
import { cardPaths } from './paths-cards.js';
import { cardCampaignPaths, cardCampaignSchemas } from './paths-card-campaigns.js';
import { cardSchemas } from './schemas-cards.js';
import { LINKS_TAG_DESCRIPTION, linkPaths, linkSchemas } from './paths-links.js';
import { accountSchemas } from './schemas-account.js';
import { adminSchemas } from './schemas-admin.js';
import { commonSchemas } from './schemas-common.js';
import { messageSchemas } from './schemas-messages.js';
import { fallbackAdminPaths, fallbackSchemas } from './schemas-fallback.js';
import { reportSchemas } from './schemas-reports.js';
import { senderIdSchemas } from './schemas-sender-ids.js';
import { whatsAppPaths } from './paths-whatsapp.js';
import { whatsAppSchemas } from './schemas-whatsapp.js';
import { webhooks } from './webhooks.js';
import { rcsPaths } from './paths-rcs.js';
import { rcsSchemas } from './schemas-rcs.js';
import { mmsPaths, mmsSchemas } from './paths-mms.js';
import { fallbackReportPaths, fallbackReportSchemas } from './paths-fallback-report.js';
import type { Schema } from './operation.js';

export { ERROR_CODES, MESSAGE_ERROR_CODES, UPSTREAM_CODES, type ErrorCode } from './error-codes.js';

const DESCRIPTION = `Enterprise SMS platform: send OTP, notification and marketing text messages over SMPP upstreams, follow their status, and receive delivery and MO reports (pushed, signed, or pulled).

**Authentication.** Customer routes (/v1/…) take the account's API key as \`Authorization: Bearer sk_…\`; operator routes (/v1/admin/…) take the ADMIN_KEY the same way.

**Errors.** Every error is \`{"error": {"code", "message", "field"?, "details"?}}\` with a stable \`code\`; each operation lists the codes it may return. A message that a content or policy check refuses is *not* an HTTP error: it is stored as \`failed\` with an \`errorCode\` and reported.

**Money** is in milli-yuan (1 = 0.001 CNY), so 3.5 fen per part is 35.

**Retries.** POST /v1/messages and /v1/messages/batch accept an \`Idempotency-Key\`: a retry with the same key and body replays the first answer and never sends twice.`;

function mergePaths(...groups: Record<string, Record<string, Schema>>[]): Record<string, Record<string, Schema>> {
  const out: Record<string, Record<string, Schema>> = {};
  for (const group of groups) {
    for (const [path, ops] of Object.entries(group)) {
      for (const method of Object.keys(ops)) {
        if (out[path]?.[method]) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is defined twice`);
      }
      out[path] = { ...out[path], ...ops };
    }
  }
  return out;
}

/** A fresh copy of the document (plain JSON: safe to serialise or mutate). */
export function openApiDocument(): Record<string, unknown> {
  const doc = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'SMS platform API',
      version: '1.0.0',
      description: DESCRIPTION,
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [
      { name: 'Messages', description: 'Send, read, list and cancel messages.' },
      { name: 'Verifications', description: 'One-time codes over SMS and WhatsApp with failover; backfill-rate data.' },
      { name: 'WhatsApp', description: 'WhatsApp messages with SMS failover, opt-ins, and Meta\'s webhook.' },
      { name: 'Links', description: LINKS_TAG_DESCRIPTION },
      { name: 'Reports', description: 'Pull delivery and MO reports (push is described under webhooks); the backfill-rate report of verification codes; the fallback report of channel chains.' },
      { name: 'Account', description: 'The calling account: signatures, templates, own do-not-send list.' },
      { name: 'Admin: accounts', description: 'Operator: accounts, keys, balance, reviews.' },
      { name: 'Admin: routing', description: 'Operator: SMPP channels and per-account pools.' },
      { name: 'Admin: lists', description: 'Operator: blacklists, whitelists, number portability.' },
      { name: 'Sender IDs', description: 'International sender IDs: the country rules table and the account\'s registrations.' },
      { name: 'Admin: sender IDs', description: 'Operator: review and decide sender ID registrations.' },
      { name: 'Cards', description: 'Card templates (smart SMS, H5 page, plain text from one card), their review and images.' },
      { name: 'Admin: cards', description: 'Operator: review and decide card templates.' },
      { name: '5G messages', description: '5G messages (RCS chatbots over the carrier MaaP): chatbots, menus, keyword auto-replies, sends, capabilities, the MaaP\'s notifications.' },
      { name: 'Admin: 5G', description: 'Operator: review chatbots; the MaaP simulator lever.' },
      { name: 'MMS', description: 'Multimedia messages (MMS, video SMS): templates with media, review, sends fitted to carrier profiles, statuses.' },
      { name: 'Admin: MMS', description: 'Operator: review and decide MMS templates.' },
      { name: 'System', description: 'Health and documentation.' },
      { name: 'Callbacks', description: 'Requests the platform sends to you.' },
    ],
    paths: mergePaths(messagePaths, verificationPaths, whatsAppPaths, reportPaths, backfillPaths, accountPaths, adminAccountPaths, adminRoutingPaths, smppPaths, senderIdPaths, cardPaths, cardCampaignPaths, linkPaths, rcsPaths, mmsPaths, fallbackAdminPaths, fallbackReportPaths, systemPaths),
    webhooks,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'sk_…', description: "The account's API key (POST /v1/admin/accounts returns it once; rotate with POST /v1/admin/accounts/{id}/keys)." },
        adminKey: { type: 'http', scheme: 'bearer', description: 'The operator key: the ADMIN_KEY environment variable. Required on /v1/admin/*.' },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Any unique string, 1–255 characters (a UUID is fine). A retry with the same key and body replays the stored answer (header `Idempotent-Replayed: true`); the same key with another body is IDEMPOTENCY_KEY_REUSED.',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
          example: '4f1f2c2e-6a0b-4d8e-9a55-0f7f2b9b1c11',
        },
      },
      schemas: { ...commonSchemas, ...messageSchemas, ...accountSchemas, ...adminSchemas, ...reportSchemas, ...smppSchemas, ...senderIdSchemas, ...whatsAppSchemas, ...verificationSchemas, ...backfillSchemas, ...cardSchemas, ...cardCampaignSchemas, ...linkSchemas, ...rcsSchemas, ...mmsSchemas, ...fallbackSchemas, ...fallbackReportSchemas },
    },
  };
  return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
}
