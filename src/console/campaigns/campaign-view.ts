/**
 * What the campaign page shows, computed from the click report's rows: the period and its buckets
 * (hours while the campaign is young, then days; UTC like the rest of the console), the PV/UV series
 * with a zero for a bucket without clicks, the totals, and button ids turned into the template's
 * button texts. Pure, so it is unit-tested without a server.
 */
import type { ClickRow } from '../../links/click-report.js';
import type { LineSeries } from '../chart/line-chart.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Younger than this, the chart is by hour: most clicks come in the first hours after a send. */
export const HOURLY_UNTIL_AGE_MS = 2 * DAY_MS;
/** The click report's longest period. */
export const MAX_CHART_DAYS = 366;

export interface CampaignPeriod {
  granularity: 'hour' | 'day';
  from: Date;
  until: Date;
  /** Bucket labels as the click report writes them: `YYYY-MM-DDTHH:00` or `YYYY-MM-DD`. */
  buckets: string[];
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/** From the campaign's first bucket to the current one (at most {@link MAX_CHART_DAYS} days from its start). */
export function campaignPeriod(createdAt: Date, now: Date): CampaignPeriod {
  const hourly = now.getTime() - createdAt.getTime() < HOURLY_UNTIL_AGE_MS;
  const step = hourly ? HOUR_MS : DAY_MS;
  const from = floorTo(createdAt.getTime(), step);
  const until = Math.min(floorTo(Math.max(now.getTime(), createdAt.getTime()), step) + step, from + MAX_CHART_DAYS * DAY_MS);
  const buckets: string[] = [];
  for (let t = from; t < until; t += step) buckets.push(hourly ? `${new Date(t).toISOString().slice(0, 13)}:00` : new Date(t).toISOString().slice(0, 10));
  return { granularity: hourly ? 'hour' : 'day', from: new Date(from), until: new Date(until), buckets };
}

/** PV and UV per bucket (0 where no row: no clicks). */
export function pvUvSeries(period: CampaignPeriod, rows: readonly ClickRow[]): LineSeries[] {
  const byBucket = new Map(rows.map((r) => [r[period.granularity] ?? '', r]));
  return [
    { name: 'PV', values: period.buckets.map((b) => byBucket.get(b)?.pv ?? 0) },
    { name: 'UV', values: period.buckets.map((b) => byBucket.get(b)?.uv ?? 0) },
  ];
}

/** "2030-05-01T08:00" → "05-01 08:00"; "2030-05-01" → "05-01". */
export const bucketLabel = (b: string) => b.slice(5).replace('T', ' ');

/**
 * Top of a count axis: four equal steps of a whole "nice" number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k),
 * so every tick is a whole count; 4 when there is nothing to show.
 */
export function countAxisMax(max: number): number {
  const quarter = Math.max(1, max / 4);
  const p = 10 ** Math.floor(Math.log10(quarter));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const step = m * p;
    if (step >= quarter && Number.isInteger(step)) return 4 * step;
  }
  return 40 * p;
}

export const percent = (v: number | null) => (v === null ? null : `${(v * 100).toFixed(1)}%`);

export interface CampaignTotals {
  delivered: number | null;
  pv: number;
  uv: number;
  bots: number;
  clickRate: string | null;
  parseRequested: number | null;
  parsed: number | null;
  parseRate: string | null;
}

/**
 * The whole campaign. Clicks come from the report's one row (none: no clicks yet); delivered and
 * parse counts from the campaign itself, so they show before the first click too.
 */
export function campaignTotals(row: ClickRow | undefined, delivered: number | null, parse: { requested: number; parsed: number } | undefined): CampaignTotals {
  const uv = row?.uv ?? 0;
  return {
    delivered, pv: row?.pv ?? 0, uv, bots: row?.bots ?? 0,
    clickRate: percent(delivered ? uv / delivered : null),
    parseRequested: parse?.requested ?? null,
    parsed: parse?.parsed ?? null,
    parseRate: percent(parse && parse.requested > 0 ? parse.parsed / parse.requested : null),
  };
}

interface ButtonLike { text?: unknown }

/**
 * Button id (as the card page records it: `b0`, `s1`, `c2.b0`) → the template's button text, with
 * the place for ids of a carousel's cards and suggestions.
 */
export function buttonLabels(card: Record<string, unknown>): Map<string, string> {
  const labels = new Map<string, string>();
  const texts = (list: unknown) => (Array.isArray(list) ? (list as ButtonLike[]).map((b) => (typeof b?.text === 'string' ? b.text : '')) : []);
  texts(card.buttons).forEach((t, i) => labels.set(`b${i}`, t));
  texts(card.suggestions).forEach((t, i) => labels.set(`s${i}`, `${t} (suggestion)`));
  if (Array.isArray(card.cards)) {
    (card.cards as Record<string, unknown>[]).forEach((c, ci) => texts(c?.buttons).forEach((t, i) => labels.set(`c${ci}.b${i}`, `${t} (card ${ci + 1})`)));
  }
  return labels;
}

export interface BreakdownRow {
  label: string;
  pv: number;
  uv: number;
  bots: number;
}

/** Rows of a one-dimension report, busiest first, labelled. */
export function breakdown(rows: readonly ClickRow[], dim: 'button' | 'device', label: (value: string) => string = (v) => v): BreakdownRow[] {
  return rows
    .map((r) => ({ label: r[dim] == null ? '(unknown)' : label(r[dim]!), pv: r.pv, uv: r.uv, bots: r.bots }))
    .sort((a, b) => b.pv - a.pv || b.bots - a.bots || a.label.localeCompare(b.label));
}
