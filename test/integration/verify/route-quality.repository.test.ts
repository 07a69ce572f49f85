import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../../src/accounts/account.repository.js';
import type { Db } from '../../../src/db/db-client.js';
import { RouteQualityRepository } from '../../../src/verify/route-quality.repository.js';
import { insertAttempts, type SeedAttempt } from '../../support/backfill-seed.js';
import { engines, openTestDb } from '../../support/databases.js';

const NOW = new Date('2030-06-01T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe.each(engines)('RouteQualityRepository on %s', (engine) => {
  let db: Db;
  let repo: RouteQualityRepository;
  let n = 0;
  const attempt = (accountId: string, route: string | null, minutesAgo: number, sent: boolean, verified: boolean): SeedAttempt => {
    const createdAt = ago(minutesAgo);
    const sentAt = sent ? new Date(createdAt.getTime() + 50) : null;
    n++;
    return {
      id: `att_rq${n}`, verificationId: `ver_rq${n}`, accountId, seq: 1, channel: 'sms', route, connection: null, senderId: null, country: 'VN',
      createdAt, sentAt, deliveredAt: null, verifiedAt: verified ? new Date(createdAt.getTime() + 20_000) : null,
    };
  };

  beforeAll(async () => {
    db = await openTestDb(engine);
    const accounts = new AccountRepository(db);
    const a = (await accounts.create({ name: 'a' })).account.id;
    const b = (await accounts.create({ name: 'b' })).account.id;
    await insertAttempts(db, [
      // In the window [now − 6 h, now − 10 min): counted, whichever account sent them.
      attempt(a, 'direct', 60, true, true), attempt(b, 'direct', 120, true, true), attempt(a, 'direct', 300, true, false),
      attempt(a, 'mixed', 30, true, false), attempt(b, 'mixed', 200, true, true),
      // Never left: not sent, even though (oddly) marked verified.
      attempt(a, 'mixed', 45, false, true),
      // Too old, too new (codes may still be entered), or without a route: left out.
      attempt(a, 'direct', 7 * 60, true, true), attempt(a, 'direct', 5, true, false), attempt(a, null, 60, true, true),
    ]);
    repo = new RouteQualityRepository(db);
  });
  afterAll(async () => db?.close());

  it('when read, then each route has the sent and verified attempts of every account in the settled window', async () => {
    const stats = await repo.recentBackfill(NOW);

    expect(Object.fromEntries(stats)).toEqual({ direct: { sent: 3, verified: 2 }, mixed: { sent: 2, verified: 1 } });
  });

  it('when the window is narrowed, then only attempts inside it count', async () => {
    const stats = await repo.recentBackfill(NOW, { lookbackMs: 90 * 60_000, settleMs: 40 * 60_000 });

    expect(Object.fromEntries(stats)).toEqual({ direct: { sent: 1, verified: 1 }, mixed: { sent: 0, verified: 0 } });
  });
});
