/** The fallback report (fallback-report.routes.ts; definitions in src/fallback/report/fallback-report.ts). */
import { CATEGORIES } from '../../accounts/account.js';
import { CHANNEL_NAMES } from '../../fallback/fallback-channel.js';
import { FALLBACK_DIMENSIONS, MOVE_REASONS, TOP_REASON_CODES } from '../../fallback/report/fallback-report.js';
import { MAX_REPORT_DAYS } from '../../verify/backfill-report-params.js';
import { arr, int, nullable, obj, operation, queryParam, ref, str, type Schema } from './operation.js';

const DEFINITIONS = `How the account's sends with a channel chain (POST /v1/messages or /v1/cards/send with \`channels\`) went, per step position and channel: how many steps were tried, delivered, succeeded, fell back to the next channel and why.

**Scope.** The sends created in [from, until) (optionally one \`campaign\`, one \`category\`); every step of such a send counts with it, however late the step ran. A send's \`day\` is its creation day in \`tz\`.

**Definitions** (per group of steps):
- \`attempted\`: steps that started (the engine claimed them; not the pending steps of chains that ended earlier, nor skipped ones).
- \`succeeded\`: steps whose condition was met (the send ended on them).
- \`delivered\`: attempted steps whose latest channel status is \`delivered\` or \`read\`; \`read\`: \`read\`. A step can be delivered and still fall back (condition \`read\`, timeout).
- \`fellBack\`: steps that gave up and handed over to the next step, with \`fellBackBy\` per reason: \`not_capable\` (the terminal can't show the channel), \`not_renderable\` (the content doesn't fit the channel), \`rejected\` (the channel refused it), \`failed\` (the channel reported failure), \`timeout\` (the condition was not met in time).
- \`failedLast\`: last steps that gave up (their send failed), with \`failedLastBy\` per reason.
- \`pending\`: attempted steps not decided yet (sending or waiting). attempted = succeeded + fellBack + failedLast + pending.
- \`topReasonCodes\`: the ${TOP_REASON_CODES} most frequent (reason, code) pairs of the steps that fell back or failed last (the channel's or platform's code, e.g. \`DELIVERY_IMPOSSIBLE\`, \`131026\`, \`DLR_FAILED\`, \`TIMEOUT\`); ties by code.

**Groups.** \`step\` (the default) groups by position and channel together (\`step\` 0 may be rcs in one chain, whatsapp in another); \`channel\` by channel whatever the position; \`day\` by the send's day. Rows are the groups with at least one step (started or not), by day, step, then channel (rcs, smart_sms, mms, whatsapp, sms).

**Totals** count sends: \`sends\`, \`running\`, \`succeeded\`, \`failed\` and \`succeededByChannel\` (the channel each succeeded send ended on); \`days\` has them per day when grouped by day. With \`Accept: text/csv\` the rows come as CSV (RFC 4180, CRLF, header row: the dimensions, then the measures, reasons as \`fellBackBy.<reason>\` and \`failedLastBy.<reason>\` columns, the top codes as \`reason/code=count\` separated by spaces); the send totals are JSON only.`;

const reasonCounts = obj(Object.fromEntries(MOVE_REASONS.map((r) => [r, int({ minimum: 0 })])), [...MOVE_REASONS]);
const channelCounts = obj(Object.fromEntries(CHANNEL_NAMES.map((c) => [c, int({ minimum: 0 })])), [...CHANNEL_NAMES]);
const sendTotalProps: Record<string, Schema> = {
  sends: int({ minimum: 0, description: 'Sends created in the period.' }),
  running: int({ minimum: 0, description: 'Still on a step.' }),
  succeeded: int({ minimum: 0 }),
  failed: int({ minimum: 0, description: 'The last step gave up.' }),
  succeededByChannel: { ...channelCounts, description: 'Succeeded sends by the channel they ended on.' },
};
const measureProps: Record<string, Schema> = {
  attempted: int({ minimum: 0, description: 'Steps that started.' }),
  succeeded: int({ minimum: 0, description: 'Steps whose condition was met.' }),
  delivered: int({ minimum: 0, description: 'Started steps with status delivered or read.' }),
  read: int({ minimum: 0, description: 'Started steps with status read.' }),
  fellBack: int({ minimum: 0, description: 'Steps that handed over to the next step.' }),
  fellBackBy: { ...reasonCounts, description: 'fellBack per reason.' },
  failedLast: int({ minimum: 0, description: 'Last steps that gave up (the send failed).' }),
  failedLastBy: { ...reasonCounts, description: 'failedLast per reason.' },
  pending: int({ minimum: 0, description: 'Started steps not decided yet.' }),
  topReasonCodes: arr(obj({ reason: str({ enum: [...MOVE_REASONS] }), code: str(), count: int({ minimum: 1 }) }, ['reason', 'code', 'count']), { maxItems: TOP_REASON_CODES }),
};

