/**
 * Fallback chain overhead: a card campaign of 10,000 recipients down ["rcs", "smart_sms", "sms"] on
 * a platform process (api, worker) as `npm start` runs it, with the bundled MaaP, smart-SMS and SMSC
 * simulators in a process of their own (the carriers are elsewhere in real life, and a simulator
 * sending 12,000 webhooks would otherwise share the platform's event loop), over a fresh database
 * on the local PostgreSQL server. The MaaP simulator is set so 60% can't render 5G:
 * last digit 0–3 5G-capable, 4–7 NotSupported, 9 Invalid (both found by the capability query) and
 * 8 Unknown (tried, never delivered: the 2 s timeout moves it on). The smart-SMS simulator parses on
 * 0–5 Android handsets; the rest get plain text with the H5 link.
 *
 * Figures:
 * - fallback_decision_p99_ms: the engine's own time per message per decision round (claiming,
 *   capability lookup, rendering, recording the move, choosing the next step), with the channels'
 *   I/O (capability queries, sends) taken out. A round decides a batch of messages at once; each
 *   message is charged the round's time divided by the batch size; read from the platform's
 *   GET /v1/admin/fallback/stats. Baseline: p99 of a bare `select 1` round trip from the benchmark
 *   process to the same database, the floor of one database statement.
 * - fallback_campaign_10k_s: from the request to every send settled; informational.
 * Then it checks that nothing was lost or duplicated: every send settled once, on the channel its
 * digit calls for, with at most one channel message per step.
 */
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { connectPostgres } from '../../src/db/db-client.js';
import { JsonClient } from '../lib/http-client.js';
import { BENCH_ADMIN_KEY, startPlatformProcess } from '../lib/platform-process.js';
import { percentile, type Results } from '../lib/results.js';
import { COUPON_SAMPLES, COUPON_TEMPLATE } from '../../test/support/card-fixtures.js';
import { deleteKeys } from '../lib/redis-keys.js';

const RECIPIENTS = Number(process.env.BENCH_FALLBACK_RECIPIENTS ?? 10_000);

