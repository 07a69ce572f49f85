/**
 * SMPP server ingest: one customer bind (the raw `smpp` package as the ESME) with a window of 100
 * submitting to the platform's customer SMPP server; every submit_sm_resp means the message was
 * stored and queued. Baseline: the raw `smpp` loopback, submit_sm + resp only, in the same run.
 * After the run the stored messages are counted: the figure only stands if none is missing.
 */
import { createRequire } from 'node:module';
import pg from 'pg';
import { freePort } from '../../src/infra/redis-bootstrap.js';
import { BENCH_ADMIN_KEY, startPlatformProcess } from '../lib/platform-process.js';
import { JsonClient } from '../lib/http-client.js';
import { setUpAccount, deliverableNumber } from '../lib/bench-account.js';
import { rawSmppThroughput } from './raw-smpp.bench.js';
import type { Results } from '../lib/results.js';

const smpp = createRequire(import.meta.url)('smpp');
const TOTAL = Number(process.env.BENCH_SMPP_INGEST_TOTAL ?? 50_000);
const WINDOW = 100;

async function ingest(port: number, total: number, offset: number): Promise<number> {
  const session = smpp.connect({ url: `smpp://127.0.0.1:${port}` });
  await new Promise<void>((resolve, reject) => session.bind_transceiver({ system_id: 'bench', password: 'bench123' }, (pdu: any) =>
    (pdu.command_status === 0 ? resolve() : reject(new Error(`bind refused: ${pdu.command_status}`)))));
  session.on('deliver_sm', (pdu: any) => session.send(pdu.response()));
  const text = Buffer.from('【测试】您的验证码是123456，5分钟内有效。', 'utf16le').swap16();
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let done = 0;
    const pump = () => {
      while (sent < total && sent - done < WINDOW) {
        const k = offset + sent++;
        session.submit_sm({ destination_addr: deliverableNumber(k), source_addr: '1069', data_coding: 8, short_message: text, registered_delivery: 0 }, (resp: any) => {
          if (resp.command_status !== 0) return reject(new Error(`submit_sm refused: 0x${resp.command_status.toString(16)}`));
          if (++done === total) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const rate = total / (Number(process.hrtime.bigint() - start) / 1e9);
  session.close();
  return rate;
}

export async function run(results: Results, rawSubmitOnly?: number): Promise<void> {
  const smppPort = await freePort();
  const platform = await startPlatformProcess('api,smpp', { SMPP_SERVER_PORT: String(smppPort) });
  try {
    const { id, client } = await setUpAccount(platform.base, 1);
    const admin = new JsonClient(platform.base, { authorization: `Bearer ${BENCH_ADMIN_KEY}` });
    const r = await admin.request('PUT', `/v1/admin/accounts/${id}/smpp-credentials/bench`, { password: 'bench123', submitsPerSecond: 100_000, defaultCategory: 'notification' });
    if (r.status !== 200) throw new Error(`credentials: ${r.status} ${JSON.stringify(r.body)}`);
    admin.close();
    client.close();
    await ingest(smppPort, 5_000, 0); // warm-up: JIT, pools, prepared plans
    const rate = await ingest(smppPort, TOTAL, 5_000);
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const { rows } = await db.query(`select count(*)::int as n from messages where status = 'queued'`);
    await db.end();
    if (rows[0].n !== TOTAL + 5_000) throw new Error(`stored ${rows[0].n} queued messages, expected ${TOTAL + 5_000}`);
    const raw = rawSubmitOnly ?? await rawSmppThroughput(100_000, false);
    console.log(`  SMPP ingest: ${TOTAL} submit_sm, all ${rows[0].n} stored and queued`);
    results.add({ name: 'smpp_ingest_submit_per_s', value: rate, unit: 'submit/s', baseline: raw, target: '>= 5000 submit_sm/s' });
    results.add({ name: 'smpp_ingest_ratio_vs_raw', value: rate / raw, unit: 'ratio', target: '>= 0.4 of raw smpp submit-only loopback' });
  } finally {
    await platform.stop();
  }
}
