/**
 * The SMS failover of a WhatsApp message as a send of the fallback engine, on a real database
 * (PGlite, and PostgreSQL when DATABASE_URL is set), with the bundled WhatsApp simulator behind the
 * real adapter, service and fallback channel. Each "process" has its own service and engine on the
 * shared database; webhooks and sweeps are fed in by hand so every race is chosen by the test. The
 * SMS channel is the dependency under test: it counts the sends the engine asks of it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/account.js';
import { AccountRepository } from '../../src/accounts/account.repository.js';
import { defaultCardRenderers } from '../../src/cards/render/card-renderers.js';
import { WhatsAppCloudAdapter } from '../../src/channels/whatsapp/whatsapp.adapter.js';
import { WhatsAppService } from '../../src/channels/whatsapp/whatsapp.service.js';
import type { WhatsAppMessage } from '../../src/channels/whatsapp/whatsapp-message.repository.js';
import { startWhatsAppSimulator, type WhatsAppSimulator } from '../../src/channels/whatsapp/whatsapp-simulator.js';
import type { Db } from '../../src/db/db-client.js';
import { splitStatements } from '../../src/db/migrate.js';
import { WhatsAppFallbackChannel } from '../../src/fallback/channels/whatsapp-fallback-channel.js';
import type { FallbackChannel, FallbackContent, StepSendOutcome, StepSendRequest } from '../../src/fallback/fallback-channel.js';
import { FallbackEngine } from '../../src/fallback/fallback-engine.js';
import { FallbackSendService } from '../../src/fallback/fallback-send.service.js';
import { FallbackRepository } from '../../src/fallback/fallback.repository.js';
import { WhatsAppSmsFallback } from '../../src/fallback/whatsapp-sms-fallback.js';
import type { FallbackSpec } from '../../src/channels/whatsapp/whatsapp-request.js';
import { silentLogger } from '../../src/logging/logger.js';
import { engines, openTestDb } from '../support/databases.js';
import { whatsAppFailed, whatsAppStatus } from '../support/whatsapp-payloads.js';
import { waitFor } from '../support/test-platform.js';

const PHONE_ID = 'PN-FB';

describe.each(engines)('WhatsApp with SMS fallback through the engine on %s', (engine) => {
  let db: Db;
  let sim: WhatsAppSimulator;
  let account: Account;
  /** Every SMS the engine asked for, in any process. */
  const smsCalls: StepSendRequest[] = [];
  const accepted = async (req: StepSendRequest): Promise<StepSendOutcome> => ({ ok: true, channelMessageId: `sms_${req.stepRef}` });
  let smsImpl = accepted;
  const startedEngines: FallbackEngine[] = [];

  /** A counting SMS channel: what the engine sends, and how the test wants it answered. */
  const smsChannel = (): FallbackChannel => ({
    name: 'sms', defaultCondition: 'accepted', conditions: ['accepted'],
    capabilities: async (_a, numbers) => new Map(numbers.map((n) => [n, 'capable' as const])),
    render: (c: FallbackContent) => (c.text ? { kind: 'text', payload: { text: c.text, signature: c.signature } } : { refused: { code: 'NO_TEXT', message: 'no text' } }),
    send: async (req) => {
      smsCalls.push(req);
      return smsImpl(req);
    },
    status: async () => undefined,
    onStatus: () => () => undefined,
  });

  /** One "process": its own WhatsApp service and engine on the shared database. */
  const processOf = (opts: { leaseMs?: number } = {}) => {
    const service = new WhatsAppService({
      db, logger: silentLogger, phoneNumberId: PHONE_ID,
      adapter: new WhatsAppCloudAdapter({ baseUrl: sim.url, apiVersion: 'v21.0', phoneNumberId: PHONE_ID, accessToken: 'tok' }),
    });
    const repo = new FallbackRepository(db);
    const eng = new FallbackEngine({
      repo, logger: silentLogger, leaseMs: opts.leaseMs, sweepIntervalMs: 100,
      channels: [new WhatsAppFallbackChannel({ service, renderers: defaultCardRenderers() }), smsChannel()],
    });
    startedEngines.push(eng);
    // Cards and links are only used by card content; a WhatsApp send never reaches them.
    const sends = new FallbackSendService({ engine: eng, repo, cards: {} as never, links: {} as never });
    return { service, engine: eng, repo, fallback: new WhatsAppSmsFallback({ whatsapp: service, sends }) };
  };
  type Proc = ReturnType<typeof processOf>;

  const status = (m: WhatsAppMessage, st: string, extra: Record<string, unknown> = {}) => whatsAppStatus(PHONE_ID, m, st, extra);
  const failed = (m: WhatsAppMessage, code = 131026) => whatsAppFailed(PHONE_ID, m, code);
  const auth = { type: 'authentication' as const, authentication: { template: 'login_code', language: 'en_US', code: '4821' } };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const fallback = (f: Partial<FallbackSpec> = {}): FallbackSpec => ({ condition: 'delivered', timeoutSeconds: 1, sms: { category: 'otp' }, ...f });

  const send = async (p: Proc, to: string, f: Partial<FallbackSpec> = {}) => {
    await p.service.recordOptIn(account.id, to, 'test');
    const { message, send: s } = await p.fallback.send(account, { to, content: auth, fallback: fallback(f) });
    return { message: message!, sendId: s.id };
  };
  const stepsOf = async (p: Proc, sendId: string) => (await p.repo.get(account.id, sendId))!.steps;
  const smsOf = (sendId: string) => smsCalls.filter((c) => c.stepRef === `fbs_${sendId}:1`);

  beforeAll(async () => {
    db = await openTestDb(engine);
    // No webhook URL: statuses are applied by the tests themselves.
    sim = await startWhatsAppSimulator({ phoneNumberId: PHONE_ID, accessToken: 'tok', appSecret: 's', verifyToken: 'v', pairIntervalMs: 0, webhookRetries: 0 });
    ({ account } = await new AccountRepository(db).create({ name: 'wa-fallback' }));
  });
  beforeEach(() => {
    smsImpl = accepted;
  });
  afterAll(async () => {
    for (const e of startedEngines) await e.stop();
    await sim?.stop();
    await db?.close();
  });

  it('when two sweepers and late failure webhooks race for a timed-out WhatsApp step, then the SMS is sent once', async () => {
    const a = processOf();
    const b = processOf();
    const { message, sendId } = await send(a, '+919876543217');
    expect(message.reference).toBe(`fbs_${sendId}:0`);
    await sleep(1_100);

    await Promise.all([a.engine.sweep(), b.engine.sweep(), b.service.handleWebhook(failed(message)), a.service.handleWebhook(failed(message))]);
    await Promise.all([a.engine.sweep(), b.service.handleWebhook(failed(message))]);
    await Promise.all([a.engine.drain(), b.engine.drain()]);

    expect(smsOf(sendId)).toHaveLength(1);
    const [wa, sms] = await stepsOf(a, sendId);
    expect(['timeout', 'not_capable']).toContain(wa.reason);
    expect(sms).toMatchObject({ state: 'succeeded', channelMessageId: `sms_fbs_${sendId}:1` });
  });

  it('when WhatsApp reports failed with 131026, then the SMS goes at once with the reason and code, and the timeout adds nothing', async () => {
    const a = processOf();
    const { message, sendId } = await send(a, '+919876543218', { timeoutSeconds: 1 });
    await a.service.handleWebhook(failed(message));
    await a.engine.drain();
    expect(smsOf(sendId)).toHaveLength(1);
    await sleep(1_100);
    await a.engine.sweep();
    await a.engine.drain();

    expect(await a.service.get(account.id, message.id)).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_UNDELIVERABLE', providerCode: '131026' });
    const [wa, sms] = await stepsOf(a, sendId);
    expect(wa).toMatchObject({ state: 'moved_on', reason: 'not_capable', reasonCode: '131026', channelMessageId: message.id });
    expect(sms.state).toBe('succeeded');
    expect(smsOf(sendId)).toHaveLength(1);
    expect(smsOf(sendId)[0]).toMatchObject({ to: '+919876543218', category: 'otp', rendering: { payload: { text: '4821 is your verification code.' } } });
  });

  it('when the message is delivered before the timeout, then no SMS is sent, even by a sweep after the due time', async () => {
    const a = processOf();
    const { message, sendId } = await send(a, '+919876543216');
    await a.service.handleWebhook(status(message, 'delivered'));
    await a.engine.drain();
    await sleep(1_100);
    await a.engine.sweep();
    await a.engine.drain();
    expect(smsOf(sendId)).toHaveLength(0);
    expect((await stepsOf(a, sendId)).map((s) => s.state)).toEqual(['succeeded', 'skipped']);
  });

  it('when the condition is read and the user only got it delivered, then the sweeper sends the SMS after the timeout', async () => {
    const a = processOf();
    a.engine.start();
    const { message, sendId } = await send(a, '+919876543226', { condition: 'read' });
    await a.service.handleWebhook(status(message, 'delivered'));
    const steps = await waitFor(async () => { const s = await stepsOf(a, sendId); return s[1].state === 'succeeded' && s; }, 5_000);
    expect(steps[0]).toMatchObject({ state: 'moved_on', reason: 'timeout', status: 'delivered' });
    expect(smsOf(sendId)).toHaveLength(1);
  });

  it('when the process that sent stops before the timeout, then another process\'s sweeper sends the SMS after it', async () => {
    const a = processOf();
    const b = processOf();
    const { sendId } = await send(a, '+919876543227');
    await a.engine.stop();
    await b.engine.sweep();
    expect(smsOf(sendId)).toHaveLength(0);
    await sleep(1_100);
    await b.engine.sweep();
    await b.engine.drain();
    expect(smsOf(sendId)).toHaveLength(1);
    expect((await stepsOf(b, sendId))[0]).toMatchObject({ state: 'moved_on', reason: 'timeout' });
  });

  it('when the SMS channel fails for infrastructure, then the step is taken over after its lease; when it refuses, then the refusal is recorded and nothing is retried', async () => {
    const a = processOf({ leaseMs: 200 });
    smsImpl = async () => { throw new Error('redis down'); };
    const first = await send(a, '+919876543228');
    await a.service.handleWebhook(failed(first.message));
    await a.engine.drain();
    expect((await stepsOf(a, first.sendId))[1].state).toBe('sending');
    smsImpl = accepted;
    await sleep(250);
    await a.engine.sweep();
    await a.engine.drain();
    expect((await stepsOf(a, first.sendId))[1]).toMatchObject({ state: 'succeeded', channelMessageId: `sms_fbs_${first.sendId}:1` });
    // The take-over asks again with the same step reference (the real SMS sender answers it with the first SMS).
    expect(smsOf(first.sendId).map((c) => c.stepRef)).toEqual([`fbs_${first.sendId}:1`, `fbs_${first.sendId}:1`]);

    smsImpl = async () => ({ ok: false, reason: 'rejected', code: 'INSUFFICIENT_BALANCE', message: 'top up' });
    const second = await send(a, '+919876543238');
    await a.service.handleWebhook(failed(second.message));
    await a.engine.drain();
    await sleep(250);
    await a.engine.sweep();
    await a.engine.drain();
    const sendRecord = (await a.repo.get(account.id, second.sendId))!;
    expect(sendRecord.state).toBe('failed');
    expect(sendRecord.steps[1]).toMatchObject({ state: 'failed', reason: 'rejected', reasonCode: 'INSUFFICIENT_BALANCE', detail: 'top up' });
    expect(smsOf(second.sendId)).toHaveLength(1);
  });

  it('when the API refuses the send (number ending 9), then the WhatsApp message fails and the SMS is sent before send returns', async () => {
    const a = processOf();
    const { message, sendId } = await send(a, '+919876543219');
    expect(message).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_REJECTED', providerCode: '131009' });
    const [wa, sms] = await stepsOf(a, sendId);
    expect(wa).toMatchObject({ state: 'moved_on', reason: 'rejected', reasonCode: '131009', channelMessageId: message.id });
    expect(sms.state).toBe('succeeded');
    expect(smsOf(sendId)).toHaveLength(1);
  });

  it('when a failover of the old WhatsAppFailover is still armed at the upgrade, then migration 015 makes it an engine send whose timeout sends the SMS once', async () => {
    const a = processOf();
    const to = '+919876543237';
    await a.service.recordOptIn(account.id, to, 'test');
    const { message } = await a.service.send(account.id, { to, content: auth, reference: 'legacy-7' });
    // As the old code left it: armed, due in a second.
    await db.query(
      `update whatsapp_messages set fallback_condition = 'delivered', fallback_timeout_seconds = 1, fallback_sms = $2::jsonb,
              fallback_state = 'armed', fallback_due_at = now() + interval '1 second' where id = $1`,
      [message.id, JSON.stringify({ category: 'otp', text: 'Code 4821' })],
    );
    const sql = readFileSync(new URL('../../src/db/migrations/015_whatsapp_fallback_engine.sql', import.meta.url), 'utf8');
    for (let run = 0; run < 2; run++) for (const statement of splitStatements(sql)) await db.query(statement);

    const sendId = `msg_${message.id.slice(4)}`;
    expect((await a.service.get(account.id, message.id))!.reference).toBe(`fbs_${sendId}:0`);
    const send = (await a.repo.get(account.id, sendId))!;
    expect(send).toMatchObject({ state: 'running', reference: 'legacy-7', category: 'otp', content: { whatsapp: auth, text: 'Code 4821' } });
    expect(send.steps.map((s) => [s.channel, s.state, s.channelMessageId])).toEqual([['whatsapp', 'waiting', message.id], ['sms', 'pending', null]]);

    await sleep(1_100);
    await Promise.all([a.engine.sweep(), a.engine.sweep()]);
    await a.engine.drain();
    expect(smsOf(sendId).map((c) => (c.rendering.payload as { text: string }).text)).toEqual(['Code 4821']);
    expect((await a.repo.get(account.id, sendId))!.steps[0]).toMatchObject({ state: 'moved_on', reason: 'timeout' });
  });

  it('when the number has not opted in, then the send is refused as without fallback, and no send is stored', async () => {
    const a = processOf();
    await expect(a.fallback.send(account, { to: '+919876543244', content: auth, fallback: fallback() })).rejects.toMatchObject({ code: 'WHATSAPP_NOT_OPTED_IN', field: 'to' });
    expect(await db.query(`select id from fallback_sends where to_number = '+919876543244'`)).toHaveLength(0);
  });
});
