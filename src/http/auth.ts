/**
 * Bearer-key authentication with a short in-memory cache (a key lookup per request would cost a
 * database round trip on the hottest path), the per-account IP allowlist, and the admin key.
 */
import { ipAllowlistMatcher } from '../accounts/ip-allowlist.js';
import type { Request, RequestHandler } from 'express';
import type { Account } from '../accounts/account.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import { hashApiKey, safeEqual } from '../accounts/api-keys.js';
import { AppError } from './app-error.js';

declare module 'express-serve-static-core' {
  interface Request {
    account?: Account;
  }
}

const CACHE_TTL_MS = 10_000;

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h || !h.startsWith('Bearer ')) return undefined;
  return h.slice(7).trim();
}

export class Authenticator {
  private cache = new Map<string, { account: Account; allows: (ip: string) => boolean; until: number }>();

  constructor(private readonly accounts: AccountRepository, private readonly adminKey: string) {}

  /** Forget cached accounts (after an admin change) so new settings apply at once in this process. */
  invalidate(): void {
    this.cache.clear();
  }

  account(): RequestHandler {
    return async (req, _res, next) => {
      const key = bearer(req);
      if (!key) return next(new AppError(401, 'UNAUTHENTICATED', 'Send your API key as "Authorization: Bearer <key>"', 'Authorization'));
      const hash = hashApiKey(key);
      let entry = this.cache.get(hash);
      if (!entry || entry.until < Date.now()) {
        const account = await this.accounts.findByKeyHash(hash);
        if (!account) return next(new AppError(401, 'INVALID_API_KEY', 'The API key is unknown or revoked', 'Authorization'));
        entry = { account, allows: ipAllowlistMatcher(account.ipAllowlist), until: Date.now() + CACHE_TTL_MS };
        this.cache.set(hash, entry);
      }
      if (entry.account.status !== 'active') return next(new AppError(403, 'ACCOUNT_SUSPENDED', 'This account is suspended'));
      const ip = req.socket.remoteAddress ?? '';
      if (!entry.allows(ip)) return next(new AppError(403, 'IP_NOT_ALLOWED', `Requests from ${ip} are not in this account's IP allowlist`));
      req.account = entry.account;
      next();
    };
  }

  admin(): RequestHandler {
    return (req, _res, next) => {
      const key = bearer(req);
      if (!key || !safeEqual(key, this.adminKey)) return next(new AppError(401, 'ADMIN_KEY_REQUIRED', 'This route needs the admin key (ADMIN_KEY)', 'Authorization'));
      next();
    };
  }
}
