/**
 * SMPP 3.4 ESME (client) adapter over node-smpp: one bind_transceiver per instance.
 *
 * node-smpp only frames PDUs; SmppConnection keeps the bind alive (timeouts, enquire_link,
 * reconnect) and this adapter adds the message side: a window of outstanding submits, a local rate
 * limit, concatenation with UDH, explicit data_coding, and throttling back-off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChannelError,
  normaliseMessageId,
  type ChannelAdapter,
  type DeliveryReport,
  type MessageIdBase,
  type MoMessage,
  type OutboundMessage,
  type SubmitOutcome,
} from '../channel-adapter.js';
import { dataCodingFor, encodeText } from './gsm7-codec.js';
import { destinationAddress, senderAddress } from './smpp-address.js';
import { SmppConnection } from './smpp-connection.js';
import { SmppInbound, type SmppWarning } from './smpp-inbound.js';
import { errorForStatus, statusPolicy, type StatusPolicy } from './smpp-status.js';
import { CommandId, EsmClass, SmppStatus, makePdu, type SmppPdu } from './smpp-types.js';
import { SubmitWindow } from './submit-window.js';
import { TokenBucket } from './token-bucket.js';
import { framePartPayloads } from './udh-codec.js';

export type { SmppWarning } from './smpp-inbound.js';

/** Connection settings for one bind; credentials come from configuration, never from env here. */
export interface SmppClientOptions {
  /** Adapter id used by routing (e.g. `smsc-eu-1`). */
  id: string;
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** Outstanding requests allowed on the bind (default 100). */
  window?: number;
  /** Time to wait for any response before failing with retryable `SMPP_TIMEOUT` (default 10 000). */
  responseTimeoutMs?: number;
  /** Period of our enquire_link (default 30 000); an unanswered one drops and re-opens the bind. */
  enquireLinkMs?: number;
  /** Reconnect backoff: doubles from minMs up to maxMs, ±20 % jitter so binds don't reconnect in step. */
  reconnect: { minMs: number; maxMs: number };
  /** Local cap on submit_sm per second (the upstream's contracted rate). */
  submitsPerSecond?: number;
  /** Pause after ESME_RTHROTTLED/RMSGQFUL (default 200 ms doubling to 5 s, 20 attempts, then retryable error). */
  throttleBackoff?: { minMs?: number; maxMs?: number; maxAttempts?: number };
  /** How this SMSC writes ids in submit_sm_resp and receipts (default `auto` everywhere). */
  messageIdBase?: { submitResp?: MessageIdBase; receiptText?: MessageIdBase; receiptTlv?: MessageIdBase };
  /** Per-status policy overrides, e.g. a vendor code that means "throttled". */
  statusPolicies?: Readonly<Record<number, StatusPolicy>>;
  /** How long to wait for the missing parts of a concatenated MO (default 60 000). */
  moReassemblyTimeoutMs?: number;
  /** Late responses, unparseable receipts, handler errors… (default: process.emitWarning). */
  onWarning?: (warning: SmppWarning) => void;
}

/** Counters for metrics; cheap to read at any time. */
export interface SmppClientStats {
  /** submit_sm PDUs written, retries after throttling included. */
  submitted: number;
  /** Messages with every part accepted. */
  accepted: number;
  /** Messages that ended with `{ ok: false }`. */
  failed: number;
  /** ESME_RTHROTTLED / ESME_RMSGQFUL answers received. */
  throttled: number;
  /** Messages failed by SMPP_TIMEOUT. */
  timeouts: number;
  reconnects: number;
  receipts: number;
  mo: number;
}

