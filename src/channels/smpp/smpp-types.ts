/**
 * Typed view of the parts of node-smpp (`smpp` 0.5.1, no published types) the platform uses.
 * Everything else in the platform imports SMPP through this file, never `smpp` directly.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { Server as NetServer, Socket } from 'node:net';

/** `short_message`/`message_payload` as node-smpp decodes them on receipt (by data_coding). */
export interface DecodedShortMessage {
  /** Text decoded by data_coding; a Buffer when node-smpp has no decoder for that coding. */
  message: string | Buffer;
  /** User data header information elements (IEI, length, data…) when esm_class had UDHI. */
  udh?: Buffer[];
}

/** PDU fields we read or write; node-smpp stores every parameter and TLV as a plain property. */
export interface SmppPduFields {
  command_status?: number;
  sequence_number?: number;
  system_id?: string;
  password?: string;
  system_type?: string;
  interface_version?: number;
  service_type?: string;
  source_addr_ton?: number;
  source_addr_npi?: number;
  source_addr?: string;
  dest_addr_ton?: number;
  dest_addr_npi?: number;
  destination_addr?: string;
  esm_class?: number;
  registered_delivery?: number;
  /** node-smpp decodes the SMPP time string (absolute or relative) into a Date; '' when absent. */
  schedule_delivery_time?: Date | string;
  /** query_sm_resp: the final date in SMPP time format ('' while not final). */
  final_date?: string;
  error_code?: number;
  data_coding?: number | null;
  /** Send a Buffer so node-smpp never re-encodes; received PDUs carry the decoded form. */
  short_message?: Buffer | DecodedShortMessage;
  message_payload?: Buffer | DecodedShortMessage;
  message_id?: string;
  receipted_message_id?: string;
  message_state?: number;
  network_error_code?: Buffer;
  /** SAR TLVs: the TLV alternative to a concatenation UDH some SMSCs use for MO. */
  sar_msg_ref_num?: number;
  sar_total_segments?: number;
  sar_segment_seqnum?: number;
}

/** A node-smpp PDU instance. */
export interface SmppPdu extends SmppPduFields {
  command: string;
  command_id: number;
  command_status: number;
  sequence_number: number;
  isResponse(): boolean;
  /** A response PDU carrying this PDU's sequence number (generic_nack for unknown commands). */
  response(options?: SmppPduFields): SmppPdu;
  toBuffer(): Buffer;
}

/**
 * A node-smpp session. Events: `connect`, `pdu` (every decoded PDU), one event per command name,
 * `error`, `close`. We write encoded PDUs to `socket` ourselves (own sequence numbers, corked
 * writes) instead of `send()`, which keeps a callback per request that never expires.
 */
export interface SmppSession extends EventEmitter {
  socket: Socket;
  close(callback?: () => void): void;
  destroy(callback?: () => void): void;
  /** Stops handing out PDUs (they stay in the socket buffer) until resume(): async bind checks. */
  pause(): void;
  resume(): void;
}

/** node-smpp's server: a net.Server that emits `session` for each accepted connection. */
export interface SmppServer extends NetServer {
  sessions: SmppSession[];
}

interface SmppModule {
  connect(options: { host: string; port: number }): SmppSession;
  createServer(options: object, listener: (session: SmppSession) => void): SmppServer;
  PDU: new (command: string, options?: SmppPduFields) => SmppPdu;
  errors: Record<string, number>;
}

// createRequire because the package is CommonJS without types: a typed cast in one place beats
// an ambient `declare module` that would leak `any` into every importer.
const require = createRequire(import.meta.url);
const smpp = require('smpp') as SmppModule;

/** Opens a TCP connection; bind is up to the caller. */
export const connectSession: SmppModule['connect'] = (options) => smpp.connect(options);
/** Creates an (unlistened) SMPP server. */
export const createSmppServer: SmppModule['createServer'] = (options, listener) =>
  smpp.createServer(options, listener);

/** Builds a PDU for `command` with the given fields. */
export function makePdu(command: string, fields?: SmppPduFields): SmppPdu {
  return new smpp.PDU(command, fields);
}

/** node-smpp's table of SMPP 3.4 status names to values (ESME_ROK, ESME_RTHROTTLED…). */
export const smppErrorCodes: Readonly<Record<string, number>> = smpp.errors;

/** command_id values we dispatch on (SMPP 3.4 §5.1.2.1). */
export const CommandId = {
  GENERIC_NACK: 0x80000000,
  BIND_RECEIVER: 0x00000001,
  BIND_RECEIVER_RESP: 0x80000001,
  BIND_TRANSMITTER: 0x00000002,
  BIND_TRANSMITTER_RESP: 0x80000002,
  SUBMIT_SM: 0x00000004,
  SUBMIT_SM_RESP: 0x80000004,
  DELIVER_SM: 0x00000005,
  DELIVER_SM_RESP: 0x80000005,
  UNBIND: 0x00000006,
  UNBIND_RESP: 0x80000006,
  BIND_TRANSCEIVER: 0x00000009,
  BIND_TRANSCEIVER_RESP: 0x80000009,
  ENQUIRE_LINK: 0x00000015,
  ENQUIRE_LINK_RESP: 0x80000015,
  ALERT_NOTIFICATION: 0x00000102,
  QUERY_SM: 0x00000003,
  CANCEL_SM: 0x00000008,
  DATA_SM: 0x00000103,
  DATA_SM_RESP: 0x80000103,
} as const;

/** command_status values the platform acts on. */
export const SmppStatus = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RALYBND: 0x05,
  ESME_RSYSERR: 0x08,
  ESME_RINVDSTADR: 0x0b,
  ESME_RINVSRCADR: 0x0a,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RCANCELFAIL: 0x11,
  ESME_RMSGQFUL: 0x14,
  ESME_RINVESMCLASS: 0x43,
  ESME_RSUBMITFAIL: 0x45,
  ESME_RTHROTTLED: 0x58,
  ESME_RINVSCHED: 0x61,
  ESME_RQUERYFAIL: 0x67,
  ESME_RINVDCS: 0x104,
} as const;

/** esm_class bits (SMPP 3.4 §5.2.12). */
export const EsmClass = {
  MESSAGE_TYPE_MASK: 0x3c,
  DELIVERY_RECEIPT: 0x04,
  INTERMEDIATE_NOTIFICATION: 0x20,
  UDHI: 0x40,
} as const;

/** data_coding values we send: SMSC default alphabet (GSM 03.38) and UCS-2. */
export const DataCoding = { GSM7: 0x00, UCS2: 0x08 } as const;
