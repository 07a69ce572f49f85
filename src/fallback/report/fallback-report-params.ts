/**
 * Query parameters of GET /v1/reports/fallback → a {@link FallbackReportQuery} (without the
 * account), or a 400 naming the field and the rule. Period and time zone as in the backfill and
 * click reports.
 */
import { CATEGORIES } from '../../accounts/account.js';
import { AppError } from '../../http/app-error.js';
import { ID_PATTERN } from '../../links/click-report-params.js';
import { parseDimensionList, parseReportPeriod, parseTimeZone } from '../../verify/backfill-report-params.js';
import { DEFAULT_FALLBACK_GROUP_BY, FALLBACK_DIMENSIONS, type FallbackReportQuery } from './fallback-report.js';

function single(value: unknown, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new AppError(400, 'INVALID_REPORT_FILTER', `${field} must be given once`, field);
  return value;
}

/** Parses from, until, tz, groupBy (default `step`), campaign and category; throws a 400 AppError naming the first bad field. */
export function parseFallbackReportParams(query: Record<string, unknown>): Omit<FallbackReportQuery, 'accountId'> {
  const timeZone = parseTimeZone(query.tz);
  const { from, until } = parseReportPeriod(query, timeZone);
  const groupBy = parseDimensionList(query.groupBy, FALLBACK_DIMENSIONS);
  const campaignId = single(query.campaign, 'campaign');
  if (campaignId !== undefined && !ID_PATTERN.test(campaignId)) {
    throw new AppError(400, 'INVALID_REPORT_FILTER', 'campaign must be 1–64 letters, digits, ".", "_", ":" or "-"', 'campaign');
  }
  const category = single(query.category, 'category');
  if (category !== undefined && !(CATEGORIES as readonly string[]).includes(category)) {
    throw new AppError(400, 'INVALID_REPORT_FILTER', `category must be one of ${CATEGORIES.join(', ')}`, 'category');
  }
  return {
    from, until, timeZone,
    groupBy: groupBy.length ? groupBy : DEFAULT_FALLBACK_GROUP_BY,
    ...(campaignId === undefined ? {} : { campaignId }),
    ...(category === undefined ? {} : { category }),
  };
}
