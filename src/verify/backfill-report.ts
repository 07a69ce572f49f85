/**
 * The backfill-rate report (DOMAIN.md §6): how many verification codes were sent, delivered and
 * entered back, sliced by country, channel, route, sender and day. Shapes, the measures computed
 * from raw counts, and the CSV rendering; the SQL is in backfill-report.repository.ts.
 *
 * Definitions (also in README "Backfill-rate reports" and the OpenAPI description):
 * - An attempt (one code sent on one channel) belongs to the period and the day of its
 *   `created_at`: when the platform started sending it. The window is [from, until).
 * - attempts: every attempt in the period, including those that failed at submit.
 * - sent: attempts with `sent_at` set (the code left the platform).
 * - delivered: sent attempts with `delivered_at` set (a delivery receipt said so).
 * - verified: sent attempts with `verified_at` set: the one attempt credited with the approval of
 *   its verification.
 * - backfillRate = verified ÷ sent, deliveryRate = delivered ÷ sent (null when sent = 0).
 * - time to verify = `verified_at − sent_at` of a verified attempt, in microseconds; median and p90
 *   are PostgreSQL's `percentile_cont` (linear interpolation between the closest ranks: position
 *   h = p·(n−1) in the ascending values, v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋])), reported in
 *   milliseconds rounded to the nearest whole ms, half up (null when nothing was verified).
 */

export const BACKFILL_DIMENSIONS = ['country', 'channel', 'route', 'sender', 'day'] as const;
export type BackfillDimension = (typeof BACKFILL_DIMENSIONS)[number];

/** What to report on; from/until are resolved instants, `timeZone` decides where days start. */
export interface BackfillQuery {
  accountId: string;
  from: Date;
  until: Date;
  /** Dimensions in output order; empty = one row over the whole period. */
  groupBy: BackfillDimension[];
  /** IANA zone the `day` dimension is cut in. */
  timeZone: string;
}

/** Raw counts of one group, as the database returns them. */
export interface BackfillCounts {
  attempts: number;
  sent: number;
  delivered: number;
  verified: number;
}

/** The measures of one row (and of the totals). */
export interface BackfillMeasures extends BackfillCounts {
  backfillRate: number | null;
  deliveryRate: number | null;
  medianTimeToVerifyMs: number | null;
  p90TimeToVerifyMs: number | null;
}

/** One group: its dimension values (only those grouped by; null = not recorded) and measures. */
export type BackfillRow = Partial<Record<BackfillDimension, string | null>> & BackfillMeasures;

export interface BackfillReport {
  from: string;
  until: string;
  tz: string;
  groupBy: BackfillDimension[];
  rows: BackfillRow[];
  totals: BackfillMeasures;
}

export const MEASURE_COLUMNS = [
  'attempts', 'sent', 'delivered', 'verified', 'backfillRate', 'deliveryRate', 'medianTimeToVerifyMs', 'p90TimeToVerifyMs',
] as const;

/** Microseconds (as percentile_cont returned them) → whole milliseconds, half up. */
export const usToMs = (us: number | null): number | null => (us === null ? null : Math.round(us / 1000));

/** Measures of a group from its counts and the [median, p90] of its times to verify in µs. */
export function measuresOf(c: BackfillCounts, ttvUs: readonly [number | null, number | null] | null): BackfillMeasures {
  return {
    attempts: c.attempts,
    sent: c.sent,
    delivered: c.delivered,
    verified: c.verified,
    backfillRate: c.sent > 0 ? c.verified / c.sent : null,
    deliveryRate: c.sent > 0 ? c.delivered / c.sent : null,
    medianTimeToVerifyMs: usToMs(ttvUs?.[0] ?? null),
    p90TimeToVerifyMs: usToMs(ttvUs?.[1] ?? null),
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The rows as CSV (RFC 4180: CRLF line ends, header row): the grouped dimensions in request order,
 * then the measures; null is an empty field. Totals are not a row (sum the rows, or read the JSON).
 */
export function toCsv(report: Pick<BackfillReport, 'groupBy' | 'rows'>): string {
  const columns = [...report.groupBy, ...MEASURE_COLUMNS];
  const lines = [columns.join(',')];
  for (const row of report.rows) lines.push(columns.map((c) => csvField(row[c as keyof BackfillRow])).join(','));
  return lines.join('\r\n') + '\r\n';
}
