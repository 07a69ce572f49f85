/**
 * Query parameters of GET /v1/reports/clicks → a {@link ClickReportQuery} (without the account),
 * or a 400 naming the field and the rule. The period and time zone follow the backfill report.
 */
import { AppError } from '../http/app-error.js';
import { parseDimensionList, parseReportPeriod, parseTimeZone } from '../verify/backfill-report-params.js';
import { CLICK_DIMENSIONS, type ClickDimension, type ClickReportQuery } from './click-report.js';

/** Campaign and card template ids: what POST /v1/links and the card API accept. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

function single(value: unknown, field: string, code: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new AppError(400, code, `${field} must be given once`, field);
  return value;
}

export function parseClickGroupBy(value: unknown): ClickDimension[] {
  return parseDimensionList(value, CLICK_DIMENSIONS);
}

function filter(value: unknown, field: 'campaign' | 'templateId'): string | undefined {
  const v = single(value, field, 'INVALID_REPORT_FILTER');
  if (v !== undefined && !ID_PATTERN.test(v)) {
    throw new AppError(400, 'INVALID_REPORT_FILTER', `${field} must be 1–64 letters, digits, ".", "_", ":" or "-"`, field);
  }
  return v;
}

/** Parses from, until, groupBy, tz, campaign and templateId; throws a 400 AppError naming the first bad field. */
export function parseClickReportParams(query: Record<string, unknown>): Omit<ClickReportQuery, 'accountId'> {
  const timeZone = parseTimeZone(query.tz);
  const { from, until } = parseReportPeriod(query, timeZone);
  const campaignId = filter(query.campaign, 'campaign');
  const templateId = filter(query.templateId, 'templateId');
  return {
    from, until, timeZone, groupBy: parseClickGroupBy(query.groupBy),
    ...(campaignId === undefined ? {} : { campaignId }),
    ...(templateId === undefined ? {} : { templateId }),
  };
}
