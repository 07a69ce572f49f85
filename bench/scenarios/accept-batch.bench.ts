/**
 * Accept throughput of POST /v1/messages/batch (1,000 recipients a request), measured on an
 * api-only platform process so the figure is the accept path itself (validation, content rules,
 * policy checks in Redis, one PostgreSQL transaction, enqueue); beside it, a bare node:http server
 * that only parses the same JSON bodies.
 */
import http from 'node:http';
import { JsonClient } from '../lib/http-client.js';
import { setUpAccount, deliverableNumber } from '../lib/bench-account.js';
import { startPlatformProcess } from '../lib/platform-process.js';
import type { Results } from '../lib/results.js';

const BATCH = 1_000;
const REQUESTS = 60;
const CONCURRENCY = 4;

function batchBody(offset: number) {
  return {
    category: 'notification',
    text: '【测试】您的订单已发货，请留意查收。',
    recipients: Array.from({ length: BATCH }, (_, i) => ({ to: deliverableNumber(offset + i) })),
  };
}

async function drive(client: JsonClient, path: string, expectStatus: number): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      const k = next++;
      const r = await client.request('POST', path, batchBody(k * BATCH));
      if (r.status !== expectStatus) throw new Error(`batch answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
    }
  }));
  return (REQUESTS * BATCH) / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function bareBaseline(): Promise<number> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: body.recipients.length }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = new JsonClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  const rate = await drive(client, '/v1/messages/batch', 202);
  client.close();
  await new Promise<void>((r) => server.close(() => r()));
  return rate;
}

export async function run(results: Results): Promise<void> {
  const platform = await startPlatformProcess('api');
  try {
    const { client } = await setUpAccount(platform.base, 1);
    await drive(client, '/v1/messages/batch', 202); // warm-up: JIT, connection pools, prepared plans
    const rate = await drive(client, '/v1/messages/batch', 202);
    const bare = await bareBaseline();
    results.add({ name: 'accept_batch_msgs_per_s', value: rate, unit: 'msg/s', baseline: bare, ratio: rate / bare, target: '>= 10000 msg/s' });
    client.close();
  } finally {
    await platform.stop();
  }
}
