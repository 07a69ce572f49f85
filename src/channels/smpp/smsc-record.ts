/**
 * How the simulator reads a received submit_sm: for receipts (the text excerpt) and for tests
 * (`recordSubmits`), which assert on what actually crossed the wire.
 */
import type { SmppAddress } from './smpp-address.js';
import type { DecodedShortMessage, SmppPdu } from './smpp-types.js';
import type { SimulatedSubmit } from './smsc-types.js';
import { concatFromElements, type ConcatInfo } from './udh-codec.js';

/** short_message as text (node-smpp decoded it by data_coding). */
export function textOf(sm: Buffer | DecodedShortMessage | undefined): string {
  const m = sm === undefined ? '' : Buffer.isBuffer(sm) ? sm : sm.message;
  return typeof m === 'string' ? m : m.toString('latin1');
}

/** A received submit for assertions; the UDH is rebuilt with its length octet. */
export function describeSubmit(systemId: string, pdu: SmppPdu, status: number, messageId?: string): SimulatedSubmit {
  const sm = pdu.short_message;
  const ies = sm && !Buffer.isBuffer(sm) ? sm.udh : undefined;
  const udh = ies && ies.length ? Buffer.concat([Buffer.from([ies.reduce((n, ie) => n + ie.length, 0)]), ...ies]) : undefined;
  return {
    systemId,
    source: sourceOf(pdu),
    destination: destinationOf(pdu),
    esmClass: pdu.esm_class ?? 0,
    dataCoding: pdu.data_coding ?? 0,
    registeredDelivery: pdu.registered_delivery ?? 0,
    udh,
    text: textOf(sm),
    status,
    messageId,
  };
}

/** source_addr with its TON/NPI. */
export function sourceOf(pdu: SmppPdu): SmppAddress {
  return { ton: pdu.source_addr_ton ?? 0, npi: pdu.source_addr_npi ?? 0, addr: pdu.source_addr ?? '' };
}

/** destination_addr with its TON/NPI. */
export function destinationOf(pdu: SmppPdu): SmppAddress {
  return { ton: pdu.dest_addr_ton ?? 0, npi: pdu.dest_addr_npi ?? 0, addr: pdu.destination_addr ?? '' };
}

/** The concatenation element of a part (UDH as node-smpp decoded it), if it is one. */
export function concatOf(pdu: SmppPdu): ConcatInfo | undefined {
  const sm = pdu.short_message;
  const ies = sm && !Buffer.isBuffer(sm) ? sm.udh : undefined;
  return ies && ies.length ? concatFromElements(ies) : undefined;
}
