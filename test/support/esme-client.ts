/**
 * A small ESME for tests, on node-smpp's own client API (not our adapter), so the customer SMPP
 * server is exercised by code that does not share its assumptions.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const smpp = require('smpp') as any;

/** A PDU as node-smpp gives it: fields as properties. */
export type Pdu = Record<string, any>;

export interface TestEsme {
  bindStatus: number;
  /** Every deliver_sm received (answered with deliver_sm_resp OK). */
  delivered: Pdu[];
  /** Sends a request and resolves with its response PDU. */
  send(command: string, fields?: Pdu): Promise<Pdu>;
  submit(fields: Pdu): Promise<Pdu>;
  /** Writes raw bytes (malformed PDUs). */
  writeRaw(buf: Buffer): void;
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function bindEsme(opts: { port: number; systemId: string; password: string; mode?: 'transceiver' | 'transmitter' | 'receiver'; tls?: boolean }): Promise<TestEsme> {
  // TLS: the test certificate is self-signed, so it is not verified here.
  const session = smpp.connect({ host: '127.0.0.1', port: opts.port, ...(opts.tls ? { tls: true, rejectUnauthorized: false } : {}) });
  await new Promise<void>((resolve, reject) => {
    session.once('connect', resolve);
    session.once('error', reject);
  });
  const delivered: Pdu[] = [];
  session.on('deliver_sm', (pdu: Pdu) => {
    delivered.push(pdu);
    session.send(pdu.response());
  });
  session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
  session.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
  const send = (command: string, fields: Pdu = {}) =>
    new Promise<Pdu>((resolve) => session[command](fields, (resp: Pdu) => resolve(resp)));
  const bound = await send(`bind_${opts.mode ?? 'transceiver'}`, { system_id: opts.systemId, password: opts.password });
  return {
    bindStatus: bound.command_status,
    delivered,
    send,
    submit: (fields) => send('submit_sm', { registered_delivery: 1, ...fields }),
    writeRaw: (buf) => session.socket.write(buf),
    closed,
    async close() {
      session.destroy();
      await closed;
    },
  };
}

/** node-smpp's status table, e.g. ESME_RINVPASWD. */
export const SMPP_STATUS: Record<string, number> = smpp.errors;
