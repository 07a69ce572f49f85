/**
 * Drains the reports owed to SMPP customers as deliver_sm over their receiver binds: delivery
 * receipts in the SMPP 3.4 Appendix B text form plus receipted_message_id and message_state TLVs,
 * one per submit_sm the ESME sent; MO replies as plain deliver_sm (concatenated when long).
 * A report is marked delivered only once every deliver_sm of it was acknowledged; a refused or
 * unanswered one comes back after a pause. Customers with no receiver bound keep their reports
 * queued (a real SMSC holds receipts for the next bind the same way).
 */
import type { ReceiptStat } from '../channels/channel-adapter.js';
import { destinationAddress, senderAddress, type SmppAddress } from '../channels/smpp/smpp-address.js';
import { EsmClass, makePdu, type SmppPdu } from '../channels/smpp/smpp-types.js';
import { MESSAGE_STATE, formatReceiptText, wantsReceipt } from '../channels/smpp/smsc-outcomes.js';
import { buildMoPayloads } from '../channels/smpp/smsc-mo.js';
import type { Logger } from '../logging/logger.js';
import type { MoReportPayload } from '../receipts/report.repository.js';
import type { StatusReportPayload } from '../receipts/status-report.js';
import type { CustomerBind } from './customer-smpp-server.js';
import { receiptStat } from './smpp-message-state.js';
import { parseSmppAddress, partMessageId } from './smpp-report-address.js';
import type { SmppReport, SmppReportRepository } from './smpp-report.repository.js';

export interface SmppReportSenderOptions {
  repo: SmppReportRepository;
  binds: {
    receivers(systemId: string): CustomerBind[];
    boundSystems(): Array<{ systemId: string; accountId: string }>;
  };
  logger: Logger;
  /** Pause between scans. Default 50 ms. */
  tickMs?: number;
  /** Reports leased per round per system_id. Default 200. */
  batchSize?: number;
  /** A deliver_sm unanswered this long counts as refused. Default 10 s. */
  responseTimeoutMs?: number;
  /** Wait before a refused report is tried again. Default 10 s. */
  retryMs?: number;
}

const EMPTY_ADDRESS: SmppAddress = { ton: 0, npi: 0, addr: '' };

export class SmppReportSender {
  private timer?: NodeJS.Timeout;
  private running = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private moRef = 0;

  constructor(private readonly opts: SmppReportSenderOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.tick();
      this.timer = setTimeout(loop, this.opts.tickMs ?? 50);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Starts a drain for every bound system_id that has none running. */
  tick(): Promise<void>[] {
    const started: Promise<void>[] = [];
    for (const { systemId, accountId } of this.opts.binds.boundSystems()) {
      if (this.inFlight.has(systemId)) continue;
      const drain = this.drain(systemId, accountId)
        .catch((err) => this.opts.logger.error('SMPP report drain failed', { systemId, err }))
        .finally(() => this.inFlight.delete(systemId));
      this.inFlight.set(systemId, drain);
      started.push(drain);
    }
    return started;
  }

  private async drain(systemId: string, accountId: string): Promise<void> {
    const batch = this.opts.batchSize ?? 200;
    const timeoutMs = this.opts.responseTimeoutMs ?? 10_000;
    for (let round = 0; round < 20 && this.running !== false; round++) {
      const receivers = this.opts.binds.receivers(systemId);
      if (receivers.length === 0) return;
      // The lease outlasts the slowest answer we wait for.
      const reports = await this.opts.repo.claim(accountId, systemId, batch, timeoutMs + 30_000);
      if (reports.length === 0) return;
      let next = 0;
      const outcomes = await Promise.all(reports.map(async (report) => {
        const pdus = this.pdusFor(report);
        const statuses = await Promise.all(pdus.map((pdu) => {
          const bind = receivers[next++ % receivers.length];
          return withTimeout(bind.request(pdu), timeoutMs);
        }));
        return { report, ok: statuses.every((s) => s === 0), statuses };
      }));
      await this.opts.repo.markDelivered(outcomes.filter((o) => o.ok).map((o) => o.report.id));
      const refused = outcomes.filter((o) => !o.ok);
      if (refused.length) {
        const sample = refused[0].statuses.find((s) => s !== 0);
        await this.opts.repo.retryLater(refused.map((o) => o.report.id), `deliver_sm refused (command_status ${sample})`, this.opts.retryMs ?? 10_000);
        this.opts.logger.warn('SMPP customer refused deliver_sm', { systemId, reports: refused.length, status: sample });
        return;
      }
    }
  }

  /** The deliver_sm PDUs one report becomes; none when the ESME did not ask for this receipt. */
  pdusFor(report: SmppReport): SmppPdu[] {
    if (report.kind === 'mo') return this.moPdus(report.payload as unknown as MoReportPayload);
    const p = report.payload as unknown as StatusReportPayload;
    const address = parseSmppAddress(report.callbackUrl);
    if (!address || !report.message) return [];
    const stat: ReceiptStat = receiptStat(p.status, p.errorCode, p.upstream?.stat);
    const m = report.message;
    const handset = destinationAddress(m.to);
    const esme = address.source ? safeSender(address.source) : EMPTY_ADDRESS;
    const pdus: SmppPdu[] = [];
    for (let seq = 1; seq <= address.parts; seq++) {
      if (!wantsReceipt(address.receipts[seq - 1] ?? 0, stat)) continue;
      const id = partMessageId(p.messageId, seq, address.parts);
      const text = formatReceiptText({ id, stat, err: errField(p.upstream?.err), submitDate: m.createdAt, doneDate: new Date(p.at), text: m.text });
      pdus.push(makePdu('deliver_sm', {
        source_addr_ton: handset.ton, source_addr_npi: handset.npi, source_addr: handset.addr,
        dest_addr_ton: esme.ton, dest_addr_npi: esme.npi, destination_addr: esme.addr,
        esm_class: EsmClass.DELIVERY_RECEIPT, data_coding: 0, short_message: Buffer.from(text, 'latin1'),
        receipted_message_id: id, message_state: MESSAGE_STATE[stat],
      }));
    }
    return pdus;
  }

  private moPdus(mo: MoReportPayload): SmppPdu[] {
    const from = mo.from.startsWith('+') ? destinationAddress(mo.from) : safeSender(mo.from);
    const to = safeSender(mo.to);
    const { dataCoding, payloads } = buildMoPayloads(mo.text, this.moRef++ & 0xff);
    return payloads.map((short_message) => makePdu('deliver_sm', {
      source_addr_ton: from.ton, source_addr_npi: from.npi, source_addr: from.addr,
      dest_addr_ton: to.ton, dest_addr_npi: to.npi, destination_addr: to.addr,
      esm_class: payloads.length > 1 ? EsmClass.UDHI : 0, data_coding: dataCoding, short_message,
    }));
  }
}

/** The receipt's `err:` is three digits; upstream codes are kept when they fit. */
function errField(err: string | null | undefined): string {
  return err && /^\d{1,3}$/.test(err) ? err.padStart(3, '0') : '000';
}

/** An address the ESME gave us goes back as it was, even if it breaks our own sender rules. */
function safeSender(addr: string): SmppAddress {
  try {
    return senderAddress(addr);
  } catch {
    return { ton: 0, npi: 0, addr: addr.slice(0, 20) };
  }
}

function withTimeout(p: Promise<number>, ms: number): Promise<number> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(-2), ms);
    p.then((v) => {
      clearTimeout(t);
      resolve(v);
    });
  });
}
