/**
 * WhatsAppService on a real database (PGlite, and PostgreSQL when DATABASE_URL is set) with the
 * bundled simulator behind the real adapter. Webhooks are fed in by hand so every order and race
 * is chosen by the test. The SMS failover is the fallback engine's: whatsapp-sms-fallback.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../src/accounts/account.repository.js';
import type { Db } from '../../src/db/db-client.js';
import { silentLogger } from '../../src/logging/logger.js';
import { WhatsAppCloudAdapter } from '../../src/channels/whatsapp/whatsapp.adapter.js';
import { WhatsAppService } from '../../src/channels/whatsapp/whatsapp.service.js';
import type { WhatsAppMessage } from '../../src/channels/whatsapp/whatsapp-message.repository.js';
import { startWhatsAppSimulator, type WhatsAppSimulator } from '../../src/channels/whatsapp/whatsapp-simulator.js';
import { engines, openTestDb } from '../support/databases.js';
import { whatsAppFailed, whatsAppStatus } from '../support/whatsapp-payloads.js';

const PHONE_ID = 'PN-SVC';

describe.each(engines)('WhatsAppService on %s', (engine) => {
  let db: Db;
  let sim: WhatsAppSimulator;
  let accountId: string;

  const service = () => new WhatsAppService({
    db, logger: silentLogger, phoneNumberId: PHONE_ID,
    adapter: new WhatsAppCloudAdapter({ baseUrl: sim.url, apiVersion: 'v21.0', phoneNumberId: PHONE_ID, accessToken: 'tok' }),
  });

  const status = (m: WhatsAppMessage, st: string, extra: Record<string, unknown> = {}) => whatsAppStatus(PHONE_ID, m, st, extra);
  const failed = (m: WhatsAppMessage, code = 131026) => whatsAppFailed(PHONE_ID, m, code);
  const inbound = (from: string, id: string, text: string, phoneNumberId = PHONE_ID) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'W', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
      messages: [{ from: from.slice(1), id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
    } }] }],
  });
  const auth = { type: 'authentication' as const, authentication: { template: 'login_code', language: 'en_US', code: '4821' } };

  beforeAll(async () => {
    db = await openTestDb(engine);
    // No webhook URL: statuses are applied by the tests themselves.
    sim = await startWhatsAppSimulator({ phoneNumberId: PHONE_ID, accessToken: 'tok', appSecret: 's', verifyToken: 'v', pairIntervalMs: 0, webhookRetries: 0 });
    ({ account: { id: accountId } } = await new AccountRepository(db).create({ name: 'wa' }));
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  const optedIn = async (svc: WhatsAppService, to: string) => svc.recordOptIn(accountId, to, 'test');

  it('when the API refuses the send (number ending 9), then the message is stored failed with Meta\'s code and the error comes back', async () => {
    const a = service();
    await optedIn(a, '+919876543219');
    const { message, error } = await a.send(accountId, { to: '+919876543219', content: auth });
    expect(error).toMatchObject({ code: 'WHATSAPP_API_REJECTED', providerCode: 131009, retryable: false });
    expect(message).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_REJECTED', providerCode: '131009' });
    expect((await a.get(accountId, message.id))!.status).toBe('failed');
  });

  it('when a failed status (131026) arrives, then the message fails with the platform and Meta codes, and a status listener hears it once', async () => {
    const a = service();
    await optedIn(a, '+919876543218');
    const events: string[] = [];
    a.onStatus((e) => void events.push(`${e.previous}>${e.message.status}`));
    const { message } = await a.send(accountId, { to: '+919876543218', content: auth });
    await a.handleWebhook(failed(message));
    await a.handleWebhook(failed(message));
    expect(await a.get(accountId, message.id)).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_UNDELIVERABLE', providerCode: '131026' });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['pending>accepted', 'accepted>failed']);
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
