/**
 * The bundled WhatsApp simulator and the Cloud API adapter against each other over real HTTP, with
 * a small webhook receiver that does what Meta asks of one (handshake, signature check).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWhatsAppSimulator, type WhatsAppSimulator, type WhatsAppSimulatorOptions } from '../../src/channels/whatsapp/whatsapp-simulator.js';
import { WhatsAppCloudAdapter } from '../../src/channels/whatsapp/whatsapp.adapter.js';
import { verifyWebhookSignature } from '../../src/channels/whatsapp/webhook-signature.js';
import { webhookEvents, webhookPayloadSchema, type StatusEvent } from '../../src/channels/whatsapp/cloud-api-webhook.js';
import { toCloudRequest } from '../../src/channels/whatsapp/whatsapp-content.js';

const SECRET = 'sim-app-secret';
const TOKEN = 'sim-access-token';
const VERIFY = 'sim-verify-token';
const PHONE_ID = 'PN-TEST';

/** A webhook endpoint as Meta expects one: echoes the challenge, refuses bad signatures. */
class Receiver {
  server!: Server;
  url = '';
  statuses: StatusEvent[] = [];
  inbound: string[] = [];
  badSignatures = 0;
  handshakes = 0;

  async start() {
    this.server = createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      if (req.method === 'GET') {
        this.handshakes++;
        const ok = u.searchParams.get('hub.mode') === 'subscribe' && u.searchParams.get('hub.verify_token') === VERIFY;
        return void res.writeHead(ok ? 200 : 403).end(ok ? u.searchParams.get('hub.challenge') : '');
      }
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c)).on('end', () => {
        const raw = Buffer.concat(chunks);
        if (!verifyWebhookSignature(SECRET, raw, req.headers['x-hub-signature-256'] as string)) {
          this.badSignatures++;
          return void res.writeHead(401).end();
        }
        for (const e of webhookEvents(webhookPayloadSchema.parse(JSON.parse(raw.toString())))) {
          if (e.kind === 'status') this.statuses.push(e);
          else this.inbound.push(e.text);
        }
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  of(wamid: string) {
    return this.statuses.filter((s) => s.providerMessageId === wamid).map((s) => s.status);
  }
}

describe('WhatsApp simulator with the Cloud API adapter', () => {
  const rx = new Receiver();
  let sim: WhatsAppSimulator | undefined;
  const start = async (o: Partial<WhatsAppSimulatorOptions> = {}) => {
    sim = await startWhatsAppSimulator({ phoneNumberId: PHONE_ID, accessToken: TOKEN, appSecret: SECRET, verifyToken: VERIFY, webhookUrl: rx.url, statusDelayMs: 5, pairIntervalMs: 0, ...o });
    return { sim, adapter: new WhatsAppCloudAdapter({ baseUrl: sim.url, apiVersion: 'v21.0', phoneNumberId: PHONE_ID, accessToken: TOKEN }) };
  };
  const text = (to: string, body = 'hello') => toCloudRequest({ type: 'text', text: { body } }, to, 'wam_test');
  const template = (to: string) => toCloudRequest({ type: 'authentication', authentication: { template: 'login_code', language: 'en_US', code: '1234' } }, to, 'wam_test');

  beforeAll(() => rx.start());
  afterEach(async () => sim?.stop());
  afterAll(() => new Promise<void>((r) => rx.server.close(() => r())));

  it('when templates go to numbers ending 0, 6, 7 and 8, then the statuses follow the number rules, signed, after one handshake', async () => {
    const { sim, adapter } = await start();
    const sent = await Promise.all(['+919876543210', '+919876543216', '+919876543217', '+919876543218'].map((to) => adapter.send(template(to))));
    const ids = sent.map((s) => (s.ok ? s.providerMessageId : ''));
    expect(sent.every((s) => s.ok)).toBe(true);
    await sim.idle();
    // Which statuses each number gets; their order has a test of its own (under a heavily loaded CI
    // run the first webhooks, which wait for the handshake, have arrived out of order: see README).
    const rank = ['sent', 'delivered', 'read', 'failed'];
    expect(ids.map((id) => [...rx.of(id)].sort((a, b) => rank.indexOf(a) - rank.indexOf(b)))).toEqual([['sent', 'delivered', 'read'], ['sent', 'delivered'], ['sent'], ['failed']]);
    expect(rx.statuses.find((s) => s.providerMessageId === ids[3])!.error).toMatchObject({ code: 131026 });
    expect(rx.statuses.filter((s) => ids.includes(s.providerMessageId)).every((s) => s.callbackData === 'wam_test')).toBe(true);
    expect(sim.stats).toMatchObject({ handshakes: 1, accepted: 4, dropped: 0 });
    expect(rx.badSignatures).toBe(0);
  });

  it('when the number ends in 9, then the API refuses at once with 131009, not retryable', async () => {
    const { adapter } = await start();
    const out = await adapter.send(template('+919876543219'));
    expect(out).toMatchObject({ ok: false, httpStatus: 400, response: { code: 131009 } });
    expect(!out.ok && [out.error.code, out.error.retryable, out.error.providerCode]).toEqual(['WHATSAPP_API_REJECTED', false, 131009]);
  });

  it('when the bearer token is wrong, then the answer is 190 and the adapter reports an auth failure', async () => {
    const { sim } = await start();
    const wrong = new WhatsAppCloudAdapter({ baseUrl: sim.url, apiVersion: 'v21.0', phoneNumberId: PHONE_ID, accessToken: 'nope' });
    const out = await wrong.send(template('+919876543210'));
    expect(!out.ok && [out.httpStatus, out.error.code, out.error.providerCode]).toEqual([401, 'WHATSAPP_API_AUTH_FAILED', 190]);
  });

  it('when more than maxPerSecond go at once, then the excess gets 130429, retryable', async () => {
    const { adapter } = await start({ maxPerSecond: 3 });
    const out = await Promise.all(Array.from({ length: 5 }, (_, i) => adapter.send(template(`+91987654320${i}`))));
    const refused = out.filter((o) => !o.ok);
    expect(refused).toHaveLength(2);
    expect(refused.map((o) => !o.ok && [o.error.code, o.error.retryable, o.error.providerCode])).toEqual([['WHATSAPP_API_THROTTLED', true, 130429], ['WHATSAPP_API_THROTTLED', true, 130429]]);
  });

  it('when a user gets two messages within the pair interval, then the second gets 131056', async () => {
    const { adapter } = await start({ pairIntervalMs: 6_000 });
    const a = await adapter.send(template('+919876543211'));
    const b = await adapter.send(template('+919876543211'));
    expect([a.ok, !b.ok && b.error.providerCode]).toEqual([true, 131056]);
  });

  it('when free text goes to a user who never wrote, then it is accepted and fails with 131047; after the user writes, it is read', async () => {
    const { sim, adapter } = await start();
    const before = await adapter.send(text('+919876543212'));
    const inbound = await sim.injectInbound({ from: '+919876543212', text: 'hi there' });
    const after = await adapter.send(text('+919876543212'));
    await sim.idle();
    expect(inbound.delivered).toBe(true);
    expect(rx.inbound).toContain('hi there');
    expect(before.ok && rx.of(before.providerMessageId)).toEqual(['failed']);
    expect(before.ok && rx.statuses.find((s) => s.providerMessageId === before.providerMessageId)!.error!.code).toBe(131047);
    expect(after.ok && rx.of(after.providerMessageId)).toEqual(['sent', 'delivered', 'read']);
  });

  it('when statuses are shuffled with a seed, then some are sent out of order, all arrive, and the same seed gives the same order', async () => {
    const planned: string[][][] = [];
    for (let run = 0; run < 2; run++) {
      const { sim, adapter } = await start({ order: 'shuffled', seed: 7 });
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const s = await adapter.send(template(`+91987654330${i % 6}`));
        if (s.ok) ids.push(s.providerMessageId);
      }
      await sim.idle();
      const order = ids.map((id) => sim.messages.find((m) => m.id === id)!.statusOrder!);
      // Arrival order is the network's business (Meta guarantees none either): every status arrives.
      expect(ids.map((id) => rx.of(id).slice().sort())).toEqual(order.map((o) => o.slice().sort()));
      planned.push(order);
      await sim.stop();
    }
    expect(planned[0].map((o) => o.slice().sort())).toEqual(planned[0].map(() => ['delivered', 'read', 'sent']));
    expect(planned[0].some((o) => o.join() !== 'sent,delivered,read')).toBe(true);
    expect(planned[1]).toEqual(planned[0]);
  });

  it('when the webhook endpoint refuses the verify token, then nothing is delivered and the payloads are dropped after retries', async () => {
    const { sim, adapter } = await start({ verifyToken: 'wrong', webhookRetries: 1, webhookRetryDelayMs: 5 });
    const s = await adapter.send(template('+919876543213'));
    await sim.idle();
    expect(s.ok && rx.of(s.providerMessageId)).toEqual([]);
    expect(sim.stats.handshakeFailures).toBeGreaterThan(0);
    expect(sim.stats.dropped).toBeGreaterThan(0);
  });

  it('when the API does not answer in time or cannot be reached, then the adapter reports a retryable timeout or unreachable', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const slow = new WhatsAppCloudAdapter({ baseUrl: `http://127.0.0.1:${port}`, apiVersion: 'v21.0', phoneNumberId: PHONE_ID, accessToken: TOKEN, timeoutMs: 150 });
    const t = await slow.send(template('+919876543210'));
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
    const gone = await new WhatsAppCloudAdapter({ baseUrl: `http://127.0.0.1:${port}`, apiVersion: 'v21.0', phoneNumberId: PHONE_ID, accessToken: TOKEN }).send(template('+919876543210'));
    expect(!t.ok && [t.error.code, t.error.retryable]).toEqual(['WHATSAPP_API_TIMEOUT', true]);
    expect(!gone.ok && [gone.error.code, gone.error.retryable]).toEqual(['WHATSAPP_API_UNREACHABLE', true]);
  });

  it('when the body breaks a Cloud API rule, then the simulator answers code 100 naming the field', async () => {
    const { adapter } = await start();
    const bad = { ...template('+919876543210'), type: 'interactive', interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: 'B' + i } })) } } };
    delete (bad as Record<string, unknown>).template;
    const out = await adapter.send(bad as never);
    expect(out).toMatchObject({ ok: false, response: { code: 100, error_data: { details: expect.stringContaining('interactive.action.buttons') } } });
  });
});
