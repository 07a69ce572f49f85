/**
 * SIMULATOR — not a real SMSC. A local SMPP 3.4 server for tests, the demo and benchmarks:
 * accepts binds, answers submit_sm, sends delivery receipts after a delay, injects MO, and has
 * fault modes for the failure paths an adapter must survive. Outcomes: see smsc-outcomes.ts.
 */
import type { AddressInfo } from 'node:net';
import type { ReceiptStat } from '../channel-adapter.js';
import { BatchedWriter } from './batched-writer.js';
import { DelayQueue } from './delay-queue.js';
import { destinationAddress, senderAddress, type SmppAddress } from './smpp-address.js';
import { CommandId, EsmClass, SmppStatus, createSmppServer, makePdu, type SmppPdu, type SmppSession } from './smpp-types.js';
import { DEFAULT_OUTCOMES, MESSAGE_STATE, formatReceiptText, outcomeFor, wantsReceipt } from './smsc-outcomes.js';
import { concatOf, describeSubmit, destinationOf, sourceOf, textOf } from './smsc-record.js';
import { buildMoPayloads } from './smsc-mo.js';
import { RouteProfile } from './smsc-route-profile.js';
import { TokenBucket } from './token-bucket.js';
import type { SimulatedSubmit, SmscFault, SmscSimulator, SmscSimulatorOptions, SmscSimulatorStats } from './smsc-types.js';

export { DEFAULT_OUTCOMES, type SimOutcome } from './smsc-outcomes.js';
export type * from './smsc-types.js';

interface Peer {
  session: SmppSession;
  systemId: string;
  mode?: 'trx' | 'tx' | 'rx';
  seq: number;
  outstanding: number;
  closed: boolean;
  writer: BatchedWriter;
  acks: Map<number, (status: number) => void>;
}

interface PendingReceipt {
  peer: Peer;
  id: number;
  source: SmppAddress;
  destination: SmppAddress;
  stat: ReceiptStat;
  err: string;
  text: string;
  submitDate: Date;
}

const BIND_MODES: Record<string, Peer['mode']> = { bind_transceiver: 'trx', bind_transmitter: 'tx', bind_receiver: 'rx' };
// Ids start at 0xA0000000 so the hex form always has a letter: a receipt text quoting the id in
// decimal then exercises the ESME's hex/decimal normalisation rather than colliding by accident.
const FIRST_ID = 0xa0000000;

