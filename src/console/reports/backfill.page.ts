/**
 * Console page of the backfill-rate report (issue 3): a filter form, the report as a table with
 * totals, a CSV download of the same report, and a chart of the backfill rate by day, one line per
 * route. The numbers come from a {@link BackfillReportSource}, the same computation the API serves.
 */
import express from 'express';
import { lineChart } from '../chart/line-chart.js';
import { ConsoleError, consoleAccount, type ConsolePage } from '../console-page.js';
import { BACKFILL_DIMENSIONS, type BackfillReportSource } from './backfill-report-source.js';
import { daysOf, filterQueryString, parseBackfillFilter, toBackfillQuery } from './backfill-filter.js';
import { DIMENSION_LABELS, backfillChartSeries, backfillCsv, backfillTable, percent } from './backfill-view.js';

export const BACKFILL_PAGE_PATH = '/console/reports/backfill';

export interface BackfillPageDeps {
  /** Undefined until a report source is wired in: the page then says the report is unavailable. */
  source: BackfillReportSource | undefined;
  now?: () => Date;
}

export function backfillPage(deps: BackfillPageDeps): ConsolePage {
  const now = deps.now ?? (() => new Date());
  return {
    nav: { label: 'Backfill report', href: BACKFILL_PAGE_PATH },
    routes(ctx) {
      const r = express.Router();

      r.get('/reports/backfill', async (req, res) => {
        const account = consoleAccount(res);
        const { filter, problems } = parseBackfillFilter(req.query, now());
        const form = {
          from: filter.from,
          until: filter.until,
          dimensions: BACKFILL_DIMENSIONS.map((d) => ({ value: d, label: DIMENSION_LABELS[d], checked: filter.groupBy.includes(d) })),
          problems,
        };
        const data = { title: 'Backfill report', form };
        if (!deps.source) return ctx.render(res, 'reports/backfill', { ...data, unavailable: true }, 503);
        if (problems.length) return ctx.render(res, 'reports/backfill', data, 400);

        // The chart always needs route × day; one query when the table asks for exactly that.
        const chartGrouping = filter.groupBy.join() === 'route,day';
        const [report, byRouteAndDay] = await Promise.all([
          deps.source.report(account.id, toBackfillQuery(filter)),
          chartGrouping ? undefined : deps.source.report(account.id, toBackfillQuery(filter, ['route', 'day'])),
        ]);
        const days = daysOf(filter);
        const series = backfillChartSeries(byRouteAndDay ?? report, days);
        const chart = series.length === 0 ? undefined : lineChart({
          id: 'backfill-by-route',
          title: `Backfill rate by day and route, ${filter.from} to ${filter.until} (UTC)`,
          categories: days,
          series,
          yMax: 1,
          width: 1000,
          formatY: (v) => percent(v).replace('.0%', '%'),
          formatX: (d) => d.slice(5),
        });
        ctx.render(res, 'reports/backfill', {
          ...data,
          table: backfillTable(report),
          chart,
          csvHref: `${BACKFILL_PAGE_PATH}.csv?${filterQueryString(filter)}`,
        });
      });

      r.get('/reports/backfill.csv', async (req, res) => {
        const account = consoleAccount(res);
        const { filter, problems } = parseBackfillFilter(req.query, now());
        if (!deps.source) throw new ConsoleError(503, 'The backfill report is not available on this server yet.');
        if (problems.length) throw new ConsoleError(400, problems.map((p) => p.message).join('; '));
        const report = await deps.source.report(account.id, toBackfillQuery(filter));
        res.type('text/csv; charset=utf-8')
          .set('Content-Disposition', `attachment; filename="backfill-${filter.from}-to-${filter.until}.csv"`)
          .set('Cache-Control', 'no-store')
          .send(backfillCsv(report));
      });
      return r;
    },
  };
}
