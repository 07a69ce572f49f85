/**
 * The console's Fallback page: how the account's sends with a channel chain went over a range of
 * UTC days (all of them, or one category or campaign): the send totals, one row per chain step with
 * why steps fell back, a bar chart, and the CSV of GET /v1/reports/fallback. The numbers come from
 * the same FallbackReports as the API.
 */
import express from 'express';
import { CATEGORIES } from '../../accounts/account.js';
import type { FallbackReportQuery } from '../../fallback/report/fallback-report.js';
import { fallbackReportCsv } from '../../fallback/report/fallback-report.js';
import type { FallbackReports } from '../../fallback/report/fallback-reports.js';
import { ID_PATTERN } from '../../links/click-report-params.js';
import { ConsoleError, consoleAccount, type ConsolePage } from '../console-page.js';
import { parseBackfillFilter, toBackfillQuery, type FilterProblem } from '../reports/backfill-filter.js';
import { fallbackSection } from './fallback-view.js';

export const FALLBACK_PAGE_PATH = '/console/reports/fallback';

export interface FallbackPageDeps {
  reports: Pick<FallbackReports, 'report'>;
  now?: () => Date;
}

interface FallbackFilter {
  from: string;
  until: string;
  category: string;
  campaign: string;
}

/** The page's filter: a range of whole UTC days (both inclusive), optionally a category and a campaign. */
function parseFilter(query: Record<string, unknown>, today: Date): { filter: FallbackFilter; problems: Array<FilterProblem | { field: 'category' | 'campaign'; message: string }>; range: { from: Date; until: Date } } {
  // Only the range of the backfill filter: this page has no grouping.
  const { filter: days, problems } = parseBackfillFilter({ from: query.from, until: query.until }, today);
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const filter = { from: days.from, until: days.until, category: text(query.category), campaign: text(query.campaign) };
  const all: Array<FilterProblem | { field: 'category' | 'campaign'; message: string }> = [...problems];
  if (filter.category && !(CATEGORIES as readonly string[]).includes(filter.category)) all.push({ field: 'category', message: `category must be one of ${CATEGORIES.join(', ')}` });
  if (filter.campaign && !ID_PATTERN.test(filter.campaign)) all.push({ field: 'campaign', message: 'campaign must be 1–64 letters, digits, ".", "_", ":" or "-"' });
  return { filter, problems: all, range: toBackfillQuery(days) };
}

const queryString = (f: FallbackFilter) => new URLSearchParams(Object.entries(f).filter(([, v]) => v !== '')).toString();

export function fallbackPage(deps: FallbackPageDeps): ConsolePage {
  const now = deps.now ?? (() => new Date());
  const reportQuery = (accountId: string, f: FallbackFilter, range: { from: Date; until: Date }): FallbackReportQuery => ({
    accountId, ...range, timeZone: 'UTC', groupBy: ['step'],
    ...(f.category ? { category: f.category } : {}), ...(f.campaign ? { campaignId: f.campaign } : {}),
  });

  return {
    nav: { label: 'Fallback', href: FALLBACK_PAGE_PATH },
    routes(ctx) {
      const r = express.Router();

      r.get('/reports/fallback', async (req, res) => {
        const account = consoleAccount(res);
        const { filter, problems, range } = parseFilter(req.query, now());
        const form = { ...filter, problems, categories: CATEGORIES.map((c) => ({ value: c, selected: c === filter.category })) };
        const data = { title: 'Fallback report', form };
        if (problems.length) return ctx.render(res, 'reports/fallback', data, 400);
        const report = await deps.reports.report(reportQuery(account.id, filter, range));
        ctx.render(res, 'reports/fallback', { ...data, section: fallbackSection('fallback-steps-chart', report), csvHref: `${FALLBACK_PAGE_PATH}.csv?${queryString(filter)}` });
      });

      r.get('/reports/fallback.csv', async (req, res) => {
        const account = consoleAccount(res);
        const { filter, problems, range } = parseFilter(req.query, now());
        if (problems.length) throw new ConsoleError(400, problems.map((p) => p.message).join('; '));
        const report = await deps.reports.report(reportQuery(account.id, filter, range));
        res.type('text/csv; charset=utf-8')
          .set('Content-Disposition', `attachment; filename="fallback-${filter.from}-to-${filter.until}.csv"`)
          .set('Cache-Control', 'no-store')
          .send(fallbackReportCsv(report));
      });
      return r;
    },
  };
}
