/**
 * Turns a backfill report into what the page shows: table cells (rates as percentages, times in
 * seconds), the CSV download (the API's columns and raw values), and the chart's series (backfill
 * rate by day, one line per route). Pure.
 */
import type { LineSeries } from '../chart/line-chart.js';
import type { BackfillDimension, BackfillMetrics, BackfillReport } from './backfill-report-source.js';

export const DIMENSION_LABELS: Record<BackfillDimension, string> = {
  country: 'Country', channel: 'Channel', route: 'Route', sender: 'Sender ID', day: 'Day (UTC)',
};
export const METRIC_COLUMNS = ['sent', 'delivered', 'verified', 'backfillRate', 'deliveryRate', 'medianTimeToVerifyMs', 'p90TimeToVerifyMs'] as const;
const METRIC_LABELS = ['Sent', 'Delivered', 'Verified', 'Backfill rate', 'Delivery rate', 'Median time to verify', 'p90 time to verify'];

/** Shown for a group without a value (e.g. attempts not routed yet). */
export const NONE_LABEL = '(none)';
/** More routes than this are summed into one "other routes" line, so the chart stays readable. */
export const MAX_CHART_ROUTES = 8;

const NUMBER = new Intl.NumberFormat('en-US');
export const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
export const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

function metricCells(m: BackfillMetrics): string[] {
  return [NUMBER.format(m.sent), NUMBER.format(m.delivered), NUMBER.format(m.verified), percent(m.backfillRate),
    percent(m.deliveryRate), seconds(m.medianTimeToVerifyMs), seconds(m.p90TimeToVerifyMs)];
}

export interface BackfillTable {
  headers: { label: string; numeric: boolean }[];
  rows: { dims: string[]; metrics: string[] }[];
  totals: string[];
  /** Columns the "Total" label spans. */
  totalsSpan: number;
}

export function backfillTable(report: BackfillReport): BackfillTable {
  const dims = report.groupBy;
  // Without grouping there is still a first column, for the row labels and the "Total" label.
  const labels = dims.length ? dims.map((d) => DIMENSION_LABELS[d]) : ['Group'];
  return {
    headers: [...labels.map((label) => ({ label, numeric: false })), ...METRIC_LABELS.map((label) => ({ label, numeric: true }))],
    rows: report.rows.map((r) => ({ dims: dims.length ? dims.map((d) => r[d] ?? NONE_LABEL) : ['All attempts'], metrics: metricCells(r) })),
    totals: metricCells(report.totals),
    totalsSpan: labels.length,
  };
}

/**
 * CSV with the API's column names and values (rates as fractions, times in ms). A cell a
 * spreadsheet would run as a formula (a customer-chosen sender ID such as `=HYPERLINK(…)`) gets a
 * leading apostrophe.
 */
export function backfillCsv(report: BackfillReport): string {
  const header = [...report.groupBy, ...METRIC_COLUMNS];
  const lines = [header.join(',')];
  for (const r of report.rows) {
    lines.push([...report.groupBy.map((d) => r[d] ?? ''), ...METRIC_COLUMNS.map((c) => r[c] ?? '')].map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Backfill rate by day, one series per route, from a report grouped by route and day. Days without
 * attempts are gaps (null), not zeros. Routes beyond the busiest MAX_CHART_ROUTES (by attempts sent)
 * are summed into one "other routes" series.
 */
export function backfillChartSeries(report: BackfillReport, days: string[]): LineSeries[] {
  const byRoute = new Map<string, Map<string, { sent: number; verified: number }>>();
  const sentByRoute = new Map<string, number>();
  for (const r of report.rows) {
    const route = r.route ?? NONE_LABEL;
    const day = r.day ?? '';
    const perDay = byRoute.get(route) ?? new Map();
    byRoute.set(route, perDay);
    perDay.set(day, { sent: r.sent, verified: r.verified });
    sentByRoute.set(route, (sentByRoute.get(route) ?? 0) + r.sent);
  }
  const ranked = [...byRoute.keys()].sort((a, b) => sentByRoute.get(b)! - sentByRoute.get(a)! || a.localeCompare(b));
  const shown = ranked.length > MAX_CHART_ROUTES ? ranked.slice(0, MAX_CHART_ROUTES - 1) : ranked;
  const others = ranked.slice(shown.length);
  const rateOf = (routes: string[], day: string) => {
    let sent = 0;
    let verified = 0;
    for (const route of routes) {
      const c = byRoute.get(route)!.get(day);
      sent += c?.sent ?? 0;
      verified += c?.verified ?? 0;
    }
    return sent > 0 ? verified / sent : null;
  };
  const series = shown.sort((a, b) => a.localeCompare(b)).map((route) => ({ name: route, values: days.map((d) => rateOf([route], d)) }));
  if (others.length) series.push({ name: `Other routes (${others.length})`, values: days.map((d) => rateOf(others, d)) });
  return series;
}
