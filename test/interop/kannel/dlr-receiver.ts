/**
 * A loopback HTTP server that plays the customer application behind Kannel: it collects the
 * dlr-url requests smsbox makes when a delivery report comes back.
 *
 * `urlFor(ref)` builds the dlr-url to hand to sendsms. Besides the caller's `ref` (so a test can
 * tell its messages apart) it carries these Kannel escapes, which smsbox fills in per report:
 * | param   | escape | meaning                                                                   |
 * |---------|--------|---------------------------------------------------------------------------|
 * | `type`  | `%d`   | DLR type: 1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16 SMSC rejected |
 * | `msgid` | `%F`   | the SMSC's message id (submit_sm_resp `message_id`, as Kannel stored it)   |
 * | `reply` | `%A`   | the SMSC's reply: receipt text for 1/2/4, `ACK/` or `NACK/…` for 8/16      |
 * | `smsc`  | `%i`   | Kannel's smsc-id of the connection                                         |
 * | `kid`   | `%I`   | Kannel's internal message id                                               |
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One dlr-url request as smsbox made it (query already URL-decoded). */
export interface DlrHit {
  ref: string;
  /** Kannel DLR type (`%d`); NaN if smsbox sent something unexpected. */
  type: number;
  /** SMSC message id (`%F`). */
  msgid: string;
  /** SMSC reply (`%A`). */
  reply: string;
  smsc: string;
  kid: string;
  /** Every query parameter, for anything not modelled above. */
  query: Record<string, string>;
  receivedAt: number;
}

/** A running DLR receiver. */
export interface DlrReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** Every hit so far, in arrival order. */
  readonly hits: DlrHit[];
  /** The dlr-url for sendsms, tagged with `ref`. */
  urlFor(ref: string): string;
  /** Resolves with the first hit matching `pred` (already received or future); rejects after `timeoutMs`. */
  waitFor(pred: (h: DlrHit) => boolean, timeoutMs?: number): Promise<DlrHit>;
  close(): Promise<void>;
}

/** Starts a DLR receiver on a free loopback port. */
export async function startDlrReceiver(): Promise<DlrReceiver> {
  const hits: DlrHit[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    hits.push({
      ref: query.ref ?? '',
      type: Number(query.type),
      msgid: query.msgid ?? '',
      reply: query.reply ?? '',
      smsc: query.smsc ?? '',
      kid: query.kid ?? '',
      query,
      receivedAt: Date.now(),
    });
    for (const w of waiters) w();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    hits,
    urlFor(ref) {
      // Kept literal: smsbox substitutes the %-escapes when it fetches the URL.
      return `${baseUrl}/dlr?ref=${encodeURIComponent(ref)}&type=%d&msgid=%F&reply=%A&smsc=%i&kid=%I`;
    },
    waitFor(pred, timeoutMs = 10_000) {
      return new Promise<DlrHit>((resolve, reject) => {
        const check = () => {
          const hit = hits.find(pred);
          if (!hit) return;
          done();
          resolve(hit);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching DLR within ${timeoutMs} ms; got ${JSON.stringify(hits.map((h) => [h.ref, h.type]))}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
