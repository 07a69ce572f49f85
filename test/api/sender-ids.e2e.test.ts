/**
 * Sender IDs end to end: the rules table, the registration workflow (account and operator), and
 * enforcement on send, checked down to the submit_sm a recording SMSC simulator receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmscSimulator, type SmscSimulator } from '../../src/channels/smpp/smsc-simulator.js';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

const DOCS = [{ name: 'Business licence', url: 'https://acme.example/docs/licence.pdf' }];
const PROMO = 'ACME sale: 20% off today only. Reply STOP to opt out';

describe.each(engines)('sender IDs end to end on %s', (engine) => {
  let t: TestPlatform;
  let sim: SmscSimulator;
  let a: Awaited<ReturnType<typeof createFundedAccount>>;
  let b: Awaited<ReturnType<typeof createFundedAccount>>;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    sim = await startSmscSimulator({ receiptDelayMs: 20, recordSubmits: true });
    a = await createFundedAccount(t);
    b = await createFundedAccount(t, { name: 'Beta', extension: '02' });
    // Account A's traffic goes through a recording simulator, so the sender on the wire is visible.
    await t.api.put('/v1/admin/channels/intl').set(a.admin)
      .send({ name: 'International (recording simulator)', host: '127.0.0.1', port: sim.port, systemId: 'platform', password: 'secret', sourceAddress: 'INTL', windowSize: 10 }).expect(200);
    for (const category of ['otp', 'notification', 'marketing']) {
      await t.api.put(`/v1/admin/accounts/${a.id}/pools/${category}`).set(a.admin).send({ channels: [{ channelId: 'intl', weight: 100 }] }).expect(200);
    }
  });
  afterAll(async () => {
    await t?.stop();
    await sim?.stop();
  });

  const send = (auth: Record<string, string>, body: Record<string, unknown>) => t.api.post('/v1/messages').set(auth).send(body).expect(202);
  const message = async (id: string) => (await t.api.get(`/v1/messages/${id}`).set(a.auth).expect(200)).body;
  const onWire = (e164: string) => waitFor(async () => sim.submits.find((s) => s.destination.addr === e164.slice(1)));
  const register = async (auth: Record<string, string>, body: Record<string, unknown>) => (await t.api.post('/v1/sender-ids').set(auth).send(body).expect(201)).body;

  it('when the rules are read, then every supported country is listed and one country reads on its own', async () => {
    const all = await t.api.get('/v1/sender-id-rules').set(a.auth).expect(200);
    expect(all.body.data.length).toBeGreaterThanOrEqual(30);
    expect(all.body.indicative).toBe(true);
    const vn = await t.api.get('/v1/sender-id-rules/vn').set(a.auth).expect(200);
    expect(vn.body).toMatchObject({ country: 'VN', senderTypes: ['alphanumeric'], registrationRequired: { marketing: true }, genericSender: 'Verify' });
    const none = await t.api.get('/v1/sender-id-rules/XX').set(a.auth).expect(404);
    expect(none.body.error.code).toBe('NOT_FOUND');
  });

  it('when marketing goes to a registration country from an unregistered sender, then the message fails with SENDER_NOT_REGISTERED', async () => {
    const res = await send(a.auth, { to: '+84912345670', category: 'marketing', text: PROMO, senderId: 'ACME' });

    expect(res.body).toMatchObject({ status: 'failed', errorCode: 'SENDER_NOT_REGISTERED', costMillis: 0 });
    expect(res.body.errorMessage).toMatch(/Vietnam.*POST \/v1\/sender-ids/);
    expect(await message(res.body.id)).toMatchObject({ status: 'failed', errorCode: 'SENDER_NOT_REGISTERED', sender: 'ACME' });
  });

  it('when an OTP goes there from an unregistered sender, then it falls back to the generic sender, sent as alphanumeric 5/0', async () => {
    const res = await send(a.auth, { to: '+84912345671', category: 'otp', text: 'Your ACME code is 482913', senderId: 'ACME' });

    expect(res.body.status).toBe('queued');
    expect((await message(res.body.id)).sender).toBe('Verify');
    expect((await onWire('+84912345671')).source).toEqual({ ton: 5, npi: 0, addr: 'Verify' });
  });

  it('when an OTP goes to a numbers-only country from a brand name, then it goes out from the route channel\'s own address', async () => {
    const res = await send(a.auth, { to: '+14155550121', category: 'otp', text: 'Your ACME code is 482913', senderId: 'ACME' });

    expect(res.body.status).toBe('queued');
    expect((await message(res.body.id)).sender).toBeNull();
    expect((await onWire('+14155550121')).source.addr).toBe('INTL01');
  });

  it('when a sender goes draft → submitted → approved, then fees are quoted, the log names who acted, and the registered sender is used on send', async () => {
    const draft = await register(a.auth, { country: 'vn', senderId: 'ACME', categories: ['otp', 'marketing', 'otp'], useCase: 'Login codes and promotions for ACME shop customers', documents: DOCS });
    expect(draft).toMatchObject({ country: 'VN', senderType: 'alphabetic', categories: ['otp', 'marketing'], status: 'draft', fees: null });

    const submitted = await t.api.post(`/v1/sender-ids/${draft.id}/submit`).set(a.auth).expect(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', fees: { oneOffUsd: 50, monthlyUsd: 20 }, leadTimeDays: 30 });
    const queue = await t.api.get('/v1/admin/sender-ids').query({ status: 'submitted' }).set(a.admin).expect(200);
    expect(queue.body.data.map((r: { id: string }) => r.id)).toContain(draft.id);

    const approved = await t.api.post(`/v1/admin/sender-ids/${draft.id}/approve`).set(a.admin).send({ operator: 'alice' }).expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedAt: expect.any(String) });
    expect(approved.body.history.map((h: { action: string; by: string }) => [h.action, h.by])).toEqual([
      ['created', `account:${a.id}`], ['submitted', `account:${a.id}`], ['approved', 'operator:alice'],
    ]);

    const promo = await send(a.auth, { to: '+84912345672', category: 'marketing', text: PROMO, senderId: 'ACME' });
    expect(promo.body.status).toBe('queued');
    expect((await message(promo.body.id)).sender).toBe('ACME');
    expect((await onWire('+84912345672')).source).toEqual({ ton: 5, npi: 0, addr: 'ACME' });
    // Without a senderId the account's approved sender for the country is chosen.
    const otp = await send(a.auth, { to: '+84912345673', category: 'otp', text: 'Your ACME code is 111222' });
    expect((await message(otp.body.id)).sender).toBe('ACME');
  });

  it('when a registration is rejected with a reason, then it is edited and resubmitted, and approved the second time', async () => {
    const draft = await register(a.auth, { country: 'ID', senderId: 'ACMEShop', categories: ['marketing'], useCase: 'Promotions', documents: DOCS });
    await t.api.post(`/v1/sender-ids/${draft.id}/submit`).set(a.auth).expect(200);

    const rejected = await t.api.post(`/v1/admin/sender-ids/${draft.id}/reject`).set(a.admin).send({ reason: 'Letter of authorisation missing' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Letter of authorisation missing' });
    expect((await t.api.get(`/v1/sender-ids/${draft.id}`).set(a.auth).expect(200)).body.rejectionReason).toBe('Letter of authorisation missing');

    const edited = await t.api.patch(`/v1/sender-ids/${draft.id}`).set(a.auth)
      .send({ documents: [...DOCS, { name: 'Letter of authorisation', url: 'https://acme.example/docs/loa.pdf' }] }).expect(200);
    expect(edited.body).toMatchObject({ status: 'rejected', documents: [{}, { name: 'Letter of authorisation' }] });
    const resubmitted = await t.api.post(`/v1/sender-ids/${draft.id}/submit`).set(a.auth).expect(200);
    expect(resubmitted.body).toMatchObject({ status: 'submitted', rejectionReason: null });
    await t.api.post(`/v1/admin/sender-ids/${draft.id}/approve`).set(a.admin).send({}).expect(200);

    const log = (await t.api.get(`/v1/sender-ids/${draft.id}`).set(a.auth).expect(200)).body.history;
    expect(log.map((h: { action: string; to: string; reason: string | null }) => [h.action, h.to, h.reason])).toEqual([
      ['created', 'draft', null], ['submitted', 'submitted', null], ['rejected', 'rejected', 'Letter of authorisation missing'],
      ['edited', 'rejected', null], ['submitted', 'submitted', null], ['approved', 'approved', null],
    ]);
  });

  it('when a move is not allowed from the current status, then the answer is 409 SENDER_ID_INVALID_TRANSITION and nothing changes', async () => {
    const draft = await register(a.auth, { country: 'SA', senderId: 'ACME', categories: ['otp'], useCase: 'Login codes', documents: DOCS });

    const early = await t.api.post(`/v1/admin/sender-ids/${draft.id}/approve`).set(a.admin).send({}).expect(409);
    expect(early.body.error).toMatchObject({ code: 'SENDER_ID_INVALID_TRANSITION', details: { status: 'draft', allowedFrom: ['submitted'] } });
    await t.api.post(`/v1/sender-ids/${draft.id}/submit`).set(a.auth).expect(200);
    expect((await t.api.post(`/v1/sender-ids/${draft.id}/submit`).set(a.auth).expect(409)).body.error.code).toBe('SENDER_ID_INVALID_TRANSITION');
    expect((await t.api.patch(`/v1/sender-ids/${draft.id}`).set(a.auth).send({ useCase: 'changed' }).expect(409)).body.error.code).toBe('SENDER_ID_INVALID_TRANSITION');
    expect((await t.api.post(`/v1/admin/sender-ids/${draft.id}/reject`).set(a.admin).send({}).expect(400)).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    expect((await t.api.get(`/v1/sender-ids/${draft.id}`).set(a.auth).expect(200)).body).toMatchObject({ status: 'submitted', useCase: 'Login codes' });
  });

  it('when a registration breaks the country\'s rules or is incomplete, then the 400 names the field and the rule', async () => {
    const err = async (req: Promise<{ body: { error: { code: string; field?: string } } }>) => (await req).body.error;

    expect(await err(t.api.post('/v1/sender-ids').set(a.auth).send({ country: 'XX', senderId: 'ACME', categories: ['otp'] }).expect(400)))
      .toMatchObject({ code: 'COUNTRY_NOT_SUPPORTED', field: 'country' });
    expect(await err(t.api.post('/v1/sender-ids').set(a.auth).send({ country: 'US', senderId: 'ACME', categories: ['otp'] }).expect(400)))
      .toMatchObject({ code: 'SENDER_ID_TYPE_NOT_ALLOWED', field: 'senderId' });
    expect(await err(t.api.post('/v1/sender-ids').set(a.auth).send({ country: 'GB', senderId: 'Way too long!', categories: ['otp'] }).expect(400)))
      .toMatchObject({ code: 'VALIDATION_FAILED', field: 'senderId' });
    expect(await err(t.api.post('/v1/sender-ids').set(a.auth).send({ country: 'VN', senderId: 'ACME', categories: ['otp'] }).expect(409)))
      .toMatchObject({ code: 'SENDER_ID_EXISTS', field: 'senderId' });

    const bare = await register(a.auth, { country: 'AE', senderId: 'ACME', categories: ['otp'] });
    expect(await err(t.api.post(`/v1/sender-ids/${bare.id}/submit`).set(a.auth).expect(400))).toMatchObject({ code: 'SENDER_ID_INCOMPLETE', field: 'useCase' });
    await t.api.patch(`/v1/sender-ids/${bare.id}`).set(a.auth).send({ useCase: 'Login codes' }).expect(200);
    expect(await err(t.api.post(`/v1/sender-ids/${bare.id}/submit`).set(a.auth).expect(400))).toMatchObject({ code: 'SENDER_ID_INCOMPLETE', field: 'documents' });
    expect(await err(t.api.patch(`/v1/sender-ids/${bare.id}`).set(a.auth).send({ country: 'US' }).expect(400))).toMatchObject({ code: 'SENDER_ID_TYPE_NOT_ALLOWED' });

    // Where registration is voluntary, a use case is enough.
    const gb = await register(a.auth, { country: 'GB', senderId: 'ACME', categories: ['marketing'], useCase: 'Brand protection' });
    await t.api.post(`/v1/sender-ids/${gb.id}/submit`).set(a.auth).expect(200);
  });

  it('when another account looks for or acts on A\'s registrations, then it sees none and A\'s approval does not let it send', async () => {
    const mine = (await t.api.get('/v1/sender-ids').set(a.auth).expect(200)).body.data as Array<{ id: string }>;
    expect(mine.length).toBeGreaterThan(0);
    const id = mine[0].id;

    expect((await t.api.get('/v1/sender-ids').set(b.auth).expect(200)).body.data).toEqual([]);
    await t.api.get(`/v1/sender-ids/${id}`).set(b.auth).expect(404);
    await t.api.patch(`/v1/sender-ids/${id}`).set(b.auth).send({ useCase: 'mine now' }).expect(404);
    await t.api.post(`/v1/sender-ids/${id}/submit`).set(b.auth).expect(404);
    const res = await send(b.auth, { to: '+84912345674', category: 'marketing', text: PROMO, senderId: 'ACME' });
    expect(res.body).toMatchObject({ status: 'failed', errorCode: 'SENDER_NOT_REGISTERED' });
  });

  it('when a marketing batch reaches several countries, then each recipient gets its country\'s outcome', async () => {
    const res = await t.api.post('/v1/messages/batch').set(a.auth).send({
      category: 'marketing', text: PROMO, senderId: 'ACME',
      recipients: [{ to: '+84912345675' }, { to: '+6281234567890' }, { to: '+4915123456780' }, { to: '+14155550122' }],
    }).expect(202);

    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([[1, 'SENDER_NOT_REGISTERED'], [3, 'SENDER_TYPE_NOT_ALLOWED']]);
    expect(res.body.rejected[0].messageId).toEqual(expect.any(String));
  });

  it('when a send names a malformed sender ID, then it is a 400 naming senderId', async () => {
    const res = await t.api.post('/v1/messages').set(a.auth).send({ to: '+84912345676', category: 'otp', text: 'code 1', senderId: 'TwelveChars!' }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'senderId' });
  });
});
