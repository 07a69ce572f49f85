/**
 * What kind of sender ID a string is, and the TON/NPI it goes out with. The shape → TON/NPI rule
 * lives in one place, senderAddress() of the SMPP adapter; this module only names the result in the
 * vocabulary of the country rules (numeric long number, short code, alphabetic, alphanumeric) and
 * adds the character rule a sender ID must meet before it is accepted from a customer.
 */
import { Ton, senderAddress } from '../channels/smpp/smpp-address.js';

export const SENDER_TYPES = ['numeric', 'short_code', 'alphabetic', 'alphanumeric'] as const;
/**
 * - `numeric`: a long number (MSISDN, E.164, with or without `+`): TON/NPI 1/1.
 * - `short_code`: up to 8 digits (national short code): TON/NPI 3/0.
 * - `alphabetic`: letters (and the few allowed punctuation marks), no digits: TON/NPI 5/0.
 * - `alphanumeric`: letters and digits: TON/NPI 5/0.
 */
export type SenderType = (typeof SENDER_TYPES)[number];

/** A classified sender ID. */
export interface SenderClass {
  type: SenderType;
  ton: number;
  npi: number;
  /** The address as submit_sm carries it (a number without its `+`). */
  addr: string;
}

export type SenderClassification = ({ ok: true } & SenderClass) | { ok: false; message: string };

/**
 * GSM 03.38 letters, digits and the punctuation operators reliably pass through in an
 * alphanumeric originator (space, dot, dash, underscore, ampersand). At least one letter, so that
 * a digit string is never mistaken for one.
 */
const ALPHA_CHARS = /^[A-Za-z0-9 .\-_&]+$/;
const HAS_LETTER = /[A-Za-z]/;
const HAS_DIGIT = /[0-9]/;
const NUMBER_SHAPE = /^\+?[0-9]+$/;

/** Classifies a sender ID; refuses what no SMSC would accept as an originator. */
export function classifySender(sender: string): SenderClassification {
  if (sender.trim() !== sender || sender === '') return { ok: false, message: 'a sender ID may not be empty or start or end with a space' };
  if (!NUMBER_SHAPE.test(sender)) {
    if (!ALPHA_CHARS.test(sender) || !HAS_LETTER.test(sender)) {
      return { ok: false, message: 'a sender ID is either a number (digits, optional leading +) or 1–11 letters, digits, spaces and . - _ &, with at least one letter' };
    }
  }
  let address;
  try {
    address = senderAddress(sender);
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  return { ok: true, type: typeOf(address.ton, sender), ...address };
}

function typeOf(ton: number, sender: string): SenderType {
  if (ton === Ton.INTERNATIONAL) return 'numeric';
  if (ton === Ton.NETWORK_SPECIFIC) return 'short_code';
  return HAS_DIGIT.test(sender) ? 'alphanumeric' : 'alphabetic';
}

/**
 * Whether a country that allows `allowed` takes a sender of `type`. An alphabetic sender is an
 * alphanumeric one that happens to have no digits, so "alphanumeric allowed" admits it; the
 * converse does not hold (some countries take letters only).
 */
export function typeAllowed(type: SenderType, allowed: readonly SenderType[]): boolean {
  return allowed.includes(type) || (type === 'alphabetic' && allowed.includes('alphanumeric'));
}

/** The form two sender IDs are compared in: a number with or without `+` is the same sender. */
export function senderKey(sender: string): string {
  return NUMBER_SHAPE.test(sender) ? sender.replace(/^\+/, '') : sender;
}
