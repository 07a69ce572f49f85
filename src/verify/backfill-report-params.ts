/**
 * Query parameters of GET /v1/reports/backfill → a {@link BackfillQuery} (without the account),
 * or a 400 naming the field and the rule. Pure: the clock is not read here.
 */
import { AppError } from '../http/app-error.js';
import { BACKFILL_DIMENSIONS, type BackfillDimension, type BackfillQuery } from './backfill-report.js';

/** Longest period one report may cover: a year, leap day included. */
export const MAX_REPORT_DAYS = 366;
const DAY_MS = 86_400_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

const periodError = (field: 'from' | 'until', message: string) => new AppError(400, 'INVALID_REPORT_PERIOD', message, field);

function single(value: unknown, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new AppError(400, field === 'tz' ? 'INVALID_TIME_ZONE' : 'INVALID_REPORT_PERIOD', `${field} must be given once`, field);
  return value;
}

// Building a formatter costs ~50 µs; a year's day-by-day offset check would build hundreds.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC (ms) at an instant, from the Intl time zone database. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * True when the zone keeps one UTC offset over [from, until] (checked at every day boundary: a
 * daylight-saving change moves the offset for at least the rest of that day). Days then all last
 * 24 h and can be cut by plain arithmetic.
 */
export function fixedOffsetOver(from: Date, until: Date, timeZone: string): boolean {
  const first = offsetMs(from.getTime(), timeZone);
  for (let t = from.getTime() + DAY_MS; t < until.getTime() + DAY_MS; t += DAY_MS) {
    if (offsetMs(Math.min(t, until.getTime()), timeZone) !== first) return false;
  }
  return true;
}

/** 00:00 of a calendar day in a zone (DST-safe: the offset is re-read at the candidate instant). */
export function startOfDay(year: number, month: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  const guess = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(guess, timeZone));
}

const validCalendarDate = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

/** `YYYY-MM-DD` (00:00 in the report's zone) or an ISO 8601 date-time with `Z` or an offset. */
export function parseInstant(value: string, field: 'from' | 'until', timeZone: string): Date {
  const rule = `${field} must be a date (YYYY-MM-DD, midnight in tz) or a date-time with a zone (2030-01-01T08:00:00Z, 2030-01-01T08:00:00+08:00)`;
  const date = DATE.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validCalendarDate(y, m, d)) throw periodError(field, rule);
    return startOfDay(y, m, d, timeZone);
  }
  const dt = DATE_TIME.exec(value);
  if (!dt || !validCalendarDate(Number(dt[1]), Number(dt[2]), Number(dt[3])) || Number(dt[4]) > 23 || Number(dt[5]) > 59 || Number(dt[6] ?? 0) > 59) {
    throw periodError(field, rule);
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw periodError(field, rule);
  return new Date(t);
}

/**
 * A comma-separated (or repeated) list of report dimensions, each from `allowed`: order is kept,
 * repeats rejected. Shared by the backfill, click and fallback reports.
 */
export function parseDimensionList<D extends string>(value: unknown, allowed: readonly D[]): D[] {
  if (value === undefined) return [];
  const raw = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [String(v)]));
  const dims = raw.map((d) => d.trim()).filter((d) => d !== '');
  for (const d of dims) {
    if (!(allowed as readonly string[]).includes(d)) {
      throw new AppError(400, 'INVALID_GROUP_BY', `groupBy: unknown dimension "${d.slice(0, 40)}"; use any of ${allowed.join(', ')}, comma-separated`, 'groupBy');
    }
  }
  if (new Set(dims).size !== dims.length) throw new AppError(400, 'INVALID_GROUP_BY', 'groupBy: each dimension may appear once', 'groupBy');
  return dims as D[];
}

/** Accepts `groupBy=country,route` and `groupBy=country&groupBy=route`; order is kept, repeats rejected. */
export function parseGroupBy(value: unknown): BackfillDimension[] {
  return parseDimensionList(value, BACKFILL_DIMENSIONS);
}

export function parseTimeZone(value: unknown): string {
  const tz = single(value, 'tz');
  if (tz === undefined) return 'UTC';
  try {
    // The canonical name (e.g. asia/shanghai → Asia/Shanghai) is what the database is given.
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new AppError(400, 'INVALID_TIME_ZONE', `tz must be an IANA time zone such as UTC or Asia/Shanghai, not "${tz.slice(0, 60)}"`, 'tz');
  }
}

/**
 * A report's period [from, until) from `from` and `until` (both required, in order, at most
 * MAX_REPORT_DAYS apart); shared by the backfill and click reports.
 */
export function parseReportPeriod(query: Record<string, unknown>, timeZone: string): { from: Date; until: Date } {
  const fromRaw = single(query.from, 'from');
  const untilRaw = single(query.until, 'until');
  if (fromRaw === undefined) throw periodError('from', 'from is required: the start of the period (inclusive), e.g. 2030-01-01');
  if (untilRaw === undefined) throw periodError('until', 'until is required: the end of the period (exclusive), e.g. 2030-01-08');
  const from = parseInstant(fromRaw, 'from', timeZone);
  const until = parseInstant(untilRaw, 'until', timeZone);
  if (until.getTime() <= from.getTime()) throw periodError('until', 'until must be after from (the period is [from, until))');
  if (until.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS) {
    throw periodError('until', `until may be at most ${MAX_REPORT_DAYS} days after from; ask for several periods`);
  }
  return { from, until };
}

/** Parses from, until, groupBy and tz; throws a 400 AppError naming the first bad field. */
export function parseBackfillParams(query: Record<string, unknown>): Omit<BackfillQuery, 'accountId'> {
  const timeZone = parseTimeZone(query.tz);
  return { ...parseReportPeriod(query, timeZone), groupBy: parseGroupBy(query.groupBy), timeZone };
}
