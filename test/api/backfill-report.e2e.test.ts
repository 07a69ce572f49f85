/**
 * GET /v1/reports/backfill through the real platform: attempts inserted with SQL (the verification
 * API that writes them is tested on its own), the answer compared with a hand count in JSON and CSV,
 * each account seeing only its own attempts, and bad parameters answered 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { expectedReport, generateAttempts, insertAttempts, type SeedAttempt } from '../support/backfill-seed.js';
import { createFundedAccount, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

const PERIOD = 'from=2030-05-02&until=2030-05-05';
const from = new Date('2030-05-02T00:00:00Z');
const until = new Date('2030-05-05T00:00:00Z');

/** Minimal RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe.each(engines)('backfill report API on %s', (engine) => {
  let t: TestPlatform;
  let acme: Awaited<ReturnType<typeof createFundedAccount>>;
  let other: Awaited<ReturnType<typeof createFundedAccount>>;
  let seeded: SeedAttempt[];

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acme = await createFundedAccount(t, { name: 'Acme', extension: '31' });
    other = await createFundedAccount(t, { name: 'Other', extension: '32' });
    seeded = generateAttempts({ seed: 2030, accountIds: [acme.id, acme.id, other.id], verifications: 300, start: new Date('2030-05-01T00:00:00Z'), days: 5 });
    await insertAttempts(t.platform.db, seeded);
  });
  afterAll(async () => t?.stop());

  it('when grouped by country, route and day, then the JSON rows and totals equal the hand count over the raw attempts', async () => {
    const res = await t.api.get(`/v1/reports/backfill?${PERIOD}&groupBy=country,route,day`).set(acme.auth).expect(200).expect('Content-Type', /json/);

    const expected = expectedReport(seeded, { accountId: acme.id, from, until, groupBy: ['country', 'route', 'day'] });
    expect(res.body).toEqual({ from: from.toISOString(), until: until.toISOString(), tz: 'UTC', groupBy: ['country', 'route', 'day'], ...expected });
    expect(res.body.rows.length).toBeGreaterThan(20);
  });

  it('when two accounts read the same period, then each report counts only its own attempts', async () => {
    const mine = await t.api.get(`/v1/reports/backfill?${PERIOD}&groupBy=route`).set(acme.auth).expect(200);
    const theirs = await t.api.get(`/v1/reports/backfill?${PERIOD}&groupBy=route`).set(other.auth).expect(200);

    expect(theirs.body.rows).toEqual(expectedReport(seeded, { accountId: other.id, from, until, groupBy: ['route'] }).rows);
    expect(mine.body.totals.attempts).toBe(seeded.filter((a) => a.accountId === acme.id && a.createdAt >= from && a.createdAt < until).length);
    expect(mine.body.totals.attempts + theirs.body.totals.attempts).toBe(seeded.filter((a) => a.createdAt >= from && a.createdAt < until).length);
  });

  it('when CSV is asked for, then it has a header and one record per JSON row with the same values (null = empty)', async () => {
    const json = await t.api.get(`/v1/reports/backfill?${PERIOD}&groupBy=sender,channel`).set(acme.auth).expect(200);

    const res = await t.api.get(`/v1/reports/backfill?${PERIOD}&groupBy=sender,channel`).set(acme.auth).set('Accept', 'text/csv').expect(200);

    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=backfill-2030-05-02-2030-05-05.csv');
    const [header, ...records] = parseCsv(res.text);
    expect(header).toEqual(['sender', 'channel', 'attempts', 'sent', 'delivered', 'verified', 'backfillRate', 'deliveryRate', 'medianTimeToVerifyMs', 'p90TimeToVerifyMs']);
    expect(records).toEqual(json.body.rows.map((r: Record<string, unknown>) => header.map((h) => (r[h] === null ? '' : String(r[h])))));
    expect(records.some((r) => r[0] === 'Acme, Inc.')).toBe(true); // a quoted field survived the round trip
  });

  it('when a time zone is given, then the days are that zone\'s', async () => {
    const res = await t.api.get('/v1/reports/backfill?from=2030-05-02&until=2030-05-04&groupBy=day&tz=America/Sao_Paulo').set(acme.auth).expect(200);

    const q = { accountId: acme.id, from: new Date('2030-05-02T03:00:00Z'), until: new Date('2030-05-04T03:00:00Z'), groupBy: ['day' as const], timeZone: 'America/Sao_Paulo' };
    expect(res.body).toMatchObject({ from: q.from.toISOString(), until: q.until.toISOString(), tz: 'America/Sao_Paulo' });
    expect(res.body.rows).toEqual(expectedReport(seeded, q).rows);
    expect(res.body.rows.map((r: { day: string }) => r.day)).toEqual(['2030-05-02', '2030-05-03']);
  });

  it.each([
    ['until=2030-05-05', 'INVALID_REPORT_PERIOD', 'from'],
    ['from=2030-05-05&until=2030-05-02', 'INVALID_REPORT_PERIOD', 'until'],
    ['from=2030-01-01&until=2031-06-01', 'INVALID_REPORT_PERIOD', 'until'],
    ['from=yesterday&until=2030-05-02', 'INVALID_REPORT_PERIOD', 'from'],
    [`${PERIOD}&groupBy=country,carrier`, 'INVALID_GROUP_BY', 'groupBy'],
    [`${PERIOD}&tz=Mars/Base`, 'INVALID_TIME_ZONE', 'tz'],
  ])('when the query is %s, then it is 400 %s naming %s', async (query, code, field) => {
    const res = await t.api.get(`/v1/reports/backfill?${query}`).set(acme.auth).expect(400);

    expect(res.body.error).toMatchObject({ code, field, message: expect.stringContaining(field) });
  });

  it('when an operator turns on backfill routing for otp, then the account keeps it; an unknown category is refused naming the field', async () => {
    const before = await t.api.get(`/v1/admin/accounts/${other.id}`).set(other.admin).expect(200);
    expect(before.body.settings.backfillRouting).toEqual([]);

    const on = await t.api.patch(`/v1/admin/accounts/${other.id}`).set(other.admin).send({ settings: { backfillRouting: ['otp', 'otp'] } }).expect(200);
    const bad = await t.api.patch(`/v1/admin/accounts/${other.id}`).set(other.admin).send({ settings: { backfillRouting: ['international'] } }).expect(400);

    expect(on.body.settings.backfillRouting).toEqual(['otp']);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'settings.backfillRouting.0' });
  });

  it('when there is no API key, then the report is refused', async () => {
    await t.api.get(`/v1/reports/backfill?${PERIOD}`).expect(401);
  });
});
