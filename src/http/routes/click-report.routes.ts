/**
 * GET /v1/reports/clicks: PV, UV, click rate and parse rate of the account's short links
 * (src/links/click-report.ts), as JSON or, with `Accept: text/csv`, as CSV.
 */
import express from 'express';
import { clickReportCsv } from '../../links/click-report.js';
import { parseClickReportParams } from '../../links/click-report-params.js';
import type { ClickReports } from '../../links/click-reports.js';

export interface ClickReportRouterDeps {
  reports: Pick<ClickReports, 'report'>;
}

export function clickReportRouter(deps: ClickReportRouterDeps): express.Router {
  const router = express.Router();

  router.get('/v1/reports/clicks', async (req, res) => {
    const params = parseClickReportParams(req.query as Record<string, unknown>);
    const report = await deps.reports.report({ accountId: req.account!.id, ...params });
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      const name = `clicks-${report.from.slice(0, 10)}-${report.until.slice(0, 10)}.csv`;
      res.attachment(name).type('text/csv; charset=utf-8').send(clickReportCsv(report));
      return;
    }
    res.json(report);
  });

  return router;
}
