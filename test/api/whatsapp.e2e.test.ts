/**
 * The WhatsApp channel end to end: the platform with its bundled WhatsApp and SMSC simulators,
 * webhooks going back over HTTP, signed; SMS fallbacks through the ordinary SMS pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/channels/whatsapp/webhook-signature.js';
import { engines } from '../support/databases.js';
import { ADMIN_KEY, createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
const auth = (code = '482913') => ({ type: 'authentication', authentication: { template: 'login_code', language: 'en_US', code } });

describe.each(engines)('WhatsApp end to end on %s', (engine) => {
  let t: TestPlatform;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;

  beforeAll(async () => {
    // The engine's sweeper looks for timeouts every 100 ms (default 1 s).
    t = await startTestPlatform(engine, { FALLBACK_SWEEP_MS: '100' });
    acc = await createFundedAccount(t);
  });
  afterAll(async () => t?.stop());

  const optIn = (n: string) => t.api.put(`/v1/whatsapp/opt-ins/${encodeURIComponent(n)}`).set(acc.auth).send({ source: 'signup_form' }).expect(200);
  const get = async (id: string) => (await t.api.get(`/v1/whatsapp/messages/${id}`).set(acc.auth).expect(200)).body;
  const smsTo = async (to: string) => (await t.api.get('/v1/messages').query({ to }).set(acc.auth).expect(200)).body.data as Array<{ id: string; text: string; status: string }>;
  /** Posts a webhook as Meta would, signed with the app secret unless `signature` is given. */
  const webhook = (payload: unknown, signature?: string) => {
    const raw = JSON.stringify(payload);
    return t.api.post('/webhooks/whatsapp').set('Content-Type', 'application/json')
      .set('X-Hub-Signature-256', signature ?? signWebhook(t.platform.config.whatsapp.appSecret, raw)).send(raw);
  };
  const failedStatus = (m: { providerMessageId: string; to: string }) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: t.platform.config.whatsapp.phoneNumberId },
      statuses: [{ id: m.providerMessageId, status: 'failed', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: m.to.slice(1), errors: [{ code: 131000, title: 'Something went wrong' }] }],
    } }] }],
  });

  it('when the user wrote first, then free text inside the window is delivered and read, and the user\'s message reached the account as MO', async () => {
    const to = '+919876543100';
    await optIn(to);
    const inbound = await t.api.post('/v1/admin/simulator/whatsapp/inbound').set(admin).send({ from: to, text: 'Where is my order?' }).expect(200);
    expect(inbound.body.delivered).toBe(true);

    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth).send({ to, type: 'text', text: { body: 'It ships today.' } }).expect(202);

    const m = await waitFor(async () => { const b = await get(res.body.id); return b.status === 'read' && b; });
    expect(m.history.map((h: { status: string }) => h.status)).toEqual(['pending', 'accepted', 'sent', 'delivered', 'read']);
    expect(m.providerMessageId).toMatch(/^wamid\./);
    const reports = (await t.api.get('/v1/reports').set(acc.auth).expect(200)).body.reports;
    expect(reports).toContainEqual(expect.objectContaining({ type: 'mo', channel: 'whatsapp', from: to, text: 'Where is my order?' }));
  });

  it('when a template goes to a user who never wrote, then it is allowed and delivered', async () => {
    const to = '+919876543101';
    await optIn(to);
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth)
      .send({ to, type: 'template', template: { name: 'order_update', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1' }] }] } }).expect(202);
    expect(res.body.status).toBe('accepted');
    await waitFor(async () => (await get(res.body.id)).status === 'read');
  });

  it('when free text goes to a user who never wrote, then it is refused with WHATSAPP_OUTSIDE_WINDOW', async () => {
    const to = '+919876543102';
    await optIn(to);
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth).send({ to, type: 'text', text: { body: 'hi' } }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'WHATSAPP_OUTSIDE_WINDOW', field: 'type' });
  });

  it('when the number has not opted in, or withdrew, then the send is refused with WHATSAPP_NOT_OPTED_IN', async () => {
    const to = '+919876543103';
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth).send({ to, ...auth() }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'WHATSAPP_NOT_OPTED_IN', field: 'to' });
    await optIn(to);
    const withdrawn = await t.api.delete(`/v1/whatsapp/opt-ins/${to.slice(1)}`).query({ source: 'settings_page' }).set(acc.auth).expect(200);
    expect(withdrawn.body).toMatchObject({ number: to, optedIn: false, source: 'signup_form', optOutSource: 'settings_page' });
    expect((await t.api.get(`/v1/whatsapp/opt-ins/${encodeURIComponent(to)}`).set(acc.auth).expect(200)).body.optedIn).toBe(false);
    await t.api.post('/v1/whatsapp/messages').set(acc.auth).send({ to, ...auth() }).expect(403);
  });

  /** GET /v1/messages/{id} of the fallback send: both steps. */
  const sendOf = async (id: string) => (await t.api.get(`/v1/messages/${id}`).set(acc.auth).expect(200)).body as { status: string; channel: string | null; reference: string | null; steps: Array<{ channel: string; state: string; channelMessageId: string | null; movedOn: { reason: string; code: string } | null }> };

  it('when the number is not on WhatsApp (ends 8), then it fails with 131026 and the same code goes out once as SMS through the SMSC simulator; both attempts show', async () => {
    const to = '+919876543108';
    await optIn(to);
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth).send({ to, ...auth('7351'), reference: 'signup-8', fallback: { condition: 'delivered', timeoutSeconds: 60 } }).expect(202);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^wam_/), reference: 'signup-8', fallback: { sendId: expect.stringMatching(/^msg_/), condition: 'delivered', timeoutSeconds: 60 } });

    const m = await waitFor(async () => { const b = await get(res.body.id); return b.fallback.state === 'sent' && b; });
    expect(m).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_UNDELIVERABLE', providerCode: '131026', reference: 'signup-8' });
    expect(m.fallback).toMatchObject({ sendId: res.body.fallback.sendId, reason: 'failed', reasonCode: '131026', smsMessageId: expect.stringMatching(/^msg_/), error: null });
    const sms = await waitFor(async () => { const b = await get(res.body.id); return ['submitted', 'delivered'].includes(b.attempts[1]?.status) && b.attempts; });
    expect(sms.map((a: { channel: string; id: string }) => [a.channel, a.id])).toEqual([['whatsapp', res.body.id], ['sms', m.fallback.smsMessageId]]);
    expect((await smsTo(to)).map((s) => s.text)).toEqual(['7351 is your verification code.']);
    const smsMessage = (await t.api.get(`/v1/messages/${m.fallback.smsMessageId}`).set(acc.auth).expect(200)).body;
    expect(smsMessage.attempts).toEqual([expect.objectContaining({ channelId: 'simulator', parts: [expect.objectContaining({ submitStatus: 'ok', upstreamId: expect.any(String) })] })]);

    // The engine's own view of the send: the WhatsApp step moved on, the SMS step succeeded.
    const send = await sendOf(m.fallback.sendId);
    expect(send).toMatchObject({ status: 'succeeded', channel: 'sms', reference: 'signup-8' });
    expect(send.steps.map((s) => [s.channel, s.state, s.channelMessageId, s.movedOn?.reason ?? null])).toEqual([
      ['whatsapp', 'moved_on', res.body.id, 'not_capable'], ['sms', 'succeeded', m.fallback.smsMessageId, null],
    ]);
  });

  it('when delivery is never confirmed (ends 7) within a 1 s timeout, then the SMS goes once, and neither a late failure nor a sweep sends it again', async () => {
    const to = '+919876543107';
    await optIn(to);
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth)
      .send({ to, type: 'template', template: { name: 'order_update', language: { code: 'en' } }, fallback: { condition: 'delivered', timeoutSeconds: 1, sms: { category: 'notification', text: 'Order A-2 has shipped.' } } }).expect(202);
    expect(res.body.fallback).toMatchObject({ state: 'armed', condition: 'delivered', timeoutSeconds: 1, dueAt: expect.any(String), smsMessageId: null });

    const m = await waitFor(async () => { const b = await get(res.body.id); return b.fallback.state === 'sent' && b; }, 5_000);
    expect(m.status).toBe('sent');
    expect(m.fallback).toMatchObject({ reason: 'timeout', reasonCode: null, dueAt: null });
    await Promise.all([webhook(failedStatus(m)).expect(200), t.platform.fallback.engine.sweep(), webhook(failedStatus(m)).expect(200), t.platform.fallback.engine.sweep()]);
    await t.platform.fallback.engine.drain();

    const after = await get(res.body.id);
    expect(after.fallback).toMatchObject({ state: 'sent', reason: 'timeout', smsMessageId: m.fallback.smsMessageId });
    expect((await smsTo(to)).map((s) => [s.id, s.text])).toEqual([[m.fallback.smsMessageId, 'Order A-2 has shipped.']]);
    expect((await sendOf(m.fallback.sendId)).steps.map((s) => [s.state, s.movedOn?.code ?? null])).toEqual([['moved_on', 'TIMEOUT'], ['succeeded', null]]);
  });

  it('when the API refuses at once (ends 9), then the answer is 202 failed with Meta\'s code and the SMS is already on its way', async () => {
    const to = '+919876543109';
    await optIn(to);
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth).send({ to, ...auth('99'), reference: 'signup-9', fallback: {} }).expect(202);
    expect(res.body).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_REJECTED', providerCode: '131009', fallback: { state: 'sent', reason: 'failed', reasonCode: '131009' } });
    expect(res.body.attempts.map((a: { channel: string }) => a.channel)).toEqual(['whatsapp', 'sms']);
    // The SMSC simulator refuses numbers ending 9 too: the customer gets one report for the send, failed, naming the SMS.
    const reports = await waitFor(async () => {
      const rows = await t.platform.db.query<{ payload: Record<string, unknown> }>(`select payload from reports where message_id = $1`, [res.body.fallback.sendId]);
      return rows.length > 0 && rows;
    });
    expect(reports.map((r) => r.payload)).toEqual([expect.objectContaining({ type: 'status', messageId: res.body.fallback.sendId, reference: 'signup-9', status: 'failed', channel: 'sms' })]);
  });

  it('when the delivery is confirmed in time (ends 1), then no SMS goes and the fallback is not needed', async () => {
    const to = '+919876543111';
    await optIn(to);
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth).send({ to, ...auth('1234'), fallback: { timeoutSeconds: 1 } }).expect(202);
    const m = await waitFor(async () => { const b = await get(res.body.id); return b.fallback.state === 'not_needed' && b; });
    expect(m.attempts).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_200));
    await t.platform.fallback.engine.sweep();
    expect((await get(res.body.id)).fallback).toMatchObject({ state: 'not_needed', smsMessageId: null });
    expect(await smsTo(to)).toEqual([]);
  });

  it('when the account cannot pay for the SMS, then the refusal is recorded on the fallback and nothing is retried', async () => {
    // A prepaid account that was never topped up.
    const created = await t.api.post('/v1/admin/accounts').set(admin).send({ name: 'Poor', extension: '03' }).expect(201);
    const poor = { auth: { Authorization: `Bearer ${created.body.apiKey}` } };
    const to = '+919876543118';
    await t.api.put(`/v1/whatsapp/opt-ins/${encodeURIComponent(to)}`).set(poor.auth).send({ source: 'signup_form' }).expect(200);
    const res = await t.api.post('/v1/whatsapp/messages').set(poor.auth).send({ to, ...auth('5555'), fallback: {} }).expect(202);
    const m = await waitFor(async () => {
      const b = (await t.api.get(`/v1/whatsapp/messages/${res.body.id}`).set(poor.auth).expect(200)).body;
      return b.fallback.state === 'error' && b;
    });
    expect(m.fallback).toMatchObject({ reason: 'failed', reasonCode: '131026', smsMessageId: null, error: expect.stringMatching(/^INSUFFICIENT_BALANCE: /) });
    const send = (await t.api.get(`/v1/messages/${m.fallback.sendId}`).set(poor.auth).expect(200)).body;
    expect(send).toMatchObject({ status: 'failed', steps: [{ state: 'moved_on' }, { state: 'failed', movedOn: { reason: 'rejected', code: 'INSUFFICIENT_BALANCE' } }] });
  });

  it('when the fallback asks for a category the account may not send, then it is refused naming fallback.sms.category, before anything is sent', async () => {
    const otpOnly = await createFundedAccount(t, { name: 'OTP only', extension: '04', categories: ['otp'] });
    const to = '+919876543112';
    await t.api.put(`/v1/whatsapp/opt-ins/${encodeURIComponent(to)}`).set(otpOnly.auth).send({ source: 'signup_form' }).expect(200);
    const res = await t.api.post('/v1/whatsapp/messages').set(otpOnly.auth)
      .send({ to, ...auth(), fallback: { sms: { category: 'marketing' } } }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'CATEGORY_NOT_ALLOWED', field: 'fallback.sms.category' });
  });

  it('when a webhook\'s signature does not match its body, then it is refused with 401 and changes nothing', async () => {
    const payload = failedStatus({ providerMessageId: 'wamid.x', to: '+919876543100' });
    const res = await webhook(payload, signWebhook('not-the-app-secret', JSON.stringify(payload))).expect(401);
    expect(res.body.error).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID', field: 'X-Hub-Signature-256' });
    await t.api.post('/webhooks/whatsapp').set('Content-Type', 'application/json').send(JSON.stringify(payload)).expect(401);
  });

  it('when Meta verifies the callback URL, then the challenge comes back only with the right token', async () => {
    const ok = await t.api.get('/webhooks/whatsapp').query({ 'hub.mode': 'subscribe', 'hub.verify_token': t.platform.config.whatsapp.verifyToken, 'hub.challenge': '1158201444' }).expect(200);
    expect(ok.text).toBe('1158201444');
    const bad = await t.api.get('/webhooks/whatsapp').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }).expect(403);
    expect(bad.body.error.code).toBe('WEBHOOK_VERIFY_TOKEN_MISMATCH');
  });

  it('when an interactive message has 4 buttons, then the answer is 400 naming interactive.action.buttons', async () => {
    const buttons = [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `B${i}` } }));
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth)
      .send({ to: '+919876543100', type: 'interactive', interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons } } }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'interactive.action.buttons' });
  });

  it('when another account reads a message id, then it is not found', async () => {
    const other = await createFundedAccount(t, { name: 'Other', extension: '02' });
    const to = '+919876543110';
    await optIn(to);
    const res = await t.api.post('/v1/whatsapp/messages').set(acc.auth).send({ to, ...auth() }).expect(202);
    await t.api.get(`/v1/whatsapp/messages/${res.body.id}`).set(other.auth).expect(404);
    await t.api.get(`/v1/whatsapp/opt-ins/${encodeURIComponent(to)}`).set(other.auth).expect(404);
  });
});
