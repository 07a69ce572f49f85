/**
 * Source and destination addresses with the TON/NPI SMSCs expect. A wrong TON is the most common
 * reason an SMSC rewrites or rejects a sender, so it is derived from the sender's shape, not set
 * per route by hand.
 */

/** An address as SMPP carries it. */
export interface SmppAddress {
  ton: number;
  npi: number;
  addr: string;
}

/** TON values (SMPP 3.4 §5.2.5). */
export const Ton = { UNKNOWN: 0, INTERNATIONAL: 1, NETWORK_SPECIFIC: 3, ALPHANUMERIC: 5 } as const;
/** NPI values (SMPP 3.4 §5.2.6). */
export const Npi = { UNKNOWN: 0, ISDN: 1 } as const;

const DIGITS = /^[0-9]+$/;
/** Short codes are national and short; anything longer that is all digits is an MSISDN… */
const MAX_SHORT_CODE_DIGITS = 8;
/** …except China's SP access codes (码号, 106…) with the account's extension: up to 20 digits, national. */
const CHINA_ACCESS_CODE = /^106[0-9]{2,17}$/;
/** GSM 03.40 alphanumeric originator: 11 characters. */
const MAX_ALPHANUMERIC = 11;
/** E.164: at most 15 digits. */
const MAX_E164_DIGITS = 15;

/**
 * Sender TON/NPI from its form:
 * `+` and digits → international 1/1 (plus stripped); ≤ 8 digits, or a China access code
 * (106… + extension, ≤ 20 digits) → network-specific 3/0;
 * more digits → international 1/1; otherwise alphanumeric 5/0 (≤ 11 characters).
 * Throws RangeError for an empty or over-long sender.
 */
export function senderAddress(from: string): SmppAddress {
  if (from.startsWith('+')) return international(from.slice(1), 'sender');
  if (DIGITS.test(from)) {
    if (from.length <= MAX_SHORT_CODE_DIGITS || CHINA_ACCESS_CODE.test(from)) return { ton: Ton.NETWORK_SPECIFIC, npi: Npi.UNKNOWN, addr: from };
    return international(from, 'sender');
  }
  if (from.length === 0) throw new RangeError('sender is empty');
  if (from.length > MAX_ALPHANUMERIC) {
    throw new RangeError(`alphanumeric sender "${from}" is longer than ${MAX_ALPHANUMERIC} characters`);
  }
  return { ton: Ton.ALPHANUMERIC, npi: Npi.UNKNOWN, addr: from };
}

/** Destination: E.164 without the `+`, international 1/1. Throws RangeError when not E.164. */
export function destinationAddress(to: string): SmppAddress {
  return international(to.startsWith('+') ? to.slice(1) : to, 'destination');
}

/** Inverse for received PDUs: international numbers get their `+` back, others stay as sent. */
export function addressToString(ton: number | undefined, addr: string | undefined): string {
  const a = addr ?? '';
  return ton === Ton.INTERNATIONAL && DIGITS.test(a) ? `+${a}` : a;
}

function international(digits: string, role: string): SmppAddress {
  if (!DIGITS.test(digits) || digits.length > MAX_E164_DIGITS) {
    throw new RangeError(`${role} "+${digits}" is not an E.164 number`);
  }
  return { ton: Ton.INTERNATIONAL, npi: Npi.ISDN, addr: digits };
}
