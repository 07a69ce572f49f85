/** The two console cookies and how they are read and written (no cookie-parser dependency for two names). */
import type { CookieOptions, Request, Response } from 'express';

export const SESSION_COOKIE = 'console_session';
export const CSRF_COOKIE = 'console_csrf';

/** Value of one cookie of the request's Cookie header. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * HttpOnly (no script reads them, not even the console's own), SameSite=Lax (a link from elsewhere
 * opens the console logged in; a form posted from elsewhere carries no session), Path=/console (the
 * API never sees them), Secure when the console is served over HTTPS.
 */
export function cookieOptions(secure: boolean, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/console', secure, ...(expires ? { expires } : {}) };
}

export function clearConsoleCookies(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(secure));
  res.clearCookie(CSRF_COOKIE, cookieOptions(secure));
}
