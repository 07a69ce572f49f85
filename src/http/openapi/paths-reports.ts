/** Pull API for status and MO reports (reports.routes.ts) and the public system routes (app.ts, docs.routes.ts). */
import { ACK_MAX_IDS, PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT } from '../routes/reports.routes.js';
import { bool, int, obj, operation, queryParam, ref, type Schema } from './operation.js';
import { moReportExample, statusReportExample } from './schemas-reports.js';

export const reportPaths: Record<string, Record<string, Schema>> = {
  '/v1/reports': {
    get: operation({
      id: 'pullReports',
      tag: 'Reports',
      auth: 'account',
      summary: 'Read pending status and MO reports',
      description:
        'Pending reports of the account after the cursor, oldest first: pull-mode accounts read them here, and a push-mode account whose endpoint is down can drain here too. ' +
        'Store them, then ack their reportIds; unacked reports come back on the next read from an earlier cursor, so a crash between reading and storing loses nothing.',
      parameters: [
        queryParam('after', 'Cursor: return reports with reportId > after. Start at 0, then pass `next`.', int({ minimum: 0, default: 0 }), 0),
        queryParam('limit', 'Page size.', int({ minimum: 1, maximum: PULL_MAX_LIMIT, default: PULL_DEFAULT_LIMIT }), PULL_DEFAULT_LIMIT),
      ],
      ok: {
        status: 200,
        description: 'One page.',
        schema: ref('ReportPage'),
        example: { reports: [statusReportExample, moReportExample], next: 1043, hasMore: false },
      },
      errors: ['INVALID_CURSOR', 'INVALID_LIMIT'],
    }),
  },
  '/v1/reports/ack': {
    post: operation({
      id: 'ackReports',
      tag: 'Reports',
      auth: 'account',
      summary: 'Acknowledge stored reports',
      description: `Marks up to ${ACK_MAX_IDS} reports as pulled: they are never returned or pushed again. Acking twice is harmless.`,
      body: { schema: ref('AckRequest'), examples: { two: { summary: 'Two report ids', value: { ids: [1042, 1043] } } } },
      ok: { status: 200, description: 'How many were acked.', schema: ref('AckResponse'), example: { acked: 2 } },
      errors: ['INVALID_IDS'],
    }),
  },
};

export const systemPaths: Record<string, Record<string, Schema>> = {
  '/health': {
    get: operation({
      id: 'health',
      tag: 'System',
      auth: 'none',
      summary: 'Liveness probe',
      description: 'Answers while the HTTP server runs; it does not probe PostgreSQL or Redis.',
      ok: { status: 200, description: 'Up.', schema: obj({ ok: bool({ const: true }) }, ['ok']), example: { ok: true } },
    }),
  },
  '/openapi.json': {
    get: operation({
      id: 'getOpenApiDocument',
      tag: 'System',
      auth: 'none',
      summary: 'This OpenAPI 3.1 document',
      ok: { status: 200, description: 'The document.', schema: { type: 'object', required: ['openapi', 'info', 'paths'] } },
    }),
  },
  '/docs': {
    get: operation({
      id: 'getDocs',
      tag: 'System',
      auth: 'none',
      summary: 'Human-readable API reference (HTML, rendered from this document)',
      ok: { status: 200, description: 'An HTML page.', contentType: 'text/html', schema: { type: 'string' } },
    }),
  },
};
