/**
 * End to end on the one-process platform: 100,000 messages accepted over HTTP (batches of 1,000)
 * → submitted over SMPP to an SMSC simulator → receipts stored → every report pushed to a callback
 * endpoint. The clock stops when the last callback arrives. The simulator and the callback
 * endpoint run in this (the benchmark's) process, as a carrier and a customer would elsewhere.
 */
import { startSmscSimulator } from '../../src/channels/smpp/smsc-simulator.js';
import { setUpAccount, deliverableNumber } from '../lib/bench-account.js';
import { startCallbackReceiver } from '../lib/callback-receiver.js';
import { startPlatformProcess } from '../lib/platform-process.js';
import type { Results } from '../lib/results.js';
import { traceStages } from '../lib/stage-trace.js';
import { cpuSnapshot, describeCpu } from '../lib/cpu-accounting.js';

const TOTAL = Number(process.env.BENCH_E2E_TOTAL ?? 100_000);
const BATCH = 1_000;
const CONCURRENCY = 2;

export async function run(results: Results, rawSmpp?: number): Promise<void> {
  const smsc = await startSmscSimulator({ port: 0, host: '127.0.0.1', receiptDelayMs: 50 });
  const receiver = await startCallbackReceiver();
  const platform = await startPlatformProcess('api,worker');
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, platform.rssMb()); }, 200);
  try {
    const { client } = await setUpAccount(platform.base, smsc.port, { callbackUrl: receiver.url });
    await new Promise((r) => setTimeout(r, 500)); // the worker binds to the new channel
    const trace = process.env.BENCH_TRACE ? await traceStages(platform.databaseUrl, () => receiver.count()) : undefined;
    const cpuBefore = cpuSnapshot(platform.pid);
    const start = process.hrtime.bigint();
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next * BATCH < TOTAL) {
        const k = next++;
        const recipients = Array.from({ length: Math.min(BATCH, TOTAL - k * BATCH) }, (_, i) => ({ to: deliverableNumber(k * BATCH + i) }));
        const r = await client.request('POST', '/v1/messages/batch', { category: 'notification', text: '【测试】您的订单已发货，请留意查收。', recipients });
        if (r.status !== 202 || r.body.accepted !== recipients.length) throw new Error(`batch answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
      }
    }));
    const acceptedAt = Number(process.hrtime.bigint() - start) / 1e9;
    const ok = await receiver.waitFor(TOTAL, 600_000);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (!ok) throw new Error(`only ${receiver.count()} of ${TOTAL} callbacks arrived`);
    const rate = TOTAL / seconds;
    console.log(`  ${describeCpu(cpuBefore, cpuSnapshot(platform.pid))}`);
    console.log(`  e2e: accepted in ${acceptedAt.toFixed(1)} s, last callback after ${seconds.toFixed(1)} s, simulator saw ${smsc.stats.submits} submits`);
    results.add({ name: 'e2e_msgs_per_s', value: rate, unit: 'msg/s', target: '>= 5000 msg/s' });
    if (rawSmpp) results.add({ name: 'e2e_ratio_vs_raw_smpp', value: rate / rawSmpp, unit: 'ratio', baseline: rawSmpp, ratio: rate / rawSmpp, target: '>= 0.4' });
    results.add({ name: 'platform_rss_mb', value: peakRss, unit: 'MB', target: '<= 500 MB' });
    client.close();
    await trace?.stop();
  } finally {
    clearInterval(sampler);
    await platform.stop();
    await receiver.close();
    await smsc.stop();
  }
}
