import { describe, expect, it } from 'vitest';
import { daysOf, filterQueryString, parseBackfillFilter, toBackfillQuery } from '../../../src/console/reports/backfill-filter.js';
import type { BackfillMetrics, BackfillReport } from '../../../src/console/reports/backfill-report-source.js';
import { MAX_CHART_ROUTES, backfillChartSeries, backfillCsv, backfillTable } from '../../../src/console/reports/backfill-view.js';

const today = new Date('2024-05-20T15:00:00Z');
const m = (sent: number, delivered: number, verified: number, median: number | null = null, p90: number | null = null): BackfillMetrics => ({
  sent, delivered, verified, backfillRate: sent ? verified / sent : null, deliveryRate: sent ? delivered / sent : null, medianTimeToVerifyMs: median, p90TimeToVerifyMs: p90,
});

describe('backfill filter', () => {
  it('when the page is opened without a query, then it shows the last 7 UTC days grouped by route', () => {
    const { filter, problems } = parseBackfillFilter({}, today);
    expect(problems).toEqual([]);
    expect(filter).toEqual({ from: '2024-05-14', until: '2024-05-20', groupBy: ['route'] });
    expect(toBackfillQuery(filter)).toEqual({ from: new Date('2024-05-14T00:00:00Z'), until: new Date('2024-05-21T00:00:00Z'), groupBy: ['route'] });
  });

  it('when groupBy comes repeated or comma-separated, then it is deduplicated in the console order', () => {
    expect(parseBackfillFilter({ groupBy: ['', 'day', 'route,country', 'day'] }, today).filter.groupBy).toEqual(['country', 'route', 'day']);
    expect(parseBackfillFilter({ groupBy: 'sender,channel' }, today).filter.groupBy).toEqual(['channel', 'sender']);
  });

  it('when the form is sent with no box ticked, then the report is the totals only (not the default grouping)', () => {
    expect(parseBackfillFilter({ groupBy: '' }, today).filter.groupBy).toEqual([]);
  });

  it('when a field is wrong, then a problem names the field and the rule', () => {
    const problems = (q: Record<string, unknown>) => parseBackfillFilter(q, today).problems;
    expect(problems({ from: '2024-02-30' })).toEqual([{ field: 'from', message: 'from must be a date written YYYY-MM-DD' }]);
    expect(problems({ until: ['2024-05-01', '2024-05-02'] })).toEqual([{ field: 'until', message: 'until must be a date written YYYY-MM-DD' }]);
    expect(problems({ from: '2024-05-10', until: '2024-05-09' })).toEqual([{ field: 'until', message: 'until must be on or after from' }]);
    expect(problems({ from: '2023-01-01', until: '2024-05-09' })).toEqual([{ field: 'until', message: 'the range may span at most 366 days' }]);
    expect(problems({ groupBy: 'route,carrier' })).toEqual([{ field: 'groupBy', message: 'groupBy accepts country, channel, route, sender, day; not carrier' }]);
  });

  it('when a filter is written back as a query string and read again, then it is the same filter', () => {
    for (const groupBy of [[], ['route'], ['country', 'day']] as const) {
      const filter = { from: '2024-05-01', until: '2024-05-03', groupBy: [...groupBy] };
      const query = Object.fromEntries(new URLSearchParams(filterQueryString(filter)));
      expect(parseBackfillFilter(query, today).filter).toEqual(filter);
    }
    expect(daysOf({ from: '2024-02-28', until: '2024-03-01', groupBy: [] })).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});

describe('backfill table and CSV', () => {
  const report: BackfillReport = {
    from: '2024-05-01T00:00:00.000Z', until: '2024-05-03T00:00:00.000Z', groupBy: ['country', 'route'],
    rows: [
      { country: 'DE', route: 'direct', ...m(1200, 1100, 960, 12_345, 40_000) },
      { country: 'DE', route: null, ...m(3, 0, 0) },
      { country: 'ID', route: '=HYPERLINK("http://x","y")', ...m(2, 1, 1, 500, 500) },
    ],
    totals: m(1205, 1101, 961, 12_000, 39_000),
  };

  it('when the report is shown as a table, then rates are percentages, times seconds, and missing values marked', () => {
    const table = backfillTable(report);
    expect(table.headers.map((h) => h.label)).toEqual(['Country', 'Route', 'Sent', 'Delivered', 'Verified', 'Backfill rate', 'Delivery rate', 'Median time to verify', 'p90 time to verify']);
    expect(table.rows[0]).toEqual({ dims: ['DE', 'direct'], metrics: ['1,200', '1,100', '960', '80.0%', '91.7%', '12.3 s', '40.0 s'] });
    expect(table.rows[1]).toEqual({ dims: ['DE', '(none)'], metrics: ['3', '0', '0', '0.0%', '0.0%', '—', '—'] });
    expect(table.totals).toEqual(['1,205', '1,101', '961', '79.8%', '91.4%', '12.0 s', '39.0 s']);
    expect(table.totalsSpan).toBe(2);
  });

  it('when the report has no grouping, then the table still has a label column for its row and the total', () => {
    const table = backfillTable({ ...report, groupBy: [], rows: [m(0, 0, 0)], totals: m(0, 0, 0) });
    expect(table.headers[0].label).toBe('Group');
    expect(table.rows).toEqual([{ dims: ['All attempts'], metrics: ['0', '0', '0', '—', '—', '—', '—'] }]);
    expect(table.totalsSpan).toBe(1);
  });

  it('when the report is downloaded, then the CSV has the API columns, raw values, quoting, and no live formulas', () => {
    expect(backfillCsv(report).split('\r\n')).toEqual([
      'country,route,sent,delivered,verified,backfillRate,deliveryRate,medianTimeToVerifyMs,p90TimeToVerifyMs',
      'DE,direct,1200,1100,960,0.8,0.9166666666666666,12345,40000',
      'DE,,3,0,0,0,0,,',
      `ID,"'=HYPERLINK(""http://x"",""y"")",2,1,1,0.5,0.5,500,500`,
      '',
    ]);
  });
});

describe('backfill chart series', () => {
  const days = ['2024-05-01', '2024-05-02', '2024-05-03'];
  const row = (route: string | null, day: string, sent: number, verified: number) => ({ route, day, ...m(sent, sent, verified) });

  it('when rows come by route and day, then there is one series per route, with a gap for a day without attempts', () => {
    const series = backfillChartSeries({ from: '', until: '', groupBy: ['route', 'day'], totals: m(0, 0, 0), rows: [
      row('mixed', '2024-05-01', 10, 5), row('direct', '2024-05-01', 10, 8), row('direct', '2024-05-02', 4, 3), row('mixed', '2024-05-03', 8, 4), row(null, '2024-05-02', 2, 0),
    ] }, days);
    expect(series).toEqual([
      { name: '(none)', values: [null, 0, null] },
      { name: 'direct', values: [0.8, 0.75, null] },
      { name: 'mixed', values: [0.5, null, 0.5] },
    ]);
  });

  it('when there are more routes than the chart shows, then the quietest are summed into one "other routes" line', () => {
    // Arrange: route-i sends 100 + i on the first day; the 3 quietest are route-0..2.
    const n = MAX_CHART_ROUTES + 2;
    const rows = Array.from({ length: n }, (_, i) => row(`route-${i}`, '2024-05-01', 100 + i, i === 0 ? 100 : 0));

    // Act
    const series = backfillChartSeries({ from: '', until: '', groupBy: ['route', 'day'], totals: m(0, 0, 0), rows }, days);

    // Assert
    expect(series).toHaveLength(MAX_CHART_ROUTES);
    expect(series.map((s) => s.name)).not.toContain('route-0');
    expect(series[series.length - 1]).toEqual({ name: 'Other routes (3)', values: [100 / 303, null, null] });
  });
});
