/**
 * OTP latency: from the HTTP response of POST /v1/messages to the submit_sm arriving at the SMSC,
 * at a steady 500 OTP/s for 10 s, on the one-process platform. Each OTP carries a unique code so
 * the simulator's arrival can be matched to its request. Baseline: the same client timing a bare
 * node:http server's response (the measurement's own floor).
 */
import { startSmscSimulator } from '../../src/channels/smpp/smsc-simulator.js';
import { setUpAccount, deliverableNumber } from '../lib/bench-account.js';
import { startPlatformProcess } from '../lib/platform-process.js';
import { percentile, type Results } from '../lib/results.js';

const RATE = Number(process.env.BENCH_OTP_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_OTP_SECONDS ?? 10);

export async function run(results: Results): Promise<void> {
  const arrivals = new Map<string, number>();
  const smsc = await startSmscSimulator({
    port: 0, host: '127.0.0.1', receiptDelayMs: 50,
    onSubmit: (_dst, text) => {
      const code = /(\d{6})/.exec(text)?.[1];
      if (code) arrivals.set(code, performance.now());
    },
  });
  const platform = await startPlatformProcess('api,worker');
  try {
    const { client } = await setUpAccount(platform.base, smsc.port);
    await new Promise((r) => setTimeout(r, 500));
    const responses = new Map<string, number>();
    const httpTimes: number[] = [];
    const total = RATE * SECONDS;
    const started = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      // Open-loop pacing: request i leaves at i / RATE seconds, whatever the previous ones did.
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const code = String(100000 + i);
      const sentAt = performance.now();
      inflight.push(client.request('POST', '/v1/messages', { to: deliverableNumber(i), category: 'otp', text: `【测试】您的验证码是${code}，5分钟内有效。` }).then((r) => {
        if (r.status !== 202) throw new Error(`OTP answered ${r.status}: ${JSON.stringify(r.body)}`);
        responses.set(code, performance.now());
        httpTimes.push(performance.now() - sentAt);
      }));
    }
    await Promise.all(inflight);
    const deadline = performance.now() + 30_000;
    while (arrivals.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const latencies = [...responses].map(([code, at]) => Math.max(0, (arrivals.get(code) ?? Infinity) - at)).sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    httpTimes.sort((a, b) => a - b);
    console.log(`  OTP: ${arrivals.size}/${total} arrived, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; HTTP answer p50 ${percentile(httpTimes, 50).toFixed(1)} ms p99 ${percentile(httpTimes, 99).toFixed(1)} ms; sending took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    results.add({ name: 'otp_latency_p50_ms', value: p50, unit: 'ms', target: 'informational' });
    results.add({ name: 'otp_latency_p99_ms', value: p99, unit: 'ms', target: '<= 20 ms at 500 OTP/s' });
    client.close();
  } finally {
    await platform.stop();
    await smsc.stop();
  }
}
