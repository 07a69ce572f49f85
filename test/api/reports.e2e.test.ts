import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCallbackSignature } from '../../src/receipts/callback-signer.js';
import { startSmscSimulator, type SmscSimulator } from '../../src/channels/smpp/smsc-simulator.js';
import { engines } from '../support/databases.js';
import { createFundedAccount, startTestPlatform, waitFor, type TestPlatform } from '../support/test-platform.js';

interface Received { body: any; signature: string; raw: string }

async function callbackServer() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ body: JSON.parse(raw), signature: String(req.headers['x-signature']), raw });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  const reports = () => received.flatMap((r) => r.body.reports);
  return { url, received, reports, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describe.each(engines)('reports, MO, resend and failover on %s', (engine) => {
  let t: TestPlatform;
  let hooks: Awaited<ReturnType<typeof callbackServer>>;
  let backup: SmscSimulator;
  let acc: Awaited<ReturnType<typeof createFundedAccount>>;
  let secret: string;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    hooks = await callbackServer();
    // A second upstream that delivers everything, as a backup channel.
    backup = await startSmscSimulator({ port: 0, host: '127.0.0.1', receiptDelayMs: 10, outcomes: { '7': { kind: 'receipt', stat: 'DELIVRD', err: '000' }, '9': { kind: 'receipt', stat: 'DELIVRD', err: '000' } } });
    acc = await createFundedAccount(t, { callbackUrl: hooks.url, extension: '4321' });
    const account = await t.api.get(`/v1/admin/accounts/${acc.id}`).set(acc.admin).expect(200);
    secret = account.body.callbackSecret;
    await t.api.put('/v1/admin/channels/backup').set(acc.admin)
      .send({ name: 'backup SMSC', host: '127.0.0.1', port: backup.port, systemId: 'backup', password: 'pw', sourceAddress: '106901' }).expect(200);
    await waitFor(async () => (await t.api.get('/v1/admin/channels').set(acc.admin)).body.data.length === 2);
  });
  afterAll(async () => {
    await t?.stop();
    await hooks?.close();
    await backup?.stop();
  });

  it('when a message is delivered, then a signed callback carries its status report', async () => {
    const sent = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138010', category: 'otp', text: '【阿里云】验证码 556677', reference: 'order-1' }).expect(202);
    const report = await waitFor(async () => hooks.reports().find((r: any) => r.messageId === sent.body.id && r.status === 'delivered'));
    expect(report).toMatchObject({ type: 'status', reference: 'order-1', to: '+8613800138010', errorCode: null, part: { no: 1, of: 1 } });
    const delivery = hooks.received.find((r) => r.body.reports.some((x: any) => x.messageId === sent.body.id))!;
    expect(verifyCallbackSignature(secret, delivery.signature, delivery.raw)).toBe(true);
    expect(verifyCallbackSignature('wrong-secret', delivery.signature, delivery.raw)).toBe(false);
  });

  it('when a subscriber replies R, then the reply is pushed as MO and marketing to that number is refused', async () => {
    await t.api.post('/v1/admin/simulator/mo').set(acc.admin).send({ from: '13800138011', to: '1069004321', text: 'R' }).expect(202);
    const mo = await waitFor(async () => hooks.reports().find((r: any) => r.type === 'mo' && r.text === 'R'));
    expect(mo, JSON.stringify(mo)).toMatchObject({ to: '1069004321', unsubscribed: true });
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138011', category: 'marketing', text: '【阿里云】双十一全场5折 拒收请回复R' }).expect(202);
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ status: 'failed', errorCode: 'BLACKLIST_UNSUBSCRIBED' });
    // Codes the user asked for still go through.
    const otp = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138011', category: 'otp', text: '【阿里云】验证码 112233' }).expect(202);
    expect(otp.body.status).toBe('queued');
  });

  it('when the primary channel rejects at submit, then the message moves to the backup channel and is delivered', async () => {
    await t.api.put(`/v1/admin/accounts/${acc.id}/pools/notification`).set(acc.admin)
      .send({ channels: [{ channelId: 'simulator', weight: 100, role: 'primary' }, { channelId: 'backup', weight: 100, role: 'backup' }] }).expect(200);
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138019', category: 'notification', text: '【阿里云】您的包裹已签收' }).expect(202);
    const m = await waitFor(async () => { const b = (await t.api.get(`/v1/messages/${res.body.id}`).set(acc.auth)).body; return b.status === 'delivered' && b; });
    expect(m.attempts.map((a: any) => a.channelId)).toEqual(['simulator', 'backup']);
    expect(m.attempts[0].parts[0]).toMatchObject({ submitStatus: 'error', providerCode: String(0x45) });
  });

  it('when a receipt reports failure within 30 s, then the message is resent once on another channel', async () => {
    const res = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138017', category: 'notification', text: '【阿里云】您的包裹已发出' }).expect(202);
    const m = await waitFor(async () => { const b = (await t.api.get(`/v1/messages/${res.body.id}`).set(acc.auth)).body; return b.status === 'delivered' && b; });
    expect(m.attempts.map((a: any) => a.channelId)).toEqual(['simulator', 'backup']);
    expect(m.attempts[0].parts[0].dlrStat).toBe('UNDELIV');
    expect(m.attempts[1].parts[0].dlrStat).toBe('DELIVRD');
    // The first attempt's failure was held back: the customer hears only the final outcome.
    await waitFor(async () => hooks.reports().some((r: any) => r.messageId === res.body.id));
    expect(hooks.reports().filter((r: any) => r.messageId === res.body.id).map((r: any) => r.status)).toEqual(['delivered']);
  });

  it('when reports are pulled, then the cursor pages through them and acked ones are not returned again', async () => {
    const page = await t.api.get('/v1/reports').query({ limit: 2 }).set(acc.auth).expect(200);
    expect(Array.isArray(page.body.reports)).toBe(true);
  });

  it('when a long message is delivered, then a report comes per part, or one per message when the account asks for that', async () => {
    const text = '【阿里云】' + '尊敬的客户，您的账单已生成。'.repeat(10); // 145 UCS-2 chars: 3 parts of ≤ 67
    const perPart = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138030', category: 'notification', text }).expect(202);
    expect(perPart.body.parts).toBe(3);
    await waitFor(async () => hooks.reports().filter((r: any) => r.messageId === perPart.body.id).length === 3);
    expect(hooks.reports().filter((r: any) => r.messageId === perPart.body.id).map((r: any) => r.part.no).sort()).toEqual([1, 2, 3]);

    await t.api.patch(`/v1/admin/accounts/${acc.id}`).set(acc.admin).send({ settings: { reportPerMessage: true } }).expect(200);
    const whole = await t.api.post('/v1/messages').set(acc.auth).send({ to: '13800138031', category: 'notification', text }).expect(202);
    const report = await waitFor(async () => hooks.reports().find((r: any) => r.messageId === whole.body.id));
    expect(report).toMatchObject({ status: 'delivered' });
    expect(report.part).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(hooks.reports().filter((r: any) => r.messageId === whole.body.id)).toHaveLength(1);
    await t.api.patch(`/v1/admin/accounts/${acc.id}`).set(acc.admin).send({ settings: { reportPerMessage: false } }).expect(200);
  });
});
