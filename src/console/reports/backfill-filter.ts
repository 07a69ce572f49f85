/**
 * The backfill page's filter: a range of whole UTC days (both ends inclusive, as a person picks them
 * in a date field) and the group-by dimensions. Parsed from the query string of the page and of its
 * CSV link, so both always show the same report.
 */
import { BACKFILL_DIMENSIONS, type BackfillDimension, type BackfillQuery } from './backfill-report-source.js';

export interface BackfillFilter {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  until: string;
  groupBy: BackfillDimension[];
}

export interface FilterProblem {
  field: 'from' | 'until' | 'groupBy';
  message: string;
}

/** A year and a day: a year-on-year comparison fits, a runaway query over all history does not. */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 7;
export const DEFAULT_GROUP_BY: BackfillDimension[] = ['route'];

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const parseDay = (s: string) => (DATE.test(s) && dayOf(new Date(`${s}T00:00:00Z`)) === s ? new Date(`${s}T00:00:00Z`) : undefined);

function strings(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string');
}

/**
 * Reads `from`, `until` and `groupBy` (repeated, or comma-separated). The form always sends an empty
 * `groupBy` too, so "no box ticked" (totals only) differs from "no groupBy at all" (the default).
 */
export function parseBackfillFilter(query: Record<string, unknown>, today: Date): { filter: BackfillFilter; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  const single = (field: 'from' | 'until', fallback: string) => {
    const v = query[field];
    if (v === undefined || v === '') return fallback;
    if (typeof v !== 'string' || !parseDay(v)) {
      problems.push({ field, message: `${field} must be a date written YYYY-MM-DD` });
      return fallback;
    }
    return v;
  };
  const until = single('until', dayOf(today));
  const from = single('from', dayOf(new Date(parseDay(until)!.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS)));
  if (problems.length === 0) {
    const days = (parseDay(until)!.getTime() - parseDay(from)!.getTime()) / DAY_MS + 1;
    if (days < 1) problems.push({ field: 'until', message: 'until must be on or after from' });
    else if (days > MAX_RANGE_DAYS) problems.push({ field: 'until', message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  }

  const raw = strings(query.groupBy);
  let groupBy = DEFAULT_GROUP_BY;
  if (raw !== undefined) {
    const names = raw.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const unknown = names.filter((s) => !(BACKFILL_DIMENSIONS as readonly string[]).includes(s));
    if (unknown.length) problems.push({ field: 'groupBy', message: `groupBy accepts ${BACKFILL_DIMENSIONS.join(', ')}; not ${unknown.join(', ')}` });
    groupBy = BACKFILL_DIMENSIONS.filter((d) => names.includes(d));
  }
  return { filter: { from, until, groupBy }, problems };
}

/** The report query of a filter: [first day 00:00 UTC, day after the last 00:00 UTC). */
export function toBackfillQuery(filter: BackfillFilter, groupBy: BackfillDimension[] = filter.groupBy): BackfillQuery {
  return { from: parseDay(filter.from)!, until: new Date(parseDay(filter.until)!.getTime() + DAY_MS), groupBy };
}

/** Every day of the filter's range, in order (the chart's x axis). */
export function daysOf(filter: BackfillFilter): string[] {
  const out: string[] = [];
  for (let t = parseDay(filter.from)!.getTime(); t <= parseDay(filter.until)!.getTime(); t += DAY_MS) out.push(dayOf(new Date(t)));
  return out;
}

/** The filter as a query string (the CSV link, "current" links). */
export function filterQueryString(filter: BackfillFilter): string {
  const p = new URLSearchParams({ from: filter.from, until: filter.until });
  p.append('groupBy', filter.groupBy.join(','));
  return p.toString();
}
