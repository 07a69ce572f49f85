/**
 * Sending windows (DOMAIN.md §2): otp/notification go out around the clock; marketing only
 * inside a local-time window, narrower for high-risk marketing. Times are wall-clock times in
 * the account's timezone, computed with Intl so no timezone library is needed.
 */

/** Message categories as far as the sending window is concerned. */
export type WindowCategory = 'otp' | 'notification' | 'marketing' | 'international';

/** A daily window in local wall-clock time, `HH:MM` (24 h). `end` is exclusive; `24:00` allowed. */
export interface SendingWindow {
  start: string;
  end: string;
}

/** Default marketing window. Some accounts end at 21:00 instead (account setting). */
export const DEFAULT_MARKETING_WINDOW: SendingWindow = { start: '08:00', end: '22:00' };
/** Window for high-risk marketing (e.g. high-risk finance); also caps any account window. */
export const HIGH_RISK_MARKETING_WINDOW: SendingWindow = { start: '08:00', end: '18:00' };
/** Default account timezone. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Input of {@link evaluateWindow}. */
export interface WindowInput {
  category: WindowCategory;
  highRisk: boolean;
  now: Date;
  /** Account override of the marketing window (e.g. end `21:00`). */
  window?: SendingWindow;
  /** Account setting for messages outside the window. */
  outside: 'reject' | 'hold';
  /** IANA timezone of the account; default {@link DEFAULT_TIME_ZONE}. */
  timeZone?: string;
}

/** Decision of {@link evaluateWindow}. */
export type WindowDecision =
  | { action: 'send' }
  | { action: 'reject'; code: 'OUTSIDE_SENDING_WINDOW'; message: string }
  | { action: 'hold'; until: Date };

/** Wall-clock fields of an instant in some timezone. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_SECONDS = 86_400;
const TIME_PATTERN = /^(\d{2}):(\d{2})$/;
// Constructing a DateTimeFormat costs far more than formatting with one; cache per timezone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Wall-clock date and time of `date` in `timeZone`.
 * @throws RangeError for an unknown timezone
 */
export function localDateTime(date: Date, timeZone: string): LocalDateTime {
  const out: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(date)) {
    if (part.type in out) out[part.type as keyof LocalDateTime] = Number(part.value);
  }
  return out;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time.
 * Iterates on the zone offset so DST transitions resolve to the nearest valid instant.
 */
export function zonedTimeToUtc(local: LocalDateTime, timeZone: string): Date {
  const wallAsUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  let guess = wallAsUtc;
  for (let i = 0; i < 2; i++) {
    const seen = localDateTime(new Date(guess), timeZone);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    guess += wallAsUtc - seenAsUtc;
  }
  return new Date(guess);
}

function secondsOfDay(time: string, field: string): number {
  const match = TIME_PATTERN.exec(time);
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new RangeError(`sending window ${field} must be HH:MM between 00:00 and 24:00, got "${time}"`);
  }
  return hours * 3600 + minutes * 60;
}

/**
 * The window that applies to a marketing message: the account window (or the default), and for
 * high-risk content its intersection with 08:00–18:00 so an account override can never widen
 * the high-risk limit.
 */
export function effectiveMarketingWindow(highRisk: boolean, accountWindow?: SendingWindow): SendingWindow {
  const base = accountWindow ?? DEFAULT_MARKETING_WINDOW;
  if (!highRisk) return base;
  const cap = HIGH_RISK_MARKETING_WINDOW;
  const start = secondsOfDay(base.start, 'start') >= secondsOfDay(cap.start, 'start') ? base.start : cap.start;
  const end = secondsOfDay(base.end, 'end') <= secondsOfDay(cap.end, 'end') ? base.end : cap.end;
  return { start, end };
}

/**
 * Decides whether a message may be sent now, must be rejected, or held until the window opens.
 *
 * Only marketing has a window; otp, notification and international always send. A window with
 * `start > end` wraps past midnight; `start === end` means the whole day. When holding, `until`
 * is the next window start in local time (today if the window has not opened yet, else tomorrow).
 *
 * @throws RangeError for a malformed window or unknown timezone (configuration errors)
 */
export function evaluateWindow(input: WindowInput): WindowDecision {
  if (input.category !== 'marketing') return { action: 'send' };

  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const window = effectiveMarketingWindow(input.highRisk, input.window);
  const start = secondsOfDay(window.start, 'start');
  const end = secondsOfDay(window.end, 'end');
  if (start === end || (start === 0 && end === DAY_SECONDS)) return { action: 'send' };

  const local = localDateTime(input.now, timeZone);
  const now = local.hour * 3600 + local.minute * 60 + local.second;
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (inside) return { action: 'send' };

  if (input.outside === 'reject') {
    return {
      action: 'reject',
      code: 'OUTSIDE_SENDING_WINDOW',
      message: `${input.highRisk ? 'high-risk ' : ''}marketing may only be sent between ${window.start} and ${window.end} (${timeZone})`,
    };
  }

  // Outside the window we are either before today's start or after today's end; only the
  // former opens today. (With a wrapping window the outside part lies before the start.)
  const opensToday = now < start;
  // Noon UTC of the local date is safe from DST shifts when stepping to the next calendar day.
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day + (opensToday ? 0 : 1), 12));
  const until = zonedTimeToUtc({
    year: day.getUTCFullYear(),
    month: day.getUTCMonth() + 1,
    day: day.getUTCDate(),
    hour: Math.floor(start / 3600),
    minute: Math.floor((start % 3600) / 60),
    second: 0,
  }, timeZone);
  return { action: 'hold', until };
}
