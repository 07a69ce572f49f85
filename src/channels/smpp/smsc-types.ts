/**
 * Public types of the bundled SMSC simulator (see smsc-simulator.ts).
 */
import type { SmppAddress } from './smpp-address.js';
import type { SimOutcome } from './smsc-outcomes.js';
import type { ReceiptStat } from '../channel-adapter.js';
import type { SmscRouteProfile } from './smsc-route-profile.js';
import type { ConcatInfo } from './udh-codec.js';

/**
 * Failure injection. `noResponse`: submit_sm never answered; `nack`: answered with generic_nack
 * (ESME_RSYSERR); `throttled`: every submit answered ESME_RTHROTTLED; `dropConnection`: the socket
 * is closed, unanswered, on the `onSubmit`-th submit counted from when the fault was set.
 */
export type SmscFault =
  | { mode: 'none' }
  | { mode: 'noResponse' }
  | { mode: 'nack' }
  | { mode: 'throttled' }
  | { mode: 'dropConnection'; onSubmit: number };

/** Simulator settings; every field has a test-friendly default. */
export interface SmscSimulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** system_id → password; when omitted any credentials bind. Wrong password → ESME_RBINDFAIL. */
  credentials?: Readonly<Record<string, string>>;
  /** Delay before a receipt is sent (default 100 ms). */
  receiptDelayMs?: number;
  /** Latency added to every submit_sm_resp (default 0). */
  responseDelayMs?: number;
  /** Per-last-digit overrides of DEFAULT_OUTCOMES. */
  outcomes?: Readonly<Record<string, SimOutcome>>;
  /**
   * A simulated route: every accepted submit is delivered with a probability and its receipt comes
   * after a random (seeded) delay; the last digit and `receiptDelayMs` are then not consulted.
   * See smsc-route-profile.ts.
   */
  profile?: SmscRouteProfile;
  /** Submits per second across all binds; above it the answer is ESME_RTHROTTLED. */
  maxSubmitsPerSecond?: number;
  fault?: SmscFault;
  /** Receipt as text and TLVs (default), text only, or TLVs only. */
  receiptForm?: 'both' | 'text' | 'tlv';
  /** Keep every submit in `submits` for assertions (off by default: it grows without bound). */
  recordSubmits?: boolean;
  /** Called as each submit_sm arrives, before it is answered (benchmarks time arrivals with it). */
  onSubmit?: (destination: string, text: string) => void;
  /** Called for every accepted submit with what the simulator decided for it (synthetic users hook in here). */
  onAccepted?: (delivery: SimulatedDelivery) => void;
  /** Send enquire_link to every bound ESME at this period (off by default). */
  enquireLinkMs?: number;
  /** Binds, refusals, drops and fault changes are logged; never individual PDUs. */
  logger?: SimulatorLogger;
}

/** The two methods the simulator logs with (the platform's Logger fits). */
export interface SimulatorLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** The fate of one accepted submit, as decided when it was accepted. */
export interface SimulatedDelivery {
  /** Hex id returned in submit_sm_resp. */
  messageId: string;
  /** Destination address as submitted (E.164 digits without `+` for international numbers). */
  destination: string;
  /** short_message as decoded by node-smpp. */
  text: string;
  /** Final state its receipt reports; undefined: it never reaches a final state (no receipt ever). */
  stat?: ReceiptStat;
  /** From the submit to the final state: when a delivered message reaches the handset. */
  delayMs: number;
  /** Set on a part of a concatenated message (its text is that part's only). */
  part?: ConcatInfo;
}

/** A submit as the simulator saw it (when `recordSubmits`). */
export interface SimulatedSubmit {
  systemId: string;
  source: SmppAddress;
  destination: SmppAddress;
  esmClass: number;
  dataCoding: number;
  registeredDelivery: number;
  /** Full UDH including its length octet, when esm_class had UDHI. */
  udh?: Buffer;
  /** short_message decoded by node-smpp (an independent decoder of what we encoded). */
  text: string;
  status: number;
  /** Hex id returned in submit_sm_resp. */
  messageId?: string;
}

/** Live counters. `maxOutstanding` is the most unanswered submits any one bind had at once. */
export interface SmscSimulatorStats {
  binds: number;
  bindFailures: number;
  submits: number;
  accepted: number;
  rejected: number;
  throttled: number;
  nacked: number;
  unanswered: number;
  dropped: number;
  receiptsSent: number;
  receiptsAcked: number;
  receiptsHeld: number;
  moSent: number;
  maxOutstanding: number;
  /** enquire_link received from ESMEs / sent by the simulator and answered by the ESME. */
  enquireLinksReceived: number;
  enquireLinksAnswered: number;
}

/** A running simulator. */
export interface SmscSimulator {
  readonly port: number;
  readonly stats: SmscSimulatorStats;
  readonly submits: SimulatedSubmit[];
  setFault(fault: SmscFault): void;
  /** Sends an MO (split and UDH-framed if long) to a bound receiver; resolves when acknowledged. */
  injectMo(from: string, to: string, text: string): Promise<void>;
  stop(): Promise<void>;
}
