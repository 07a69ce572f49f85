/**
 * The small contract every outbound channel (SMPP bind, HTTP provider, simulator) implements.
 * Routing and queue workers only ever see these types, never a protocol library.
 */

/** Text encoding of a message's parts; decides data_coding and the per-part length limits. */
export type Encoding = 'gsm7' | 'ucs2';

/** One message to send, already segmented by the content layer. */
export interface OutboundMessage {
  /** Platform message id; used for correlation in logs and errors only. */
  messageId: string;
  /** Sender id: alphanumeric (≤ 11 chars), short code (≤ 8 digits) or E.164 number. */
  from: string;
  /** Destination in E.164 with the leading `+`. */
  to: string;
  /** Already segmented text, one entry per part; more than one part means concatenated SMS. */
  parts: string[];
  encoding: Encoding;
  /** Ask the upstream for a delivery receipt. */
  requestReceipt: boolean;
}

/**
 * A failure the channel maps from the provider (or from the transport). `retryable` tells routing
 * whether trying again (later or on another route) can succeed; `providerCode` keeps the provider's
 * own code (SMPP command_status, HTTP error code…) so nothing the provider said is lost.
 */
export class ChannelError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly retryable: boolean,
    public readonly providerCode?: number | string,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** Result of a submit: one normalised upstream id per accepted part. */
export type SubmitOutcome =
  | { ok: true; upstreamIds: string[] }
  | { ok: false; error: ChannelError; /** parts accepted before the failure */ upstreamIds: string[] };

/** SMPP-style final (or intermediate) states; HTTP channels map their statuses onto these. */
export type ReceiptStat = 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD';

/** A delivery report for one upstream part id. */
export interface DeliveryReport {
  /** Normalised with {@link normaliseMessageId}: equals the id returned by submit for that part. */
  upstreamId: string;
  stat: ReceiptStat;
  /** Provider/network error code as sent (e.g. `000`, `001`). */
  err: string;
  doneAt?: Date;
  /** The provider's report as received, for audit and for fields we do not model. */
  raw: string;
}

/** A mobile-originated message, reassembled when it arrived in several parts. */
export interface MoMessage {
  from: string;
  to: string;
  text: string;
  receivedAt: Date;
}

/** A channel connection: started once, shared by the workers that submit through it. */
export interface ChannelAdapter {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True when a submit now has a chance to go out (connected and bound). */
  isReady(): boolean;
  /** Never throws for provider or transport failures: they come back as `{ ok: false }`. */
  submit(msg: OutboundMessage): Promise<SubmitOutcome>;
  onReceipt(cb: (r: DeliveryReport) => void): void;
  onMo(cb: (m: MoMessage) => void): void;
}

/**
 * How a provider writes a message id: `hex`, `decimal`, `opaque` (compare verbatim) or `auto`
 * (guess from the characters, see {@link normaliseMessageId}).
 */
export type MessageIdBase = 'auto' | 'hex' | 'decimal' | 'opaque';

const DECIMAL = /^[0-9]+$/;
const HEX = /^[0-9a-fA-F]+$/;

/**
 * Maps an upstream message id to the one key used for both submit responses and receipts.
 *
 * SMSCs often answer submit_sm with a hex id and quote it in decimal in the receipt text (or the
 * reverse), so the canonical form of a numeric id is its value in lower-case hex without leading
 * zeros (`"0A1B"` hex, `"2587"` decimal and `"a1b"` all become `"a1b"`). Anything else (UUIDs,
 * ids with dashes or letters beyond f) is opaque and kept verbatim apart from trimming.
 *
 * `auto` reads an all-digit id as decimal and an id with a–f letters as hex. That guess is wrong
 * for a hex id that happens to contain no letters (e.g. `"1234"` meaning 0x1234), so a connection
 * whose SMSC is known to use hex (or decimal) everywhere should say so with `base`.
 */
export function normaliseMessageId(id: string, base: MessageIdBase = 'auto'): string {
  const trimmed = id.trim();
  if (trimmed === '' || base === 'opaque') return trimmed;
  if (base !== 'hex' && DECIMAL.test(trimmed)) return decimalToHex(trimmed);
  if (base !== 'decimal' && HEX.test(trimmed)) return stripLeadingZeros(trimmed.toLowerCase());
  return trimmed;
}

function decimalToHex(digits: string): string {
  // Number is exact up to 2^53 (15 decimal digits always fit); BigInt only for longer ids.
  return digits.length <= 15 ? parseInt(digits, 10).toString(16) : BigInt(digits).toString(16);
}

function stripLeadingZeros(hex: string): string {
  let i = 0;
  while (i < hex.length - 1 && hex.charCodeAt(i) === 48 /* '0' */) i++;
  return i === 0 ? hex : hex.slice(i);
}
