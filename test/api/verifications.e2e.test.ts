import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

type Attempt = { seq: number; channel: string; status: string; reason: string; messageId: string | null; route: string | null; errorCode: string | null; sentAt: string | null; deliveredAt: string | null; verifiedAt: string | null };

describe.each(engines)('verification API on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let numberSeq = 0;
  // Every test its own numbers: the per-number anti-bombing counts across tests.
  const cnNumber = (lastDigit: number) => `+86138${String(1_000_000 + numberSeq++).padStart(7, '0')}${lastDigit}`;
  const ukNumber = (lastDigit: number) => `+447911${String(100 + numberSeq++).padStart(5, '0')}${lastDigit}`;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    acc = await createFundedAccount(t);
  });
  afterAll(async () => t?.stop());

  const get = async (id: string) => (await t.api.get(`/v1/verifications/${id}`).set(acc.auth).expect(200)).body;
  const codeSentIn = async (messageId: string) => {
    const m = (await t.api.get(`/v1/messages/${messageId}`).set(acc.auth).expect(200)).body;
    return /(\d{4,10})/.exec(m.text)![1];
  };
  const attemptWhere = (id: string, pred: (a: Attempt[]) => boolean) =>
    waitFor(async () => { const v = await get(id); return pred(v.attempts) && v; }, 15_000);

  it('when a verification is started over SMS and the right code is checked, then it is approved and the attempt records route, send, delivery and verify times', async () => {
    const start = await t.api.post('/v1/verifications').set(acc.auth).send({ to: cnNumber(0), codeLength: 6 }).expect(201);
    expect(start.body).toMatchObject({ status: 'pending', channels: ['sms'], attempts: [{ seq: 1, channel: 'sms', reason: 'initial' }] });
    const v = await attemptWhere(start.body.id, (a) => a[0].status === 'delivered');
    const code = await codeSentIn(v.attempts[0].messageId);
    expect(code).toHaveLength(6);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await t.api.post(`/v1/verifications/${v.id}/check`).set(acc.auth).send({ code: wrong }).expect(200)).body).toEqual({ id: v.id, status: 'pending', checksLeft: 4 });
    expect((await t.api.post(`/v1/verifications/${v.id}/check`).set(acc.auth).send({ code }).expect(200)).body).toEqual({ id: v.id, status: 'approved', checksLeft: 3 });
    const done = await get(v.id);
    expect(done.attempts[0]).toMatchObject({ route: 'simulator', connection: 'simulator', senderId: expect.any(String), country: 'CN' });
    expect(done.attempts[0].sentAt).not.toBeNull();
    expect(done.attempts[0].verifiedAt).not.toBeNull();
    expect(done.timeToVerifyMs).toBeGreaterThanOrEqual(0);
    // Once approved, the code is spent.
    expect((await t.api.post(`/v1/verifications/${v.id}/check`).set(acc.auth).send({ code }).expect(200)).body.status).toBe('approved');
  });

  it('when wrong codes reach maxChecks, then the verification is max_attempts_reached and the right code no longer helps', async () => {
    const start = await t.api.post('/v1/verifications').set(acc.auth).send({ to: cnNumber(1), maxChecks: 2 }).expect(201);
    const v = await attemptWhere(start.body.id, (a) => a[0].messageId !== null);
    const code = await codeSentIn(v.attempts[0].messageId);
    const wrong = code === '000000' ? '111111' : '000000';
    await t.api.post(`/v1/verifications/${v.id}/check`).set(acc.auth).send({ code: wrong }).expect(200);
    expect((await t.api.post(`/v1/verifications/${v.id}/check`).set(acc.auth).send({ code: wrong }).expect(200)).body.status).toBe('max_attempts_reached');
    expect((await t.api.post(`/v1/verifications/${v.id}/check`).set(acc.auth).send({ code }).expect(200)).body.status).toBe('max_attempts_reached');
  });

  it('when the TTL has passed, then a check answers expired', async () => {
    const start = await t.api.post('/v1/verifications').set(acc.auth).send({ to: cnNumber(2) }).expect(201);
    await t.platform.db.query(`update verifications set expires_at = now() - interval '1 second' where id = $1`, [start.body.id]);
    expect((await t.api.post(`/v1/verifications/${start.body.id}/check`).set(acc.auth).send({ code: '123456' }).expect(200)).body.status).toBe('expired');
  });

  it('when a code is resent, then a second SMS attempt carries the same code', async () => {
    const start = await t.api.post('/v1/verifications').set(acc.auth).send({ to: cnNumber(3) }).expect(201);
    const first = await attemptWhere(start.body.id, (a) => a[0].messageId !== null);
    const resent = await t.api.post(`/v1/verifications/${start.body.id}/resend`).set(acc.auth).send({}).expect(200);
    expect(resent.body.attempts).toHaveLength(2);
    expect(resent.body.attempts[1]).toMatchObject({ seq: 2, channel: 'sms', reason: 'resend' });
    expect(await codeSentIn(resent.body.attempts[1].messageId)).toBe(await codeSentIn(first.attempts[0].messageId));
  });

  it('when a number gets more verifications than the anti-bombing window allows, then the API answers 429 naming the number', async () => {
    const to = cnNumber(4);
    await t.api.post('/v1/verifications').set(acc.auth).send({ to }).expect(201);
    await t.api.post('/v1/verifications').set(acc.auth).send({ to }).expect(201);
    const third = await t.api.post('/v1/verifications').set(acc.auth).send({ to }).expect(429);
    expect(third.body.error).toMatchObject({ code: 'VERIFY_NUMBER_RATE_LIMITED', field: 'to' });
  });

  it('when a verification is cancelled, then checks answer cancelled and resend is refused', async () => {
    const start = await t.api.post('/v1/verifications').set(acc.auth).send({ to: cnNumber(5) }).expect(201);
    expect((await t.api.post(`/v1/verifications/${start.body.id}/cancel`).set(acc.auth).expect(200)).body.status).toBe('cancelled');
    expect((await t.api.post(`/v1/verifications/${start.body.id}/check`).set(acc.auth).send({ code: '123456' }).expect(200)).body.status).toBe('cancelled');
    expect((await t.api.post(`/v1/verifications/${start.body.id}/resend`).set(acc.auth).send({}).expect(409)).body.error.code).toBe('VERIFICATION_NOT_PENDING');
  });

  it('when the input is bad, then 400 names the field', async () => {
    const res = await t.api.post('/v1/verifications').set(acc.auth).send({ to: cnNumber(6), codeLength: 3, channels: ['sms', 'sms'] }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['channels', 'codeLength']);
  });

  it('when another account asks for a verification, then it does not exist for them', async () => {
    const start = await t.api.post('/v1/verifications').set(acc.auth).send({ to: cnNumber(7) }).expect(201);
    const other = await createFundedAccount(t, { extension: '02' });
    await t.api.get(`/v1/verifications/${start.body.id}`).set(other.auth).expect(404);
    await t.api.post(`/v1/verifications/${start.body.id}/check`).set(other.auth).send({ code: '123456' }).expect(404);
  });

  it('when WhatsApp says the number is not on WhatsApp, then the code goes out by SMS at once, once', async () => {
    const to = ukNumber(8);
    await t.api.put(`/v1/whatsapp/opt-ins/${encodeURIComponent(to)}`).set(acc.auth).send({ source: 'signup_form' }).expect(200);
    const start = await t.api.post('/v1/verifications').set(acc.auth).send({ to, channels: ['whatsapp', 'sms'] }).expect(201);
    const v = await attemptWhere(start.body.id, (a) => a.length === 2);
    expect(v.attempts[0]).toMatchObject({ channel: 'whatsapp', status: 'failed', route: 'whatsapp' });
    expect(v.attempts[1]).toMatchObject({ channel: 'sms', reason: expect.stringMatching(/^failover:/) });
    await new Promise((r) => setTimeout(r, 500));
    expect((await get(v.id)).attempts).toHaveLength(2);
  });

  it('when WhatsApp delivers but the read condition is not met in time, then SMS follows on timeout and the SMS code approves', async () => {
    const to = ukNumber(6); // WhatsApp simulator: delivered, read receipts off; SMSC simulator: delivered
    await t.api.put(`/v1/whatsapp/opt-ins/${encodeURIComponent(to)}`).set(acc.auth).send({ source: 'signup_form' }).expect(200);
    const start = await t.api.post('/v1/verifications').set(acc.auth)
      .send({ to, channels: ['whatsapp', 'sms'], failover: { condition: 'read', timeoutSeconds: 5 } }).expect(201);
    const v = await attemptWhere(start.body.id, (a) => a.length === 2 && a[1].status === 'delivered');
    expect(v.attempts[0]).toMatchObject({ channel: 'whatsapp', status: 'delivered' });
    expect(v.attempts[1]).toMatchObject({ channel: 'sms', reason: 'failover:timeout' });
    const code = await codeSentIn(v.attempts[1].messageId);
    expect((await t.api.post(`/v1/verifications/${v.id}/check`).set(acc.auth).send({ code }).expect(200)).body.status).toBe('approved');
    const done = await get(v.id);
    expect(done.attempts[1].verifiedAt).not.toBeNull();
    expect(done.attempts[0].verifiedAt).toBeNull();
  });

  it('when the number never opted in to WhatsApp, then the WhatsApp attempt fails with that reason and SMS goes at once', async () => {
    const start = await t.api.post('/v1/verifications').set(acc.auth).send({ to: ukNumber(0), channels: ['whatsapp', 'sms'] }).expect(201);
    const v = await attemptWhere(start.body.id, (a) => a.length === 2);
    expect(v.attempts[0]).toMatchObject({ channel: 'whatsapp', status: 'failed', errorCode: 'WHATSAPP_NOT_OPTED_IN' });
    expect(v.attempts[1].reason).toBe('failover:WHATSAPP_NOT_OPTED_IN');
  });
});
