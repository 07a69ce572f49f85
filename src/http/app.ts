/** Builds the Express app: JSON parsing, auth, routes, docs, one error handler. */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../logging/logger.js';
import type { Authenticator } from './auth.js';
import { errorHandler, notFoundHandler } from './error-handler.js';

/**
 * A plain node:http step that answers some requests before Express sees them (returns true when it
 * answered): for public paths so hot that Express's own per-request cost matters (/s/:code).
 */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface AppRouters {
  /** Run by the server before Express (see {@link requestListener}); also mounted first inside it. */
  front?: FrontHandler[];
  public: RequestHandler[];
  account: RequestHandler[];
  admin: RequestHandler[];
  /** Mounted before the JSON parser: public routes that need the raw body (signed webhooks). */
  raw?: RequestHandler[];
  /** The web console (src/console), mounted at /console with its own session auth and HTML errors. */
  console?: RequestHandler;
}

export function createApp(opts: { auth: Authenticator; logger: Logger; routers: AppRouters }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // The same handlers the server runs before Express, for callers of the app itself (supertest).
  for (const f of opts.routers.front ?? []) app.use((req, res, next) => void (f(req, res) || next()));
  // A webhook signature covers the bytes as sent, so these routes read the body themselves.
  for (const r of opts.routers.raw ?? []) app.use(r);
  // A 100,000-recipient batch with variables is ~10 MB of JSON.
  app.use(express.json({ limit: '20mb' }));
  app.get('/health', (_req, res) => res.json({ ok: true }));
  for (const r of opts.routers.public) app.use(r);
  if (opts.routers.console) app.use('/console', opts.routers.console);
  app.use('/v1/admin', opts.auth.admin());
  for (const r of opts.routers.admin) app.use(r);
  app.use('/v1/admin', notFoundHandler);
  app.use('/v1', opts.auth.account());
  for (const r of opts.routers.account) app.use(r);
  app.use(notFoundHandler);
  app.use(errorHandler(opts.logger));
  return app;
}

/** The HTTP server's listener: the front handlers first, then the Express app. */
export function requestListener(app: Express, front: readonly FrontHandler[] = []): RequestListener {
  if (!front.length) return app;
  return (req, res) => {
    for (const f of front) if (f(req, res)) return;
    app(req, res);
  };
}
