/**
 * The backfill-rate report in one SQL statement over `verification_attempts` (definitions in
 * backfill-report.ts). Always scoped to one account.
 *
 * Why the query looks the way it does (1,000,000 attempts grouped by country × route × day must
 * answer in under a second, bench/scenarios/backfill-report.bench.ts):
 * - One pass groups with a hash aggregate: the counts, plus the group's times to verify collected
 *   into an array (`array_agg`). Medians and p90s are then taken per group over that small array.
 *   The textbook `percentile_cont(...) within group` in the grouping query forces a sort of every
 *   row by the group keys, which measured 1.2–1.8 s on its own.
 * - The planner cannot estimate the number of days (an expression over a unique timestamp), so it
 *   expects a million groups and picks sort-based grouping; `enable_sort = off` (for this
 *   transaction only) makes it hash, which is right for any realistic group count. A plain Sort is
 *   still used where nothing else can do (the final ORDER BY of the groups).
 * - Per-group percentiles read the array through `select unnest(...)` (a ProjectSet) rather than
 *   `from unnest(...)` (a Function Scan that first copies into a tuplestore): ~40 % cheaper.
 * - `day` is a 24-hour `date_bin` when the zone's offset is fixed over the period, else
 *   `created_at::date` in the transaction's time zone (set to the report's `tz`); both are cheaper
 *   per row than `at time zone`.
 * - JIT compilation costs more than it saves on a query this size; work_mem is raised so the hash
 *   table and the arrays stay in memory (5,400 groups of ~125 values take ~25 MB).
 * - Times to verify are whole microseconds as float8 (`round(date_part(...) * 1e6)` is exact and
 *   cheaper than numeric `extract`), so percentile_cont's interpolation is reproducible bit for bit.
 */
import type { Db } from '../db/db-client.js';
import { AppError } from '../http/app-error.js';
import { fixedOffsetOver, startOfDay } from './backfill-report-params.js';
import { measuresOf, type BackfillDimension, type BackfillQuery, type BackfillReport, type BackfillRow } from './backfill-report.js';

/**
 * SQL per dimension. `day`: in a zone with one offset over the period (UTC, most of Asia, …) a
 * 24-hour bin from a local midnight ($4), which is plain arithmetic; otherwise the date in the
 * session time zone (set to the query's), which looks the zone up per row (~80 ms more per million).
 */
const dimensionSql = (d: BackfillDimension, fixedOffset: boolean): string =>
  d === 'sender' ? 'sender_id' : d !== 'day' ? d : fixedOffset ? `date_bin('1 day', created_at, $4::timestamptz)` : 'created_at::date';

const SENT = 'sent_at is not null';
const VERIFIED = 'sent_at is not null and verified_at is not null';
const PERCENTILES = 'percentile_cont(array[0.5, 0.9]) within group (order by x)';

interface ResultRow {
  is_total: boolean;
  attempts: number | null;
  sent: number | null;
  delivered: number | null;
  verified: number | null;
  ttv_us: [number | null, number | null] | null;
  [dimension: string]: unknown;
}

export function backfillReportSql(groupBy: readonly BackfillDimension[], fixedOffset = false): string {
  const keys = groupBy.map((d) => `${dimensionSql(d, fixedOffset)} as ${d}`);
  // Text dimensions sort in byte order (collate "C"): stable across server locales and PGlite.
  const order = groupBy.map((d) => (d === 'day' ? 'r.day' : `r.${d} collate "C"`));
  const outKeys = groupBy.map((d) => (d === 'day' ? 'g.day::date::text as day' : `g.${d}`));
  const nullKeys = groupBy.map((d) => `null::text as ${d}`);
  return `
    with g as materialized (
      select ${[...keys, ''].join(', ')}
             count(*) as attempts,
             count(sent_at) as sent,
             count(delivered_at) filter (where ${SENT}) as delivered,
             count(verified_at) filter (where ${SENT}) as verified,
             array_agg(round(date_part('epoch', verified_at - sent_at) * 1000000)) filter (where ${VERIFIED}) as ttv
        from verification_attempts
       where account_id = $1 and created_at >= $2 and created_at < $3
       ${groupBy.length ? `group by ${groupBy.map((_, i) => i + 1).join(', ')}` : 'having count(*) > 0'}
    )
    select * from (
      select false as is_total, ${[...outKeys, ''].join(', ')}
             attempts, sent, delivered, verified,
             (select ${PERCENTILES} from (select unnest(g.ttv) as x) u) as ttv_us
        from g
      union all
      select true, ${[...nullKeys, ''].join(', ')}
             (select sum(attempts) from g), (select sum(sent) from g), (select sum(delivered) from g), (select sum(verified) from g),
             (select ${PERCENTILES} from (select unnest(g.ttv) as x from g) u)
    ) r
    order by r.is_total${order.map((o) => `, ${o}`).join('')}`;
}

const invalidZone = (tz: string) => new AppError(400, 'INVALID_TIME_ZONE', `tz: unknown time zone "${tz.slice(0, 60)}"`, 'tz');

export class BackfillReportRepository {
  constructor(private readonly db: Db) {}

  async report(q: BackfillQuery): Promise<BackfillReport> {
    const params: unknown[] = [q.accountId, q.from, q.until];
    let binned = false;
    if (q.groupBy.includes('day')) {
      try {
        binned = fixedOffsetOver(q.from, q.until, q.timeZone);
        const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: q.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(q.from).split('-').map(Number);
        if (binned) params.push(startOfDay(y, m, d, q.timeZone));
      } catch {
        throw invalidZone(q.timeZone);
      }
    }
    const sql = backfillReportSql(q.groupBy, binned);
    const result = await this.db.transaction(async (tx) => {
      await tx.query(
        `select set_config('enable_sort', 'off', true), set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('timezone', $1, true)`,
        [q.timeZone],
      );
      return tx.query<ResultRow>(sql, params);
    }).catch((err: { code?: string; message?: string }) => {
      // Intl and the database may disagree on a rare zone name: still the caller's input.
      if (err?.code === '22023' && /time ?zone/i.test(err.message ?? '')) {
        throw invalidZone(q.timeZone);
      }
      throw err;
    });
    const rows: BackfillRow[] = [];
    let totals = measuresOf({ attempts: 0, sent: 0, delivered: 0, verified: 0 }, null);
    for (const r of result) {
      const counts = { attempts: Number(r.attempts ?? 0), sent: Number(r.sent ?? 0), delivered: Number(r.delivered ?? 0), verified: Number(r.verified ?? 0) };
      const measures = measuresOf(counts, r.ttv_us);
      if (r.is_total) totals = measures;
      else rows.push({ ...Object.fromEntries(q.groupBy.map((d) => [d, (r[d] as string | null) ?? null])), ...measures });
    }
    return { from: q.from.toISOString(), until: q.until.toISOString(), tz: q.timeZone, groupBy: [...q.groupBy], rows, totals };
  }
}
