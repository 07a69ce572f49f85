/**
 * Inbound deliver_sm/data_sm: delivery receipts and mobile-originated messages. Protocol answers
 * (deliver_sm_resp) are the adapter's job; this file only classifies and decodes.
 */
import type { DeliveryReport, MoMessage } from '../channel-adapter.js';
import { looksLikeReceiptText, parseDeliveryReceipt, type ReceiptIdBases } from './dlr-parser.js';
import { MoReassembler } from './mo-reassembler.js';
import { addressToString } from './smpp-address.js';
import { concatOf, readShortMessage } from './short-message.js';
import { EsmClass, type SmppPdu } from './smpp-types.js';

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
    const { text, udh } = readShortMessage(pdu);
    if (type === EsmClass.DELIVERY_RECEIPT || type === EsmClass.INTERMEDIATE_NOTIFICATION) {
      this.receipt(pdu, text);
    } else if (type === 0 && !udh && looksLikeReceiptText(text)) {
      this.receipt(pdu, text);
    } else if (type === 0) {
      const from = addressToString(pdu.source_addr_ton, pdu.source_addr);
      const to = addressToString(pdu.dest_addr_ton, pdu.destination_addr);
      this.reassembler.push(from, to, text, concatOf(pdu, udh));
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
