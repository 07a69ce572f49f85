/**
 * Which sender ID an international message goes out with: a pure decision over the destination
 * country's rules, the message category, the requested sender and the account's approved
 * registrations in that country.
 *
 * Rules (docs/sender-ids.md):
 * 1. A requested sender of a type the country does not take, or unregistered where the country
 *    requires registration for the category:
 *    - otp and notification fall back to the generic sender (a code or a delivery notice that
 *      arrives from a shared sender is worth more than one that never arrives; both are
 *      transactional, which generic routes accept);
 *    - marketing is refused (SENDER_TYPE_NOT_ALLOWED, SENDER_NOT_REGISTERED): promotions from a
 *      sender the recipient cannot recognise are what registration exists to stop.
 * 2. No sender requested: the account's approved registration in that country for the category,
 *    else the generic sender; marketing where registration is required and none is approved is
 *    refused (SENDER_NOT_REGISTERED).
 * 3. A country without rules: the requested sender as given, else the generic one.
 */
import type { Category } from '../accounts/account.js';
import type { CountryRules } from './sender-id-rules.js';
import { classifySender, senderKey, typeAllowed, type SenderType } from './sender-type.js';

/** An approved registration of the account in the destination country. */
export interface ApprovedSender {
  senderId: string;
  type: SenderType;
  categories: readonly Category[];
}

export interface SenderPolicyInput {
  country: string;
  category: Category;
  /** The sender the customer asked for; null: none. */
  requested: string | null;
  /** The destination country's rules; undefined when the table has none. */
  rules: CountryRules | undefined;
  /** The account's approved registrations in that country. */
  approved: readonly ApprovedSender[];
  /** The route's generic sender; null: the channel's own source address (decided by the worker). */
  genericSender: string | null;
}

export type SenderRefusalCode = 'SENDER_NOT_REGISTERED' | 'SENDER_TYPE_NOT_ALLOWED';

export type SenderDecision =
  | {
      ok: true;
      /** The sender to submit with; null: the channel's source address. */
      sender: string | null;
      /** Type and TON/NPI of `sender`; null with it. */
      type: SenderType | null;
      ton: number | null;
      npi: number | null;
      /** The sender is one of the account's approved registrations for this category. */
      registered: boolean;
      /** The requested sender could not be used and the generic one replaced it. */
      fellBack: boolean;
    }
  | { ok: false; code: SenderRefusalCode; field: 'senderId'; message: string };

const FALLS_BACK: Record<Category, boolean> = { otp: true, notification: true, marketing: false };

export function decideSender(input: SenderPolicyInput): SenderDecision {
  const { rules, category, requested } = input;
  const approvedFor = input.approved.filter((a) => a.categories.includes(category));
  const isApproved = (s: string) => approvedFor.some((a) => senderKey(a.senderId) === senderKey(s));
  const generic = (fellBack: boolean) => chosen(input.genericSender, false, fellBack);

  if (requested === null) {
    const own = rules ? approvedFor.find((a) => typeAllowed(a.type, rules.senderTypes)) : approvedFor[0];
    if (own) return chosen(own.senderId, true, false);
    if (rules?.registrationRequired[category] && !FALLS_BACK[category]) {
      return refuse('SENDER_NOT_REGISTERED', `${rules.name} (${rules.country}) requires a registered sender ID for ${category} messages and this account has none approved there; register one with POST /v1/sender-ids`);
    }
    return generic(false);
  }

  const cls = classifySender(requested);
  if (!cls.ok) return refuse('SENDER_TYPE_NOT_ALLOWED', `Sender ID "${requested}" is not a valid sender: ${cls.message}`);
  if (!rules) return chosen(requested, isApproved(requested), false);

  if (!typeAllowed(cls.type, rules.senderTypes)) {
    if (FALLS_BACK[category]) return generic(true);
    return refuse('SENDER_TYPE_NOT_ALLOWED', `${rules.name} (${rules.country}) does not take ${label(cls.type)} sender IDs such as "${requested}"; allowed: ${rules.senderTypes.map(label).join(', ')}`);
  }
  const registered = isApproved(requested);
  if (rules.registrationRequired[category] && !registered) {
    if (FALLS_BACK[category]) return generic(true);
    return refuse('SENDER_NOT_REGISTERED', `Sender ID "${requested}" is not registered and approved for ${category} messages to ${rules.name} (${rules.country}), where registration is required; register it with POST /v1/sender-ids`);
  }
  return chosen(requested, registered, false);
}

function chosen(sender: string | null, registered: boolean, fellBack: boolean): SenderDecision {
  if (sender === null) return { ok: true, sender: null, type: null, ton: null, npi: null, registered, fellBack };
  const cls = classifySender(sender);
  // The generic sender was validated when the rules loaded, registrations when they were created.
  if (!cls.ok) throw new Error(`sender "${sender}" cannot be classified: ${cls.message}`);
  return { ok: true, sender, type: cls.type, ton: cls.ton, npi: cls.npi, registered, fellBack };
}

const refuse = (code: SenderRefusalCode, message: string): SenderDecision => ({ ok: false, code, field: 'senderId', message });

const label = (t: SenderType) => (t === 'short_code' ? 'short code' : t === 'numeric' ? 'numeric (long number)' : t);
