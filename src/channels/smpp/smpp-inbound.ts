/**
 * Inbound deliver_sm/data_sm: delivery receipts and mobile-originated messages. Protocol answers
 * (deliver_sm_resp) are the adapter's job; this file only classifies and decodes.
 */
import type { DeliveryReport, MoMessage } from '../channel-adapter.js';
import { looksLikeReceiptText, parseDeliveryReceipt, type ReceiptIdBases } from './dlr-parser.js';
import { MoReassembler } from './mo-reassembler.js';
import { addressToString } from './smpp-address.js';
import { EsmClass, type DecodedShortMessage, type SmppPdu } from './smpp-types.js';
import { concatFromElements, type ConcatInfo } from './udh-codec.js';

/** Something the peer sent that we could not fully use; reported, never silently dropped. */
export interface SmppWarning {
  code: string;
  message: string;
  /** What the peer sent, for the operator. */
  raw?: string;
}

/** Where classified inbound traffic goes. */
export interface InboundSinks {
  receipt(report: DeliveryReport): void;
  mo(message: MoMessage): void;
  warn(warning: SmppWarning): void;
}

/** Classifies deliver_sm PDUs into receipts and MO, reassembling concatenated MO. */
export class SmppInbound {
  private readonly reassembler: MoReassembler;

  constructor(
    private readonly idBases: ReceiptIdBases,
    moReassemblyTimeoutMs: number,
    private readonly sinks: InboundSinks,
  ) {
    this.reassembler = new MoReassembler(moReassemblyTimeoutMs, (mo) => {
      if (!mo.complete) {
        sinks.warn({ code: 'SMPP_MO_INCOMPLETE', message: `MO from ${mo.from} emitted with parts missing`, raw: mo.text });
      }
      sinks.mo({ from: mo.from, to: mo.to, text: mo.text, receivedAt: mo.receivedAt });
    });
  }

  /**
   * Receipts are esm_class 0x04 (or 0x20 intermediate); a plain message whose text is a receipt
   * is treated as one too, because some SMSCs forget the esm_class and that text would otherwise
   * reach a customer's inbox as an MO.
   */
  handle(pdu: SmppPdu): void {
    const type = (pdu.esm_class ?? 0) & EsmClass.MESSAGE_TYPE_MASK;
    const { text, udh } = readMessage(pdu);
    if (type === EsmClass.DELIVERY_RECEIPT || type === EsmClass.INTERMEDIATE_NOTIFICATION) {
      this.receipt(pdu, text);
    } else if (type === 0 && !udh && looksLikeReceiptText(text)) {
      this.receipt(pdu, text);
    } else if (type === 0) {
      const from = addressToString(pdu.source_addr_ton, pdu.source_addr);
      const to = addressToString(pdu.dest_addr_ton, pdu.destination_addr);
      this.reassembler.push(from, to, text, (udh && concatFromElements(udh)) ?? sarConcat(pdu));
    } else {
      this.sinks.warn({ code: 'SMPP_UNHANDLED_DELIVER', message: `deliver_sm with esm_class 0x${type.toString(16)}`, raw: text });
    }
  }

  /** Hands on partially received MO (on stop). */
  flush(): void {
    this.reassembler.flushAll();
  }

  private receipt(pdu: SmppPdu, text: string): void {
    const report = parseDeliveryReceipt(
      {
        text,
        receiptedMessageId: pdu.receipted_message_id,
        messageState: pdu.message_state,
        networkErrorCode: pdu.network_error_code,
      },
      this.idBases,
    );
    if (report) this.sinks.receipt(report);
    else this.sinks.warn({ code: 'SMPP_UNPARSEABLE_RECEIPT', message: 'receipt without a message id', raw: text });
  }
}

/** Text and UDH elements of short_message, falling back to message_payload when it is empty. */
function readMessage(pdu: SmppPdu): { text: string; udh?: Buffer[] } {
  let sm = asDecoded(pdu.short_message);
  if (messageLength(sm) === 0 && pdu.message_payload) sm = asDecoded(pdu.message_payload);
  const m = sm?.message;
  // node-smpp leaves codings it cannot decode (e.g. 8-bit binary) as a Buffer.
  const text = m === undefined ? '' : typeof m === 'string' ? m : m.toString('latin1');
  return { text, udh: sm?.udh && sm.udh.length > 0 ? sm.udh : undefined };
}

function asDecoded(v: Buffer | DecodedShortMessage | undefined): DecodedShortMessage | undefined {
  if (v === undefined) return undefined;
  return Buffer.isBuffer(v) ? { message: v } : v;
}

function messageLength(sm: DecodedShortMessage | undefined): number {
  return sm ? sm.message.length : 0;
}

function sarConcat(pdu: SmppPdu): ConcatInfo | undefined {
  const total = pdu.sar_total_segments;
  const seq = pdu.sar_segment_seqnum;
  if (!total || !seq || seq > total || pdu.sar_msg_ref_num === undefined) return undefined;
  return { ref: pdu.sar_msg_ref_num, total, seq };
}