const zeros = { not_capable: 0, not_renderable: 0, rejected: 0, failed: 0, timeout: 0 };
const rowExample = {
  step: 0, channel: 'rcs', attempted: 10000, succeeded: 6120, delivered: 6240, read: 3100,
  fellBack: 3880, fellBackBy: { ...zeros, not_capable: 3500, rejected: 80, timeout: 300 }, failedLast: 0, failedLastBy: zeros, pending: 0,
  topReasonCodes: [{ reason: 'not_capable', code: 'DELIVERY_IMPOSSIBLE', count: 3500 }, { reason: 'timeout', code: 'TIMEOUT', count: 300 }, { reason: 'rejected', code: 'SVC0001', count: 80 }],
};
const totalsExample = { sends: 10000, running: 0, succeeded: 9910, failed: 90, succeededByChannel: { rcs: 6120, smart_sms: 2310, mms: 0, whatsapp: 0, sms: 1480 } };

export const fallbackReportSchemas: Record<string, Schema> = {
  FallbackSendTotals: obj(sendTotalProps, Object.keys(sendTotalProps)),
  FallbackReportRow: {
    type: 'object',
    properties: {
      day: str({ format: 'date', description: 'The sends\' creation day in `tz` (grouped by day).' }),
      step: int({ minimum: 0, description: 'Position in the chain, from 0 (grouped by step).' }),
      channel: str({ enum: [...CHANNEL_NAMES], description: 'Grouped by step or channel.' }),
      ...measureProps,
    },
    required: Object.keys(measureProps),
    description: 'One group of steps: the dimensions grouped by, then the measures.',
    example: rowExample,
  },
  FallbackReport: obj({
    from: str({ format: 'date-time' }), until: str({ format: 'date-time' }), tz: str(),
    groupBy: arr(str({ enum: [...FALLBACK_DIMENSIONS] })),
    campaign: nullable(str()), category: nullable(str({ enum: [...CATEGORIES] })),
    rows: arr(ref('FallbackReportRow')),
    totals: ref('FallbackSendTotals'),
    days: nullable(arr({ allOf: [ref('FallbackSendTotals')], type: 'object', properties: { day: str({ format: 'date' }) }, required: ['day'] }, { description: 'Send totals per day, when grouped by day.' })),
  }, ['from', 'until', 'tz', 'groupBy', 'campaign', 'category', 'rows', 'totals', 'days']),
};

const required = (name: string, description: string, example: string): Schema => ({ name, in: 'query', required: true, description, schema: str(), example });

export const fallbackReportPaths: Record<string, Record<string, Schema>> = {
  '/v1/reports/fallback': {
    get: operation({
      id: 'getFallbackReport',
      tag: 'Reports',
      auth: 'account',
      summary: 'Fallback report (per step and channel: delivered, fell back and why)',
      description: DEFINITIONS,
      parameters: [
        required('from', 'Start of the period, inclusive: `YYYY-MM-DD` (00:00 in `tz`) or a date-time with `Z` or an offset.', '2030-05-01'),
        required('until', `End of the period, exclusive, same forms; at most ${MAX_REPORT_DAYS} days after \`from\`.`, '2030-05-08'),
        queryParam('groupBy', `Comma-separated, any of ${FALLBACK_DIMENSIONS.join(', ')}. Default: step.`, str({ default: 'step' }), 'step'),
        queryParam('campaign', 'Only the sends of this card campaign.', str({ pattern: '^[A-Za-z0-9._:-]{1,64}$' }), 'cmp_8fK2'),
        queryParam('category', 'Only sends of this category.', str({ enum: [...CATEGORIES] }), 'marketing'),
        queryParam('tz', 'IANA time zone for `day` and bare dates. Default UTC.', str({ default: 'UTC' }), 'Asia/Shanghai'),
      ],
      ok: {
        status: 200,
        description: 'The report (JSON, or CSV with `Accept: text/csv`).',
        schema: ref('FallbackReport'),
        example: { from: '2030-05-01T00:00:00.000Z', until: '2030-05-08T00:00:00.000Z', tz: 'UTC', groupBy: ['step'], campaign: 'cmp_8fK2', category: null, rows: [rowExample], totals: totalsExample, days: null },
        headers: { 'Content-Disposition': { description: 'With CSV: `attachment; filename=fallback-<from>-<until>.csv`.', schema: str() } },
      },
      errors: ['INVALID_REPORT_PERIOD', 'INVALID_GROUP_BY', 'INVALID_TIME_ZONE', 'INVALID_REPORT_FILTER'],
    }),
  },
};

// CSV is the same operation with another Accept.
const ok = (fallbackReportPaths['/v1/reports/fallback'].get as { responses: Record<string, { content: Record<string, unknown> }> }).responses['200'];
ok.content['text/csv'] = {
  schema: { type: 'string', description: 'The step rows as CSV (with `Accept: text/csv`).' },
  example: 'step,channel,attempted,succeeded,delivered,read,fellBack,fellBackBy.not_capable,fellBackBy.not_renderable,fellBackBy.rejected,fellBackBy.failed,fellBackBy.timeout,'
    + 'failedLast,failedLastBy.not_capable,failedLastBy.not_renderable,failedLastBy.rejected,failedLastBy.failed,failedLastBy.timeout,pending,topReasonCodes\r\n'
    + '0,rcs,10000,6120,6240,3100,3880,3500,0,80,0,300,0,0,0,0,0,0,0,not_capable/DELIVERY_IMPOSSIBLE=3500 timeout/TIMEOUT=300 rejected/SVC0001=80\r\n',
};
