/** The backfill-rate report (backfill-report.routes.ts; definitions in src/verify/backfill-report.ts). */
import { BACKFILL_DIMENSIONS } from '../../verify/backfill-report.js';
import { MAX_REPORT_DAYS } from '../../verify/backfill-report-params.js';
import { arr, int, nullable, obj, operation, ref, str, type Schema } from './operation.js';

const DEFINITIONS = `Codes sent, delivered and entered back ("backfilled") per country, channel, route, sender and day, for the calling account only.

**Definitions.** An attempt is one code sent on one channel (a verification's first send, a resend or a failover). It belongs to the period, and to the \`day\`, of its creation time (when the platform started sending it); the period is [from, until).
- \`attempts\`: attempts created in the period, including those that failed before leaving the platform.
- \`sent\`: attempts that left the platform (submit accepted upstream).
- \`delivered\`: sent attempts with a delivery receipt.
- \`verified\`: sent attempts credited with the approval of their verification (the latest attempt sent before the successful check; at most one per verification).
- \`backfillRate\` = verified ÷ sent; \`deliveryRate\` = delivered ÷ sent (null when sent = 0). Unrounded.
- time to verify = approval time − send time of the credited attempt; \`medianTimeToVerifyMs\` and \`p90TimeToVerifyMs\` are percentile_cont(0.5) and (0.9) over the verified attempts (linear interpolation between the two closest ranks: position p·(n−1) in ascending order), computed in microseconds and rounded to the nearest millisecond; null when nothing was verified.

A period's figures settle once its verifications have expired: a code sent at 23:59 and entered at 00:01 counts as verified on the day it was sent.

**Rows** are the groups with at least one attempt, sorted by the \`groupBy\` dimensions in the order given (text in byte order, nulls last). A dimension that was not recorded (e.g. no sender) is null. \`totals\` covers the whole period. With \`Accept: text/csv\` the rows come as CSV (RFC 4180, CRLF, header row: the dimensions in request order, then the measures; null is an empty field).`;

const measureProps: Record<string, Schema> = {
  attempts: int({ minimum: 0, description: 'Attempts created in the period, sent or not.' }),
  sent: int({ minimum: 0, description: 'Attempts that left the platform.' }),
  delivered: int({ minimum: 0, description: 'Sent attempts with a delivery receipt.' }),
  verified: int({ minimum: 0, description: 'Sent attempts credited with an approval.' }),
  backfillRate: nullable({ type: 'number', minimum: 0, maximum: 1, description: 'verified ÷ sent.' }),
  deliveryRate: nullable({ type: 'number', minimum: 0, maximum: 1, description: 'delivered ÷ sent.' }),
  medianTimeToVerifyMs: nullable(int({ description: 'Median time from send to approval, ms.' })),
  p90TimeToVerifyMs: nullable(int({ description: '90th percentile time from send to approval, ms.' })),
};
const measureKeys = Object.keys(measureProps);

const rowExample = {
  country: 'VN', route: 'sim-direct', day: '2030-01-01',
  attempts: 1204, sent: 1198, delivered: 1101, verified: 951,
  backfillRate: 0.7938230383973289, deliveryRate: 0.9190317195325542, medianTimeToVerifyMs: 14250, p90TimeToVerifyMs: 41870,
};
const totalsExample = { attempts: 1204, sent: 1198, delivered: 1101, verified: 951, backfillRate: 0.7938230383973289, deliveryRate: 0.9190317195325542, medianTimeToVerifyMs: 14250, p90TimeToVerifyMs: 41870 };

export const backfillSchemas: Record<string, Schema> = {
  BackfillMeasures: obj(measureProps, measureKeys, { description: 'The measures of one group or of the whole period.' }),
  BackfillRow: {
    allOf: [ref('BackfillMeasures')],
    type: 'object',
    properties: {
      country: nullable(str({ description: 'ISO 3166 alpha-2 of the destination.' })),
      channel: nullable(str({ enum: ['sms', 'whatsapp'] })),
      route: nullable(str({ description: 'The upstream: the SMS channel id, or whatsapp.' })),
      sender: nullable(str({ description: 'The sender ID the code went out with.' })),
      day: str({ format: 'date', description: 'Calendar day of the attempt in `tz`.' }),
    },
    description: 'One group: the dimensions grouped by (only those), then the measures.',
    example: rowExample,
  },
  BackfillReport: obj(
    {
      from: str({ format: 'date-time', description: 'Start of the period (inclusive), resolved.' }),
      until: str({ format: 'date-time', description: 'End of the period (exclusive), resolved.' }),
      tz: str({ description: 'Time zone the days are cut in.' }),
      groupBy: arr(str({ enum: [...BACKFILL_DIMENSIONS] })),
      rows: arr(ref('BackfillRow')),
      totals: ref('BackfillMeasures'),
    },
    ['from', 'until', 'tz', 'groupBy', 'rows', 'totals'],
  ),
};

const required = (name: string, description: string, schema: Schema, example: string): Schema => ({ name, in: 'query', required: true, description, schema, example });
const optional = (name: string, description: string, schema: Schema, example: string): Schema => ({ name, in: 'query', required: false, description, schema, example });

const csvExample = 'country,route,day,attempts,sent,delivered,verified,backfillRate,deliveryRate,medianTimeToVerifyMs,p90TimeToVerifyMs\r\n'
  + 'VN,sim-direct,2030-01-01,1204,1198,1101,951,0.7938230383973289,0.9190317195325542,14250,41870\r\n';

function withCsv(op: Schema): Schema {
  const responses = op.responses as Record<string, { content: Record<string, unknown> }>;
  responses['200'].content['text/csv'] = {
    schema: { type: 'string', description: 'The rows as CSV (with `Accept: text/csv`).' },
    example: csvExample,
  };
  return op;
}

export const backfillPaths: Record<string, Record<string, Schema>> = {
  '/v1/reports/backfill': {
    get: withCsv(operation({
      id: 'getBackfillReport',
      tag: 'Reports',
      auth: 'account',
      summary: 'Backfill-rate report (OTP codes sent, delivered, entered back)',
      description: DEFINITIONS,
      parameters: [
        required('from', 'Start of the period, inclusive: `YYYY-MM-DD` (00:00 in `tz`) or a date-time with `Z` or an offset.', str(), '2030-01-01'),
        required('until', `End of the period, exclusive, same forms; at most ${MAX_REPORT_DAYS} days after \`from\`.`, str(), '2030-01-08'),
        optional('groupBy', `Comma-separated dimensions, any subset in any order: ${BACKFILL_DIMENSIONS.join(', ')}. Empty: one row for the whole period.`, str(), 'country,route,day'),
        optional('tz', 'IANA time zone for `day` and for bare dates in from/until. Default UTC.', str({ default: 'UTC' }), 'Asia/Shanghai'),
      ],
      ok: {
        status: 200,
        description: 'The report (JSON, or CSV with `Accept: text/csv`).',
        schema: ref('BackfillReport'),
        example: { from: '2030-01-01T00:00:00.000Z', until: '2030-01-08T00:00:00.000Z', tz: 'UTC', groupBy: ['country', 'route', 'day'], rows: [rowExample], totals: totalsExample },
        headers: { 'Content-Disposition': { description: 'With CSV: `attachment; filename=backfill-<from>-<until>.csv` (dates of from and until in UTC).', schema: str() } },
      },
      errors: ['INVALID_REPORT_PERIOD', 'INVALID_GROUP_BY', 'INVALID_TIME_ZONE'],
    })),
  },
};
