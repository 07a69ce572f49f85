import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../../src/accounts/account.js';
import { AccountRepository } from '../../../src/accounts/account.repository.js';
import type { Db } from '../../../src/db/db-client.js';
import { errorHandler } from '../../../src/http/error-handler.js';
import { reportsRouter } from '../../../src/http/routes/reports.routes.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { ReportRepository } from '../../../src/receipts/report.repository.js';
import { engines, openTestDb } from '../../support/databases.js';

describe.each(engines)('reports routes on %s', (engine) => {
  let db: Db;
  let accounts: AccountRepository;
  let repo: ReportRepository;

  beforeAll(async () => {
    db = await openTestDb(engine);
    accounts = new AccountRepository(db);
    repo = new ReportRepository(db);
  });
  afterAll(async () => db?.close());

  /** The app as mounted in production: authentication (here: a fixed account) before the router. */
  function appFor(account: Account) {
    const app = express();
    app.use((req, _res, next) => {
      req.account = account;
      next();
    });
    app.use(reportsRouter({ reports: repo }));
    app.use(errorHandler(silentLogger));
    return app;
  }

  async function withReports(n: number) {
    const { account } = await accounts.create({ name: 'puller', reportMode: 'pull' });
    const ids = await repo.enqueue(Array.from({ length: n }, (_, i) => ({
      accountId: account.id, kind: 'status' as const, messageId: `m${i}`, payload: { type: 'status', messageId: `m${i}`, status: 'delivered' },
    })));
    return { account, ids, app: appFor(account) };
  }

  it('when pulling, then pending reports come oldest first with reportId, a next cursor and hasMore', async () => {
    const { ids, app } = await withReports(5);

    const page1 = await request(app).get('/v1/reports?limit=3').expect(200);
    const page2 = await request(app).get(`/v1/reports?after=${page1.body.next}&limit=3`).expect(200);

    expect(page1.body).toEqual({
      reports: ids.slice(0, 3).map((id, i) => ({ reportId: id, type: 'status', messageId: `m${i}`, status: 'delivered' })),
      next: ids[2],
      hasMore: true,
    });
    expect(page2.body.reports.map((r: { reportId: number }) => r.reportId)).toEqual(ids.slice(3));
    expect(page2.body.hasMore).toBe(false);
  });

  it('when nothing is pending after the cursor, then the cursor stays where it was', async () => {
    const { ids, app } = await withReports(1);

    const res = await request(app).get(`/v1/reports?after=${ids[0]}`).expect(200);

    expect(res.body).toEqual({ reports: [], next: ids[0], hasMore: false });
  });

  it('when acking, then those reports are never returned again and a repeat ack changes nothing', async () => {
    const { ids, app } = await withReports(3);

    const ack = await request(app).post('/v1/reports/ack').send({ ids: [ids[0], String(ids[1])] }).expect(200);
    const again = await request(app).post('/v1/reports/ack').send({ ids: [ids[0]] }).expect(200);
    const left = await request(app).get('/v1/reports').expect(200);

    expect(ack.body).toEqual({ acked: 2 });
    expect(again.body).toEqual({ acked: 0 });
    expect(left.body.reports.map((r: { reportId: number }) => r.reportId)).toEqual([ids[2]]);
  });

  it('when an account pulls or acks, then it never sees or touches another account\'s reports', async () => {
    const mine = await withReports(2);
    const theirs = await withReports(2);

    const pulled = await request(mine.app).get('/v1/reports').expect(200);
    const ack = await request(mine.app).post('/v1/reports/ack').send({ ids: theirs.ids }).expect(200);

    expect(pulled.body.reports.map((r: { reportId: number }) => r.reportId)).toEqual(mine.ids);
    expect(ack.body).toEqual({ acked: 0 });
    expect((await repo.listForPull(theirs.account.id, 0, 10))).toHaveLength(2);
  });

  it('when the query is invalid, then 400 names the field with a stable code', async () => {
    const { app } = await withReports(0);

    const cases: Array<[string, string, string]> = [
      ['/v1/reports?limit=0', 'INVALID_LIMIT', 'limit'],
      ['/v1/reports?limit=1001', 'INVALID_LIMIT', 'limit'],
      ['/v1/reports?limit=abc', 'INVALID_LIMIT', 'limit'],
      ['/v1/reports?after=-1', 'INVALID_CURSOR', 'after'],
      ['/v1/reports?after=1&after=2', 'INVALID_CURSOR', 'after'],
    ];
    for (const [url, code, field] of cases) {
      const res = await request(app).get(url).expect(400);
      expect(res.body.error, url).toMatchObject({ code, field });
    }
  });

  it('when the ack body is invalid, then 400 names the field with a stable code', async () => {
    const { app } = await withReports(0);

    const cases: Array<[unknown, string]> = [
      [{}, 'ids'],
      [{ ids: [] }, 'ids'],
      [{ ids: 'abc' }, 'ids'],
      [{ ids: [1, 'x'] }, 'ids.1'],
      [{ ids: [1.5] }, 'ids.0'],
      [{ ids: Array.from({ length: 1001 }, (_, i) => i + 1) }, 'ids'],
    ];
    for (const [body, field] of cases) {
      const res = await request(app).post('/v1/reports/ack').send(body as object).expect(400);
      expect(res.body.error, JSON.stringify(body).slice(0, 40)).toMatchObject({ code: 'INVALID_IDS', field });
    }
    const bad = await request(app).post('/v1/reports/ack').set('content-type', 'application/json').send('{"ids": [').expect(400);
    expect(bad.body.error.code).toBe('INVALID_JSON');
  });
});