/** SMPP client implementing {@link ChannelAdapter}. */
export class SmppClientAdapter implements ChannelAdapter {
  readonly id: string;
  private readonly timeoutMs: number;
  private readonly window: SubmitWindow;
  private readonly bucket?: TokenBucket;
  private readonly throttle: { minMs: number; maxMs: number; maxAttempts: number };
  private readonly inbound: SmppInbound;
  private readonly receiptHandlers: Array<(r: DeliveryReport) => void> = [];
  private readonly moHandlers: Array<(m: MoMessage) => void> = [];
  private readonly counters: SmppClientStats = {
    submitted: 0, accepted: 0, failed: 0, throttled: 0, timeouts: 0, reconnects: 0, receipts: 0, mo: 0,
  };
  private readonly connection: SmppConnection;
  private stopped = true;
  private resumeAt = 0;
  private concatRef = Math.floor(Math.random() * 256);

  constructor(private readonly opts: SmppClientOptions) {
    this.id = opts.id;
    this.timeoutMs = opts.responseTimeoutMs ?? 10_000;
    this.window = new SubmitWindow(opts.window ?? 100);
    if (opts.submitsPerSecond) this.bucket = new TokenBucket(opts.submitsPerSecond);
    this.throttle = { minMs: 200, maxMs: 5_000, maxAttempts: 20, ...opts.throttleBackoff };
    const ids = opts.messageIdBase ?? {};
    this.inbound = new SmppInbound({ text: ids.receiptText, tlv: ids.receiptTlv }, opts.moReassemblyTimeoutMs ?? 60_000, {
      receipt: (r) => this.dispatch(this.receiptHandlers, r, 'receipts'),
      mo: (m) => this.dispatch(this.moHandlers, m, 'mo'),
      warn: (w) => this.warn(w),
    });
    this.connection = new SmppConnection(
      { ...opts, responseTimeoutMs: this.timeoutMs, enquireLinkMs: opts.enquireLinkMs ?? 30_000 },
      { inbound: (pdu) => this.inbound.handle(pdu), warn: (w) => this.warn(w) },
    );
  }

