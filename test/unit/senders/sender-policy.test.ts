import { describe, expect, it } from 'vitest';
import type { Category } from '../../../src/accounts/account.js';
import { loadSenderIdRules } from '../../../src/senders/sender-id-rules.js';
import { decideSender, type ApprovedSender, type SenderDecision } from '../../../src/senders/sender-policy.js';

const rules = loadSenderIdRules();
const reg = (senderId: string, type: ApprovedSender['type'], ...categories: Category[]): ApprovedSender => ({ senderId, type, categories });

interface Case {
  name: string;
  country: string;
  category: Category;
  requested: string | null;
  approved?: ApprovedSender[];
  expected: Partial<Extract<SenderDecision, { ok: true }>> | { ok: false; code: string };
}

// The rules these cases rely on (data/sender-id-rules.json): GB takes any type, no registration,
// generic "Info"; VN alphanumeric only, registration for every category, generic "Verify";
// US numbers and short codes only, registration everywhere, no shared generic (the route's number);
// IN letters-only headers or short codes, registration everywhere, no shared generic.
const cases: Case[] = [
  { name: 'GB otp with an unregistered brand name: sent as requested', country: 'GB', category: 'otp', requested: 'ACME',
    expected: { ok: true, sender: 'ACME', type: 'alphabetic', ton: 5, npi: 0, registered: false, fellBack: false } },
  { name: 'GB marketing with an unregistered brand name: sent as requested (no registration there)', country: 'GB', category: 'marketing', requested: 'ACME',
    expected: { ok: true, sender: 'ACME', registered: false, fellBack: false } },
  { name: 'GB otp with an approved brand name: marked registered', country: 'GB', category: 'otp', requested: 'ACME', approved: [reg('ACME', 'alphabetic', 'otp')],
    expected: { ok: true, sender: 'ACME', registered: true, fellBack: false } },
  { name: 'GB otp without a sender: the generic sender', country: 'GB', category: 'otp', requested: null,
    expected: { ok: true, sender: 'Info', type: 'alphabetic', ton: 5, npi: 0, registered: false, fellBack: false } },
  { name: 'GB otp from a long number', country: 'GB', category: 'otp', requested: '+447700900123',
    expected: { ok: true, sender: '+447700900123', type: 'numeric', ton: 1, npi: 1 } },
  { name: 'VN marketing with an unregistered brand name: refused', country: 'VN', category: 'marketing', requested: 'ACME',
    expected: { ok: false, code: 'SENDER_NOT_REGISTERED' } },
  { name: 'VN otp with an unregistered brand name: falls back to the generic sender', country: 'VN', category: 'otp', requested: 'ACME',
    expected: { ok: true, sender: 'Verify', type: 'alphabetic', ton: 5, npi: 0, registered: false, fellBack: true } },
  { name: 'VN notification with an unregistered brand name: falls back too', country: 'VN', category: 'notification', requested: 'ACME',
    expected: { ok: true, sender: 'Verify', fellBack: true } },
  { name: 'VN marketing with a brand name approved for marketing: sent registered', country: 'VN', category: 'marketing', requested: 'ACME', approved: [reg('ACME', 'alphabetic', 'otp', 'marketing')],
    expected: { ok: true, sender: 'ACME', registered: true, fellBack: false } },
  { name: 'VN marketing with a brand name approved for otp only: refused', country: 'VN', category: 'marketing', requested: 'ACME', approved: [reg('ACME', 'alphabetic', 'otp')],
    expected: { ok: false, code: 'SENDER_NOT_REGISTERED' } },
  { name: 'VN otp with a brand name approved for otp: sent registered', country: 'VN', category: 'otp', requested: 'ACME', approved: [reg('ACME', 'alphabetic', 'otp')],
    expected: { ok: true, sender: 'ACME', registered: true, fellBack: false } },
  { name: 'VN marketing with another case of an approved name: refused (names are case-sensitive)', country: 'VN', category: 'marketing', requested: 'acme', approved: [reg('ACME', 'alphabetic', 'marketing')],
    expected: { ok: false, code: 'SENDER_NOT_REGISTERED' } },
  { name: 'VN marketing without a sender but one approved: the approved one', country: 'VN', category: 'marketing', requested: null, approved: [reg('ACME', 'alphabetic', 'marketing')],
    expected: { ok: true, sender: 'ACME', registered: true, fellBack: false } },
  { name: 'VN marketing without a sender and none approved: refused', country: 'VN', category: 'marketing', requested: null,
    expected: { ok: false, code: 'SENDER_NOT_REGISTERED' } },
  { name: 'VN otp without a sender and none approved: the generic sender, not a fallback', country: 'VN', category: 'otp', requested: null,
    expected: { ok: true, sender: 'Verify', registered: false, fellBack: false } },
  { name: 'VN otp without a sender, approved for marketing only: the generic sender', country: 'VN', category: 'otp', requested: null, approved: [reg('ACME', 'alphabetic', 'marketing')],
    expected: { ok: true, sender: 'Verify', registered: false } },
  { name: 'VN marketing from a long number (type not allowed): refused with the type code', country: 'VN', category: 'marketing', requested: '+84912345678',
    expected: { ok: false, code: 'SENDER_TYPE_NOT_ALLOWED' } },
  { name: 'US marketing from a brand name (alphanumeric not allowed): refused', country: 'US', category: 'marketing', requested: 'ACME',
    expected: { ok: false, code: 'SENDER_TYPE_NOT_ALLOWED' } },
  { name: 'US otp from a brand name: falls back to the route\'s own number', country: 'US', category: 'otp', requested: 'ACME',
    expected: { ok: true, sender: null, type: null, ton: null, npi: null, registered: false, fellBack: true } },
  { name: 'US otp from an unregistered long number: falls back to the route\'s number', country: 'US', category: 'otp', requested: '+14155550100',
    expected: { ok: true, sender: null, fellBack: true } },
  { name: 'US otp from an approved number written without its plus: sent registered', country: 'US', category: 'otp', requested: '14155550100', approved: [reg('+14155550100', 'numeric', 'otp')],
    expected: { ok: true, sender: '14155550100', type: 'numeric', ton: 1, npi: 1, registered: true, fellBack: false } },
  { name: 'US marketing from an approved short code: TON/NPI 3/0', country: 'US', category: 'marketing', requested: '45678', approved: [reg('45678', 'short_code', 'marketing')],
    expected: { ok: true, sender: '45678', type: 'short_code', ton: 3, npi: 0, registered: true } },
  { name: 'US notification without a sender: the route\'s number', country: 'US', category: 'notification', requested: null,
    expected: { ok: true, sender: null, fellBack: false } },
  { name: 'IN otp from letters and digits (letters only allowed): falls back', country: 'IN', category: 'otp', requested: 'ACME24',
    expected: { ok: true, sender: null, fellBack: true } },
  { name: 'IN marketing from letters and digits: refused with the type code', country: 'IN', category: 'marketing', requested: 'ACME24',
    expected: { ok: false, code: 'SENDER_TYPE_NOT_ALLOWED' } },
  { name: 'IN marketing from an approved 6-letter header: sent registered', country: 'IN', category: 'marketing', requested: 'ACMESH', approved: [reg('ACMESH', 'alphabetic', 'marketing')],
    expected: { ok: true, sender: 'ACMESH', registered: true } },
  { name: 'a country without rules: the requested sender as given', country: 'XX', category: 'marketing', requested: 'ACME',
    expected: { ok: true, sender: 'ACME', registered: false, fellBack: false } },
  { name: 'a country without rules and no sender: the channel\'s own address', country: 'XX', category: 'marketing', requested: null,
    expected: { ok: true, sender: null, fellBack: false } },
  { name: 'an unclassifiable requested sender: refused', country: 'GB', category: 'otp', requested: 'NOT VALID!!',
    expected: { ok: false, code: 'SENDER_TYPE_NOT_ALLOWED' } },
];

describe('choosing the sender of an international message', () => {
  it.each(cases)('when $name', (c) => {
    const r = rules.get(c.country);
    const decision = decideSender({ country: c.country, category: c.category, requested: c.requested, rules: r, approved: c.approved ?? [], genericSender: r?.genericSender ?? null });
    expect(decision).toMatchObject(c.expected);
  });

  it('when a refusal is made, then it names the senderId field and says how to fix it', () => {
    const r = rules.get('VN');
    const d = decideSender({ country: 'VN', category: 'marketing', requested: 'ACME', rules: r, approved: [], genericSender: r!.genericSender });
    expect(d).toEqual({ ok: false, code: 'SENDER_NOT_REGISTERED', field: 'senderId', message: expect.stringMatching(/Vietnam \(VN\).*POST \/v1\/sender-ids/) });
  });

  it('when the route passes another generic sender, then the fallback uses it', () => {
    const d = decideSender({ country: 'VN', category: 'otp', requested: 'ACME', rules: rules.get('VN'), approved: [], genericSender: 'RouteOTP' });
    expect(d).toMatchObject({ ok: true, sender: 'RouteOTP', fellBack: true });
  });
});
