import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountRepository, type NewAccount } from '../../../src/accounts/account.repository.js';
import type { Db } from '../../../src/db/db-client.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { CallbackPusher, type CallbackPusherOptions } from '../../../src/receipts/callback-pusher.js';
import { verifyCallbackSignature } from '../../../src/receipts/callback-signer.js';
import { ReportRepository, type NewReport } from '../../../src/receipts/report.repository.js';
import { engines, openTestDb } from '../../support/databases.js';
import { startCallbackServer, type CallbackServer } from './callback-server.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(engines)('CallbackPusher on %s', (engine) => {
  let db: Db;
  let accounts: AccountRepository;
  let repo: ReportRepository;
  let servers: CallbackServer[] = [];
  let clock: number;
  const now = () => new Date(clock);

  beforeAll(async () => {
    db = await openTestDb(engine);
    accounts = new AccountRepository(db);
    repo = new ReportRepository(db);
  });
  afterAll(async () => db?.close());
  // Tests share one database; park what earlier tests left pending so each tick sees only its own.
  beforeEach(async () => {
    await db.query(`update reports set state = 'dead' where state = 'pending'`);
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  async function server(): Promise<CallbackServer> {
    const s = await startCallbackServer();
    servers.push(s);
    return s;
  }

  /** An account whose reports only this test sees; a fresh fake clock a little ahead of real time. */
  async function setup(input: NewAccount, n: number, extra: Partial<NewReport> = {}) {
    clock = Date.now() + 1_000;
    const { account } = await accounts.create(input);
    const reports: NewReport[] = Array.from({ length: n }, (_, i) => ({
      accountId: account.id, kind: 'status', messageId: `msg_${i}`, payload: { type: 'status', messageId: `msg_${i}`, status: 'delivered' }, ...extra,
    }));
    const ids = await repo.enqueue(reports, now());
    return { account, ids };
  }

  const pusher = (opts: Partial<CallbackPusherOptions> = {}) =>
    new CallbackPusher({ db, logger: silentLogger, batchSize: 100, timeoutMs: 2_000, tickMs: 100, now, ...opts });

  it('when reports are due, then they arrive as signed JSON batches of at most batchSize and are marked delivered', async () => {
    const cb = await server();
    const { account, ids } = await setup({ name: 'batching', callbackUrl: `${cb.url}/hook`, callbackRatePerS: 10_000 }, 250);

    const result = await pusher().tick();

    expect(result).toMatchObject({ requests: 3, delivered: 250, retried: 0, dead: 0 });
    expect(cb.received.map((r) => r.reports.length)).toEqual([100, 100, 50]);
    for (const req of cb.received) {
      expect(req.path).toBe('/hook');
      expect(req.headers['content-type']).toBe('application/json');
      expect(verifyCallbackSignature(account.callbackSecret, req.headers['x-signature'] as string, req.body, 300, clock)).toBe(true);
    }
    expect(cb.reportIds()).toEqual(ids);
    expect(cb.received[0].reports[0]).toEqual({ reportId: ids[0], type: 'status', messageId: 'msg_0', status: 'delivered' });
    expect((await repo.findById(ids[249]))!.state).toBe('delivered');
  });

  it('when a report carries its own callback URL, then it goes there instead of the account URL', async () => {
    const accountCb = await server();
    const messageCb = await server();
    const { account } = await setup({ name: 'override', callbackUrl: accountCb.url }, 2);
    const [own] = await repo.enqueue([{ accountId: account.id, kind: 'status', callbackUrl: `${messageCb.url}/mine`, payload: { type: 'status' } }], now());

    await pusher().tick();

    expect(accountCb.reportIds()).toHaveLength(2);
    expect(messageCb.reportIds()).toEqual([own]);
    expect(messageCb.received[0].path).toBe('/mine');
  });

  it('when an account has no callback URL or pulls, then its reports stay pending for the pull API', async () => {
    const { ids: noUrl } = await setup({ name: 'no-url' }, 3);
    const { ids: pull } = await setup({ name: 'pull', reportMode: 'pull', callbackUrl: 'http://127.0.0.1:9/never' }, 3);

    const result = await pusher().tick();

    expect(result.requests).toBe(0);
    for (const id of [...noUrl, ...pull]) expect((await repo.findById(id))!.state).toBe('pending');
  });

  it('when an account bursts 1,000 reports at 200/s, then the first second of tokens goes at once and the other 800 take 4 s of clock', async () => {
    const cb = await server();
    const { ids } = await setup({ name: 'trickle', callbackUrl: cb.url, callbackRatePerS: 200 }, 1_000);
    const p = pusher();
    const start = clock;
    const deliveredAt: number[] = [];

    while (cb.reportIds().length < 1_000 && clock - start < 10_000) {
      const before = cb.reportIds().length;
      await p.tick();
      for (let i = before; i < cb.reportIds().length; i++) deliveredAt.push(clock - start);
      clock += 100;
    }

    // A full bucket (one second of tokens) goes at once, then 200/s: 800 more need 4 s.
    expect(cb.reportIds()).toEqual(ids);
    expect(deliveredAt[999]).toBeGreaterThanOrEqual(3_900);
    expect(deliveredAt[999]).toBeLessThanOrEqual(4_200);
    for (let s = 0; s < 4_000; s += 100) {
      const inWindow = deliveredAt.filter((t) => t >= s + 1_000 && t < s + 2_000).length;
      expect(inWindow).toBeLessThanOrEqual(200);
    }
    expect(Math.max(...cb.received.map((r) => r.reports.length))).toBeLessThanOrEqual(100);
  });

  it('when the endpoint fails, then the batch is retried retryIntervalMs later with the error kept', async () => {
    const cb = await server();
    cb.respond = () => ({ status: 500 });
    const { ids } = await setup({ name: 'failing', callbackUrl: cb.url }, 3);
    const p = pusher({ retryIntervalMs: 5 * MIN });
    const failedAt = clock;

    const first = await p.tick();
    clock += 4 * MIN;
    const early = await p.tick();

    expect(first).toMatchObject({ requests: 1, retried: 3, delivered: 0 });
    expect(early.requests).toBe(0);
    const stored = await repo.findById(ids[0]);
    expect(stored).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(stored!.nextAttemptAt.getTime()).toBe(failedAt + 5 * MIN);

    cb.respond = () => ({ status: 204 });
    clock = failedAt + 5 * MIN;
    const retried = await p.tick();

    expect(retried).toMatchObject({ requests: 1, delivered: 3 });
    expect(await repo.findById(ids[0])).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(cb.received).toHaveLength(2);
  });

  it('when the endpoint does not answer in time, then the push counts as failed', async () => {
    const cb = await server();
    cb.respond = () => ({ status: 200, delayMs: 1_000 });
    const { ids } = await setup({ name: 'slow', callbackUrl: cb.url }, 1);

    const result = await pusher({ timeoutMs: 150 }).tick();

    expect(result.retried).toBe(1);
    expect((await repo.findById(ids[0]))!.lastError).toBe('timeout after 150 ms');
  });

  it('when a report still fails 24 h after creation, then it is marked dead and never sent again', async () => {
    const cb = await server();
    cb.respond = () => ({ status: 503 });
    const { ids } = await setup({ name: 'dead', callbackUrl: cb.url }, 2);
    const created = clock;
    const p = pusher({ retryIntervalMs: 5 * MIN, giveUpAfterMs: 24 * HOUR });

    await p.tick();
    clock = created + 23 * HOUR + 50 * MIN;
    const beforeDeadline = await p.tick();
    clock = created + 23 * HOUR + 57 * MIN;
    const last = await p.tick();
    clock = created + 48 * HOUR;
    const after = await p.tick();

    expect(beforeDeadline).toMatchObject({ retried: 2, dead: 0 });
    expect(last).toMatchObject({ retried: 0, dead: 2 });
    expect(after.requests).toBe(0);
    const stored = await repo.findById(ids[0]);
    expect(stored!.state).toBe('dead');
    expect(stored!.lastError).toMatch(/^gave up after 1440 min: HTTP 503/);
    expect(cb.received).toHaveLength(3);
  });

  it('when one account has a huge backlog, then another account is served in the same tick', async () => {
    const big = await server();
    const small = await server();
    await setup({ name: 'big', callbackUrl: big.url, callbackRatePerS: 2_000 }, 20_000);
    const { ids: smallIds } = await setup({ name: 'small', callbackUrl: small.url, callbackRatePerS: 200 }, 5);

    const result = await pusher().tick();

    expect(small.reportIds()).toEqual(smallIds);
    expect(big.reportIds()).toHaveLength(2_000);
    expect(result.accounts).toBeGreaterThanOrEqual(2);
  });

  it('when one account\'s endpoint hangs, then the running pusher keeps delivering another account\'s reports', async () => {
    const hanging = await server();
    hanging.respond = () => ({ status: 200, delayMs: 3_000 });
    const healthy = await server();
    await setup({ name: 'hanging', callbackUrl: hanging.url }, 50);
    clock = Date.now();
    const p = new CallbackPusher({ db, logger: silentLogger, timeoutMs: 5_000, tickMs: 20 }); // real clock
    p.start();
    try {
      await waitFor(() => hanging.received.length > 0);
      const { account } = await accounts.create({ name: 'healthy', callbackUrl: healthy.url });
      await repo.enqueue([{ accountId: account.id, kind: 'mo', payload: { type: 'mo' } }]);
      const t0 = Date.now();

      await waitFor(() => healthy.received.length > 0);

      expect(Date.now() - t0).toBeLessThan(1_500);
      expect(hanging.received).toHaveLength(1); // its drain is still waiting on the first request
    } finally {
      await p.stop();
    }
  });

  it('when two pushers drain the same reports concurrently, then no report is sent twice', async () => {
    const cb = await server();
    const { ids } = await setup({ name: 'concurrent', callbackUrl: cb.url, callbackRatePerS: 100_000 }, 600);
    const a = pusher({ batchSize: 25, maxBatchesPerAccountPerTick: 2 });
    const b = pusher({ batchSize: 25, maxBatchesPerAccountPerTick: 2 });

    for (let i = 0; i < 40 && cb.reportIds().length < 600; i++) await Promise.all([a.tick(), b.tick()]);

    const received = cb.reportIds();
    expect(received).toHaveLength(600);
    expect(new Set(received).size).toBe(600);
    expect([...received].sort((x, y) => x - y)).toEqual(ids);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
