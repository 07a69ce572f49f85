/**
 * Verification latency: from POST /v1/verifications leaving the client to the code's submit_sm
 * arriving at the SMSC, at a steady 200 verifications/s for 10 s, on the one-process platform.
 * Each verification goes to its own number, so the arrival is matched by destination. A 2 s
 * warm-up at the same rate goes first, unmeasured, as in the other scenarios: the first ~100 starts
 * of a fresh process pay for JIT compilation, pool connections and query plans (40–65 ms each).
 */
import { startSmscSimulator } from '../../src/channels/smpp/smsc-simulator.js';
import { setUpAccount, deliverableNumber } from '../lib/bench-account.js';
import { startPlatformProcess } from '../lib/platform-process.js';
import { percentile, type Results } from '../lib/results.js';

const RATE = Number(process.env.BENCH_VERIFY_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_VERIFY_SECONDS ?? 10);

export async function run(results: Results): Promise<void> {
  const arrivals = new Map<string, number>();
  const smsc = await startSmscSimulator({
    port: 0, host: '127.0.0.1', receiptDelayMs: 50,
    onSubmit: (dst) => { if (!arrivals.has(dst)) arrivals.set(dst, performance.now()); },
  });
  const platform = await startPlatformProcess('api,worker');
  try {
    const { client } = await setUpAccount(platform.base, smsc.port);
    await new Promise((r) => setTimeout(r, 500));
    const starts = new Map<string, number>();
    const drive = async (count: number, offset: number, measured: boolean) => {
      const began = performance.now();
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const due = began + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const national = deliverableNumber(offset + i);
        if (measured) starts.set(`86${national}`, performance.now());
        inflight.push(client.request('POST', '/v1/verifications', { to: `+86${national}`, codeLength: 6 }).then((r) => {
          if (r.status !== 201) throw new Error(`verification answered ${r.status}: ${JSON.stringify(r.body)}`);
        }));
      }
      await Promise.all(inflight);
    };
    await drive(RATE * 2, 400_000, false);
    const total = RATE * SECONDS;
    await drive(total, 500_000, true);
    const deadline = performance.now() + 30_000;
    const arrived = () => [...starts.keys()].filter((dst) => arrivals.has(dst)).length;
    while (arrived() < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const byIndex = [...starts].map(([dst, at]) => (arrivals.get(dst) ?? Infinity) - at);
    if (process.env.BENCH_VERIFY_TRACE) console.log('  slowest (index: ms):', byIndex.map((ms, i) => [i, ms] as const).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([i, ms]) => `${i}: ${ms.toFixed(0)}`).join(', '));
    const latencies = byIndex.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`  verifications: ${arrived()}/${total} codes arrived, start → submit_sm p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    results.add({ name: 'verify_latency_p50_ms', value: p50, unit: 'ms', target: 'informational' });
    results.add({ name: 'verify_latency_p99_ms', value: p99, unit: 'ms', target: '<= 25 ms at 200 verifications/s' });
    client.close();
  } finally {
    await platform.stop();
    await smsc.stop();
  }
}
