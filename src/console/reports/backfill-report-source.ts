/**
 * What the console's backfill page needs from the backfill-rate report (issue 3), kept as a small
 * interface so the console does not depend on how the report is computed. The report repository
 * behind `GET /v1/reports/backfill` implements it; the console passes the same options the API takes
 * and renders the same shape the API returns.
 */

/** Dimensions a report can be grouped by, in the order the console shows them. */
export const BACKFILL_DIMENSIONS = ['country', 'channel', 'route', 'sender', 'day'] as const;
export type BackfillDimension = (typeof BACKFILL_DIMENSIONS)[number];

export interface BackfillQuery {
  /** Start of the range, inclusive. */
  from: Date;
  /** End of the range, exclusive. */
  until: Date;
  /** Empty: one row with the totals of the range. */
  groupBy: BackfillDimension[];
}

/** Counts and rates of one group (or of the whole range, for totals). */
export interface BackfillMetrics {
  sent: number;
  delivered: number;
  verified: number;
  /** verified ÷ sent, 0..1; null when nothing was sent. */
  backfillRate: number | null;
  /** delivered ÷ sent, 0..1; null when nothing was sent. */
  deliveryRate: number | null;
  medianTimeToVerifyMs: number | null;
  p90TimeToVerifyMs: number | null;
}

/**
 * One group: the dimensions named in groupBy are present (null when the attempt has no value for
 * it, e.g. no route yet); `day` is `YYYY-MM-DD` in UTC.
 */
export type BackfillRow = Partial<Record<BackfillDimension, string | null>> & BackfillMetrics;

/** The body of `GET /v1/reports/backfill`. */
export interface BackfillReport {
  from: string;
  until: string;
  groupBy: BackfillDimension[];
  rows: BackfillRow[];
  totals: BackfillMetrics;
}

/** Computes the backfill-rate report of one account (tenant-isolated: only that account's attempts). */
export interface BackfillReportSource {
  report(accountId: string, query: BackfillQuery): Promise<BackfillReport>;
}
