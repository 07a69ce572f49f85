import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../../src/accounts/account.repository.js';
import type { Db } from '../../../src/db/db-client.js';
import { ReportRepository, enqueueReports, type NewReport } from '../../../src/receipts/report.repository.js';
import { engines, openTestDb } from '../../support/databases.js';

describe.each(engines)('ReportRepository on %s', (engine) => {
  let db: Db;
  let accounts: AccountRepository;
  let repo: ReportRepository;

  beforeAll(async () => {
    db = await openTestDb(engine);
    accounts = new AccountRepository(db);
    repo = new ReportRepository(db);
  });
  afterAll(async () => db?.close());

  const reportsFor = (accountId: string, n: number, extra: Partial<NewReport> = {}): NewReport[] =>
    Array.from({ length: n }, (_, i) => ({ accountId, kind: 'status', messageId: `m${i}`, payload: { type: 'status', i, text: `a"b\\c,{}退订 ${i}` }, ...extra }));

  it('when enqueueing many reports, then one statement stores them all with payloads intact', async () => {
    const { account } = await accounts.create({ name: 'enqueue', callbackUrl: 'http://127.0.0.1:9/cb' });
    const t0 = performance.now();

    const ids = await repo.enqueue(reportsFor(account.id, 5_000));

    expect(ids).toHaveLength(5_000);
    expect(performance.now() - t0).toBeLessThan(5_000);
    const first = await repo.findById(Math.min(...ids));
    expect(first).toMatchObject({ accountId: account.id, kind: 'status', state: 'pending', attempts: 0 });
    expect(first!.payload).toEqual({ type: 'status', i: 0, text: 'a"b\\c,{}退订 0' });
  });

  it('when enqueueing inside a transaction that rolls back, then nothing is stored', async () => {
    const { account } = await accounts.create({ name: 'rollback' });

    await expect(db.transaction(async (tx) => {
      await enqueueReports(tx, reportsFor(account.id, 3));
      throw new Error('boom');
    })).rejects.toThrow('boom');

    expect(await repo.listForPull(account.id, 0, 10)).toHaveLength(0);
  });

  it('when claiming, then rows are leased (attempts + 1, leased until now + lease) and not claimed again', async () => {
    const { account } = await accounts.create({ name: 'claim', callbackUrl: 'http://127.0.0.1:9/account' });
    const now = new Date(Date.now() + 1_000);
    await repo.enqueue([...reportsFor(account.id, 2), ...reportsFor(account.id, 1, { callbackUrl: 'http://127.0.0.1:9/message' })], now);

    const claimed = await repo.claimDue(account.id, 10, { now, leaseMs: 60_000 });

    expect(claimed.map((r) => r.targetUrl)).toEqual(['http://127.0.0.1:9/account', 'http://127.0.0.1:9/account', 'http://127.0.0.1:9/message']);
    expect(claimed.every((r) => r.attempts === 1 && r.leasedUntil?.getTime() === now.getTime() + 60_000)).toBe(true);
    expect(await repo.claimDue(account.id, 10, { now })).toHaveLength(0);
    expect(await repo.claimDue(account.id, 10, { now: new Date(now.getTime() + 60_000) })).toHaveLength(3);
  });

  it('when more reports are due than the limit, then exactly limit are leased', async () => {
    const { account } = await accounts.create({ name: 'limit', callbackUrl: 'http://127.0.0.1:9/cb' });
    const now = new Date(Date.now() + 1_000);
    await repo.enqueue(reportsFor(account.id, 250), now);

    const claimed = await repo.claimDue(account.id, 100, { now });

    expect(claimed).toHaveLength(100);
    expect(await repo.claimDue(account.id, 1_000, { now })).toHaveLength(150);
  });

  it('when claiming without an account, then due pushable reports of every account are leased, within the limit', async () => {
    const { account: a } = await accounts.create({ name: 'any-a', callbackUrl: 'http://127.0.0.1:9/a' });
    const { account: b } = await accounts.create({ name: 'any-b', callbackUrl: 'http://127.0.0.1:9/b' });
    const { account: pull } = await accounts.create({ name: 'any-pull', reportMode: 'pull' });
    const ids = await repo.enqueue([...reportsFor(a.id, 1), ...reportsFor(b.id, 1), ...reportsFor(pull.id, 1)]);
    const later = new Date(Date.now() + 3_600_000);

    const claimed = await repo.claimDue(undefined, 100_000, { now: later });
    const again = await repo.claimDue(undefined, 5, { now: later });

    const claimedIds = claimed.map((r) => r.id);
    expect(claimedIds).toEqual(expect.arrayContaining(ids.slice(0, 2)));
    expect(claimedIds).not.toContain(ids[2]);
    expect(again).toHaveLength(0);
  });

  it('when several claimers race, then every report is claimed exactly once', async () => {
    const { account } = await accounts.create({ name: 'race', callbackUrl: 'http://127.0.0.1:9/cb' });
    const now = new Date(Date.now() + 1_000);
    await repo.enqueue(reportsFor(account.id, 400), now);

    const batches = await Promise.all(Array.from({ length: 8 }, () => repo.claimDue(account.id, 60, { now })));
    const more = await repo.claimDue(account.id, 1_000, { now });

    const ids = [...batches.flat(), ...more].map((r) => r.id);
    expect(ids).toHaveLength(400);
    expect(new Set(ids).size).toBe(400);
  });

  it('when an account has no URL or is in pull mode, then its reports are not claimable but a message URL is', async () => {
    const { account: noUrl } = await accounts.create({ name: 'no-url' });
    const { account: pull } = await accounts.create({ name: 'pull', reportMode: 'pull', callbackUrl: 'http://127.0.0.1:9/cb' });
    const now = new Date(Date.now() + 1_000);
    await repo.enqueue([
      ...reportsFor(noUrl.id, 2),
      ...reportsFor(noUrl.id, 1, { callbackUrl: 'http://127.0.0.1:9/own' }),
      ...reportsFor(pull.id, 2),
    ], now);

    const due = (await repo.dueAccounts(now)).map((a) => a.accountId);
    const claimed = await repo.claimDue(noUrl.id, 10, { now });

    expect(due).toContain(noUrl.id);
    expect(due).not.toContain(pull.id);
    expect(claimed.map((r) => r.targetUrl)).toEqual(['http://127.0.0.1:9/own']);
    expect(await repo.claimDue(pull.id, 10, { now })).toHaveLength(0);
    expect(await repo.listForPull(noUrl.id, 0, 10)).toHaveLength(3);
  });

  it('when marking, then only pending rows change state', async () => {
    const { account } = await accounts.create({ name: 'mark', callbackUrl: 'http://127.0.0.1:9/cb' });
    const [a, b, c] = await repo.enqueue(reportsFor(account.id, 3));
    const retryAt = new Date(Date.now() + 300_000);

    expect(await repo.markDelivered([a])).toBe(1);
    expect(await repo.markFailed([b], 'HTTP 500', retryAt)).toBe(1);
    expect(await repo.markDead([c], 'gave up')).toBe(1);
    expect(await repo.markDelivered([a, c])).toBe(0);

    expect((await repo.findById(a))!.state).toBe('delivered');
    expect(await repo.findById(b)).toMatchObject({ state: 'pending', lastError: 'HTTP 500', nextAttemptAt: retryAt });
    expect((await repo.findById(c))!).toMatchObject({ state: 'dead', lastError: 'gave up' });
  });

  it('when pulling by cursor and acking, then pages follow ids and acked reports disappear, per account', async () => {
    const { account } = await accounts.create({ name: 'puller', reportMode: 'pull' });
    const { account: other } = await accounts.create({ name: 'other', reportMode: 'pull' });
    const ids = await repo.enqueue(reportsFor(account.id, 5));
    const [otherId] = await repo.enqueue(reportsFor(other.id, 1));

    const page1 = await repo.listForPull(account.id, 0, 3);
    const page2 = await repo.listForPull(account.id, page1[2].id, 3);
    const ackedOther = await repo.ack(account.id, [otherId]);
    const acked = await repo.ack(account.id, page1.map((r) => r.id));
    const again = await repo.ack(account.id, page1.map((r) => r.id));

    expect(page1.map((r) => r.id)).toEqual(ids.slice(0, 3));
    expect(page2.map((r) => r.id)).toEqual(ids.slice(3));
    expect(ackedOther).toBe(0);
    expect(acked).toBe(3);
    expect(again).toBe(0);
    expect((await repo.listForPull(account.id, 0, 10)).map((r) => r.id)).toEqual(ids.slice(3));
    expect((await repo.findById(ids[0]))!.state).toBe('pulled');
    expect((await repo.findById(otherId))!.state).toBe('pending');
  });
});
