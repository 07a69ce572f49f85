/**
 * Console login with the account's API key, logout, and the session check in front of every other
 * console page. The key is looked up as the API's bearer key is (same hash, same revocation), and the
 * account's status and IP allowlist apply to the console as they do to the API.
 */
import express, { type RequestHandler, type Response } from 'express';
import type { Account } from '../accounts/account.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import { hashApiKey } from '../accounts/api-keys.js';
import { ipAllowlistMatcher } from '../accounts/ip-allowlist.js';
import { SESSION_COOKIE, clearConsoleCookies, cookieOptions, readCookie } from './cookies.js';
import { renewCsrfToken } from './csrf.js';
import { ConsoleError, type ConsolePageContext } from './console-page.js';
import type { SessionSigner } from './session.js';

export interface ConsoleAuthDeps {
  accounts: AccountRepository;
  sessions: SessionSigner;
  secureCookies: boolean;
  /** Where a login without a `next` lands. */
  home: string;
}

/** Keeps a post-login redirect on the console: no other site, no protocol-relative `//host`. */
export function safeNext(next: unknown, home: string): string {
  return typeof next === 'string' && /^\/console\/[^\\]*$/.test(next) && !next.startsWith('//') ? next : home;
}

/** Why an account may not use the console from this address, or undefined when it may. */
function refusal(account: Account, ip: string): string | undefined {
  if (account.status !== 'active') return 'This account is suspended.';
  if (!ipAllowlistMatcher(account.ipAllowlist)(ip)) return `Requests from ${ip} are not in this account's IP allowlist.`;
  return undefined;
}

const clientIp = (req: express.Request) => req.socket.remoteAddress ?? '';

/** GET/POST /login and POST /logout, relative to /console. */
export function authRoutes(deps: ConsoleAuthDeps, ctx: ConsolePageContext): express.Router {
  const r = express.Router();
  const showLogin = (res: Response, data: { error?: string; notice?: string; next?: string }, status = 200) =>
    ctx.render(res, 'login', { title: 'Log in', ...data }, status);

  r.get('/login', (req, res) => {
    if (deps.sessions.verify(readCookie(req, SESSION_COOKIE))) return res.redirect(303, deps.home);
    showLogin(res, { next: safeNext(req.query.next, deps.home), notice: req.query.loggedOut !== undefined ? 'You have logged out.' : undefined });
  });

  r.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next, deps.home);
    const key = typeof body.apiKey === 'string' ? body.apiKey.trim() : '';
    if (!key) return showLogin(res, { error: 'Enter your API key.', next }, 400);
    const account = await deps.accounts.findByKeyHash(hashApiKey(key));
    // The same answer for unknown and revoked keys, as the API gives.
    if (!account) return showLogin(res, { error: 'This API key is unknown or revoked.', next }, 401);
    const refused = refusal(account, clientIp(req));
    if (refused) return showLogin(res, { error: refused, next }, 403);
    const { value, claims } = deps.sessions.issue(account.id, key.slice(0, 10));
    res.cookie(SESSION_COOKIE, value, cookieOptions(deps.secureCookies, new Date(claims.expiresAt * 1000)));
    renewCsrfToken(res, deps.secureCookies);
    res.redirect(303, next);
  });

  r.post('/logout', (_req, res) => {
    clearConsoleCookies(res, deps.secureCookies);
    res.redirect(303, '/console/login?loggedOut');
  });
  return r;
}

/**
 * Lets a request through with `res.locals.account` set when its session is valid, its key still
 * active and the account allowed from this address; sends page views without one to the login page.
 */
export function requireSession(deps: ConsoleAuthDeps): RequestHandler {
  return async (req, res, next) => {
    const claims = deps.sessions.verify(readCookie(req, SESSION_COOKIE));
    const account = claims && (await deps.accounts.findByIdWithActiveKey(claims.accountId, claims.keyPrefix));
    if (!claims || !account) {
      if (claims) clearConsoleCookies(res, deps.secureCookies);
      const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      return res.redirect(303, `/console/login${back}`);
    }
    const refused = refusal(account, clientIp(req));
    if (refused) return next(new ConsoleError(403, refused));
    res.locals.account = account;
    res.locals.keyPrefix = claims.keyPrefix;
    next();
  };
}
