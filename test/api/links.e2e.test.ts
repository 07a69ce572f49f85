/**
 * Short links through the real platform: POST/GET /v1/links, the public /s/ path on the listening
 * server (plain node:http before Express), clicks through Redis and the aggregator into the click
 * report, a personalised campaign sent as real SMS (delivered by the simulator) for the click rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 13; V2241A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80';
const WHATSAPP = 'WhatsApp/2.23.20.0 A';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const PERIOD = () => `from=${day(-1)}&until=${day(2)}`;

describe.each(engines)('short links and click reports on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let other: Awaited<ReturnType<typeof createFundedAccount>>;
  let base: string;

  beforeAll(async () => {
    t = await startTestPlatform(engine, { LINKS_DELIVERED_CACHE_MS: '0' });
    acc = await createFundedAccount(t, { name: 'Acme', extension: '41' });
    other = await createFundedAccount(t, { name: 'Other', extension: '42' });
    base = `http://127.0.0.1:${t.platform.ports.api}`;
  });
  afterAll(async () => t?.stop());

  /** A request to the listening server, as a handset would make it (no redirect following). */
  const open = (path: string, ua: string | null, method = 'GET') =>
    fetch(`${base}${path}`, { method, redirect: 'manual', headers: ua === null ? {} : { 'User-Agent': ua } });
  const report = async (auth: Record<string, string>, query: string) =>
    (await t.api.get(`/v1/reports/clicks?${PERIOD()}&${query}`).set(auth).expect(200)).body;
  const stored = async (code: string) =>
    Number((await t.platform.db.query<{ n: number }>('select count(*) as n from clicks where code = $1', [code]))[0].n);

  it('when a link is created, then it has a short URL under /s/ and GET /v1/links/:code shows it without clicks', async () => {
    const res = await t.api.post('/v1/links').set(acc.auth).send({ targetUrl: 'https://shop.example/促销?id=1', campaignId: 'spring', campaignName: 'Spring sale' }).expect(201);

    expect(res.body).toMatchObject({ kind: 'redirect', campaignId: 'spring', personalised: false, messageId: null, expiresAt: null, card: null });
    expect(res.body.url).toBe(`${base}/s/${res.body.code}`);
    expect(res.body.code).toMatch(/^[2-9a-km-np-zA-HJ-NP-Z]{8}$/);
    expect(res.body.targetUrl).toBe('https://shop.example/%E4%BF%83%E9%94%80?id=1');
    const got = await t.api.get(`/v1/links/${res.body.code}`).set(acc.auth).expect(200);
    expect(got.body).toEqual({ ...res.body, clicks: { pv: 0, uv: 0, buttonClicks: 0, bots: 0, lastClickAt: null } });
    await t.api.get(`/v1/links/${res.body.code}`).set(other.auth).expect(404);
  });

  it('when a redirect link is opened, then it answers 302 to the target and the clicks reach the link and the report; HEAD is kept as a bot', async () => {
    const link = (await t.api.post('/v1/links').set(acc.auth).send({ targetUrl: 'https://shop.example/a', campaignId: 'plain' }).expect(201)).body;

    const res = await open(`/s/${link.code}`, IPHONE);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/a');
    expect(res.headers.get('cache-control')).toBe('no-store');
    await open(`/s/${link.code}`, IPHONE); // same visitor again: PV 2, UV 1
    await open(`/s/${link.code}?utm=sms`, DESKTOP);
    expect((await open(`/s/${link.code}`, IPHONE, 'HEAD')).status).toBe(302);
    expect((await t.api.get(`/s/${link.code}`).set('User-Agent', ANDROID)).status).toBe(302); // the app itself (in-process callers)
    await waitFor(async () => (await stored(link.code)) === 5);

    const got = await t.api.get(`/v1/links/${link.code}`).set(acc.auth).expect(200);
    expect(got.body.clicks).toMatchObject({ pv: 4, uv: 3, bots: 1, buttonClicks: 0 });
    const body = await report(acc.auth, 'campaign=plain&groupBy=device');
    expect(body.rows.map((r: Record<string, unknown>) => [r.device, r.pv, r.uv, r.bots])).toEqual([['bot', 0, 0, 1], ['desktop', 1, 1, 0], ['mobile', 3, 2, 0]]);
    expect(body.source).toBe('clicks');
  });

  it('when a code is unknown or malformed, then a friendly HTML 404 page answers; an expired link gets a 410 page and no click', async () => {
    for (const path of ['/s/zzzzzzzz', '/s/not-a-code!', '/s/zzzzzzzz/b/buy']) {
      const res = await open(path, IPHONE);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('链接不存在');
    }
    const expiresAt = new Date(Date.now() + 1_000).toISOString();
    const link = (await t.api.post('/v1/links').set(acc.auth).send({ targetUrl: 'https://shop.example/flash', expiresAt }).expect(201)).body;
    expect((await open(`/s/${link.code}`, IPHONE)).status).toBe(302);
    await new Promise((r) => setTimeout(r, 1_100));

    const gone = await open(`/s/${link.code}`, IPHONE);

    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('链接已过期');
    await waitFor(async () => (await stored(link.code)) === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored(link.code)).toBe(1);
  });

  it('when a card link is opened, then the card page answers; its buttons record taps and redirect only to signed targets', async () => {
    const link = (await t.api.post('/v1/links').set(acc.auth)
      .send({ kind: 'card', card: { templateId: 'ctpl_coupon', variables: { name: '张三', amount: 20 } }, targetUrl: 'https://shop.example/coupon', campaignId: 'cards' }).expect(201)).body;
    expect(link.card).toEqual({ templateId: 'ctpl_coupon', variables: { name: '张三', amount: 20 } });

    const page = await open(`/s/${link.code}`, ANDROID);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('href="https://shop.example/coupon"');
    const buttonUrl = new URL(t.platform.links.buttonUrl(link.code, 'buy', 'https://shop.example/buy?x=1'));
    const tap = await open(buttonUrl.pathname + buttonUrl.search, ANDROID);
    expect(tap.status).toBe(302);
    expect(tap.headers.get('location')).toBe('https://shop.example/buy?x=1');
    const forged = buttonUrl.search.replace(encodeURIComponent('https://shop.example/buy?x=1'), encodeURIComponent('https://evil.example/'));
    expect((await open(buttonUrl.pathname + forged, ANDROID)).status).toBe(404);
    expect((await open(`/s/${link.code}/b/copy`, ANDROID, 'POST')).status).toBe(204);
    await waitFor(async () => (await stored(link.code)) === 3);

    const buttons = await report(acc.auth, 'templateId=ctpl_coupon&groupBy=button');
    expect(buttons.rows.map((r: Record<string, unknown>) => [r.button, r.pv, r.uv])).toEqual([['buy', 1, 1], ['copy', 1, 1]]);
    const opens = await report(acc.auth, 'templateId=ctpl_coupon');
    expect(opens.rows).toMatchObject([{ pv: 1, uv: 1, bots: 0 }]);
  });

  it('when a link body breaks a rule, then 400 names the field', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await t.api.post('/v1/links').set(acc.auth).send(body).expect(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    };
    await bad({}, 'targetUrl');
    await bad({ targetUrl: 'ftp://x.example/' }, 'targetUrl');
    await bad({ kind: 'card' }, 'card');
    await bad({ targetUrl: 'https://x.example/', card: { templateId: 't' } }, 'card');
    await bad({ targetUrl: 'https://x.example/', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt');
    await bad({ targetUrl: 'https://x.example/', campaignId: 'has space' }, 'campaignId');
    const unknown = await t.api.post('/v1/links').set(acc.auth).send({ targetUrl: 'https://x.example/', colour: 'red' }).expect(400);
    expect(unknown.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('colour') });
  });

  it('when a personalised campaign is sent as SMS and clicked, then PV/UV equal the clicks, UV counts recipients, and click and parse rates use the delivered messages', async () => {
    // Links in a text must be registered (引流信息): the short-link domain is, for this account.
    await t.api.patch(`/v1/admin/accounts/${acc.id}`).set(acc.admin).send({ settings: { registeredLinks: [`${base}/s/`] } }).expect(200);
    // Ten recipients; the simulator delivers numbers ending 0–6 (7: undeliverable, 8: no receipt, 9: refused).
    const numbers = Array.from({ length: 10 }, (_, d) => `+861390000100${d}`);
    const links = await t.platform.links.createPersonalisedLinks(acc.id, {
      campaignId: 'autumn', kind: 'redirect', targetUrl: 'https://shop.example/autumn', recipients: numbers.map((to) => ({ to })),
    });
    const messageIds: string[] = [];
    for (let i = 0; i < numbers.length; i++) {
      const res = await t.api.post('/v1/messages').set(acc.auth)
        .send({ to: numbers[i], category: 'notification', text: `【阿里云】您的专属优惠 ${links[i].url}` }).expect(202);
      messageIds.push(res.body.id);
    }
    expect(await t.platform.links.attachMessages(acc.id, links.map((l, i) => ({ code: l.code, messageId: messageIds[i] })))).toBe(10);
    await waitFor(async () => {
      const rows = await t.platform.db.query<{ n: number }>(`select count(*) as n from messages where id = any($1::text[]) and status = 'delivered'`, [messageIds]);
      return Number(rows[0].n) === 7;
    }, 15_000);
    await t.platform.links.recordParseStats(acc.id, 'autumn', { requested: 10, parsed: 6, reportedAt: new Date() });

    // Recipient 0 opens on two devices, 1 twice, 2 and 3 once; a preview bot fetches link 4, a HEAD hits link 5.
    const path = (i: number) => new URL(links[i].url).pathname;
    for (const [i, ua] of [[0, IPHONE], [0, DESKTOP], [1, ANDROID], [1, ANDROID], [2, IPHONE], [3, ANDROID], [4, WHATSAPP]] as const) {
      expect((await open(path(i), ua)).status).toBe(302);
    }
    await open(path(5), IPHONE, 'HEAD');
    await waitFor(async () => (await report(acc.auth, 'campaign=autumn')).rows[0]?.bots === 2);

    const total = await report(acc.auth, 'campaign=autumn');
    expect(total.rows).toEqual([{ pv: 6, uv: 4, bots: 2, delivered: 7, clickRate: 4 / 7, parseRequested: 10, parsed: 6, parseRate: 0.6 }]);
    const byCampaignDay = await report(acc.auth, 'groupBy=campaign,day');
    expect(byCampaignDay.source).toBe('rollup');
    expect(byCampaignDay.rows.find((r: Record<string, unknown>) => r.campaign === 'autumn')).toEqual({ campaign: 'autumn', day: day(0), pv: 6, uv: 4, bots: 2, delivered: 7, clickRate: 4 / 7, parseRequested: 10, parsed: 6, parseRate: 0.6 });
    const byLink = await report(acc.auth, 'campaign=autumn&groupBy=link');
    expect(byLink.rows.find((r: Record<string, unknown>) => r.link === links[0].code)).toMatchObject({ pv: 2, uv: 1, delivered: 1, clickRate: 1 });
    expect(byLink.rows.find((r: Record<string, unknown>) => r.link === links[5].code)).toMatchObject({ pv: 0, uv: 0, bots: 1, delivered: 1 });
    // Another account's report never sees these clicks.
    expect((await report(other.auth, 'groupBy=campaign')).rows).toEqual([]);

    const csv = await t.api.get(`/v1/reports/clicks?${PERIOD()}&campaign=autumn&groupBy=campaign`).set(acc.auth).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename=clicks-${day(-1)}-${day(2)}.csv`);
    expect(csv.text).toBe(`campaign,pv,uv,bots,delivered,clickRate,parseRequested,parsed,parseRate\r\nautumn,6,4,2,7,${4 / 7},10,6,0.6\r\n`);
  });

  it('when report parameters are wrong, then 400 names the field', async () => {
    const bad = async (query: string, code: string, field: string) => {
      const res = await t.api.get(`/v1/reports/clicks?${query}`).set(acc.auth).expect(400);
      expect(res.body.error).toMatchObject({ code, field });
    };
    await bad('until=2030-01-02', 'INVALID_REPORT_PERIOD', 'from');
    await bad(`${PERIOD()}&groupBy=country`, 'INVALID_GROUP_BY', 'groupBy');
    await bad(`${PERIOD()}&campaign=a%20b`, 'INVALID_REPORT_FILTER', 'campaign');
  });
});
