/**
 * MMS over the HTTP API against the bundled gateway simulator: template lifecycle and review,
 * the "done when" (a large photo arrives fitted to 50 KB), delivered / failed statuses,
 * refusals with the right codes, billing per message with refunds, tenant isolation, and the
 * fallback engine's mms channel (idempotent per stepRef, statuses from reports).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelStatusEvent } from '../../src/fallback/fallback-channel.js';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';
import { syntheticPhotoJpeg } from '../support/synthetic-photo.js';
import { fakeMp4 } from '../support/mms-fixtures.js';

const PRICE = 35 * 3; // default 35 milli-yuan per part, an MMS costs 3 parts

describe.each(engines)('MMS API (%s)', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let photo: Buffer;
  let approvedId: string;

  const balance = async (id = acc.id) => (await t.api.get(`/v1/admin/accounts/${id}`).set(acc.admin).expect(200)).body.balanceMillis as number;
  const finalStatus = (id: string, auth = acc.auth) => waitFor(async () => {
    const r = await t.api.get(`/v1/mms/messages/${id}`).set(auth).expect(200);
    return ['delivered', 'failed'].includes(r.body.status) && r.body;
  });

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t, { chargingMode: 'receipt' });
    photo = await syntheticPhotoJpeg({ width: 4000, height: 3000, seed: 11 });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('when a template goes through review with a large photo, then only the approved one sends and the photo arrives fitted to 50 KB', async () => {
    const created = await t.api.post('/v1/mms/templates').set(acc.auth)
      .send({ name: 'Spring', subject: '【阿里云】春季新品', slides: [{ text: '{{name}}，春季新品到店，凭此彩信享 8 折。' }, { text: '详询 400-000-0000 拒收请回复R' }] }).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ status: 'draft', profile: 'cn-mms-50k', variables: ['name'] });

    const up = await t.api.post(`/v1/mms/templates/${id}/media`).set(acc.auth).set('Content-Type', 'image/jpeg').send(photo).expect(201);
    expect(up.body.media).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 4000, height: 3000, size: photo.length });
    const slides = [{ text: '{{name}}，春季新品到店，凭此彩信享 8 折。', image: up.body.media.id }, { text: '详询 400-000-0000 拒收请回复R' }];

    await t.api.put(`/v1/mms/templates/${id}`).set(acc.auth).send({ name: 'Spring', subject: '【阿里云】春季新品', slides }).expect(200);
    const incomplete = await t.api.post(`/v1/mms/templates/${id}/submit`).set(acc.auth).expect(400);
    expect(incomplete.body.error).toMatchObject({ code: 'MMS_TEMPLATE_INCOMPLETE', field: 'sampleVariables.name' });
    await t.api.put(`/v1/mms/templates/${id}`).set(acc.auth).send({ name: 'Spring', subject: '【阿里云】春季新品', slides, sampleVariables: { name: '李雷' } }).expect(200);

    const notYet = await t.api.post('/v1/mms/messages').set(acc.auth).send({ to: '13800138000', templateId: id, variables: { name: '韩梅梅' } }).expect(409);
    expect(notYet.body.error.code).toBe('MMS_TEMPLATE_NOT_APPROVED');
    await t.api.post(`/v1/admin/mms/templates/${id}/approve`).set(acc.admin).send({}).expect(409);

    await t.api.post(`/v1/mms/templates/${id}/submit`).set(acc.auth).expect(200);
    const queue = await t.api.get('/v1/admin/mms/templates?status=submitted').set(acc.admin).expect(200);
    expect(queue.body.data.map((x: { id: string }) => x.id)).toContain(id);
    const rejected = await t.api.post(`/v1/admin/mms/templates/${id}/reject`).set(acc.admin).send({ reason: 'Subject must name the shop', operator: 'alice' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Subject must name the shop' });
    await t.api.put(`/v1/mms/templates/${id}`).set(acc.auth).send({ name: 'Spring', subject: '【阿里云】春季新品到店', slides, sampleVariables: { name: '李雷' } }).expect(200);
    await t.api.post(`/v1/mms/templates/${id}/submit`).set(acc.auth).expect(200);
    const approved = await t.api.post(`/v1/admin/mms/templates/${id}/approve`).set(acc.admin).send({ operator: 'bob' }).expect(200);
    expect(approved.body.history.map((h: { action: string }) => h.action)).toEqual(['created', 'edited', 'edited', 'submitted', 'rejected', 'edited', 'submitted', 'approved']);
    await t.api.put(`/v1/mms/templates/${id}`).set(acc.auth).send({ name: 'x', slides }).expect(409);
    approvedId = id;

    const before = await balance();
    const sent = await t.api.post('/v1/mms/messages').set(acc.auth).send({ to: '13800138000', templateId: id, variables: { name: '韩梅梅' } }).expect(202);
    expect(sent.body).toMatchObject({ status: 'accepted', profile: 'cn-mms-50k', costMillis: PRICE, to: '+8613800138000' });
    expect(sent.body.totalBytes).toBeLessThanOrEqual(51_200);
    expect(sent.body.slides[0].media[0]).toMatchObject({ role: 'image', mime: 'image/jpeg', outcome: 'reencoded', sourceBytes: photo.length });
    expect(sent.body.slides[0].media[0].width).toBeLessThanOrEqual(640);

    const arrived = t.platform.mmsSimulator!.received.find((r) => r.outId === sent.body.id)!;
    expect(arrived.size).toBeLessThanOrEqual(51_200);
    expect(arrived.size).toBe(sent.body.totalBytes);
    expect(arrived.parts.map((p) => p.name)).toEqual(['s1.jpg', 's1.txt', 's2.txt']);
    expect(arrived.parts[1].bytes.toString('utf8')).toBe('韩梅梅，春季新品到店，凭此彩信享 8 折。');
    expect(arrived.smil).toMatch(/<par dur="5000ms">\s*<img src="s1.jpg" region="Image"\/>/);

    const done = await finalStatus(sent.body.id);
    expect(done).toMatchObject({ status: 'delivered', refundedMillis: 0 });
    expect(done.history.map((h: { status: string }) => h.status)).toEqual(['pending', 'accepted', 'delivered']);
    expect(await balance()).toBe(before - PRICE);
  }, 60_000);

  it('when the handset cannot take MMS (last digit 7), then the message fails with MMS_UNDELIVERABLE and a receipt-billed account gets its money back', async () => {
    const before = await balance();
    const sent = await t.api.post('/v1/mms/messages').set(acc.auth).send({ to: '13800138007', templateId: approvedId, variables: { name: 'x' } }).expect(202);
    const done = await finalStatus(sent.body.id);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'MMS_UNDELIVERABLE', providerCode: '006', refundedMillis: PRICE });
    expect(await balance()).toBe(before);
  });

  it('when the carrier refuses the number at submit (last digit 9), then it fails at once with the gateway code and is refunded', async () => {
    const before = await balance();
    const sent = await t.api.post('/v1/mms/messages').set(acc.auth).send({ to: '13800138009', templateId: approvedId, variables: { name: 'x' } }).expect(202);
    expect(sent.body).toMatchObject({ status: 'failed', errorCode: 'MMS_GATEWAY_NUMBER_REFUSED', providerCode: '1003', refundedMillis: PRICE });
    expect(await balance()).toBe(before);
  });

  it('when an inline message is over-size or of the wrong type for its profile, then 400 names the field and the rule, and nothing is charged', async () => {
    const before = await balance();
    const big = await t.api.post('/v1/mms/messages').set(acc.auth)
      .send({ to: '13800138000', profile: 'cn-video-sms', slides: [{ text: '看视频' }, { text: '大视频', video: fakeMp4(2_000_000).toString('base64') }] }).expect(400);
    expect(big.body.error).toMatchObject({ code: 'MMS_TOO_LARGE', field: 'slides.1.video' });
    expect(big.body.error.details[0].rule).toBe('maxBytes');
    const typed = await t.api.post('/v1/mms/messages').set(acc.auth)
      .send({ to: '13800138000', slides: [{ text: 'video on MMS', video: fakeMp4(10_000).toString('base64') }] }).expect(400);
    expect(typed.body.error).toMatchObject({ code: 'MMS_MEDIA_TYPE_NOT_ALLOWED', field: 'slides.0.video' });
    const both = await t.api.post('/v1/mms/messages').set(acc.auth).send({ to: '13800138000', templateId: approvedId, slides: [{ text: 'x' }] }).expect(400);
    expect(both.body.error.code).toBe('VALIDATION_FAILED');
    expect(await balance()).toBe(before);
  });

  it('when another account reads or uses the template or message, then it is not found', async () => {
    const other = await createFundedAccount(t, { extension: '02' });
    await t.api.get(`/v1/mms/templates/${approvedId}`).set(other.auth).expect(404);
    const send = await t.api.post('/v1/mms/messages').set(other.auth).send({ to: '13800138000', templateId: approvedId, variables: { name: 'x' } }).expect(404);
    expect(send.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'templateId' });
    const mine = await t.api.post('/v1/mms/messages').set(acc.auth).send({ to: '13800138001', slides: [{ text: 'hello' }] }).expect(202);
    await t.api.get(`/v1/mms/messages/${mine.body.id}`).set(other.auth).expect(404);
    expect((await t.api.get('/v1/mms/templates').set(other.auth).expect(200)).body.data).toEqual([]);
  });

  it('when a prepaid balance does not cover the price, then 402 and nothing is stored', async () => {
    const created = await t.api.post('/v1/admin/accounts').set(acc.admin).send({ name: 'Poor', extension: '03' }).expect(201);
    const poor = { id: created.body.account.id as string, auth: { Authorization: `Bearer ${created.body.apiKey as string}` } };
    await t.api.post(`/v1/admin/accounts/${poor.id}/topup`).set(acc.admin).send({ amountMillis: PRICE - 1 }).expect(200);
    const r = await t.api.post('/v1/mms/messages').set(poor.auth).send({ to: '13800138001', slides: [{ text: 'hello' }] }).expect(402);
    expect(r.body.error.code).toBe('INSUFFICIENT_BALANCE');
    expect(await balance(poor.id)).toBe(PRICE - 1);
    await t.api.post(`/v1/admin/accounts/${poor.id}/topup`).set(acc.admin).send({ amountMillis: 1 }).expect(200);
    await t.api.post('/v1/mms/messages').set(poor.auth).send({ to: '13800138001', slides: [{ text: 'hello' }] }).expect(202);
    expect(await balance(poor.id)).toBe(0);
  });

  it('when the fallback engine sends a step twice, then one message goes out, the repeat returns its id, and onStatus reports delivery', async () => {
    const ch = t.platform.mms.fallbackChannel;
    const events: ChannelStatusEvent[] = [];
    const off = ch.onStatus((e) => void events.push(e));
    expect(await ch.capabilities(acc.id, ['+8613800138000', '+14155550123'])).toEqual(new Map([['+8613800138000', 'capable'], ['+14155550123', 'capable']]));
    const content = { mms: { templateId: approvedId, variables: { name: '王' } } };
    await ch.prepare!(content, { accountId: acc.id });
    const ctx = { accountId: acc.id, to: '+8613800138002', category: 'notification' as const };
    const rendering = ch.render(content, ctx);
    expect('kind' in rendering && rendering.kind).toBe('mms');
    if (!('kind' in rendering)) return;
    const before = await balance();
    const req = { accountId: acc.id, to: '+8613800138002', category: 'notification' as const, stepRef: `mst_${Date.now()}:1`, rendering };
    const first = await ch.send(req);
    const again = await ch.send(req);
    expect(first).toMatchObject({ ok: true, status: 'accepted' });
    expect(again).toMatchObject({ ok: true, channelMessageId: (first as { channelMessageId: string }).channelMessageId });
    expect(t.platform.mmsSimulator!.received.filter((r) => r.outId === (first as { channelMessageId: string }).channelMessageId)).toHaveLength(1);
    expect(await balance()).toBe(before - PRICE);
    await waitFor(async () => events.some((e) => e.stepRef === req.stepRef && e.status === 'delivered'));
    expect((await ch.status(acc.id, (first as { channelMessageId: string }).channelMessageId))?.status).toBe('delivered');
    off();

    expect(ch.render({ mms: { templateId: approvedId, variables: {} } }, ctx))
      .toEqual({ refused: expect.objectContaining({ code: 'TEMPLATE_VARIABLE_MISSING', field: 'mms.variables.name' }) });
    await ch.prepare!({ mms: { templateId: 'mtp_nope', variables: {} } }, { accountId: acc.id });
    expect(ch.render({ mms: { templateId: 'mtp_nope', variables: {} } }, ctx))
      .toEqual({ refused: expect.objectContaining({ code: 'MMS_TEMPLATE_NOT_FOUND', field: 'mms.templateId' }) });
    expect(ch.render({ mms: { templateId: approvedId, variables: { name: '长'.repeat(20_000) } } }, ctx))
      .toEqual({ refused: expect.objectContaining({ field: 'mms.slides.0.text' }) });
  });
});

describe.each(engines)('MMS carrier size refusal (%s)', (engine) => {
  let t: TestPlatform;
  afterAll(async () => {
    await t?.stop();
  });

  it('when the carrier counts the message over its limit, then it fails with MMS_GATEWAY_SIZE_EXCEEDED (1006) and the debit is refunded', async () => {
    // A carrier that takes 30,000 bytes for the "mms" product, below the 50 KB profile the platform fits to.
    t = await startTestPlatform(engine, { MMS_SIMULATOR_MAX_BYTES: 'mms=30000' });
    const acc = await createFundedAccount(t);
    const photo = await syntheticPhotoJpeg({ width: 1600, height: 1200, seed: 4 });
    const r = await t.api.post('/v1/mms/messages').set(acc.auth).send({ to: '13800138000', subject: '新品', slides: [{ text: '看图', image: photo.toString('base64') }] }).expect(202);
    expect(r.body.totalBytes).toBeGreaterThan(30_000);
    expect(r.body).toMatchObject({ status: 'failed', errorCode: 'MMS_GATEWAY_SIZE_EXCEEDED', providerCode: '1006', refundedMillis: PRICE });
    const account = await t.api.get(`/v1/admin/accounts/${acc.id}`).set(acc.admin).expect(200);
    expect(account.body.balanceMillis).toBe(1_000_000);
  }, 60_000);
});
