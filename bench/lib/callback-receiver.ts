/** A customer's callback endpoint for the benchmarks: counts reports as they arrive. */
import http from 'node:http';

export interface CallbackReceiver {
  url: string;
  count(): number;
  waitFor(n: number, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  let received = 0;
  const waiters: Array<{ n: number; resolve: (ok: boolean) => void }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        received += Array.isArray(body.reports) ? body.reports.length : 1;
      } catch {
        received += 0;
      }
      res.writeHead(200).end('ok');
      for (const w of waiters.filter((x) => received >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(true);
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    count: () => received,
    waitFor(n, timeoutMs) {
      if (received >= n) return Promise.resolve(true);
      return new Promise((resolve) => {
        const w = { n, resolve };
        waiters.push(w);
        setTimeout(() => { const i = waiters.indexOf(w); if (i >= 0) { waiters.splice(i, 1); resolve(false); } }, timeoutMs);
      });
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