/** Starts the simulator on `opts.port` (default: a free port). */
export async function startSmscSimulator(opts: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
  const stats: SmscSimulatorStats = {
    binds: 0, bindFailures: 0, submits: 0, accepted: 0, rejected: 0, throttled: 0, nacked: 0, unanswered: 0,
    dropped: 0, receiptsSent: 0, receiptsAcked: 0, receiptsHeld: 0, moSent: 0, maxOutstanding: 0,
    enquireLinksReceived: 0, enquireLinksAnswered: 0,
  };
  const submits: SimulatedSubmit[] = [];
  const peers = new Set<Peer>();
  const held = new Map<string, PendingReceipt[]>();
  const outcomes = { ...DEFAULT_OUTCOMES, ...opts.outcomes };
  const route = opts.profile ? new RouteProfile(opts.profile) : undefined;
  const receiptDelayMs = opts.receiptDelayMs ?? 100;
  const limiter = opts.maxSubmitsPerSecond ? new TokenBucket(opts.maxSubmitsPerSecond) : undefined;
  const form = opts.receiptForm ?? 'both';
  let fault: SmscFault = opts.fault ?? { mode: 'none' };
  let faultSubmits = 0;
  let nextId = FIRST_ID;
  let moRef = 0;
  const log = opts.logger;

  const responses = new DelayQueue<[Peer, SmppPdu]>(opts.responseDelayMs ?? 0, 1, (items) => {
    for (const [peer, resp] of items) {
      peer.outstanding--;
      write(peer, resp);
    }
  });
  const receipts = new DelayQueue<PendingReceipt>(receiptDelayMs, 5, (items) => {
    for (const r of items) sendReceipt(r);
  });

  function write(peer: Peer, pdu: SmppPdu): void {
    if (!peer.closed) peer.writer.write(pdu.toBuffer());
  }

  function request(peer: Peer, pdu: SmppPdu, onAck?: (status: number) => void): void {
    peer.seq = peer.seq >= 0x7fffffff ? 1 : peer.seq + 1;
    pdu.sequence_number = peer.seq;
    if (onAck) peer.acks.set(peer.seq, onAck);
    write(peer, pdu);
  }

  function respond(peer: Peer, resp: SmppPdu): void {
    peer.outstanding++;
    if (peer.outstanding > stats.maxOutstanding) stats.maxOutstanding = peer.outstanding;
    responses.push([peer, resp]);
  }

  function receiverFor(r: PendingReceipt): Peer | undefined {
    if (!r.peer.closed && r.peer.mode !== 'tx') return r.peer;
    for (const p of peers) if (!p.closed && p.systemId === r.peer.systemId && p.mode && p.mode !== 'tx') return p;
    return undefined;
  }

  function sendReceipt(r: PendingReceipt): void {
    const peer = receiverFor(r);
    if (!peer) {
      // A real SMSC keeps receipts for a later bind of the same account; so do we.
      stats.receiptsHeld++;
      const list = held.get(r.peer.systemId) ?? [];
      list.push(r);
      held.set(r.peer.systemId, list);
      return;
    }
    const hexId = r.id.toString(16);
    const text = formatReceiptText({ ...r, id: r.id.toString(10), doneDate: new Date() });
    const pdu = makePdu('deliver_sm', {
      source_addr_ton: r.destination.ton,
      source_addr_npi: r.destination.npi,
      source_addr: r.destination.addr,
      dest_addr_ton: r.source.ton,
      dest_addr_npi: r.source.npi,
      destination_addr: r.source.addr,
      esm_class: EsmClass.DELIVERY_RECEIPT,
      data_coding: 0,
      short_message: Buffer.from(form === 'tlv' ? '' : text, 'latin1'),
      ...(form === 'text' ? {} : { receipted_message_id: hexId, message_state: MESSAGE_STATE[r.stat] }),
    });
    stats.receiptsSent++;
    request(peer, pdu, (status) => status === 0 && stats.receiptsAcked++);
  }

  function onBind(peer: Peer, pdu: SmppPdu, mode: Peer['mode']): void {
    const systemId = pdu.system_id ?? '';
    if (peer.mode) return write(peer, pdu.response({ command_status: SmppStatus.ESME_RALYBND }));
    if (opts.credentials && opts.credentials[systemId] !== pdu.password) {
      stats.bindFailures++;
      log?.warn('smsc simulator refused bind', { systemId });
      write(peer, pdu.response({ command_status: SmppStatus.ESME_RBINDFAIL }));
      peer.session.close();
      return;
    }
    peer.mode = mode;
    peer.systemId = systemId;
    stats.binds++;
    log?.info('smsc simulator bind', { systemId, mode });
    write(peer, pdu.response({ system_id: 'SMSCSIM' }));
    const waiting = mode !== 'tx' ? held.get(systemId) : undefined;
    if (waiting) {
      held.delete(systemId);
      for (const r of waiting) sendReceipt({ ...r, peer });
    }
  }

  function onSubmit(peer: Peer, pdu: SmppPdu): void {
    stats.submits++;
    opts.onSubmit?.(destinationOf(pdu).addr, textOf(pdu.short_message));
    const reply = (status: number, messageId?: string) => {
      if (opts.recordSubmits) submits.push(describeSubmit(peer.systemId, pdu, status, messageId));
      respond(peer, pdu.response(status ? { command_status: status } : { message_id: messageId }));
    };
    if (peer.mode !== 'trx' && peer.mode !== 'tx') return reply(SmppStatus.ESME_RINVBNDSTS);
    faultSubmits++;
    if (fault.mode === 'noResponse') {
      stats.unanswered++;
      return;
    }
    if (fault.mode === 'dropConnection' && faultSubmits === fault.onSubmit) {
      stats.dropped++;
      log?.warn('smsc simulator dropping connection (fault)', { systemId: peer.systemId, submit: faultSubmits });
      peer.closed = true; // before destroy: PDUs already buffered on this socket must not be answered
      peer.session.destroy();
      return;
    }
    if (fault.mode === 'nack') {
      stats.nacked++;
      const nack = makePdu('generic_nack', { sequence_number: pdu.sequence_number, command_status: SmppStatus.ESME_RSYSERR });
      return respond(peer, nack);
    }
    if (fault.mode === 'throttled' || (limiter && !limiter.tryTake())) {
      stats.throttled++;
      return reply(SmppStatus.ESME_RTHROTTLED);
    }
    // A route profile decides every accepted submit; without one, the destination's last digit does.
    const part = route || opts.onAccepted ? concatOf(pdu) : undefined;
    const drawn = route?.decide(`${peer.systemId}:${pdu.destination_addr}`, part);
    const outcome = drawn ? { kind: 'receipt' as const, stat: drawn.stat, err: drawn.err } : outcomeFor(pdu.destination_addr ?? '', outcomes);
    if (outcome.kind === 'reject') {
      stats.rejected++;
      return reply(outcome.status);
    }
    const id = nextId++;
    const delayMs = drawn?.delayMs ?? receiptDelayMs;
    stats.accepted++;
    reply(0, id.toString(16));
    const stat = outcome.kind === 'receipt' ? outcome.stat : undefined;
    opts.onAccepted?.({ messageId: id.toString(16), destination: destinationOf(pdu).addr, text: textOf(pdu.short_message), stat, delayMs, part });
    if (outcome.kind === 'receipt' && wantsReceipt(pdu.registered_delivery ?? 0, outcome.stat)) {
      const r = { peer, id, source: sourceOf(pdu), destination: destinationOf(pdu), stat: outcome.stat, err: outcome.err, text: textOf(pdu.short_message), submitDate: new Date() };
      receipts.push(r, delayMs);
    }
  }

  function onPdu(peer: Peer, pdu: SmppPdu): void {
    if (pdu.isResponse()) {
      const ack = peer.acks.get(pdu.sequence_number);
      if (ack) {
        peer.acks.delete(pdu.sequence_number);
        ack(pdu.command_status);
      }
      return;
    }
    const mode = BIND_MODES[pdu.command];
    if (mode) return onBind(peer, pdu, mode);
    switch (pdu.command_id) {
      case CommandId.SUBMIT_SM:
        return onSubmit(peer, pdu);
      case CommandId.ENQUIRE_LINK:
        stats.enquireLinksReceived++;
        return write(peer, pdu.response());
      case CommandId.UNBIND:
        write(peer, pdu.response());
        peer.session.close();
        return;
      default:
        write(peer, makePdu('generic_nack', { sequence_number: pdu.sequence_number, command_status: SmppStatus.ESME_RINVCMDID }));
    }
  }

  const server = createSmppServer({}, (session) => {
    const peer: Peer = { session, systemId: '', seq: 0, outstanding: 0, closed: false, writer: new BatchedWriter(session.socket), acks: new Map() };
    peers.add(peer);
    session.socket.setNoDelay(true); // see smpp-connection.ts: Nagle stalls small PDUs
    session.on('pdu', (pdu: SmppPdu) => onPdu(peer, pdu));
    // A client vanishing mid-write is routine; a malformed PDU leaves node-smpp unable to read on.
    session.on('error', () => session.destroy());
    session.on('close', () => {
      peer.closed = true;
      peers.delete(peer);
      for (const ack of peer.acks.values()) ack(-1); // -1: connection closed before the resp
      peer.acks.clear();
    });
  });
  const pinger = opts.enquireLinkMs
    ? setInterval(() => {
        for (const p of peers) if (p.mode) request(p, makePdu('enquire_link'), () => stats.enquireLinksAnswered++);
      }, opts.enquireLinkMs)
    : undefined;
  pinger?.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    stats,
    submits,
    setFault(f) {
      log?.info('smsc simulator fault mode', { mode: f.mode });
      fault = f;
      faultSubmits = 0;
    },
    injectMo(from, to, text) {
      const peer = [...peers].find((p) => !p.closed && (p.mode === 'trx' || p.mode === 'rx'));
      if (!peer) return Promise.reject(new Error('SMSC simulator: no receiver bind to deliver MO to'));
      const src = destinationAddress(from);
      const dst = senderAddress(to);
      const { dataCoding, payloads } = buildMoPayloads(text, moRef++ & 0xff);
      const acks = payloads.map(
        (short_message) =>
          new Promise<void>((resolve, reject) => {
            const pdu = makePdu('deliver_sm', {
              source_addr_ton: src.ton, source_addr_npi: src.npi, source_addr: src.addr,
              dest_addr_ton: dst.ton, dest_addr_npi: dst.npi, destination_addr: dst.addr,
              esm_class: payloads.length > 1 ? EsmClass.UDHI : 0, data_coding: dataCoding, short_message,
            });
            stats.moSent++;
            request(peer, pdu, (status) => (status === 0 ? resolve() : reject(new Error(`MO not acknowledged (status ${status})`))));
          }),
      );
      return Promise.all(acks).then(() => undefined);
    },
    async stop() {
      clearInterval(pinger);
      responses.clear();
      receipts.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const p of peers) p.session.destroy();
      await closed;
    },
  };
}
