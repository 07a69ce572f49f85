/**
 * The bundled smart-SMS simulator and the adapter against each other over real HTTP: signed
 * requests, template review, links split over several calls, support per number, aggregate
 * reports, the link redirect, and every failure mapped to a ChannelError.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmartSmsSimulator, type SmartSmsSimulator } from '../../src/channels/smart-sms/smart-sms-simulator.js';
import { SmartSmsAdapter, SMART_SMS_UPSTREAM, type LinkRecipient } from '../../src/channels/smart-sms/smart-sms.adapter.js';
import { signedHeaders } from '../../src/channels/smart-sms/smart-sms-signature.js';
import type { ProviderTemplate } from '../../src/channels/smart-sms/smart-sms-api.js';
import { waitFor } from '../support/test-platform.js';

const KEY = 'sim-key';
const SECRET = 'sim-secret-123';
const numbers = (n: number, prefix = '139') => Array.from({ length: n }, (_, i) => `+86${prefix}${String(i).padStart(8, '0')}`);
const capable = (list: string[]) => list.filter((n) => '012345'.includes(n.slice(-1))).length;

describe('smart-SMS adapter against the bundled simulator', () => {
  let sim: SmartSmsSimulator;
  let adapter: SmartSmsAdapter;
  let approved: ProviderTemplate;

  const register = async (title = 'Spring sale', domain = sim.domain) => {
    const res = await adapter.registerTemplate({ outTemplateId: 'card-1', name: 'Sale', cardType: 'coupon', summary: { title, text: '20% off', buttons: [{ text: 'Get it', action: 'openUrl' }] }, domain, customUrl: 'https://h5.example/card-1' });
    if (!res.ok) throw res.error;
    return res.value;
  };

  beforeAll(async () => {
    sim = await startSmartSmsSimulator({ appKey: KEY, appSecret: SECRET, reviewDelayMs: 100, reportDelayMs: 0, domains: ['c.sim.example'] });
    adapter = new SmartSmsAdapter({ baseUrl: sim.url, appKey: KEY, appSecret: SECRET });
    approved = await register();
    approved = await waitFor(async () => {
      const r = await adapter.getTemplate(approved.templateId);
      return r.ok && r.value.status === 'approved' && r.value;
    });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('when a template is registered, then it is pending at first and approved after the review delay', async () => {
    // Act
    const t = await register();
    // Assert
    expect(t).toMatchObject({ outTemplateId: 'card-1', status: 'pending', domain: sim.domain, reviewedAt: null });
    const later = await waitFor(async () => {
      const r = await adapter.getTemplate(t.templateId);
      return r.ok && r.value.status !== 'pending' && r.value;
    });
    expect(later).toMatchObject({ status: 'approved', reason: null, reviewedAt: expect.any(String) });
  });

  it('when a template title contains REJECT, then the review rejects it and links are refused as not approved', async () => {
    const t = await register('REJECT this card');
    await waitFor(async () => {
      const r = await adapter.getTemplate(t.templateId);
      return r.ok && r.value.status === 'rejected';
    });
    const res = await adapter.requestLinks({ templateId: t.templateId, domain: sim.domain, outId: 'rej', type: 'personalised', recipients: [{ number: '+8613800138000' }] });
    expect(res).toMatchObject({ ok: false, httpStatus: 409, error: { code: SMART_SMS_UPSTREAM.NOT_APPROVED, retryable: false, providerCode: 'TemplateNotApproved' } });
  });

  it('when personalised links for 25,000 numbers are requested, then 3 calls return one distinct link per number on the domain, each redirecting to its page', async () => {
    // Arrange
    const calls = sim.stats.linkCalls;
    const recipients: LinkRecipient[] = numbers(25_000).map((number, i) => ({ number, customUrl: `https://h5.example/s/r${i}` }));
    // Act
    const res = await adapter.requestLinks({ templateId: approved.templateId, domain: sim.domain, outId: 'big-1', type: 'personalised', recipients });
    // Assert
    if (!res.ok) throw res.error;
    expect(sim.stats.linkCalls - calls).toBe(3);
    expect(res.value.batches.map((b) => b.count)).toEqual([10_000, 10_000, 5_000]);
    expect(new Set(res.value.links).size).toBe(25_000);
    expect(res.value.links.every((l) => l.startsWith(`http://${sim.domain}/p/`))).toBe(true);
    for (const i of [0, 12_345, 24_999]) {
      const hop = await fetch(res.value.links[i], { redirect: 'manual' });
      expect({ status: hop.status, location: hop.headers.get('location') }).toEqual({ status: 302, location: `https://h5.example/s/r${i}` });
    }
  });

  it('when the batch reports are read, then the counts follow the last-digit rule and name no number', async () => {
    // Arrange
    const list = numbers(25_000, '137');
    const res = await adapter.requestLinks({ templateId: approved.templateId, domain: sim.domain, outId: 'rep-1', type: 'personalised', recipients: list.map((number) => ({ number })) });
    if (!res.ok) throw res.error;
    // Act
    const rep = await adapter.batchReports([...res.value.batches.map((b) => b.batchId), 'B-UNKNOWN']);
    // Assert
    if (!rep.ok) throw rep.error;
    const total = rep.value.reports.reduce((s, r) => ({ sent: s.sent + r.sent, parsed: s.parsed + r.parsed, failed: s.failed + r.failed }), { sent: 0, parsed: 0, failed: 0 });
    expect(total).toEqual({ sent: 25_000, parsed: capable(list), failed: 25_000 - capable(list) });
    expect(total.parsed).toBe(15_000);
    expect(rep.value.unknownBatchIds).toEqual(['B-UNKNOWN']);
    expect(JSON.stringify(rep.value)).not.toMatch(/1\d{10}/);
    expect(Object.keys(rep.value.reports[0]).sort()).toEqual(['batchId', 'failed', 'parsed', 'sent', 'templateId']);
  });

  it('when the daily report is read, then it sums the template\'s numbers of the day', async () => {
    const t = await register();
    await waitFor(async () => {
      const r = await adapter.getTemplate(t.templateId);
      return r.ok && r.value.status === 'approved';
    });
    const list = numbers(30, '136');
    const res = await adapter.requestLinks({ templateId: t.templateId, domain: sim.domain, outId: 'daily-1', type: 'personalised', recipients: list.map((number) => ({ number })) });
    expect(res.ok).toBe(true);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const rep = await adapter.dailyReports({ templateIds: [t.templateId], from: today, to: today });
    expect(rep.ok && rep.value.reports).toEqual([{ templateId: t.templateId, date: today, sent: 30, parsed: 18, failed: 12 }]);
  });

  it('when support is queried, then each number is supported by the rule, in input order, and non-mainland numbers are false', async () => {
    const list = [...numbers(12, '135'), '+14155550120'];
    const res = await adapter.support(list, approved.templateId);
    if (!res.ok) throw res.error;
    expect(res.value.map((r) => r.supported)).toEqual([true, true, true, true, true, true, false, false, false, false, true, true, false]);
    expect(res.value[0].vendor).toBe('huawei');
    expect(res.value[12]).toEqual({ supported: false, vendor: null });
  });

  it('when a bulk link is requested, then every number of the call shares one link that opens the template page', async () => {
    const res = await adapter.requestLinks({ templateId: approved.templateId, domain: sim.domain, outId: 'bulk-1', type: 'bulk', recipients: numbers(5, '134').map((number) => ({ number })) });
    if (!res.ok) throw res.error;
    expect(new Set(res.value.links).size).toBe(1);
    const hop = await fetch(res.value.links[0], { redirect: 'manual' });
    expect(hop.headers.get('location')).toBe('https://h5.example/card-1');
  });

  it('when a link request is retried with the same outId after a failed call, then the same links come back and no batch is issued twice', async () => {
    // Arrange: one call at a time; the second call fails once.
    const serial = new SmartSmsAdapter({ baseUrl: sim.url, appKey: KEY, appSecret: SECRET, concurrency: 1 });
    const recipients = numbers(15_000, '133').map((number) => ({ number }));
    const issued = sim.stats.linksIssued;
    const first = await serial.requestLinks({ templateId: approved.templateId, domain: sim.domain, outId: 'retry-1', type: 'personalised', recipients: recipients.slice(0, 10_000) });
    if (!first.ok) throw first.error;
    sim.failNext(1, { code: 'ServiceUnavailable' });
    // Act
    const failed = await serial.requestLinks({ templateId: approved.templateId, domain: sim.domain, outId: 'retry-1', type: 'personalised', recipients });
    const again = await serial.requestLinks({ templateId: approved.templateId, domain: sim.domain, outId: 'retry-1', type: 'personalised', recipients });
    // Assert
    expect(failed).toMatchObject({ ok: false, httpStatus: 503, error: { code: SMART_SMS_UPSTREAM.SERVER, retryable: true, providerCode: 'ServiceUnavailable' } });
    if (!again.ok) throw again.error;
    expect(again.value.links.slice(0, 10_000)).toEqual(first.value.links);
    expect(again.value.batches[0].batchId).toBe(first.value.batches[0].batchId);
    expect(sim.stats.linksIssued - issued).toBe(15_000);
  });

  it('when the domain is not registered, then the request is rejected for good with the provider code', async () => {
    const res = await adapter.requestLinks({ templateId: approved.templateId, domain: 'evil.example', outId: 'dom-1', type: 'personalised', recipients: [{ number: '13800138000' }] });
    expect(res).toMatchObject({ ok: false, httpStatus: 400, error: { code: SMART_SMS_UPSTREAM.REJECTED, retryable: false, providerCode: 'DomainNotRegistered' } });
    const other = await adapter.requestLinks({ templateId: approved.templateId, domain: 'c.sim.example', outId: 'dom-2', type: 'personalised', recipients: [{ number: '13800138000' }] });
    expect(other.ok && other.value.links[0]).toMatch(/^http:\/\/c\.sim\.example\/p\//);
  });

  it('when the secret is wrong, then the simulator refuses the signature and the error is not retryable', async () => {
    const wrong = new SmartSmsAdapter({ baseUrl: sim.url, appKey: KEY, appSecret: 'not-the-secret' });
    const res = await wrong.support(['13800138000']);
    expect(res).toMatchObject({ ok: false, httpStatus: 401, error: { code: SMART_SMS_UPSTREAM.AUTH, retryable: false, providerCode: 'SignatureDoesNotMatch' } });
  });

  it('when a signed request is replayed, then the second one is refused as a reused nonce', async () => {
    const body = JSON.stringify({ mobiles: ['13800138000'] });
    const headers = { ...signedHeaders(KEY, SECRET, { method: 'POST', path: '/api/v1/support', body }), 'content-type': 'application/json' };
    const first = await fetch(`${sim.url}/api/v1/support`, { method: 'POST', headers, body });
    const replay = await fetch(`${sim.url}/api/v1/support`, { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    expect({ status: replay.status, code: ((await replay.json()) as { code: string }).code }).toEqual({ status: 401, code: 'NonceReused' });
  });

  it('when a number is malformed on the wire or a call has over 10,000 numbers, then the simulator names the field', async () => {
    const send = async (body: unknown) => {
      const raw = JSON.stringify(body);
      const r = await fetch(`${sim.url}/api/v1/support`, { method: 'POST', headers: { ...signedHeaders(KEY, SECRET, { method: 'POST', path: '/api/v1/support', body: raw }), 'content-type': 'application/json' }, body: raw });
      return { status: r.status, ...((await r.json()) as { code: string; message: string }) };
    };
    expect(await send({ mobiles: ['13800138000', '+8613800138000'] })).toMatchObject({ status: 400, code: 'InvalidMobile', message: expect.stringContaining('mobiles.1') });
    expect(await send({ mobiles: Array(10_001).fill('13800138000') })).toMatchObject({ status: 400, code: 'TooManyMobiles' });
  });

  it('when the provider is throttling, unreachable or silent, then the errors are retryable', async () => {
    // Throttled
    sim.failNext(1, { code: 'Throttled' });
    expect(await adapter.support(['13800138000'])).toMatchObject({ ok: false, httpStatus: 429, error: { code: SMART_SMS_UPSTREAM.THROTTLED, retryable: true } });
    // Unreachable: a port nobody listens on.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const gone = new SmartSmsAdapter({ baseUrl: `http://127.0.0.1:${port}`, appKey: KEY, appSecret: SECRET });
    expect(await gone.support(['13800138000'])).toMatchObject({ ok: false, httpStatus: null, error: { code: SMART_SMS_UPSTREAM.UNREACHABLE, retryable: true } });
    // Silent: accepts the connection, never answers.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const slow = new SmartSmsAdapter({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, appKey: KEY, appSecret: SECRET, timeoutMs: 200 });
    expect(await slow.support(['13800138000'])).toMatchObject({ ok: false, httpStatus: null, error: { code: SMART_SMS_UPSTREAM.TIMEOUT, retryable: true } });
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('when counting on receive, then only links the network delivered are counted', async () => {
    // Arrange
    const rsim = await startSmartSmsSimulator({ appKey: KEY, appSecret: SECRET, reviewDelayMs: 0, countOn: 'receive' });
    try {
      const a = new SmartSmsAdapter({ baseUrl: rsim.url, appKey: KEY, appSecret: SECRET });
      const t = await a.registerTemplate({ outTemplateId: 'c', name: 'n', cardType: 'coupon', summary: { title: 't' }, domain: rsim.domain, customUrl: 'https://h5.example/c' });
      if (!t.ok) throw t.error;
      const res = await a.requestLinks({ templateId: t.value.templateId, domain: rsim.domain, outId: 'rcv', type: 'personalised', recipients: numbers(10, '132').map((number) => ({ number })) });
      if (!res.ok) throw res.error;
      // Act: the network delivers digits 0–3 and 7 (over HTTP, as another process would report it).
      const r = await fetch(`${rsim.url}/sim/handsets/receive`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ links: [0, 1, 2, 3, 7].map((i) => res.value.links[i]) }) });
      // Assert
      expect(((await r.json()) as { data: unknown }).data).toEqual({ received: 5, unknown: 0 });
      const rep = await a.batchReports([res.value.batches[0].batchId]);
      expect(rep.ok && rep.value.reports[0]).toMatchObject({ sent: 5, parsed: 4, failed: 1 });
    } finally {
      await rsim.stop();
    }
  });
});
