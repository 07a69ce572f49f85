/**
 * The console's campaign pages over HTTP (no browser): the recipient list's shape errors, per-row
 * rejections reported by line after the send, CSRF, and tenant isolation of the list and the pages.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../support/databases.js';
import { COUPON_SAMPLES, COUPON_TEMPLATE } from '../../support/card-fixtures.js';
import { createFundedAccount, startTestPlatform, type TestPlatform } from '../../support/test-platform.js';

type Jar = Record<string, string>;
const cookieHeader = (jar: Jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

function remember(jar: Jar, res: request.Response): Jar {
  for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
    const [pair] = c.split(';');
    const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) delete jar[name];
    else jar[name] = value;
  }
  return jar;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe.each(engines)('console campaign pages on %s', (engine) => {
  let t: TestPlatform;
  let acme: Awaited<ReturnType<typeof createFundedAccount>>;
  let other: Awaited<ReturnType<typeof createFundedAccount>>;
  let templateId: string;
  let otherCampaignId: string;

  async function login(key: string): Promise<{ jar: Jar; token: string }> {
    const page = await t.api.get('/console/login').expect(200);
    const jar = remember({}, page);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await t.api.post('/console/login').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: token, apiKey: key }).expect(303);
    remember(jar, res);
    return { jar, token: jar.console_csrf };
  }

  const post = (s: { jar: Jar; token: string }, form: Record<string, string>) =>
    t.api.post('/console/campaigns').set('Cookie', cookieHeader(s.jar)).type('form').send({ _csrf: s.token, templateId, signature: '阿里云', ...form });
  const campaignCount = async (accountId: string) => Number((await t.platform.db.query<{ n: string }>('select count(*) as n from campaigns where account_id = $1', [accountId]))[0].n);

  beforeAll(async () => {
    t = await startTestPlatform(engine, { LINKS_DELIVERED_CACHE_MS: '0' });
    acme = await createFundedAccount(t);
    other = await createFundedAccount(t, { name: 'Other', extension: '02' });
    const tpl = (await t.api.post('/v1/cards/templates').set(acme.auth).send({ name: 'Spring coupon', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES }).expect(201)).body;
    await t.api.post(`/v1/cards/templates/${tpl.id}/submit`).set(acme.auth).expect(200);
    await t.api.post(`/v1/admin/cards/templates/${tpl.id}/approve`).set(acme.admin).send({ operator: 'alice' }).expect(200);
    templateId = tpl.id;
    // The other tenant's campaign, made through the API.
    otherCampaignId = (await t.api.post('/v1/links').set(other.auth).send({ targetUrl: 'https://other.example/', campaignName: 'Other secret sale' }).expect(201)).body.campaignId;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('when the CSV header lacks a variable of the template, then the form comes back naming the column, the list kept, and nothing is sent', async () => {
    // Arrange
    const s = await login(acme.key);
    const list = 'to,name,amount,expiry\n13800138000,Li Lei,20,2030-06-30';

    // Act
    const res = await post(s, { recipients: list }).expect(400);

    // Assert
    expect(text(res.text)).toContain('Line 1: column "code" is missing (the template uses name, amount, expiry, code)');
    expect(res.text).toContain('13800138000,Li Lei,20,2030-06-30</textarea>');
    expect(await campaignCount(acme.id)).toBe(0);
  });

  it('when a line has a wrong field count or an unknown variable, then the form names each line and nothing is sent', async () => {
    const s = await login(acme.key);
    const csv = await post(s, { recipients: 'to,name,amount,code,expiry\n13800138000,Li Lei,20\n' }).expect(400);
    expect(text(csv.text)).toContain('Line 2: 3 fields, but the header has 5');
    const lines = await post(s, { recipients: '13800138000,name=Li,colour=red\n13800138006,oops' }).expect(400);
    expect(text(lines.text)).toContain('Line 1: "colour" is not a variable of the template');
    expect(text(lines.text)).toContain('Line 2: "oops" is not name=value');
    expect(await campaignCount(acme.id)).toBe(0);
  });

  it('when a row has a bad number, then the others are sent and the campaign page reports that row by line, once', async () => {
    // Arrange
    const s = await login(acme.key);
    const v = 'amount=20,expiry=2030-06-30';
    const list = `13800138000,name=Li Lei,code=LI20,${v}\n\n12345,name=Bad,code=BAD,${v}\n"13800138006","name=Han, Meimei",code=HAN20,${v}\n`;

    // Act
    const res = await post(s, { recipients: list, campaignName: 'Paste test' }).expect(303);
    const page = await t.api.get(res.headers.location).set('Cookie', cookieHeader(remember({ ...s.jar }, res))).expect(200);

    // Assert: redirected to the campaign's own page, with the summary of the send.
    expect(res.headers.location).toMatch(/^\/console\/campaigns\/cmp_/);
    const body = text(page.text);
    expect(body).toContain('Sent: 2 accepted, 1 rejected.');
    expect(body).toMatch(/Line Number Reason 3 \*\*\*45 INVALID_NUMBER/); // line 3 (the blank line counts), the number masked
    expect(body).toContain('Paste test');
    expect(body).toContain('pending report');
    // The summary shows once: a reload no longer carries it.
    const again = await t.api.get(res.headers.location).set('Cookie', cookieHeader(remember(remember({ ...s.jar }, res), page))).expect(200);
    expect(again.text).not.toContain('data-test="send-summary"');
    const list2 = await t.api.get('/console/campaigns').set('Cookie', cookieHeader(s.jar)).expect(200);
    expect(text(list2.text)).toMatch(/Paste test cmp_\S+ Spring coupon/);
  });

  it('when the form is posted without the CSRF token, then it is refused and nothing is sent', async () => {
    const s = await login(acme.key);
    const before = await campaignCount(acme.id);
    const res = await t.api.post('/console/campaigns').set('Cookie', cookieHeader(s.jar)).type('form')
      .send({ templateId, signature: '阿里云', recipients: '13800138000,name=X,code=X,amount=1,expiry=2030-01-01' }).expect(403);
    expect(res.text).toContain('did not come from the console');
    expect(await campaignCount(acme.id)).toBe(before);
  });

  it('when a customer opens another account\'s campaign, then it is not found, and the list shows only their own', async () => {
    const s = await login(acme.key);
    const page = await t.api.get(`/console/campaigns/${otherCampaignId}`).set('Cookie', cookieHeader(s.jar)).expect(404);
    expect(page.text).not.toContain('Other secret sale');
    const list = await t.api.get('/console/campaigns').set('Cookie', cookieHeader(s.jar)).expect(200);
    expect(list.text).not.toContain(otherCampaignId);
    // The owner sees it; another account's template cannot be sent either.
    const own = await login(other.key);
    expect((await t.api.get(`/console/campaigns/${otherCampaignId}`).set('Cookie', cookieHeader(own.jar)).expect(200)).text).toContain('Other secret sale');
    const foreign = await post(own, { recipients: '13800138000,name=X,code=X,amount=1,expiry=2030-01-01' }).expect(400);
    expect(text(foreign.text)).toContain('Choose a card template');
  });

  it('when a page is opened without a session, then it redirects to the login page', async () => {
    const res = await t.api.get('/console/campaigns/new').expect(303);
    expect(res.headers.location).toMatch(/^\/console\/login/);
  });
});