/** The channel a recipient should end on, by the number's last digit. */
function expectedChannel(digit: number): string {
  if (digit <= 3) return 'rcs';
  if (digit <= 5) return 'smart_sms';
  return 'sms';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function run(results: Results): Promise<void> {
  const [apiPort, maapPort, smartPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const prefix = `bfb${Date.now().toString(36)}`;
  const simulators = await startPlatformProcess('simulator', {
    REDIS_PREFIX: prefix, LOG_LEVEL: 'info', SIMULATOR_PORT: '0', WHATSAPP_SIMULATOR_PORT: '0', MMS_SIMULATOR_PORT: '0',
    SIMULATOR_RECEIPT_DELAY_MS: '50', RCS_SIMULATOR_STATUS_DELAY_MS: '50', SMART_SMS_SIMULATOR_REVIEW_DELAY_MS: '50',
    RCS_SIMULATOR_PORT: String(maapPort), SMART_SMS_SIMULATOR_PORT: String(smartPort),
    RCS_SIMULATOR_RULES: 'supported:0123,not_supported:4567,unknown:8,invalid:9',
    RCS_SIMULATOR_WEBHOOK_URL: `http://127.0.0.1:${apiPort}/webhooks/rcs`,
  });
  const platform = await startPlatformProcess('api,worker', {
    DATABASE_URL: simulators.databaseUrl, REDIS_PREFIX: prefix, PORT: String(apiPort),
    RCS_MAAP_BASE_URL: `http://127.0.0.1:${maapPort}`, SMART_SMS_BASE_URL: `http://127.0.0.1:${smartPort}`, SMART_SMS_DOMAIN: `127.0.0.1:${smartPort}`,
    FALLBACK_SWEEP_MS: '250',
  });
  const db = await connectPostgres(simulators.databaseUrl, { max: 2 });
  // The platform listens on the port chosen here (the simulators call it back), not the one startPlatformProcess picked.
  const base = `http://127.0.0.1:${apiPort}`;
  const admin = new JsonClient(base, { authorization: `Bearer ${BENCH_ADMIN_KEY}` });
  const must = async (p: Promise<{ status: number; body: any }>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`set-up call failed ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  try {
    const created = await must(admin.request('POST', '/v1/admin/accounts', {
      name: 'bench', extension: '78', settings: { marketingWindow: { start: '00:00', end: '00:00' }, caps: { numberPerDay: null, numberPerMinute: null, contentPerMinute: null, contentPerDay: null, antiBombing: [] } },
    }));
    const id = created.account.id as string;
    await must(admin.request('POST', `/v1/admin/accounts/${id}/topup`, { amountMillis: 1_000_000_000 }));
    const client = new JsonClient(base, { authorization: `Bearer ${created.apiKey}` });
    await must(client.request('POST', '/v1/signatures', { name: '测试' }));
    await must(admin.request('PUT', `/v1/admin/accounts/${id}/signatures/${encodeURIComponent('测试')}`, { status: 'approved' }));
    const bot = await must(client.request('POST', '/v1/rcs/chatbots', { name: 'Bench', logoUrl: 'https://acme.example/l.png', description: 'Bench bot', colour: '#123456', callbackNumber: '4008208820', website: 'https://acme.example', category: 'retail' }));
    await must(client.request('POST', `/v1/rcs/chatbots/${bot.id}/submit`));
    await must(admin.request('POST', `/v1/admin/rcs/chatbots/${bot.id}/approve`, {}));
    const tpl = await must(client.request('POST', '/v1/cards/templates', { name: 'Coupon', card: COUPON_TEMPLATE, sampleVariables: COUPON_SAMPLES }));
    await must(client.request('POST', `/v1/cards/templates/${tpl.id}/submit`));
    await must(admin.request('POST', `/v1/admin/cards/templates/${tpl.id}/approve`, {}));

    const recipients = Array.from({ length: RECIPIENTS }, (_, i) => ({ to: `+86139${String(i).padStart(8, '0')}`, variables: { ...COUPON_SAMPLES, name: `会员${i}`, code: `C${i}` } }));
    const started = performance.now();
    const sent = await must(client.request('POST', '/v1/cards/send', {
      templateId: tpl.id, signature: '测试', recipients,
      channels: [{ channel: 'rcs', condition: 'delivered', timeoutSeconds: 2 }, 'smart_sms', 'sms'],
    }));
    if (sent.accepted !== RECIPIENTS) throw new Error(`accepted ${sent.accepted} of ${RECIPIENTS}: ${JSON.stringify(sent.rejected.slice(0, 3))}`);
    const deadline = Date.now() + 180_000;
    let running = RECIPIENTS;
    while (running > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      [{ running }] = await db.query<{ running: number }>(`select count(*)::int as running from fallback_sends where state = 'running'`);
    }
    const seconds = (performance.now() - started) / 1000;
    if (running > 0) throw new Error(`${running} sends still running after 180 s`);

    // Nothing lost or duplicated.
    const sends = await db.query<{ id: string; to_number: string; state: string; succeeded_channel: string | null }>(`select id, to_number, state, succeeded_channel from fallback_sends`);
    const wrong = sends.filter((s) => s.state !== 'succeeded' || s.succeeded_channel !== expectedChannel(Number(s.to_number.slice(-1))));
    const [{ dupSms }] = await db.query<{ dupSms: number }>(`select count(*)::int as "dupSms" from (select reference from messages where reference like 'fbs\\_%' group by reference having count(*) > 1) d`);
    const [{ sms }] = await db.query<{ sms: number }>(`select count(*)::int as sms from messages where reference like 'fbs\\_%'`);
    const [{ rcs }] = await db.query<{ rcs: number }>(`select count(*)::int as rcs from rcs_messages where step_ref is not null`);
    const expectedSms = RECIPIENTS * 0.6; // 4–9: smart SMS (4, 5) or plain text (6–9)
    const expectedRcs = RECIPIENTS * 0.5; // 0–3 delivered, 8 tried and timed out
    if (sends.length !== RECIPIENTS || wrong.length || dupSms || sms !== expectedSms || rcs !== expectedRcs) {
      throw new Error(`lost or duplicated: ${sends.length} sends, ${wrong.length} on the wrong channel (e.g. ${JSON.stringify(wrong[0])}), ${dupSms} steps with two SMS, ${sms}/${expectedSms} SMS, ${rcs}/${expectedRcs} 5G messages`);
    }

    const stats = (await must(admin.request('GET', '/v1/admin/fallback/stats'))).decisions as { rounds: number; messages: number; p50Ms: number; p99Ms: number; maxMs: number };
    const floor: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      await db.query('select 1');
      floor.push(performance.now() - t);
    }
    floor.sort((a, b) => a - b);
    const baseline = percentile(floor, 99);
    console.log(`  ${RECIPIENTS} recipients settled in ${seconds.toFixed(1)} s: ${sends.filter((s) => s.succeeded_channel === 'rcs').length} 5G, ${sends.filter((s) => s.succeeded_channel === 'smart_sms').length} smart SMS, ${sends.filter((s) => s.succeeded_channel === 'sms').length} text; ${stats.rounds} decision rounds over ${stats.messages} message-steps, p50 ${stats.p50Ms.toFixed(3)} ms, max ${stats.maxMs.toFixed(1)} ms per message`);
    results.add({ name: 'fallback_decision_p99_ms', value: stats.p99Ms, unit: 'ms', baseline, ratio: stats.p99Ms / baseline, target: '<= 2 ms p99 per message', note: 'engine time per message per round, channel I/O excluded; baseline: select 1 p99' });
    results.add({ name: 'fallback_campaign_10k_s', value: seconds, unit: 's', target: 'informational (includes a 2 s 5G timeout)' });
    client.close();
  } finally {
    admin.close();
    await db.close();
    await platform.stop();
    await simulators.stop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}
