/**
 * The SQL of the click report, from one of two stores that give the same numbers:
 * - `click_daily` (the aggregator's rollups: pv, exact uv, bots per account/campaign/card
 *   template and UTC day) answers campaign × day questions over any number of clicks by reading
 *   one row per campaign and day (10,000,000 clicks over 30 days and 100 campaigns: 3,000 rows);
 * - `clicks` answers everything else (hours, links, buttons, devices, other time zones, totals
 *   over several days) with count(distinct identity): fast for one campaign, slower for a whole
 *   account's months (it reads every click of the period).
 * Always scoped to one account.
 */
import type { Db } from '../db/db-client.js';
import { AppError } from '../http/app-error.js';
import type { ClickCounts, ClickDimension, ClickReportQuery } from './click-report.js';

export type ClickCountRow = ClickCounts & Partial<Record<ClickDimension, string | null>>;

interface DbRow extends Record<string, unknown> {
  pv: number;
  uv: number;
  bots: number;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

function rawDimension(d: ClickDimension): string {
  switch (d) {
    case 'campaign': return 'campaign_id';
    case 'link': return 'code';
    case 'day': return `to_char((clicked_at at time zone $4), 'YYYY-MM-DD')`;
    case 'hour': return `to_char(date_trunc('hour', clicked_at at time zone $4), 'YYYY-MM-DD"T"HH24:00')`;
    default: return d;
  }
}

/** Text in byte order (the same on every server locale and PGlite), nulls last. */
const sorted = (sql: string, groupBy: readonly ClickDimension[]) =>
  groupBy.length ? `select * from (${sql}) r order by ${groupBy.map((d) => `r.${d} collate "C" nulls last`).join(', ')}` : sql;

function toRows(rows: DbRow[], groupBy: readonly ClickDimension[]): ClickCountRow[] {
  return rows.map((r) => ({
    ...Object.fromEntries(groupBy.map((d) => [d, (r[d] as string | null) ?? null])),
    pv: Number(r.pv), uv: Number(r.uv), bots: Number(r.bots),
  }));
}

export class ClickReportRepository {
  constructor(private readonly db: Db) {}

  /** From click_daily; only for queries {@link rollupAnswers} accepts. */
  async fromRollups(q: ClickReportQuery): Promise<ClickCountRow[]> {
    const params: unknown[] = [q.accountId, isoDate(q.from), isoDate(q.until)];
    let scope: string;
    if (q.groupBy.includes('campaign')) {
      if (q.campaignId !== undefined) params.push(`c:${q.campaignId}`), (scope = 'scope = $4');
      else scope = `scope like 'c:%'`;
    } else {
      params.push(q.campaignId !== undefined ? `c:${q.campaignId}` : q.templateId !== undefined ? `t:${q.templateId}` : '*');
      scope = 'scope = $4';
    }
    const columns = q.groupBy.map((d) => (d === 'campaign' ? `nullif(substr(scope, 3), '') as campaign` : `to_char(day, 'YYYY-MM-DD') as day`));
    const rows = await this.db.query<DbRow>(sorted(
      `select ${[...columns, ''].join(', ')} pv, uv, bots
         from click_daily
        where account_id = $1 and day >= $2::date and day < $3::date and ${scope}`,
      q.groupBy,
    ), params);
    return toRows(rows, q.groupBy);
  }

  /** Counted over the raw clicks of the period. */
  async fromClicks(q: ClickReportQuery): Promise<ClickCountRow[]> {
    const params: unknown[] = [q.accountId, q.from, q.until, q.timeZone, q.groupBy.includes('button') ? 'button' : 'open'];
    const filters: string[] = [];
    if (q.campaignId !== undefined) params.push(q.campaignId), filters.push(`campaign_id = $${params.length}`);
    if (q.templateId !== undefined) params.push(q.templateId), filters.push(`template_id = $${params.length}`);
    const keys = q.groupBy.map((d) => `${rawDimension(d)} as ${d}`);
    // $4 (the zone) is referenced even when no dimension needs it: PostgreSQL must type every parameter.
    const sql = sorted(`
      select ${[...keys, ''].join(', ')}
             count(*) filter (where not bot) as pv,
             count(distinct identity) filter (where not bot) as uv,
             count(*) filter (where bot) as bots
        from clicks
       where account_id = $1 and clicked_at >= $2 and clicked_at < $3 and kind = $5 ${filters.map((f) => `and ${f}`).join(' ')}
         and $4::text is not null
       ${q.groupBy.length ? `group by ${q.groupBy.map((_, i) => i + 1).join(', ')}` : 'having count(*) > 0'}`, q.groupBy);
    const rows = await this.db.query<DbRow>(sql, params).catch((err: { code?: string; message?: string }) => {
      // Intl and the database may disagree on a rare zone name: still the caller's input.
      if (err?.code === '22023' && /time ?zone/i.test(err.message ?? '')) {
        throw new AppError(400, 'INVALID_TIME_ZONE', `tz: unknown time zone "${q.timeZone.slice(0, 60)}"`, 'tz');
      }
      throw err;
    });
    return toRows(rows, q.groupBy);
  }
}
