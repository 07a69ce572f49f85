/**
 * Short-link redirects under load: `GET /s/:code` on the platform (roles api,worker, so the click
 * aggregator runs in the same process), 50 connections (autocannon), beside a bare node:http
 * server that answers the same 302 in the same run. Every click must be recorded: after the run
 * the link's PV equals the requests sent and its UV the distinct visitors used.
 *
 * Visitors: trust proxy is off, so every request comes from 127.0.0.1; each of VISITORS user
 * agents (a real iPhone one with a visitor number) is one visitor. Every connection cycles through
 * the whole list, so each is used.
 */
import { spawn } from 'node:child_process';
import autocannon, { type AutocannonResult } from 'autocannon';
import { cpuSnapshot, describeCpu } from '../lib/cpu-accounting.js';
import { JsonClient } from '../lib/http-client.js';
import { BENCH_ADMIN_KEY, startPlatformProcess } from '../lib/platform-process.js';
import type { Results } from '../lib/results.js';

const REQUESTS = Number(process.env.BENCH_REDIRECT_REQUESTS ?? 200_000);
const CONNECTIONS = 50;
const VISITORS = 1_000;
const TARGET = 'https://acme.example/landing';
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

const BARE_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  res.writeHead(302, { Location: ${JSON.stringify(TARGET)}, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Length': 0 });
  res.end();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;

async function startBareServer(): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
  });
  return { port, stop: () => void child.kill('SIGKILL') };
}

const visitorRequests = (path: string) => Array.from({ length: VISITORS }, (_, i) => ({ method: 'GET', path, headers: { 'user-agent': `${UA} visitor/${i}` } }));

async function load(url: string, path: string, amount: number): Promise<{ result: AutocannonResult; perSecond: number }> {
  const started = performance.now();
  const result = await autocannon({ url, connections: CONNECTIONS, amount, timeout: 10, requests: visitorRequests(path) });
  const seconds = (performance.now() - started) / 1000;
  if (result.errors || result.timeouts || result['3xx'] !== amount) {
    throw new Error(`${url}: ${result['3xx']} redirects of ${amount}, ${result.errors} errors, ${result.timeouts} timeouts, ${result['4xx']} 4xx, ${result['5xx']} 5xx`);
  }
  return { result, perSecond: amount / seconds };
}

export async function run(results: Results): Promise<void> {
  const bare = await startBareServer();
  const platform = await startPlatformProcess(process.env.BENCH_REDIRECT_ROLES ?? 'api,worker');
  try {
    const admin = new JsonClient(platform.base, { authorization: `Bearer ${BENCH_ADMIN_KEY}` });
    const created = await admin.request('POST', '/v1/admin/accounts', { name: 'bench links', extension: '78' });
    if (created.status !== 201) throw new Error(`account: ${created.status} ${JSON.stringify(created.body)}`);
    admin.close();
    const client = new JsonClient(platform.base, { authorization: `Bearer ${created.body.apiKey}` });
    const link = await client.request('POST', '/v1/links', { targetUrl: TARGET, campaignId: 'bench' });
    if (link.status !== 201) throw new Error(`link: ${link.status} ${JSON.stringify(link.body)}`);
    const path = `/s/${link.body.code}`;

    // Warm-up (JIT, connections, caches) on both, with a visitor set of its own kept out of the check.
    await autocannon({ url: `http://127.0.0.1:${bare.port}`, connections: CONNECTIONS, amount: 20_000, requests: [{ path, headers: { 'user-agent': UA } }] });
    const warm = await autocannon({ url: platform.base, connections: CONNECTIONS, amount: 20_000, requests: [{ path, headers: { 'user-agent': `${UA} warm-up` } }] });
    const warmUp = warm['3xx'];

    const bareRun = await load(`http://127.0.0.1:${bare.port}`, path, REQUESTS);
    const cpuBefore = cpuSnapshot(platform.pid);
    const redirectRun = await load(platform.base, path, REQUESTS);
    console.log(`  ${describeCpu(cpuBefore, cpuSnapshot(platform.pid))}`);
    const l = (r: AutocannonResult) => `p50 ${r.latency.p50} p90 ${r.latency.p90} p97.5 ${r.latency.p97_5} p99 ${r.latency.p99} max ${r.latency.max}`;
    console.log(`  bare: ${Math.round(bareRun.perSecond)}/s ${l(bareRun.result)}; redirect: ${Math.round(redirectRun.perSecond)}/s ${l(redirectRun.result)}`);

    // Every click recorded: wait for the aggregator, then read the link's counts.
    const deadline = performance.now() + 120_000;
    const ended = performance.now();
    let clicks: { pv: number; uv: number; bots: number } = { pv: 0, uv: 0, bots: 0 };
    while (performance.now() < deadline) {
      clicks = (await client.request('GET', `/v1/links/${link.body.code}`)).body.clicks;
      if (clicks.pv >= REQUESTS + warmUp) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const lagMs = performance.now() - ended;
    client.close();
    const pv = clicks.pv - warmUp;
    const uv = clicks.uv - 1;
    console.log(`  recorded: PV ${pv} of ${REQUESTS} requests, UV ${uv} of ${VISITORS} visitors, bots ${clicks.bots}; all in PostgreSQL ${Math.round(lagMs)} ms after the run`);
    if (pv !== REQUESTS || uv !== VISITORS || clicks.bots !== 0) throw new Error(`clicks lost or miscounted: PV ${pv}/${REQUESTS}, UV ${uv}/${VISITORS}, bots ${clicks.bots}`);

    results.add({ name: 'bare_http_req_per_s', value: bareRun.perSecond, unit: 'req/s', target: 'baseline', note: `node:http 302, ${CONNECTIONS} connections, p99 ${bareRun.result.latency.p99} ms` });
    results.add({
      name: 'redirect_req_per_s', value: redirectRun.perSecond, unit: 'req/s', baseline: bareRun.perSecond, ratio: redirectRun.perSecond / bareRun.perSecond,
      target: '>= 50% of bare', note: `${REQUESTS} requests, ${VISITORS} visitors; PV ${pv}, UV ${uv}; aggregation done ${Math.round(lagMs)} ms after the run`,
    });
    results.add({ name: 'redirect_ratio_vs_bare', value: redirectRun.perSecond / bareRun.perSecond, unit: 'ratio', target: '>= 0.5' });
    results.add({ name: 'redirect_p99_ms', value: redirectRun.result.latency.p99, unit: 'ms', target: '<= 10 ms', note: `p50 ${redirectRun.result.latency.p50} ms, max ${redirectRun.result.latency.max} ms` });
  } finally {
    bare.stop();
    await platform.stop();
  }
}
