/**
 * The SMPP 3.4 server customers bind to (transmitter, receiver, transceiver). submit_sm enters the
 * same accept pipeline as the HTTP API (smpp-ingest.ts); receipts and MO go back as deliver_sm
 * through smpp-report-sender.ts. One bad PDU or one slow customer never stalls another bind:
 * every submit is answered on its own, and a PDU node-smpp cannot parse closes only that bind.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.js';
import { BatchedWriter } from '../channels/smpp/batched-writer.js';
import { TokenBucket } from '../channels/smpp/token-bucket.js';
import { CommandId, SmppStatus, createSmppServer, makePdu, type SmppPdu, type SmppServer, type SmppSession } from '../channels/smpp/smpp-types.js';
import type { BindDecision, BindRequest } from './bind-auth.js';
import type { BoundCustomer, IngestOutcome } from './smpp-ingest.js';
import { partMessageId } from './smpp-report-address.js';
import { SubmitAssembler } from './submit-assembler.js';
import { decodeSubmit, type DecodedSubmit } from './submit-decoder.js';

/** What the server needs from the rest of the platform. */
export interface CustomerSmppServerDeps {
  authorize(req: BindRequest): Promise<BindDecision>;
  /** Stores a message; resolves once it is stored (the resp must not promise more). */
  submit(customer: BoundCustomer, submit: DecodedSubmit, messageId: string, partReceipts?: number[]): Promise<IngestOutcome>;
  /** query_sm: undefined when the account has no such message. */
  query(accountId: string, messageId: string): Promise<{ state: number; finalDate: string; errorCode: number } | undefined>;
  /** cancel_sm: true when a scheduled message was cancelled. */
  cancel(accountId: string, messageId: string): Promise<boolean>;
  /** The account as it is now (status, settings), for long-lived binds. */
  refreshAccount(accountId: string): Promise<BoundCustomer['account'] | undefined>;
  newMessageId(): string;
  logger: Logger;
}

export interface CustomerSmppServerOptions {
  port: number;
  host: string;
  /** A second listener speaking SMPP over TLS (same binds, same rules). */
  tls?: { port: number; key: Buffer; cert: Buffer };
  /** Parts of a concatenated submit are waited for this long. Default 60 s. */
  reassemblyTimeoutMs?: number;
  /** Submits one bind may have in the pipeline at once before it is told to back off. Default 2,000. */
  maxInFlightPerBind?: number;
  /** How often bound accounts are re-read (suspension ends their binds). Default 10 s. */
  accountRefreshMs?: number;
}

/** One customer connection. */
export interface CustomerBind {
  readonly id: number;
  mode?: 'trx' | 'tx' | 'rx';
  customer?: BoundCustomer;
  /** Sends a request PDU (deliver_sm); resolves with the peer's command_status, -1 if the bind closed. */
  request(pdu: SmppPdu): Promise<number>;
  readonly closed: boolean;
}

interface Bind extends CustomerBind {
  session: SmppSession;
  writer: BatchedWriter;
  ip: string;
  seq: number;
  inFlight: number;
  binding: boolean;
  closed: boolean;
  acks: Map<number, (status: number) => void>;
}

const BIND_MODES: Record<string, Bind['mode']> = { bind_transceiver: 'trx', bind_transmitter: 'tx', bind_receiver: 'rx' };
const SERVER_SYSTEM_ID = 'SMSPLATFORM';

export class CustomerSmppServer {
  private server?: SmppServer;
  private tlsServer?: SmppServer;
  private readonly binds = new Set<Bind>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly assembler: SubmitAssembler<Bind>;
  private refreshTimer?: NodeJS.Timeout;
  private nextBindId = 1;
  private readonly log: Logger;

  constructor(private readonly deps: CustomerSmppServerDeps, private readonly opts: CustomerSmppServerOptions) {
    this.log = deps.logger.child({ component: 'smpp-server' });
    this.assembler = new SubmitAssembler<Bind>(opts.reassemblyTimeoutMs ?? 60_000, deps.newMessageId, (m) => {
      this.log.warn('concatenated submit incomplete; sending the parts received', { systemId: m.owner.customer?.credentials.systemId, missing: m.missing });
      if (m.owner.customer) void this.deps.submit(m.owner.customer, m.submit, m.messageId, m.partReceipts);
    });
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.opts.port;
  }

  /** The TLS listener's port, when one is configured. */
  get tlsPort(): number | undefined {
    return (this.tlsServer?.address() as AddressInfo | null)?.port ?? this.opts.tls?.port;
  }

  /** Receiver-capable binds of a system_id (transceiver or receiver), for deliver_sm. */
  receivers(systemId: string): CustomerBind[] {
    return [...this.binds].filter((b) => !b.closed && b.mode !== 'tx' && b.customer?.credentials.systemId === systemId);
  }

  /** system_ids with at least one receiver-capable bind, with their account. */
  boundSystems(): Array<{ systemId: string; accountId: string }> {
    const out = new Map<string, string>();
    for (const b of this.binds) if (!b.closed && b.mode !== 'tx' && b.customer) out.set(b.customer.credentials.systemId, b.customer.account.id);
    return [...out].map(([systemId, accountId]) => ({ systemId, accountId }));
  }

