/**
 * WhatsAppService on a real database (PGlite, and PostgreSQL when DATABASE_URL is set) with the
 * bundled simulator behind the real adapter. Webhooks are fed in by hand so every order and race
 * is chosen by the test. The SMS sender is the injected dependency under test: it counts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../src/accounts/account.repository.js';
import type { Db } from '../../src/db/db-client.js';
import { AppError } from '../../src/http/app-error.js';
import { silentLogger } from '../../src/logging/logger.js';
import { WhatsAppCloudAdapter } from '../../src/channels/whatsapp/whatsapp.adapter.js';
import { WhatsAppService, type WhatsAppEvent } from '../../src/channels/whatsapp/whatsapp.service.js';
import type { WhatsAppMessage } from '../../src/channels/whatsapp/whatsapp-message.repository.js';
import { startWhatsAppSimulator, type WhatsAppSimulator } from '../../src/channels/whatsapp/whatsapp-simulator.js';
import { engines, openTestDb } from '../support/databases.js';
import { waitFor } from '../support/test-platform.js';

const PHONE_ID = 'PN-SVC';

describe.each(engines)('WhatsAppService on %s', (engine) => {
  let db: Db;
  let sim: WhatsAppSimulator;
  let accountId: string;
  let smsCalls: WhatsAppMessage[];
  let smsImpl: (m: WhatsAppMessage) => Promise<{ smsMessageId: string }>;
  const services: WhatsAppService[] = [];

  /** One "process": its own service instance on the shared database. */
  const service = (leaseMs = 60_000) => {
    const s = new WhatsAppService({
      db, logger: silentLogger, phoneNumberId: PHONE_ID, failover: { leaseMs },
      adapter: new WhatsAppCloudAdapter({ baseUrl: sim.url, apiVersion: 'v21.0', phoneNumberId: PHONE_ID, accessToken: 'tok' }),
      sendSmsFallback: async (m) => {
        smsCalls.push(m);
        return smsImpl(m);
      },
    });
    services.push(s);
    return s;
  };

  const status = (m: WhatsAppMessage, st: string, extra: Record<string, unknown> = {}) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'W', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: PHONE_ID },
      statuses: [{ id: m.providerMessageId, status: st, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: m.to.slice(1), biz_opaque_callback_data: m.id, ...extra }],
    } }] }],
  });
  const failed = (m: WhatsAppMessage, code = 131026) => status(m, 'failed', { errors: [{ code, title: 'Message undeliverable' }] });
  const inbound = (from: string, id: string, text: string, phoneNumberId = PHONE_ID) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'W', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
      messages: [{ from: from.slice(1), id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
    } }] }],
  });
  const auth = { type: 'authentication' as const, authentication: { template: 'login_code', language: 'en_US', code: '4821' } };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    db = await openTestDb(engine);
    // No webhook URL: statuses are applied by the tests themselves.
    sim = await startWhatsAppSimulator({ phoneNumberId: PHONE_ID, accessToken: 'tok', appSecret: 's', verifyToken: 'v', pairIntervalMs: 0, webhookRetries: 0 });
    ({ account: { id: accountId } } = await new AccountRepository(db).create({ name: 'wa' }));
  });
  beforeEach(() => {
    smsCalls = [];
    let n = 0;
    smsImpl = async () => ({ smsMessageId: `msg_sms${++n}` });
  });
  afterAll(async () => {
    for (const s of services) await s.stop();
    await sim?.stop();
    await db?.close();
  });

  const optedIn = async (svc: WhatsAppService, to: string) => svc.recordOptIn(accountId, to, 'test');

  it('when two sweepers and a late failure webhook race for a timed-out fallback, then the SMS is sent once', async () => {
    const a = service();
    const b = service();
    await optedIn(a, '+919876543217');
    const { message } = await a.send(accountId, { to: '+919876543217', content: auth, fallback: { condition: 'delivered', timeoutSeconds: 1 } });
    a.failover.disarm(message.id); // let the race decide, not A's timer
    await sleep(1_100);

    await Promise.all([a.failover.sweep(), b.failover.sweep(), b.handleWebhook(failed(message)), a.handleWebhook(failed(message))]);
    await Promise.all([a.failover.sweep(), b.handleWebhook(failed(message))]);

    expect(smsCalls.map((m) => m.id)).toEqual([message.id]);
    const stored = (await a.get(accountId, message.id))!;
    expect(stored.fallback).toMatchObject({ state: 'sent', smsMessageId: 'msg_sms1' });
    expect(stored.fallback!.reason === 'timeout' || stored.fallback!.reason === 'failed').toBe(true);
  });

  it('when WhatsApp reports failed with 131026, then the SMS goes at once with the reason and code, and the timer adds nothing', async () => {
    const a = service();
    await optedIn(a, '+919876543218');
    const events: WhatsAppEvent[] = [];
    a.onStatus((e) => void events.push(e));
    const { message } = await a.send(accountId, { to: '+919876543218', content: auth, fallback: { timeoutSeconds: 1 } });
    await a.handleWebhook(failed(message));
    await sleep(1_100);
    await a.failover.drain();

    const stored = (await a.get(accountId, message.id))!;
    expect(stored).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_UNDELIVERABLE', providerCode: '131026' });
    expect(stored.fallback).toMatchObject({ state: 'sent', reason: 'failed', reasonCode: '131026', smsMessageId: 'msg_sms1' });
    expect(smsCalls).toHaveLength(1);
    await waitFor(async () => events.some((e) => e.type === 'fallback_sent'));
    expect(events.map((e) => (e.type === 'status' ? `${e.previous}>${e.message.status}` : e.type))).toEqual(['pending>accepted', 'accepted>failed', 'fallback_sent']);
  });

  it('when the message is delivered before the timeout, then no SMS is sent, even by a sweep after the due time', async () => {
    const a = service();
    await optedIn(a, '+919876543216');
    const { message } = await a.send(accountId, { to: '+919876543216', content: auth, fallback: { condition: 'delivered', timeoutSeconds: 1 } });
    await a.handleWebhook(status(message, 'delivered'));
    await sleep(1_100);
    await a.failover.sweep();
    expect(smsCalls).toHaveLength(0);
    expect((await a.get(accountId, message.id))!.fallback).toMatchObject({ state: 'not_needed', smsMessageId: null });
  });

  it('when the condition is read and the user only got it delivered, then the timeout sends the SMS (the timer of this process)', async () => {
    const a = service();
    await optedIn(a, '+919876543226');
    const { message } = await a.send(accountId, { to: '+919876543226', content: auth, fallback: { condition: 'read', timeoutSeconds: 1 } });
    await a.handleWebhook(status(message, 'delivered'));
    await waitFor(async () => (await a.get(accountId, message.id))!.fallback!.state === 'sent', 5_000);
    expect((await a.get(accountId, message.id))!.fallback).toMatchObject({ reason: 'timeout', reasonCode: null });
    expect(smsCalls).toHaveLength(1);
  });

  it('when the process that sent stops before the timeout, then another process\'s sweeper sends the SMS after it', async () => {
    const a = service();
    const b = service();
    await optedIn(a, '+919876543227');
    const { message } = await a.send(accountId, { to: '+919876543227', content: auth, fallback: { timeoutSeconds: 1 } });
    await a.stop();
    expect(await b.failover.sweep()).toBe(0);
    await sleep(1_100);
    expect(await b.failover.sweep()).toBe(1);
    expect(smsCalls.map((m) => m.id)).toEqual([message.id]);
  });

  it('when the SMS sender fails for infrastructure, then the claim is retried after its lease; when it refuses, then the fallback ends in error', async () => {
    const a = service(200);
    await optedIn(a, '+919876543228');
    await optedIn(a, '+919876543238');
    smsImpl = async () => { throw new Error('redis down'); };
    const { message: first } = await a.send(accountId, { to: '+919876543228', content: auth, fallback: {} });
    await a.handleWebhook(failed(first));
    expect((await a.get(accountId, first.id))!.fallback!.state).toBe('claimed');
    smsImpl = async () => ({ smsMessageId: 'msg_retry' });
    await sleep(250);
    await a.failover.sweep();
    expect((await a.get(accountId, first.id))!.fallback).toMatchObject({ state: 'sent', reason: 'failed', smsMessageId: 'msg_retry' });

    smsImpl = async () => { throw new AppError(402, 'INSUFFICIENT_BALANCE', 'top up'); };
    const { message: second } = await a.send(accountId, { to: '+919876543238', content: auth, fallback: {} });
    await a.handleWebhook(failed(second));
    await sleep(250);
    await a.failover.sweep();
    expect((await a.get(accountId, second.id))!.fallback).toMatchObject({ state: 'error', error: 'INSUFFICIENT_BALANCE: top up', smsMessageId: null });
    expect(smsCalls.filter((m) => m.id === second.id)).toHaveLength(1);
  });

  it('when the API refuses the send (number ending 9), then the message fails at once and its fallback is sent before send returns', async () => {
    const a = service();
    await optedIn(a, '+919876543219');
    const { message, error } = await a.send(accountId, { to: '+919876543219', content: auth, fallback: {} });
    expect(error).toMatchObject({ code: 'WHATSAPP_API_REJECTED', providerCode: 131009, retryable: false });
    expect(message).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_REJECTED', providerCode: '131009' });
    expect(message.fallback).toMatchObject({ state: 'sent', reason: 'failed', reasonCode: '131009' });
  });

  it('when read arrives before sent and delivered, then the message stays read and keeps every time', async () => {
    const a = service();
    await optedIn(a, '+919876543240');
    const { message } = await a.send(accountId, { to: '+919876543240', content: auth });
    for (const st of ['read', 'sent', 'delivered', 'failed']) await a.handleWebhook(status(message, st));
    const m = (await a.get(accountId, message.id))!;
    expect(m.status).toBe('read');
    expect([m.sentAt, m.deliveredAt, m.readAt].every(Boolean)).toBe(true);
    expect(m.errorCode).toBeNull();
  });

  it('when a status names only the wamid (no callback data), then it still finds the message', async () => {
    const a = service();
    await optedIn(a, '+919876543241');
    const { message } = await a.send(accountId, { to: '+919876543241', content: auth });
    const payload = status(message, 'delivered');
    delete (payload.entry[0].changes[0].value.statuses[0] as Record<string, unknown>).biz_opaque_callback_data;
    expect(await a.handleWebhook(payload)).toEqual({ statuses: 1, inbound: 0, ignored: 0 });
    expect((await a.get(accountId, message.id))!.status).toBe('delivered');
  });

  it('when a user writes (twice, the webhook redelivered), then the window opens once and one mo report is owed', async () => {
    const a = service();
    await optedIn(a, '+919876543242');
    await expect(a.send(accountId, { to: '+919876543242', content: { type: 'text', text: { body: 'hi' } } })).rejects.toMatchObject({ code: 'WHATSAPP_OUTSIDE_WINDOW', status: 403 });
    expect(await a.handleWebhook(inbound('+919876543242', 'wamid.in-1', 'hello'))).toEqual({ statuses: 0, inbound: 1, ignored: 0 });
    expect(await a.handleWebhook(inbound('+919876543242', 'wamid.in-1', 'hello'))).toEqual({ statuses: 0, inbound: 0, ignored: 1 });
    const reports = await db.query<{ payload: Record<string, unknown> }>(`select payload from reports where account_id = $1 and kind = 'mo'`, [accountId]);
    expect(reports.map((r) => r.payload)).toEqual([expect.objectContaining({ type: 'mo', from: '+919876543242', text: 'hello', channel: 'whatsapp', unsubscribed: false })]);
    const { message } = await a.send(accountId, { to: '+919876543242', content: { type: 'text', text: { body: 'hi' } } });
    expect(message.status).toBe('accepted');
  });

  it('when a webhook is for another business number, then it is ignored', async () => {
    const a = service();
    expect(await a.handleWebhook(inbound('+919876543243', 'wamid.other', 'x', 'OTHER'))).toEqual({ statuses: 0, inbound: 0, ignored: 1 });
  });

  it('when the number never opted in or withdrew, then the send is refused and nothing is stored', async () => {
    const a = service();
    await expect(a.send(accountId, { to: '+919876543244', content: auth })).rejects.toMatchObject({ code: 'WHATSAPP_NOT_OPTED_IN', field: 'to' });
    await optedIn(a, '+919876543244');
    await a.withdrawOptIn(accountId, '+919876543244', 'settings');
    await expect(a.send(accountId, { to: '+919876543244', content: auth })).rejects.toMatchObject({ code: 'WHATSAPP_NOT_OPTED_IN' });
    const rows = await db.query(`select id from whatsapp_messages where to_number = '+919876543244'`);
    expect(rows).toHaveLength(0);
  });
});
