/**
 * Pull API for reports: read the account's pending reports by cursor, then ack what was stored.
 * Unacked reports come back on the next read from an earlier cursor, so a crash between reading
 * and storing loses nothing. Mounted after the account authenticator, which sets `req.account`.
 */
import express from 'express';
import { AppError } from '../app-error.js';
import { toWireReport, type ReportRepository } from '../../receipts/report.repository.js';

export interface ReportsRouterDeps {
  reports: ReportRepository;
}

export const PULL_DEFAULT_LIMIT = 100;
export const PULL_MAX_LIMIT = 1_000;
export const ACK_MAX_IDS = 1_000;

const ID = /^\d{1,15}$/;

function parseIntParam(value: unknown, field: string, code: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !ID.test(value) || Number(value) < min || Number(value) > max) {
    throw new AppError(400, code, `${field} must be an integer from ${min} to ${max}`, field);
  }
  return Number(value);
}

function parseAckIds(body: unknown): number[] {
  const ids = (body as { ids?: unknown } | undefined)?.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > ACK_MAX_IDS) {
    throw new AppError(400, 'INVALID_IDS', `ids must be an array of 1 to ${ACK_MAX_IDS} report ids (reportId from GET /v1/reports)`, 'ids');
  }
  return ids.map((id, i) => {
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return id;
    if (typeof id === 'string' && ID.test(id) && Number(id) > 0) return Number(id);
    throw new AppError(400, 'INVALID_IDS', `ids[${i}] is not a report id (a positive integer)`, `ids.${i}`);
  });
}

export function reportsRouter(deps: ReportsRouterDeps): express.Router {
  const router = express.Router();

  router.get('/v1/reports', async (req, res) => {
    const account = req.account!;
    const after = parseIntParam(req.query.after, 'after', 'INVALID_CURSOR', 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = parseIntParam(req.query.limit, 'limit', 'INVALID_LIMIT', 1, PULL_MAX_LIMIT, PULL_DEFAULT_LIMIT);
    // One extra row tells whether another page exists without a count over a possibly huge backlog.
    const rows = await deps.reports.listForPull(account.id, after, limit + 1);
    const page = rows.slice(0, limit);
    res.json({
      reports: page.map(toWireReport),
      next: page.length > 0 ? page[page.length - 1].id : after,
      hasMore: rows.length > limit,
    });
  });

  // Parses its own body so the router also works mounted without the app's JSON parser.
  router.post('/v1/reports/ack', express.json(), async (req, res) => {
    const account = req.account!;
    const ids = parseAckIds(req.body);
    const acked = await deps.reports.ack(account.id, ids);
    res.json({ acked });
  });

  return router;
}
