/**
 * GET /v1/reports/backfill: the account's backfill-rate report (src/verify/backfill-report.ts),
 * as JSON or, with `Accept: text/csv`, as CSV. Mounted after the account authenticator, which sets
 * `req.account`: the report only ever covers that account's attempts.
 */
import express from 'express';
import type { BackfillReportRepository } from '../../verify/backfill-report.repository.js';
import { parseBackfillParams } from '../../verify/backfill-report-params.js';
import { toCsv } from '../../verify/backfill-report.js';

export interface BackfillReportRouterDeps {
  reports: BackfillReportRepository;
}

export function backfillReportRouter(deps: BackfillReportRouterDeps): express.Router {
  const router = express.Router();

  router.get('/v1/reports/backfill', async (req, res) => {
    const params = parseBackfillParams(req.query as Record<string, unknown>);
    const report = await deps.reports.report({ accountId: req.account!.id, ...params });
    // JSON unless the client prefers CSV; an Accept we cannot serve still gets JSON.
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      const name = `backfill-${report.from.slice(0, 10)}-${report.until.slice(0, 10)}.csv`;
      res.attachment(name).type('text/csv; charset=utf-8').send(toCsv(report));
      return;
    }
    res.json(report);
  });

  return router;
}
