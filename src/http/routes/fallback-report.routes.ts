/**
 * GET /v1/reports/fallback: per step and channel, how the account's sends with a channel chain
 * went (src/fallback/report/fallback-report.ts), as JSON or, with `Accept: text/csv`, as CSV.
 * Mounted after the account authenticator: the report only ever covers that account's sends.
 */
import express from 'express';
import { fallbackReportCsv } from '../../fallback/report/fallback-report.js';
import { parseFallbackReportParams } from '../../fallback/report/fallback-report-params.js';
import type { FallbackReports } from '../../fallback/report/fallback-reports.js';

export interface FallbackReportRouterDeps {
  reports: Pick<FallbackReports, 'report'>;
}

export function fallbackReportRouter(deps: FallbackReportRouterDeps): express.Router {
  const router = express.Router();

  router.get('/v1/reports/fallback', async (req, res) => {
    const params = parseFallbackReportParams(req.query as Record<string, unknown>);
    const report = await deps.reports.report({ accountId: req.account!.id, ...params });
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      const name = `fallback-${report.from.slice(0, 10)}-${report.until.slice(0, 10)}.csv`;
      res.attachment(name).type('text/csv; charset=utf-8').send(fallbackReportCsv(report));
      return;
    }
    res.json(report);
  });

  return router;
}
