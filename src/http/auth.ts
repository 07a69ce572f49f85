/**
 * Bearer-key authentication with a short in-memory cache (a key lookup per request would cost a
 * database round trip on the hottest path), the per-account IP allowlist, and the admin key.
 */
import { BlockList, isIPv4 } from 'node:net';
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

/** Builds a matcher for a list of CIDRs or single addresses; an empty list allows everyone. */
export function ipAllowlistMatcher(cidrs: string[]): (ip: string) => boolean {
  if (cidrs.length === 0) return () => true;
  const list = new BlockList();
  for (const entry of cidrs) {
    const [addr, bits] = entry.split('/');
    const type = isIPv4(addr) ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return (ip) => {
    const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return list.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
  };
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
