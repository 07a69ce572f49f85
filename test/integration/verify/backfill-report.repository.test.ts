/**
 * The backfill report's numbers against a hand count over the raw seeded attempts, on both
 * engines: every groupBy shape, a time zone, period edges, tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../../src/accounts/account.repository.js';
import type { Db } from '../../../src/db/db-client.js';
import { BackfillReportRepository } from '../../../src/verify/backfill-report.repository.js';
import type { BackfillDimension } from '../../../src/verify/backfill-report.js';
import { startOfDay } from '../../../src/verify/backfill-report-params.js';
import { expectedReport, generateAttempts, insertAttempts, type SeedAttempt } from '../../support/backfill-seed.js';
import { engines, openTestDb } from '../../support/databases.js';

const START = new Date('2030-03-01T00:00:00Z');

describe.each(engines)('BackfillReportRepository on %s', (engine) => {
  let db: Db;
  let repo: BackfillReportRepository;
  let seeded: SeedAttempt[];
  let acme: string;
  let other: string;

  beforeAll(async () => {
    db = await openTestDb(engine);
    const accounts = new AccountRepository(db);
    acme = (await accounts.create({ name: 'acme' })).account.id;
    other = (await accounts.create({ name: 'other' })).account.id;
    seeded = generateAttempts({ seed: 7, accountIds: [acme, acme, acme, other], verifications: 400, start: START, days: 6 });
    await insertAttempts(db, seeded);
    repo = new BackfillReportRepository(db);
  });
  afterAll(async () => db?.close());

  const period = { from: new Date('2030-03-02T00:00:00Z'), until: new Date('2030-03-06T00:00:00Z') };

  it('when the seed is read back, then it has a realistic mix (sanity of the fixture itself)', () => {
    const mine = seeded.filter((a) => a.accountId === acme);
    expect(mine.length).toBeGreaterThan(300);
    expect(mine.filter((a) => a.sentAt === null).length).toBeGreaterThan(5);
    expect(mine.filter((a) => a.verifiedAt !== null).length).toBeGreaterThan(100);
    expect(new Set(mine.map((a) => a.route)).size).toBeGreaterThanOrEqual(5);
  });

  const shapes: BackfillDimension[][] = [
    [], ['country'], ['route'], ['channel'], ['sender'], ['day'],
    ['country', 'route', 'day'], ['day', 'route'], ['sender', 'channel', 'day', 'country', 'route'],
  ];
  it.each(shapes.map((s) => [s.join(',') || '(none)', s] as const))('when grouped by %s, then every row equals the hand count', async (_name, groupBy) => {
    const q = { accountId: acme, ...period, groupBy, timeZone: 'UTC' };

    const report = await repo.report(q);

    const expected = expectedReport(seeded, q);
    expect(report.rows).toEqual(expected.rows);
    expect(report.totals).toEqual(expected.totals);
    expect(report).toMatchObject({ from: period.from.toISOString(), until: period.until.toISOString(), tz: 'UTC', groupBy });
  });

  it('when a time zone is given, then days are cut at its midnight and match the hand count', async () => {
    const timeZone = 'Asia/Shanghai';
    const q = { accountId: acme, from: startOfDay(2030, 3, 2, timeZone), until: startOfDay(2030, 3, 5, timeZone), groupBy: ['day', 'route'] as BackfillDimension[], timeZone };

    const report = await repo.report(q);

    expect(report.rows).toEqual(expectedReport(seeded, q).rows);
    expect(new Set(report.rows.map((r) => r.day))).toEqual(new Set(['2030-03-02', '2030-03-03', '2030-03-04']));
  });

  it('when an attempt is created exactly at from or at until, then from is included and until is not; an unsent one counts only as an attempt', async () => {
    const at = (iso: string, id: string): SeedAttempt => ({
      id, verificationId: `ver_${id}`, accountId: acme, seq: 1, channel: 'sms', route: 'edge-route', connection: null, senderId: null, country: 'ZZ',
      createdAt: new Date(iso), sentAt: new Date(iso), deliveredAt: null, verifiedAt: null,
    });
    // Never left the platform, yet carries receipt and approval times (should not happen): still not sent.
    const unsent = { ...at('2030-04-01T12:00:00.000Z', 'edge_unsent'), sentAt: null, deliveredAt: new Date('2030-04-01T12:00:05Z'), verifiedAt: new Date('2030-04-01T12:00:30Z') };
    await insertAttempts(db, [at('2030-04-01T00:00:00.000Z', 'edge_in'), at('2030-04-02T00:00:00.000Z', 'edge_out'), at('2030-03-31T23:59:59.999Z', 'edge_before'), unsent]);

    const report = await repo.report({ accountId: acme, from: new Date('2030-04-01T00:00:00Z'), until: new Date('2030-04-02T00:00:00Z'), groupBy: ['route'], timeZone: 'UTC' });

    expect(report.rows).toEqual([{ route: 'edge-route', attempts: 2, sent: 1, delivered: 0, verified: 0, backfillRate: 0, deliveryRate: 0, medianTimeToVerifyMs: null, p90TimeToVerifyMs: null }]);
  });

  it('when another account has attempts in the period, then neither report counts the other one\'s', async () => {
    const q = { ...period, groupBy: ['route'] as BackfillDimension[], timeZone: 'UTC' };

    const mine = await repo.report({ accountId: acme, ...q });
    const theirs = await repo.report({ accountId: other, ...q });

    expect(mine.totals).toEqual(expectedReport(seeded, { accountId: acme, ...q }).totals);
    expect(theirs.rows).toEqual(expectedReport(seeded, { accountId: other, ...q }).rows);
    expect(mine.totals.attempts + theirs.totals.attempts).toBe(seeded.filter((a) => a.createdAt >= period.from && a.createdAt < period.until).length);
  });

  it('when the period holds no attempts, then there are no rows and the totals are zero with null rates', async () => {
    const report = await repo.report({ accountId: acme, from: new Date('2031-01-01Z'), until: new Date('2031-01-02Z'), groupBy: [], timeZone: 'UTC' });

    expect(report.rows).toEqual([]);
    expect(report.totals).toEqual({ attempts: 0, sent: 0, delivered: 0, verified: 0, backfillRate: null, deliveryRate: null, medianTimeToVerifyMs: null, p90TimeToVerifyMs: null });
  });

  it.each([[['day']], [['route']]] as BackfillDimension[][][])('when the time zone is unknown (grouped by %j), then the caller gets INVALID_TIME_ZONE', async (groupBy) => {
    await expect(repo.report({ accountId: acme, ...period, groupBy, timeZone: 'Mars/Olympus_Mons' }))
      .rejects.toMatchObject({ status: 400, code: 'INVALID_TIME_ZONE', field: 'tz' });
  });

  it('when the period crosses a daylight-saving change, then days still start at local midnight on both sides', async () => {
    // New York moves to EDT on 2030-03-10: midnight is 05:00Z before, 04:00Z after.
    const dst = generateAttempts({ seed: 8, accountIds: [acme], verifications: 200, start: new Date('2030-03-08T05:00:00Z'), days: 4 });
    await insertAttempts(db, dst);
    const timeZone = 'America/New_York';
    const q = { accountId: acme, from: startOfDay(2030, 3, 8, timeZone), until: startOfDay(2030, 3, 12, timeZone), groupBy: ['day', 'channel'] as BackfillDimension[], timeZone };

    const report = await repo.report(q);

    expect(q.until.toISOString()).toBe('2030-03-12T04:00:00.000Z');
    expect(report.rows).toEqual(expectedReport([...seeded, ...dst], q).rows);
    expect([...new Set(report.rows.map((r) => r.day))]).toEqual(['2030-03-08', '2030-03-09', '2030-03-10', '2030-03-11']);
  });
});
