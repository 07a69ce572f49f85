/**
 * What `npm run demo` prints: the backfill report as plain-text tables, and where to read the same
 * report through the API (JSON, CSV) and the console. Pure functions of the run's results.
 */
import type { BackfillReport, BackfillRow } from '../verify/backfill-report.js';
import { DEMO_ROUTES, expectedBackfill } from './demo-scenario.js';

export const SIMULATED_NOTICE = [
  'EVERYTHING HERE IS SIMULATED. No SMS leaves this machine: two local SMSC simulators stand in for',
  'upstream routes (a "direct" and a "mixed" one, with seeded delivery odds and receipt delays), and a',
  'seeded synthetic crowd types in the codes it received. The platform in between is the real one.',
];

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const secs = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);

/** Columns padded to their widest cell; the first `left` columns are left-aligned, the rest right. */
export function textTable(header: string[], rows: string[][], left = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}

const measures = (r: BackfillRow | BackfillReport['totals']) => [
  String(r.sent), String(r.delivered), String(r.verified), pct(r.deliveryRate), pct(r.backfillRate),
  secs(r.medianTimeToVerifyMs), secs(r.p90TimeToVerifyMs),
];
const MEASURE_HEADER = ['sent', 'delivered', 'entered', 'delivery', 'backfill', 'median ttv', 'p90 ttv'];

/** The report grouped by route, with the rate each route was built to show. */
export function routeTable(report: BackfillReport): string[] {
  const expected = new Map(DEMO_ROUTES.map((r) => [r.channelId, expectedBackfill(r)]));
  const rows = report.rows.map((r) => [r.route ?? '(none)', ...measures(r), pct(expected.get(r.route ?? '') ?? null)]);
  rows.push(['all routes', ...measures(report.totals), '']);
  return textTable(['route', ...MEASURE_HEADER, 'designed'], rows);
}

/** The report grouped by route and country. */
export function routeCountryTable(report: BackfillReport): string[] {
  const rows = report.rows.map((r) => [r.route ?? '(none)', r.country ?? '(none)', ...measures(r)]);
  return textTable(['route', 'country', ...MEASURE_HEADER], rows, 2);
}

export interface WhereToLook {
  baseUrl: string;
  apiKey: string;
  /** First day and the day after the last (the API's `until` is exclusive). */
  from: string;
  until: string;
  /** Last day, inclusive (the console's `until`). */
  lastDay: string;
}

/** curl lines with the real key, and the console page with the same filter. */
export function whereToLook(w: WhereToLook): string[] {
  const auth = `-H "Authorization: Bearer ${w.apiKey}"`;
  const report = (groupBy: string) => `${w.baseUrl}/v1/reports/backfill?from=${w.from}&until=${w.until}&groupBy=${groupBy}`;
  return [
    `API key of the demo account: ${w.apiKey}`,
    `JSON:     curl -sS "${report('route,country')}" ${auth}`,
    `CSV:      curl -sS "${report('route,day')}" ${auth} -H 'Accept: text/csv'`,
    `Console:  ${w.baseUrl}/console/reports/backfill?from=${w.from}&until=${w.lastDay}&groupBy=route,country`,
    '          (log in with the API key above; the chart shows the backfill rate per route by day)',
  ];
}
