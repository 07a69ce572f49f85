/**
 * The console over HTTP (no browser): cookie flags, CSRF, the account's status, IP allowlist and key
 * rotation, tenant isolation, safe redirects, the CSV download, and a console without a report source.
 */
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRouter } from '../../../src/console/console.routes.js';
import { backfillPage } from '../../../src/console/reports/backfill.page.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { engines } from '../../support/databases.js';
import { createFundedAccount, startTestPlatform, type TestPlatform } from '../../support/test-platform.js';
import { seedAttempts } from '../../support/verification-seed.js';

type Jar = Record<string, string>;
const cookieHeader = (jar: Jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
const setCookies = (res: request.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

/** Applies a response's Set-Cookie headers to a jar (a cleared cookie leaves it). */
function remember(jar: Jar, res: request.Response): Jar {
  for (const c of setCookies(res)) {
    const [pair] = c.split(';');
    const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) delete jar[name];
    else jar[name] = value;
  }
  return jar;
}

const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe.each(engines)('console routes on %s', (engine) => {
  let t: TestPlatform;
  let acme: Awaited<ReturnType<typeof createFundedAccount>>;
  let other: Awaited<ReturnType<typeof createFundedAccount>>;

  async function loginForm(api = t.api): Promise<{ jar: Jar; token: string }> {
    const page = await api.get('/console/login').expect(200);
    const jar = remember({}, page);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    expect(token).toBe(jar.console_csrf);
    return { jar, token };
  }

  async function login(key: string, api = t.api): Promise<Jar> {
    const { jar, token } = await loginForm(api);
    const res = await api.post('/console/login').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: token, apiKey: key }).expect(303);
    return remember(jar, res);
  }

  beforeAll(async () => {
    t = await startTestPlatform(engine); // the real report repository behind the console
    acme = await createFundedAccount(t);
    other = await createFundedAccount(t, { name: 'Other <b>Co</b>', extension: '02' });
    await seedAttempts(t.platform.db, [
      { accountId: acme.id, route: 'direct', day: DAY, sent: 4, delivered: 4, verified: 3, verifySeconds: 8, sender: '=cmd|calc' },
      { accountId: other.id, route: 'direct', day: DAY, sent: 9, delivered: 9, verified: 9, verifySeconds: 8 },
    ]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('when a customer logs in, then the session and CSRF cookies are HttpOnly, SameSite=Lax, scoped to /console, and the page is locked down', async () => {
    // Arrange
    const { jar, token } = await loginForm();

    // Act
    const res = await t.api.post('/console/login').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: token, apiKey: acme.key });

    // Assert
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/reports/backfill');
    const session = setCookies(res).find((c) => c.startsWith('console_session='))!;
    expect(session).toMatch(/; Path=\/console/);
    expect(session).toMatch(/; Expires=/);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).not.toMatch(/Secure/);
    const renewed = remember({ ...jar }, res);
    expect(renewed.console_csrf).not.toBe(token);
    const page = await t.api.get('/console/reports/backfill').set('Cookie', cookieHeader(renewed)).expect(200).expect('Content-Type', /html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('when a form is posted without the CSRF token or with another one, then it is refused', async () => {
    const { jar, token } = await loginForm();
    const missing = await t.api.post('/console/login').set('Cookie', cookieHeader(jar)).type('form').send({ apiKey: acme.key });
    const forged = await t.api.post('/console/login').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), apiKey: acme.key });
    const noCookie = await t.api.post('/console/login').type('form').send({ _csrf: token, apiKey: acme.key });
    for (const res of [missing, forged, noCookie]) {
      expect(res.status).toBe(403);
      expect(res.text).toContain('This form has expired or did not come from the console');
      expect(setCookies(res).some((c) => c.startsWith('console_session='))).toBe(false);
    }
    const jarIn = await login(acme.key);
    const logout = await t.api.post('/console/logout').set('Cookie', cookieHeader(jarIn)).type('form').send({});
    expect(logout.status).toBe(403);
  });

  it('when the session cookie is forged or absent, then pages redirect to the login page with the way back', async () => {
    const jar = await login(acme.key);
    const forged = { ...jar, console_session: jar.console_session.replace(acme.id, other.id) };
    for (const j of [forged, {}]) {
      const res = await t.api.get('/console/reports/backfill?groupBy=day').set('Cookie', cookieHeader(j)).expect(303);
      expect(res.headers.location).toBe(`/console/login?next=${encodeURIComponent('/console/reports/backfill?groupBy=day')}`);
    }
  });

  it('when each tenant reads the report, then each sees only its own attempts, under its own escaped name', async () => {
    const acmePage = await t.api.get(`/console/reports/backfill?from=${DAY}&until=${DAY}`).set('Cookie', cookieHeader(await login(acme.key))).expect(200);
    const otherPage = await t.api.get(`/console/reports/backfill?from=${DAY}&until=${DAY}`).set('Cookie', cookieHeader(await login(other.key))).expect(200);
    const cells = (html: string) => [...html.matchAll(/<td class="num">([^<]*)<\/td>/g)].slice(0, 4).map((m) => m[1]);
    expect(cells(acmePage.text)).toEqual(['4', '4', '3', '75.0%']);
    expect(cells(otherPage.text)).toEqual(['9', '9', '9', '100.0%']);
    expect(otherPage.text).toContain('Other &lt;b&gt;Co&lt;/b&gt;');
  });

  it('when the table is grouped by route and day itself, then the chart is drawn from the same report', async () => {
    const page = await t.api.get(`/console/reports/backfill?from=${DAY}&until=${DAY}&groupBy=day,route`).set('Cookie', cookieHeader(await login(acme.key))).expect(200);
    expect([...page.text.matchAll(/data-series="([^"]+)"/g)].map((m) => m[1])).toEqual(['direct']);
    expect(page.text).toContain('<title>direct, ' + DAY.slice(5) + ': 75%</title>');
  });

  it('when the CSV is downloaded with the session, then it is the same report with formula-like cells defused', async () => {
    const jar = await login(acme.key);
    const res = await t.api.get(`/console/reports/backfill.csv?from=${DAY}&until=${DAY}&groupBy=route,sender`).set('Cookie', cookieHeader(jar)).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="backfill-${DAY}-to-${DAY}.csv"`);
    expect(res.text).toBe('route,sender,sent,delivered,verified,backfillRate,deliveryRate,medianTimeToVerifyMs,p90TimeToVerifyMs\r\n'
      + `direct,'=cmd|calc,4,4,3,0.75,1,8000,8000\r\n`);
    const bad = await t.api.get('/console/reports/backfill.csv?from=yesterday').set('Cookie', cookieHeader(jar)).expect(400);
    expect(bad.text).toContain('from must be a date written YYYY-MM-DD');
    const badPage = await t.api.get('/console/reports/backfill?groupBy=carrier').set('Cookie', cookieHeader(jar)).expect(400);
    expect(badPage.text).toContain('groupBy accepts country, channel, route, sender, day; not carrier');
  });

  it('when the account is outside its IP allowlist or suspended, then it can neither log in nor keep using a session', async () => {
    // Arrange
    const account = await createFundedAccount(t, { name: 'Locked', extension: '03' });
    const jar = await login(account.key);
    const path = `/v1/admin/accounts/${account.id}`;

    // Act + Assert: the allowlist, then the status.
    await t.api.patch(path).set(account.admin).send({ ipAllowlist: ['203.0.113.0/24'] }).expect(200);
    const page = await t.api.get('/console/reports/backfill').set('Cookie', cookieHeader(jar)).expect(403);
    expect(page.text).toMatch(/Requests from \S+ are not in this account&#x27;s IP allowlist/);
    const { jar: j2, token } = await loginForm();
    const refused = await t.api.post('/console/login').set('Cookie', cookieHeader(j2)).type('form').send({ _csrf: token, apiKey: account.key }).expect(403);
    expect(refused.text).toContain('IP allowlist');

    await t.api.patch(path).set(account.admin).send({ ipAllowlist: [], status: 'suspended' }).expect(200);
    expect((await t.api.get('/console/reports/backfill').set('Cookie', cookieHeader(jar)).expect(403)).text).toContain('This account is suspended.');
  });

  it('when the API key is rotated, then sessions opened with the old key end and the new key logs in', async () => {
    // Arrange
    const account = await createFundedAccount(t, { name: 'Rotating', extension: '04' });
    const jar = await login(account.key);
    await t.api.get('/console/reports/backfill').set('Cookie', cookieHeader(jar)).expect(200);

    // Act
    const rotated = await t.api.post(`/v1/admin/accounts/${account.id}/keys`).set(account.admin).expect(201);

    // Assert
    const res = await t.api.get('/console/reports/backfill').set('Cookie', cookieHeader(jar)).expect(303);
    expect(res.headers.location).toMatch(/^\/console\/login/);
    expect(setCookies(res).some((c) => /^console_session=;/.test(c))).toBe(true);
    await t.api.get('/console/reports/backfill').set('Cookie', cookieHeader(await login(rotated.body.apiKey))).expect(200);
  });

  it('when login carries a next address off the console, then it lands on the console home instead', async () => {
    for (const next of ['//evil.example/console/', 'https://evil.example/', '/v1/messages', '/console\\@evil.example']) {
      const { jar, token } = await loginForm();
      const res = await t.api.post('/console/login').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: token, apiKey: acme.key, next }).expect(303);
      expect(res.headers.location, next).toBe('/console/reports/backfill');
    }
    const page = await t.api.get('/console/login?next=//evil.example').expect(200);
    expect(page.text).toContain('name="next" value="/console/reports/backfill"');
  });

  it('when the console is used, then the JSON API is unchanged: a console cookie is no API credential', async () => {
    const jar = await login(acme.key);
    const res = await t.api.get('/v1/account').set('Cookie', cookieHeader(jar)).expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    await t.api.get('/console/assets/console.css').expect(200).expect('Content-Type', /text\/css/);
    const missing = await t.api.get('/console/no-such-page').set('Cookie', cookieHeader(jar)).expect(404).expect('Content-Type', /html/);
    expect(missing.text).toContain('There is no console page at this address.');
  });

  it('when no report source is wired in, then the page says the report is not available', async () => {
    // Arrange: the console alone, on the same accounts, without a source.
    const app = express().use('/console', consoleRouter({
      accounts: t.platform.accounts, logger: silentLogger, sessionSecret: t.platform.config.consoleSessionSecret,
      secureCookies: true, pages: [backfillPage({ source: undefined })],
    }));
    const api = request(app);

    // Act
    const { jar, token } = await loginForm(api);
    const res = await api.post('/console/login').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: token, apiKey: acme.key }).expect(303);
    const page = await api.get('/console/reports/backfill').set('Cookie', cookieHeader(remember(jar, res)));

    // Assert
    expect(setCookies(res).every((c) => /; Secure/.test(c))).toBe(true);
    expect(page.status).toBe(503);
    expect(page.text).toContain('The backfill report is not available on this server yet.');
  });
});
