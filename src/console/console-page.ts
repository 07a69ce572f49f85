/**
 * The extension point of the console: a page (or group of pages) is a {@link ConsolePage} passed to
 * `consoleRouter`. Its routes run behind the session check, with the account in
 * `consoleAccount(res)`; it renders through `ctx.render`, which fills in the layout (account name,
 * navigation, CSRF token).
 */
import type { Response, Router } from 'express';
import type { Account } from '../accounts/account.js';
import type { ConsoleViews } from './views.js';

export interface ConsoleNavEntry {
  label: string;
  /** Absolute path under /console, e.g. `/console/reports/backfill`. */
  href: string;
}

export interface ConsolePageContext {
  views: ConsoleViews;
  /** Renders a page template inside the layout and sends it (HTML, no-store). */
  render(res: Response, page: string, data: { title: string } & Record<string, unknown>, status?: number): void;
}

export interface ConsolePage {
  /** Header navigation entry; it is marked current for every path under its href. */
  nav?: ConsoleNavEntry;
  /**
   * The page's routes, with paths relative to /console (e.g. `/reports/backfill`). They run after
   * the session check; forms that POST must include the CSRF field (`{{> csrf}}` in templates).
   */
  routes(ctx: ConsolePageContext): Router;
}

/** An error a console page shows as an HTML error page with this status. */
export class ConsoleError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The logged-in account of a request that passed the session check. */
export function consoleAccount(res: Response): Account {
  const account = res.locals.account as Account | undefined;
  if (!account) throw new Error('consoleAccount() used outside the session-protected console routes');
  return account;
}
