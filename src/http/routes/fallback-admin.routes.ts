/** Operator view of the fallback engine in this process: how long its decisions take. */
import { Router } from 'express';
import type { FallbackEngine } from '../../fallback/fallback-engine.js';

export function fallbackAdminRouter(deps: { engine: FallbackEngine }): Router {
  const r = Router();
  r.get('/v1/admin/fallback/stats', (_req, res) => {
    res.json({ process: process.pid, decisions: deps.engine.decisions.summary() });
  });
  return r;
}
