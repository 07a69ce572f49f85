/**
 * CSRF protection of console forms. SameSite=Lax already keeps the session cookie off cross-site
 * POSTs; on top of it every form carries a random token that must equal the `console_csrf` cookie
 * (double submit). A cross-site page can neither read the cookie nor set it, so it cannot forge the
 * field. The token is renewed at login, so each session has its own, and it protects the login form
 * too (no logging a victim in as the attacker).
 */
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { safeEqual } from '../accounts/api-keys.js';
import { CSRF_COOKIE, cookieOptions, readCookie } from './cookies.js';
import { ConsoleError } from './console-page.js';

/** The hidden field every console form posts the token in. */
export const CSRF_FIELD = '_csrf';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Issues a new token (cookie + res.locals.csrfToken for the templates). */
export function renewCsrfToken(res: Response, secure: boolean): string {
  const token = randomBytes(32).toString('base64url');
  res.cookie(CSRF_COOKIE, token, cookieOptions(secure));
  res.locals.csrfToken = token;
  return token;
}

/** Exposes the browser's token to the templates, issuing one when it has none. */
export function ensureCsrfToken(secure: boolean): RequestHandler {
  return (req, res, next) => {
    const current = readCookie(req, CSRF_COOKIE);
    if (current && TOKEN.test(current)) res.locals.csrfToken = current;
    else renewCsrfToken(res, secure);
    next();
  };
}

/** Rejects a state-changing request whose form field does not match the cookie. */
export const verifyCsrf: RequestHandler = (req: Request, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const cookie = readCookie(req, CSRF_COOKIE);
  const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (!cookie || typeof field !== 'string' || !safeEqual(field, cookie)) {
    return next(new ConsoleError(403, 'This form has expired or did not come from the console. Reload the page and try again.'));
  }
  next();
};
