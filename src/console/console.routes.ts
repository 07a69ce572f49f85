/**
 * The web console, mounted at /console: server-rendered pages (handlebars, no external assets, no
 * inline or foreign scripts: a page may add a small same-origin script as progressive enhancement),
 * a session cookie opened by logging in with the account's API key, CSRF tokens in forms.
 * Public: the login page and the stylesheet. Every page given in `pages` runs behind the session.
 */
import express, { type ErrorRequestHandler, type Response } from 'express';
import type { AccountRepository } from '../accounts/account.repository.js';
import type { Logger } from '../logging/logger.js';
import { authRoutes, requireSession, type ConsoleAuthDeps } from './console-auth.js';
import { ConsoleError, type ConsolePage, type ConsolePageContext } from './console-page.js';
import { SESSION_COOKIE, readCookie } from './cookies.js';
import { consoleCsp } from './csp.js';
import { ensureCsrfToken, verifyCsrf } from './csrf.js';
import { multipartForm } from './multipart.js';
import { SessionSigner } from './session.js';
import { ConsoleViews } from './views.js';

export interface ConsoleRouterDeps {
  accounts: AccountRepository;
  logger: Logger;
  /** HMAC key of session cookies (config.consoleSessionSecret). */
  sessionSecret: string;
  /** Mark cookies Secure: set when the console is served over HTTPS. */
  secureCookies: boolean;
  /** The pages, in navigation order; the first one with a nav entry is the console's home. */
  pages: ConsolePage[];
  views?: ConsoleViews;
}

// Pages are HTML, one stylesheet and same-origin script files (never inline: injected markup cannot
// run); anything else (foreign scripts, frames, foreign form targets) is refused. A page may widen
// single directives for its own responses (src/console/csp.ts).
const CSP = consoleCsp({ 'script-src': "'self'" });

/** Largest multipart form (card image uploads: two images at the 10 MB upload limit, plus the fields). */
export const CONSOLE_UPLOAD_LIMIT_BYTES = 21 * 1024 * 1024;

/** The console router, to mount at /console. */
export function consoleRouter(deps: ConsoleRouterDeps): express.Router {
  const views = deps.views ?? new ConsoleViews();
  const navPages = deps.pages.filter((p) => p.nav);
  const home = navPages[0]?.nav?.href ?? '/console/login';

  const ctx: ConsolePageContext = {
    views,
    render(res, page, data, status = 200) {
      const account = res.locals.account as { id: string; name: string } | undefined;
      const path = res.req.originalUrl.split('?')[0];
      const html = views.render(page, {
        ...data,
        csrfToken: res.locals.csrfToken as string | undefined,
        account: account && { id: account.id, name: account.name, keyPrefix: res.locals.keyPrefix as string },
        nav: account ? navPages.map((p) => ({ ...p.nav!, current: path === p.nav!.href || path.startsWith(`${p.nav!.href}/`) })) : undefined,
      });
      res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
    },
  };
  const auth: ConsoleAuthDeps = { accounts: deps.accounts, sessions: new SessionSigner(deps.sessionSecret), secureCookies: deps.secureCookies, home };

  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' });
    next();
  });
  router.get('/assets/console.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=3600').send(views.css);
  });
  // The app parses JSON globally; console forms post urlencoded bodies, parsed here only. The limit
  // fits a pasted recipient list of a large campaign (the API's JSON limit is 20 MB).
  router.use(express.urlencoded({ extended: false, limit: '8mb' }));
  // Forms with file inputs; buffered only for a browser holding a signed session (checked in full below).
  router.use(multipartForm({ limitBytes: CONSOLE_UPLOAD_LIMIT_BYTES, when: (req) => auth.sessions.verify(readCookie(req, SESSION_COOKIE)) !== undefined }));
  router.use(ensureCsrfToken(deps.secureCookies));
  router.use(verifyCsrf);
  router.use(authRoutes(auth, ctx));
  router.use(requireSession(auth));
  router.get('/', (_req, res) => res.redirect(303, home));
  for (const page of deps.pages) router.use(page.routes(ctx));
  router.use(() => {
    throw new ConsoleError(404, 'There is no console page at this address.');
  });
  router.use(errorPage(ctx, deps.logger));
  return router;
}

function errorPage(ctx: ConsolePageContext, logger: Logger): ErrorRequestHandler {
  return (err, req, res: Response, _next) => {
    const known = err instanceof ConsoleError;
    // A malformed form body is the browser's (or a client's) mistake, not ours.
    const status = known ? err.status : typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status >= 500) logger.error('console error', { path: req.path, err: err instanceof Error ? err.stack ?? err.message : String(err) });
    const message = known ? err.message : status < 500 ? 'The request could not be read.' : 'Something went wrong on our side. Try again in a moment.';
    ctx.render(res, 'error', { title: status === 404 ? 'Not found' : 'Error', status, message }, status);
  };
}