  async start(): Promise<void> {
    this.server = await listen(createSmppServer({}, (session) => this.accept(session)), this.opts.port, this.opts.host);
    if (this.opts.tls) {
      const { key, cert, port } = this.opts.tls;
      this.tlsServer = await listen(createSmppServer({ key, cert }, (session) => this.accept(session)), port, this.opts.host);
      this.log.info('customer SMPP server listening (TLS)', { host: this.opts.host, port: this.tlsPort });
    }
    this.refreshTimer = setInterval(() => void this.refreshAccounts(), this.opts.accountRefreshMs ?? 10_000);
    this.refreshTimer.unref();
    this.log.info('customer SMPP server listening', { host: this.opts.host, port: this.port });
  }

  /** Unbinds every customer, then stops listening. Parts of unfinished long messages are sent as they are. */
  async stop(): Promise<void> {
    clearInterval(this.refreshTimer);
    this.assembler.flush();
    const closed = [this.server, this.tlsServer].map((srv) => (srv ? new Promise<void>((resolve) => srv.close(() => resolve())) : undefined));
    await Promise.all([...this.binds].map((b) => this.unbind(b)));
    await Promise.all(closed);
  }

  private accept(session: SmppSession): void {
    const bind: Bind = {
      id: this.nextBindId++, session, writer: new BatchedWriter(session.socket), ip: session.socket.remoteAddress ?? '',
      seq: 0, inFlight: 0, binding: false, closed: false, acks: new Map(),
      request: (pdu) => this.request(bind, pdu),
    };
    this.binds.add(bind);
    session.socket.setNoDelay(true);
    session.on('pdu', (pdu: SmppPdu) => this.onPdu(bind, pdu));
    session.on('error', (err: Error) => {
      // node-smpp stops reading a session after a PDU it cannot parse: say so and close this bind only.
      this.log.warn('customer PDU could not be read; closing the bind', { bindId: bind.id, error: err.message });
      this.write(bind, makePdu('generic_nack', { sequence_number: 0, command_status: SmppStatus.ESME_RSYSERR }));
      session.destroy();
    });
    session.on('close', () => {
      bind.closed = true;
      this.binds.delete(bind);
      for (const ack of bind.acks.values()) ack(-1);
      bind.acks.clear();
    });
  }

  private write(bind: Bind, pdu: SmppPdu): void {
    if (!bind.closed) bind.writer.write(pdu.toBuffer());
  }

  private request(bind: Bind, pdu: SmppPdu): Promise<number> {
    if (bind.closed) return Promise.resolve(-1);
    bind.seq = bind.seq >= 0x7fffffff ? 1 : bind.seq + 1;
    pdu.sequence_number = bind.seq;
    return new Promise((resolve) => {
      bind.acks.set(bind.seq, resolve);
      this.write(bind, pdu);
    });
  }

  private onPdu(bind: Bind, pdu: SmppPdu): void {
    if (pdu.isResponse()) {
      const ack = bind.acks.get(pdu.sequence_number);
      bind.acks.delete(pdu.sequence_number);
      ack?.(pdu.command_status);
      return;
    }
    const mode = BIND_MODES[pdu.command];
    if (mode) return void this.onBind(bind, pdu, mode);
    switch (pdu.command_id) {
      case CommandId.ENQUIRE_LINK:
        return this.write(bind, pdu.response());
      case CommandId.UNBIND:
        this.write(bind, pdu.response());
        return void bind.session.close();
      case CommandId.SUBMIT_SM:
        return void this.onSubmit(bind, pdu);
      case CommandId.QUERY_SM:
        return void this.onQuery(bind, pdu);
      case CommandId.CANCEL_SM:
        return void this.onCancel(bind, pdu);
      default:
        // Includes commands node-smpp knows but we don't serve (data_sm, replace_sm, submit_multi…).
        return this.write(bind, makePdu('generic_nack', { sequence_number: pdu.sequence_number, command_status: SmppStatus.ESME_RINVCMDID }));
    }
  }

  private async onBind(bind: Bind, pdu: SmppPdu, mode: Bind['mode']): Promise<void> {
    if (bind.mode || bind.binding) return this.write(bind, pdu.response({ command_status: SmppStatus.ESME_RALYBND }));
    bind.binding = true;
    // Nothing else from this connection is read until the bind is decided.
    bind.session.pause();
    const systemId = pdu.system_id ?? '';
    let decision: BindDecision;
    try {
      decision = await this.deps.authorize({ systemId, password: pdu.password ?? '', ip: bind.ip, activeBinds: this.activeBinds(systemId) });
    } catch (err) {
      this.log.error('bind check failed', { systemId, err });
      decision = { ok: false, status: SmppStatus.ESME_RSYSERR, reason: 'internal error' };
    }
    bind.binding = false;
    if (!decision.ok) {
      this.log.warn('customer bind refused', { systemId, ip: bind.ip, reason: decision.reason });
      this.write(bind, pdu.response({ command_status: decision.status }));
      bind.closed = true; // nothing more is answered on a refused connection
      setImmediate(() => bind.session.close());
      return;
    }
    bind.mode = mode;
    bind.customer = decision.customer;
    this.log.info('customer bound', { systemId, mode, bindId: bind.id });
    this.write(bind, pdu.response({ system_id: SERVER_SYSTEM_ID }));
    bind.session.resume();
  }

