import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';
import { COUPON_SAMPLES, COUPON_TEMPLATE } from '../support/card-fixtures.js';
import { CardParseFees } from '../../src/campaigns/card-parse-fees.js';
import { silentLogger } from '../../src/logging/logger.js';

describe.each(engines)('card campaigns as smart SMS on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let templateId: string;

  beforeAll(async () => {
    // Delivered counts of the click report uncached, so the click rate reflects the receipts at once.
    t = await startTestPlatform(engine, { LINKS_DELIVERED_CACHE_MS: '0' });
    acc = await createFundedAccount(t);
    const tpl = (await t.api.post('/v1/cards/templates').set(acc.auth).send({ name: 'Spring coupon', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES }).expect(201)).body;
    await t.api.post(`/v1/cards/templates/${tpl.id}/submit`).set(acc.auth).expect(200);
    await t.api.post(`/v1/admin/cards/templates/${tpl.id}/approve`).set(acc.admin).send({ operator: 'alice' }).expect(200);
    templateId = tpl.id;
  });
  afterAll(async () => t?.stop());

  const vars = (name: string, code: string) => ({ ...COUPON_SAMPLES, name, code });
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  it('when a card campaign is sent, then each recipient gets a text with their own parse link, bad recipients are listed, and an iPhone click opens their card page', async () => {
    // Android (last digit 0) parses the card; iPhone (6) gets the text and opens the H5 page.
    const res = await t.api.post('/v1/cards/send').set(acc.auth).send({
      templateId, signature: '阿里云', campaignName: 'Spring',
      recipients: [{ to: '13800138000', variables: vars('Li Lei', 'LI20') }, { to: '13800138006', variables: vars('Han Meimei', 'HAN20') }, { to: '12', variables: vars('X', 'X') }, { to: '13800138001', variables: { name: 'No code' } }],
    }).expect(202);
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ accepted: 2, smartSms: { status: 'approved' } });
    expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([[2, 'INVALID_NUMBER'], [3, 'TEMPLATE_VARIABLE_MISSING']]);
    const list = (await t.api.get('/v1/messages').query({ batchId: res.body.batchId }).set(acc.auth).expect(200)).body.data as Array<{ to: string; text: string; category: string }>;
    const iphone = list.find((m) => m.to === '+8613800138006')!;
    expect(iphone.category).toBe('marketing');
    expect(iphone.text).toMatch(/^【阿里云】Han Meimei, your ¥20 coupon is waiting .*http:\/\/[^ ]+\/p\/\S+ 拒收请回复R$/);
    const parseLink = /(http:\/\/\S+\/p\/\S+)/.exec(iphone.text)![1];

    // The parse link → the recipient's short link → the card page with their own code.
    const hop = await fetch(parseLink, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const page = await fetch(hop.headers.get('location')!, { headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('A coupon for Han Meimei');
    expect(html).toContain('HAN20');

    // The click lands in the campaign's report.
    const clicks = await waitFor(async () => {
      const r = (await t.api.get('/v1/reports/clicks').query({ campaign: res.body.campaignId, from: day(-1), until: day(2) }).set(acc.auth).expect(200)).body;
      return r.rows[0]?.pv >= 1 && r.rows[0].delivered === 2 && r;
    });
    expect(clicks.rows[0]).toMatchObject({ pv: 1, uv: 1, delivered: 2, clickRate: 0.5 });
  });

  it('when the template is not approved, then the send is refused with 409 before anything goes out', async () => {
    const draft = (await t.api.post('/v1/cards/templates').set(acc.auth).send({ name: 'Draft', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES }).expect(201)).body;
    const res = await t.api.post('/v1/cards/send').set(acc.auth).send({ templateId: draft.id, signature: '阿里云', recipients: [{ to: '13800138000', variables: COUPON_SAMPLES }] }).expect(409);
    expect(res.body.error.code).toBe('CARD_TEMPLATE_NOT_APPROVED');
  });

  it('when the parse platform reports parses, then the parse fee is charged once, on parses only', async () => {
    const res = await t.api.post('/v1/cards/send').set(acc.auth).send({
      templateId, signature: '阿里云', recipients: ['13800138010', '13800138011', '13800138016'].map((to, i) => ({ to, variables: vars(`R${i}`, `C${i}`) })),
    }).expect(202);
    expect(res.body.accepted).toBe(3);
    const fees = new CardParseFees({ smartSms: t.platform.smartSms, logger: silentLogger });
    const ledger = async () => (await t.platform.db.query<{ amount_millis: string; reason: string }>(
      `select amount_millis, reason from ledger where account_id = $1 and reason like 'smart-SMS parse fee%'`, [acc.id]));
    await waitFor(async () => {
      await t.platform.smartSms.pollReports();
      await fees.settle();
      return (await ledger()).some((l) => l.reason.includes(res.body.campaignId));
    });
    await t.platform.smartSms.pollReports();
    await fees.settle();
    const lines = (await ledger()).filter((l) => l.reason.includes(res.body.campaignId));
    // Two Android handsets (last digits 0 and 1) parse; the iPhone (6) does not. 30 milli-yuan each.
    expect(lines.reduce((n, l) => n + Number(l.amount_millis), 0)).toBe(60);
  });
});