  /**
   * Connects and binds. Resolves on the first successful bind; rejects with a ChannelError when the
   * first attempt fails, while the adapter keeps reconnecting in the background until stop().
   */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.connection.open();
  }

  /** Fails new submits, lets in-flight ones finish (up to the response timeout), unbinds, closes. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.connection.bound) {
      await Promise.race([this.window.whenIdle(), sleep(this.timeoutMs, undefined, { ref: false })]);
    }
    await this.connection.close();
    this.inbound.flush();
  }

  isReady(): boolean {
    return !this.stopped && this.connection.bound;
  }

  onReceipt(cb: (r: DeliveryReport) => void): void {
    this.receiptHandlers.push(cb);
  }

  onMo(cb: (m: MoMessage) => void): void {
    this.moHandlers.push(cb);
  }

  /** Counters since construction. */
  stats(): Readonly<SmppClientStats> {
    return { ...this.counters, reconnects: this.connection.reconnects };
  }

  /** Sends the parts in order; stops at the first refused part and reports the ones accepted. */
  async submit(msg: OutboundMessage): Promise<SubmitOutcome> {
    const upstreamIds: string[] = [];
    let pdus: SmppPdu[];
    try {
      pdus = this.buildPdus(msg);
    } catch (e) {
      return this.failed(new ChannelError('SMPP_INVALID_MESSAGE', `${msg.messageId}: ${(e as Error).message}`, false), upstreamIds);
    }
    for (const pdu of pdus) {
      const result = await this.submitPart(pdu);
      if (typeof result !== 'string') return this.failed(result, upstreamIds);
      upstreamIds.push(result);
    }
    this.counters.accepted++;
    return { ok: true, upstreamIds };
  }

  private buildPdus(msg: OutboundMessage): SmppPdu[] {
    const src = senderAddress(msg.from);
    const dst = destinationAddress(msg.to);
    const multipart = msg.parts.length > 1;
    if (multipart) this.concatRef = (this.concatRef + 1) & 0xff;
    const payloads = framePartPayloads(
      msg.parts.map((p) => encodeText(p, msg.encoding)),
      msg.encoding,
      this.concatRef,
    );
    const common = {
      service_type: '',
      source_addr_ton: src.ton,
      source_addr_npi: src.npi,
      source_addr: src.addr,
      dest_addr_ton: dst.ton,
      dest_addr_npi: dst.npi,
      destination_addr: dst.addr,
      esm_class: multipart ? EsmClass.UDHI : 0,
      registered_delivery: msg.requestReceipt ? 1 : 0,
      data_coding: dataCodingFor(msg.encoding),
    };
    return payloads.map((payload) => {
      const pdu = makePdu('submit_sm', common);
      pdu.short_message = payload; // a Buffer, so node-smpp sends it as is
      return pdu;
    });
  }

  /** Resolves to the normalised upstream id, or the error that ends this message. */
  private async submitPart(pdu: SmppPdu): Promise<string | ChannelError> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) return new ChannelError('SMPP_STOPPED', `${this.id} is stopping`, true);
      if (!this.connection.bound) return this.notBound();
      if (!this.window.tryAcquire()) await this.window.acquire();
      let resp: SmppPdu;
      try {
        if (this.bucket) {
          const wait = this.bucket.reserve();
          if (wait > 0) await sleep(wait);
        }
        const pause = this.resumeAt - Date.now();
        if (pause > 0) await sleep(pause);
        if (!this.connection.bound) return this.notBound();
        this.counters.submitted++;
        resp = await this.connection.request(pdu);
      } catch (e) {
        return e as ChannelError;
      } finally {
        this.window.release();
      }
      const status = resp.command_status;
      if (resp.command_id === CommandId.SUBMIT_SM_RESP && status === SmppStatus.ESME_ROK) {
        const id = normaliseMessageId(resp.message_id ?? '', this.opts.messageIdBase?.submitResp);
        // Accepted all the same, but no receipt will ever map to it: say so.
        if (!id) this.warn({ code: 'SMPP_EMPTY_MESSAGE_ID', message: `${this.id}: submit_sm_resp without a message_id` });
        return id;
      }
      const nack = resp.command_id === CommandId.GENERIC_NACK;
      if (!nack && statusPolicy(status, this.opts.statusPolicies) === 'throttle') {
        this.counters.throttled++;
        if (attempt >= this.throttle.maxAttempts) return errorForStatus('SMPP_THROTTLED', 'submit_sm', status);
        const delay = Math.min(this.throttle.maxMs, this.throttle.minMs * 2 ** (attempt - 1));
        // Pause the whole bind, not just this part: the SMSC is saying the bind is over its rate.
        this.resumeAt = Math.max(this.resumeAt, Date.now() + delay);
        await sleep(delay);
        continue;
      }
      const code = nack ? 'SMPP_GENERIC_NACK' : 'SMPP_REJECTED';
      return errorForStatus(code, nack ? 'submit_sm (generic_nack)' : 'submit_sm', status, this.opts.statusPolicies);
    }
  }

  private failed(error: ChannelError, upstreamIds: string[]): SubmitOutcome {
    this.counters.failed++;
    if (error.code === 'SMPP_TIMEOUT') this.counters.timeouts++;
    return { ok: false, error, upstreamIds };
  }

  private notBound(): ChannelError {
    return new ChannelError('SMPP_NOT_BOUND', `${this.id} is not bound to ${this.opts.host}:${this.opts.port}`, true);
  }

  private dispatch<T>(handlers: Array<(v: T) => void>, value: T, counter: 'receipts' | 'mo'): void {
    this.counters[counter]++;
    for (const h of handlers) {
      try {
        h(value);
      } catch (e) {
        this.warn({ code: 'SMPP_HANDLER_ERROR', message: `${counter} handler threw: ${(e as Error).message}` });
      }
    }
  }

  private warn(w: SmppWarning): void {
    if (this.opts.onWarning) this.opts.onWarning(w);
    else process.emitWarning(`${this.id}: ${w.message}`, { code: w.code, detail: w.raw });
  }
}
