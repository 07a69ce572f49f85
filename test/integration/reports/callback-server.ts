/**
 * A customer's callback endpoint on loopback: records every request and answers with a status (and
 * an optional delay) chosen per request.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  reports: Array<Record<string, unknown> & { reportId: number }>;
}

export interface CallbackServer {
  url: string;
  received: ReceivedCallback[];
  /** Decides the answer for each request; default 200 at once. */
  respond: (req: ReceivedCallback) => { status: number; delayMs?: number };
  reportIds(): number[];
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const state: CallbackServer = {
    url: '',
    received: [],
    respond: () => ({ status: 200 }),
    reportIds: () => state.received.flatMap((r) => r.reports.map((x) => x.reportId)),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let reports: ReceivedCallback['reports'] = [];
      try {
        reports = (JSON.parse(body) as { reports: ReceivedCallback['reports'] }).reports;
      } catch {
        // recorded as received; the test decides whether that is a failure
      }
      const rec: ReceivedCallback = { path: req.url ?? '/', headers: req.headers, body, reports };
      state.received.push(rec);
      const { status, delayMs } = state.respond(rec);
      const answer = () => {
        if (!res.writableEnded) res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
      };
      if (delayMs) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