  private activeBinds(systemId: string): number {
    let n = 0;
    for (const b of this.binds) if (!b.closed && b.customer?.credentials.systemId === systemId) n++;
    return n;
  }

  private bucketFor(customer: BoundCustomer): TokenBucket {
    // One bucket per account: the contracted rate is shared by all of its binds.
    const key = `${customer.account.id}|${customer.credentials.submitsPerSecond}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(customer.credentials.submitsPerSecond)));
    return bucket;
  }

  private async onSubmit(bind: Bind, pdu: SmppPdu): Promise<void> {
    const reply = (status: number, messageId?: string) =>
      this.write(bind, pdu.response(status === SmppStatus.ESME_ROK ? { message_id: messageId } : { command_status: status }));
    const customer = bind.customer;
    if (!customer || bind.mode === 'rx') return reply(SmppStatus.ESME_RINVBNDSTS);
    if (bind.inFlight >= (this.opts.maxInFlightPerBind ?? 2_000) || !this.bucketFor(customer).tryTake()) {
      return reply(SmppStatus.ESME_RTHROTTLED);
    }
    const decoded = decodeSubmit(pdu, new Date());
    if (!decoded.ok) {
      this.log.debug('submit_sm refused', { systemId: customer.credentials.systemId, status: decoded.status, reason: decoded.reason });
      return reply(decoded.status);
    }
    const { submit } = decoded;
    const concat = submit.concat && submit.concat.total > 1 ? submit.concat : undefined;
    let messageId: string;
    let partReceipts: number[] | undefined;
    if (concat) {
      const part = this.assembler.add(customer.credentials.systemId, bind, submit, concat);
      const id = partMessageId(part.messageId, concat.seq, concat.total);
      if (part.kind !== 'complete') return reply(SmppStatus.ESME_ROK, id);
      messageId = part.messageId;
      partReceipts = part.partReceipts;
      Object.assign(submit, { text: part.submit.text });
    } else {
      messageId = this.deps.newMessageId();
    }
    bind.inFlight++;
    try {
      const outcome = await this.deps.submit(customer, submit, messageId, partReceipts);
      if (outcome.status !== SmppStatus.ESME_ROK) {
        this.log.debug('submit_sm refused', { systemId: customer.credentials.systemId, status: outcome.status, reason: outcome.reason });
      }
      reply(outcome.status, partMessageId(messageId, concat?.seq ?? 1, concat?.total ?? 1));
    } finally {
      bind.inFlight--;
    }
  }

  private async onQuery(bind: Bind, pdu: SmppPdu): Promise<void> {
    if (!bind.customer) return this.write(bind, pdu.response({ command_status: SmppStatus.ESME_RINVBNDSTS }));
    const asked = pdu.message_id ?? '';
    try {
      const found = await this.deps.query(bind.customer.account.id, asked);
      if (!found) return this.write(bind, pdu.response({ command_status: SmppStatus.ESME_RQUERYFAIL }));
      this.write(bind, pdu.response({ message_id: asked, final_date: found.finalDate, message_state: found.state, error_code: found.errorCode }));
    } catch (err) {
      this.log.error('query_sm failed', { err });
      this.write(bind, pdu.response({ command_status: SmppStatus.ESME_RQUERYFAIL }));
    }
  }

  private async onCancel(bind: Bind, pdu: SmppPdu): Promise<void> {
    if (!bind.customer || bind.mode === 'rx') return this.write(bind, pdu.response({ command_status: SmppStatus.ESME_RINVBNDSTS }));
    try {
      const ok = await this.deps.cancel(bind.customer.account.id, pdu.message_id ?? '');
      this.write(bind, pdu.response(ok ? {} : { command_status: SmppStatus.ESME_RCANCELFAIL }));
    } catch (err) {
      this.log.error('cancel_sm failed', { err });
      this.write(bind, pdu.response({ command_status: SmppStatus.ESME_RCANCELFAIL }));
    }
  }

  private async refreshAccounts(): Promise<void> {
    const ids = new Set([...this.binds].flatMap((b) => (b.customer ? [b.customer.account.id] : [])));
    for (const id of ids) {
      const account = await this.deps.refreshAccount(id).catch(() => undefined);
      if (!account) continue;
      for (const b of this.binds) {
        if (b.customer?.account.id !== id) continue;
        b.customer = { ...b.customer, account };
        if (account.status !== 'active') void this.unbind(b);
      }
    }
  }

  /** Asks the ESME to unbind (waits up to 1 s for its answer), then closes. */
  private async unbind(bind: Bind): Promise<void> {
    if (bind.closed) return;
    if (bind.mode) await Promise.race([this.request(bind, makePdu('unbind')), new Promise((r) => setTimeout(r, 1_000))]);
    bind.session.destroy();
  }
}

function listen(server: SmppServer, port: number, host: string): Promise<SmppServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
