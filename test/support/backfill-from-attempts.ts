/**
 * A plain SQL implementation of the console's BackfillReportSource over verification_attempts, for
 * the console tests: the console does not depend on the report repository of the API (built
 * separately), only on the interface. sent / delivered / verified count attempts with sent_at /
 * delivered_at / verified_at; time to verify is verified_at − sent_at; days and the range use
 * created_at in UTC.
 */
import type { Db } from '../../src/db/db-client.js';
import type { BackfillDimension, BackfillMetrics, BackfillReportSource, BackfillRow } from '../../src/console/reports/backfill-report-source.js';

const COLUMNS: Record<BackfillDimension, string> = {
  country: 'country',
  channel: 'channel',
  route: 'route',
  sender: 'sender_id',
  day: `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`,
};

const METRICS = `
  count(*) filter (where sent_at is not null)::int as sent,
  count(*) filter (where delivered_at is not null)::int as delivered,
  count(*) filter (where verified_at is not null)::int as verified,
  percentile_cont(0.5) within group (order by extract(epoch from verified_at - sent_at) * 1000) filter (where verified_at is not null) as median,
  percentile_cont(0.9) within group (order by extract(epoch from verified_at - sent_at) * 1000) filter (where verified_at is not null) as p90`;

type MetricRow = { sent: number; delivered: number; verified: number; median: number | null; p90: number | null };

const metrics = (r: MetricRow): BackfillMetrics => ({
  sent: r.sent,
  delivered: r.delivered,
  verified: r.verified,
  backfillRate: r.sent ? r.verified / r.sent : null,
  deliveryRate: r.sent ? r.delivered / r.sent : null,
  medianTimeToVerifyMs: r.median === null ? null : Math.round(Number(r.median)),
  p90TimeToVerifyMs: r.p90 === null ? null : Math.round(Number(r.p90)),
});

export function backfillFromAttempts(db: () => Db): BackfillReportSource {
  return {
    async report(accountId, { from, until, groupBy }) {
      const where = 'where account_id = $1 and created_at >= $2 and created_at < $3';
      const params = [accountId, from.toISOString(), until.toISOString()];
      const dims = groupBy.map((d) => `${COLUMNS[d]} as ${d}`);
      const rows = await db().query<MetricRow & Record<string, string | null>>(
        `select ${[...dims, METRICS].join(', ')} from verification_attempts ${where}` +
        (groupBy.length ? ` group by ${groupBy.map((_, i) => i + 1).join(', ')} order by ${groupBy.map((_, i) => i + 1).join(', ')}` : ''),
        params,
      );
      const [totals] = await db().query<MetricRow>(`select ${METRICS} from verification_attempts ${where}`, params);
      return {
        from: from.toISOString(),
        until: until.toISOString(),
        groupBy,
        rows: rows.map((r): BackfillRow => ({ ...Object.fromEntries(groupBy.map((d) => [d, r[d]])), ...metrics(r) })),
        totals: metrics(totals),
      };
    },
  };
}
