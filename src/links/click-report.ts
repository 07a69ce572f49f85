/**
 * The click report (GET /v1/reports/clicks): shapes, definitions, which store answers a query,
 * and the CSV rendering. SQL in click-report.repository.ts; the use case in click-reports.ts.
 *
 * Definitions (also in README "Short links and click tracking" and the OpenAPI description):
 * - An event is a page open (GET /s/:code) or a button tap on a card page; it belongs to the
 *   period, day and hour of its click time, and to the campaign of its link (whenever it came).
 * - pv: events by people (bots excluded). Without `button` in groupBy the events are page opens;
 *   with it, button taps (one row per button).
 * - uv: distinct identities among those events: the recipient for personalised links, else the
 *   visitor hash HMAC(IP, user agent, UTC day) (so one browser counts once per UTC day).
 * - bots: events flagged as bots (HEAD, previews, crawlers, tools), kept but not in pv/uv.
 * - delivered: delivered messages carrying the row's links: a personalised link's message
 *   (grouped by link), else the messages of the row's campaign (grouped by campaign), else of
 *   every campaign in the report's filter. Not limited to the period. null when unknown.
 * - clickRate = uv ÷ delivered; parseRate = parsed ÷ parseRequested (smart SMS, aggregate counts
 *   of the same campaigns; null without a parse report, and when grouped by link).
 */
import { csvField } from '../verify/backfill-report.js';

export const CLICK_DIMENSIONS = ['campaign', 'link', 'day', 'hour', 'button', 'device', 'os', 'browser'] as const;
export type ClickDimension = (typeof CLICK_DIMENSIONS)[number];

export interface ClickReportQuery {
  accountId: string;
  from: Date;
  until: Date;
  /** Dimensions in output order; empty = one row for the whole period. */
  groupBy: ClickDimension[];
  /** IANA zone of `day` and `hour`. */
  timeZone: string;
  campaignId?: string;
  /** Card template id: only clicks on card links of this template. */
  templateId?: string;
}

export interface ClickCounts {
  pv: number;
  uv: number;
  bots: number;
}

export interface ClickMeasures extends ClickCounts {
  delivered: number | null;
  clickRate: number | null;
  parseRequested: number | null;
  parsed: number | null;
  parseRate: number | null;
}

export type ClickRow = Partial<Record<ClickDimension, string | null>> & ClickMeasures;

export interface ClickReport {
  from: string;
  until: string;
  tz: string;
  groupBy: ClickDimension[];
  campaign: string | null;
  templateId: string | null;
  /** `rollup`: read from the daily rollups; `clicks`: counted over the raw clicks. Same numbers. */
  source: 'rollup' | 'clicks';
  rows: ClickRow[];
}

export const CLICK_MEASURE_COLUMNS = ['pv', 'uv', 'bots', 'delivered', 'clickRate', 'parseRequested', 'parsed', 'parseRate'] as const;

const DAY_MS = 86_400_000;
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu', 'Etc/Greenwich', 'Greenwich', 'Etc/GMT0', 'GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'GMT+0', 'GMT-0']);

/**
 * True when the daily rollups hold the answer: UTC days, whole days, at most the campaign and day
 * dimensions, and one scope (the account, a campaign or a card template). A UV over several days
 * is not the sum of daily UVs, so without `day` the period must be one day.
 */
export function rollupAnswers(q: Omit<ClickReportQuery, 'accountId'>): boolean {
  if (!UTC_ZONES.has(q.timeZone)) return false;
  if (q.from.getTime() % DAY_MS !== 0 || q.until.getTime() % DAY_MS !== 0) return false;
  if (!q.groupBy.every((d) => d === 'campaign' || d === 'day')) return false;
  if (!q.groupBy.includes('day') && q.until.getTime() - q.from.getTime() !== DAY_MS) return false;
  if (q.groupBy.includes('campaign')) return q.templateId === undefined;
  return !(q.campaignId !== undefined && q.templateId !== undefined);
}

/**
 * The rows as CSV (RFC 4180: CRLF line ends, header row): the grouped dimensions in request order,
 * then the measures; null is an empty field.
 */
export function clickReportCsv(report: Pick<ClickReport, 'groupBy' | 'rows'>): string {
  const columns = [...report.groupBy, ...CLICK_MEASURE_COLUMNS];
  const lines = [columns.join(',')];
  for (const row of report.rows) lines.push(columns.map((c) => csvField(row[c as keyof ClickRow])).join(','));
  return lines.join('\r\n') + '\r\n';
}
