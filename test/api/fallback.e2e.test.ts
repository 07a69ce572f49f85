/**
 * The fallback engine end to end, on the bundled simulators. MaaP (last digit): 0–3 5G-capable,
 * 4, 5, 7 not, 6 no display receipts, 9 invalid. Smart-SMS parse platform: 0–5 Android parses
 * cards, others don't (9 an old phone). So 1 gets a 5G card, 4 a smart-SMS card, 9 plain text
 * with its H5 link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { COUPON_SAMPLES, COUPON_TEMPLATE } from '../support/card-fixtures.js';
import { syntheticPhotoJpeg } from '../support/synthetic-photo.js';
import { ADMIN_KEY, createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const PROFILE = {
  name: 'Acme Shop', logoUrl: 'https://acme.example/logo.png', description: 'Orders and coupons from Acme.',
  colour: '#1A73E8', callbackNumber: '400-820-8820', website: 'https://acme.example', category: 'retail',
};

interface StepView { step: number; channel: string; state: string; rendering: string | null; channelMessageId: string | null; status: string | null; movedOn: { reason: string; code: string } | null }
interface SendView { id: string; status: string; channel: string | null; steps: StepView[] }

describe.each(engines)('fallback chains on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let templateId: string;

  const view = async (id: string): Promise<SendView> => (await t.api.get(`/v1/messages/${id}`).set(acc.auth).expect(200)).body;
  const settled = (id: string) => waitFor(async () => {
    const v = await view(id);
    return v.status !== 'sending' && v;
  }, 15_000);

  beforeAll(async () => {
    t = await startTestPlatform(engine, { FALLBACK_SWEEP_MS: '100', FALLBACK_GRACE_MS: '2000' });
    acc = await createFundedAccount(t);
    const bot = await t.api.post('/v1/rcs/chatbots').set(acc.auth).send(PROFILE).expect(201);
    await t.api.post(`/v1/rcs/chatbots/${bot.body.id}/submit`).set(acc.auth).expect(200);
    await t.api.post(`/v1/admin/rcs/chatbots/${bot.body.id}/approve`).set(admin).send({}).expect(200);
    const tpl = await t.api.post('/v1/cards/templates').set(acc.auth).send({ name: 'Coupon', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES }).expect(201);
    templateId = tpl.body.id;
    await t.api.post(`/v1/cards/templates/${templateId}/submit`).set(acc.auth).expect(200);
    await t.api.post(`/v1/admin/cards/templates/${templateId}/approve`).set(admin).send({}).expect(200);
  });
  afterAll(async () => t?.stop());

  it('when one card template goes to a 5G phone, a smart-SMS Android and an old phone, then each gets the richest form it can show', async () => {
    const res = await t.api.post('/v1/cards/send').set(acc.auth).send({
      templateId, signature: '阿里云', channels: ['rcs', 'smart_sms', 'sms'],
      recipients: ['+8613800138001', '+8613800138004', '+8613800138009'].map((to) => ({ to, variables: { ...COUPON_SAMPLES, name: 'Li Lei' } })),
    }).expect(202);
    expect(res.body).toMatchObject({ accepted: 3, rejected: [], channels: [{ channel: 'rcs', condition: 'delivered' }, { channel: 'smart_sms' }, { channel: 'sms' }] });
    const [fiveG, android, old] = await Promise.all(res.body.messageIds.map((m: { id: string }) => settled(m.id)));

    // 5G: the card arrived (delivered to the terminal), nothing else was sent.
    expect(fiveG).toMatchObject({ status: 'succeeded', channel: 'rcs' });
    expect(fiveG.steps.map((s: StepView) => s.state)).toEqual(['succeeded', 'skipped', 'skipped']);
    expect(fiveG.steps[0]).toMatchObject({ rendering: 'rcs-card', status: expect.stringMatching(/^(delivered|read)$/) });
    const rcsMessage = (await t.api.get(`/v1/rcs/messages/${fiveG.steps[0].channelMessageId}`).set(acc.auth).expect(200)).body;
    expect(rcsMessage).toMatchObject({ kind: 'rcs-card', to: '+8613800138001' });

    // Android: not 5G-capable, so the smart-SMS text with the parse platform's link.
    expect(android).toMatchObject({ status: 'succeeded', channel: 'smart_sms' });
    expect(android.steps[0]).toMatchObject({ state: 'moved_on', channelMessageId: null, movedOn: { reason: 'not_capable' } });
    expect(android.steps[1]).toMatchObject({ state: 'succeeded', rendering: 'smart-sms' });
    const smart = (await t.api.get(`/v1/messages/${android.steps[1].channelMessageId}`).set(acc.auth).expect(200)).body;
    const parseDomain = t.platform.smartSmsSimulator!.domain;
    expect(smart.text).toContain(parseDomain);
    expect(smart.text).toMatch(/^【阿里云】/);

    // Old phone: neither, so plain text with the link to the card's H5 page, which opens.
    expect(old).toMatchObject({ status: 'succeeded', channel: 'sms' });
    expect(old.steps.map((s: StepView) => [s.state, s.movedOn?.reason ?? null])).toEqual([['moved_on', 'not_capable'], ['moved_on', 'not_capable'], ['succeeded', null]]);
    expect(old.steps[2].rendering).toBe('text-with-link');
    const text = (await t.api.get(`/v1/messages/${old.steps[2].channelMessageId}`).set(acc.auth).expect(200)).body.text as string;
    expect(text).toContain('拒收请回复R');
    const path = new URL(text.match(/https?:\/\/\S+\/s\/\w+/)![0]).pathname;
    const page = await t.api.get(path).expect(200);
    expect(page.text).toContain('Li Lei');

    // Once the outcomes are in (the SMSC simulator refuses numbers ending 9, so the old phone's
    // text fails after it was accepted), the campaign's click report counts the two delivered, each
    // on the channel it ended on, and the old phone's send is reported failed.
    await waitFor(async () => {
      const views = await Promise.all(res.body.messageIds.map((m: { id: string }) => view(m.id)));
      const last = views.map((v: SendView) => v.steps.find((st) => st.state === 'succeeded')!.status ?? '');
      return ['delivered', 'read'].includes(last[0]) && last[1] === 'delivered' && last[2] === 'failed';
    });
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const clicks = await waitFor(async () => {
      const r = (await t.api.get('/v1/reports/clicks').query({ campaign: res.body.campaignId, from: day(-1), until: day(2) }).set(acc.auth).expect(200)).body;
      return r.rows[0]?.delivered === 2 && r;
    });
    expect(clicks.rows[0]).toMatchObject({ delivered: 2 });
    const oldReport = await t.platform.db.query<{ payload: Record<string, unknown> }>(`select payload from reports where message_id = $1`, [old.id]);
    expect(oldReport.map((r) => r.payload)).toMatchObject([{ status: 'failed', channel: 'sms' }]);
  });

  it('when the step condition is not met in time, then the next step goes out with reason timeout, once', async () => {
    // 6: 5G-capable but display receipts off, so `read` never comes.
    const res = await t.api.post('/v1/messages').set(acc.auth).send({
      to: '+8613800138006', category: 'notification', text: 'Your parcel is at the locker, code 2291', signature: '阿里云',
      channels: [{ channel: 'rcs', condition: 'read', timeoutSeconds: 1 }, 'sms'],
    }).expect(202);
    expect(res.body).toMatchObject({ status: 'sending', steps: [{ channel: 'rcs', condition: 'read', timeoutSeconds: 1 }, { channel: 'sms', condition: 'accepted' }] });
    const done = await settled(res.body.id);
    expect(done).toMatchObject({ status: 'succeeded', channel: 'sms' });
    expect(done.steps[0]).toMatchObject({ state: 'moved_on', status: 'delivered', rendering: 'rcs-text', movedOn: { reason: 'timeout', code: 'TIMEOUT' } });
    const sms = (await t.api.get(`/v1/messages/${done.steps[1].channelMessageId}`).set(acc.auth).expect(200)).body;
    expect(sms.text).toBe('【阿里云】Your parcel is at the locker, code 2291');

    // Sweeps racing each other and the engine's own run change nothing: one SMS, one 5G message.
    await Promise.all([t.platform.fallback.engine.sweep(), t.platform.fallback.engine.sweep()]);
    const again = await view(res.body.id);
    expect(again.steps.map((s) => s.channelMessageId)).toEqual(done.steps.map((s) => s.channelMessageId));
    const smsCount = await t.platform.db.query(`select count(*)::int as n from messages where reference = $1`, [`fbs_${res.body.id}:1`]);
    expect(smsCount[0].n).toBe(1);
  });

  it('when the last step\'s SMS is delivered or not, then the customer gets one status report for the send, naming the channel', async () => {
    const reportOf = (id: string) => waitFor(async () => {
      const rows = await t.platform.db.query<{ payload: Record<string, unknown> }>(`select payload from reports where message_id = $1`, [id]);
      return rows.length > 0 && rows;
    });
    // 5: not 5G-capable, and the SMSC simulator delivers; 7: not 5G-capable, and undeliverable.
    const sent = await Promise.all(['+8613800138005', '+8613800138007'].map(async (to) => (await t.api.post('/v1/messages').set(acc.auth).send({
      to, category: 'notification', text: 'Your order 8812 has shipped', signature: '阿里云', channels: ['rcs', 'sms'], reference: `order-${to.slice(-1)}`,
    }).expect(202)).body.id as string));
    for (const id of sent) expect((await settled(id)).steps[0]).toMatchObject({ state: 'moved_on', movedOn: { reason: 'not_capable' } });
    const [delivered, failed] = await Promise.all(sent.map(reportOf));
    expect(delivered).toHaveLength(1);
    expect(delivered[0].payload).toMatchObject({ type: 'status', messageId: sent[0], reference: 'order-5', status: 'delivered', channel: 'sms', errorCode: null });
    expect(failed).toHaveLength(1);
    expect(failed[0].payload).toMatchObject({ type: 'status', messageId: sent[1], reference: 'order-7', status: 'failed', channel: 'sms', errorCode: 'DLR_FAILED' });
  });

  it('when the content cannot be shown by any step, then the send fails with the last step\'s reason and a report', async () => {
    // Text only: smart SMS needs a card, so the only step refuses to render it.
    const res = await t.api.post('/v1/messages').set(acc.auth).send({
      to: '+8613800138004', category: 'notification', text: 'Plain words', channels: ['smart_sms'],
    }).expect(202);
    const done = await settled(res.body.id);
    expect(done).toMatchObject({ status: 'failed', channel: null });
    expect(done.steps[0]).toMatchObject({ state: 'failed', movedOn: { reason: 'not_renderable', code: 'SMART_SMS_NEEDS_CARD' } });
    const rows = await waitFor(async () => {
      const r = await t.platform.db.query<{ payload: Record<string, unknown> }>(`select payload from reports where message_id = $1`, [res.body.id]);
      return r.length > 0 && r;
    });
    expect(rows[0].payload).toMatchObject({ status: 'failed', errorCode: 'SMART_SMS_NEEDS_CARD' });
  });

  it('when an MMS goes down [mms, sms], then it arrives as MMS, or as its text with a link to its H5 page (pictures included) when the carrier refuses it', async () => {
    const created = await t.api.post('/v1/mms/templates').set(acc.auth)
      .send({ name: 'Spring', subject: '【阿里云】春季新品', slides: [{ text: '{{name}}，春季新品到店。' }], sampleVariables: { name: '李雷' } }).expect(201);
    const id = created.body.id as string;
    const photo = await syntheticPhotoJpeg({ width: 1600, height: 1200, seed: 5 });
    const media = (await t.api.post(`/v1/mms/templates/${id}/media`).set(acc.auth).set('Content-Type', 'image/jpeg').send(photo).expect(201)).body.media.id as string;
    const slides = [{ text: '{{name}}，春季新品到店。', image: media }, { text: '到店出示此页即享 8 折' }];
    await t.api.put(`/v1/mms/templates/${id}`).set(acc.auth).send({ name: 'Spring', subject: '【阿里云】春季新品', slides, sampleVariables: { name: '李雷' } }).expect(200);
    await t.api.post(`/v1/mms/templates/${id}/submit`).set(acc.auth).expect(200);
    // Not approved yet: its media are not public.
    await t.api.get(`/mm/${media}`).expect(404);
    await t.api.post(`/v1/admin/mms/templates/${id}/approve`).set(admin).send({}).expect(200);
    // MMS gateway simulator: 9 is refused at submit; 1 is delivered.
    const sent = await Promise.all(['+8613800138001', '+8613800138009'].map(async (to) => (await t.api.post('/v1/messages').set(acc.auth).send({
      to, category: 'marketing', signature: '阿里云', mms: { templateId: id, variables: { name: '韩梅梅<b>' } }, channels: ['mms', 'sms'],
    }).expect(202)).body.id as string));
    const [mms, refused] = await Promise.all(sent.map(settled));
    expect(mms).toMatchObject({ status: 'succeeded', channel: 'mms' });
    expect(mms.steps[0].rendering).toBe('mms');
    expect(refused).toMatchObject({ status: 'succeeded', channel: 'sms' });
    expect(refused.steps[0]).toMatchObject({ state: 'moved_on', movedOn: { reason: 'rejected' } });
    expect(refused.steps[1].rendering).toBe('text-with-link');
    const sms = (await t.api.get(`/v1/messages/${refused.steps[1].channelMessageId}`).set(acc.auth).expect(200)).body;
    expect(sms.text).toContain('韩梅梅<b>，春季新品到店。');

    // The link opens the MMS as a page: subject, slide texts (escaped) and the fitted picture, served publicly.
    const path = new URL(sms.text.match(/https?:\/\/\S+\/s\/\w+/)![0]).pathname;
    const page = await t.api.get(path).set('User-Agent', IPHONE).expect(200).expect('Content-Type', /text\/html/);
    expect(page.text).toContain('【阿里云】春季新品');
    expect(page.text).toContain('韩梅梅&lt;b&gt;，春季新品到店。');
    expect(page.text).toContain('到店出示此页即享 8 折');
    const src = /<img class="media" src="([^"]+)"/.exec(page.text)![1];
    expect(src).toBe(`/mm/${media}`);
    const image = await t.api.get(src).expect(200).expect('Content-Type', 'image/jpeg');
    const arrived = t.platform.mmsSimulator!.received.find((r) => r.outId === mms.steps[0].channelMessageId)!;
    expect(image.body).toEqual(arrived.parts.find((p) => p.name === 's1.jpg')!.bytes);
    expect(image.body.length).toBeLessThan(photo.length);
    const code = path.slice(3);
    const link = (await t.api.get(`/v1/links/${code}`).set(acc.auth).expect(200)).body;
    expect(link).toMatchObject({ kind: 'mms', personalised: true, messageId: refused.id, mms: { templateId: id, variables: { name: '韩梅梅<b>' } } });
    await waitFor(async () => (await t.api.get(`/v1/links/${code}`).set(acc.auth).expect(200)).body.clicks.pv === 1);
  });

  it('when a chain is invalid, then the request is refused naming the field, and nothing is stored', async () => {
    const twice = await t.api.post('/v1/messages').set(acc.auth).send({ to: '+8613800138001', category: 'notification', text: 'x', channels: ['sms', 'sms'] }).expect(400);
    expect(twice.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'channels.1' });
    const cond = await t.api.post('/v1/messages').set(acc.auth).send({ to: '+8613800138001', category: 'notification', text: 'x', channels: [{ channel: 'sms', condition: 'read' }] }).expect(400);
    expect(cond.body.error).toMatchObject({ code: 'CONDITION_NOT_SUPPORTED', field: 'channels.0.condition' });
    const none = await t.api.post('/v1/messages').set(acc.auth).send({ to: '+8613800138001', category: 'notification', channels: ['sms'] }).expect(400);
    expect(none.body.error.field).toBe('text');
  });

  it('when the account has a default chain for a category, then a plain send takes it; another account cannot read the send', async () => {
    await t.api.patch(`/v1/admin/accounts/${acc.id}`).set(admin).send({ settings: { fallbackChains: { notification: ['rcs', 'sms'] } } }).expect(200);
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '+8613800138002', category: 'notification', text: 'Your code is 1234', signature: '阿里云' }).expect(202);
    expect(res.body.steps.map((s: StepView) => s.channel)).toEqual(['rcs', 'sms']);
    const done = await settled(res.body.id);
    expect(done).toMatchObject({ status: 'succeeded', channel: 'rcs' });
    const other = await createFundedAccount(t, { name: 'Other', extension: '02' });
    await t.api.get(`/v1/messages/${res.body.id}`).set(other.auth).expect(404);
    await t.api.patch(`/v1/admin/accounts/${acc.id}`).set(admin).send({ settings: { fallbackChains: {} } }).expect(200);
  });
});
