import { describe, expect, it } from 'vitest';
import { withDefaults, type Account, type Category } from '../../../src/accounts/account.js';
import { compileKeywords } from '../../../src/content/keywords.js';
import { DEFAULT_KEYWORD_LIBRARY } from '../../../src/content/default-keywords.js';
import { InMemoryPortabilityLookup } from '../../../src/numbers/china-carrier.js';
import { prepareRequest } from '../../../src/messages/prepare-accept.js';
import type { AcceptRequest } from '../../../src/messages/accept-messages.js';
import { loadSenderIdRules } from '../../../src/senders/sender-id-rules.js';
import { SenderDirectory, type ApprovedRegistration } from '../../../src/senders/sender-directory.js';

const account: Account = {
  id: 'acc_1', name: 'A', status: 'active', ipAllowlist: [], categories: ['otp', 'notification', 'marketing'],
  billingType: 'prepaid', chargingMode: 'submit', balanceMillis: 0, pricePerPartMillis: 35, callbackUrl: null,
  callbackSecret: 's', callbackRatePerS: 200, reportMode: 'push', extension: '01',
  settings: withDefaults({ marketingWindow: { start: '00:00', end: '00:00' } }),
};

const request = (category: Category, senderId: string | null, to: string[]): AcceptRequest => ({
  account, category, recipients: to.map((t) => ({ to: t })), templateId: null, scheduledAt: null, callbackUrl: null, batch: true, senderId,
  content: { render: () => '【阿里云】Your code is 123456 拒收请回复R', signatures: ['阿里云'], keywords: compileKeywords(DEFAULT_KEYWORD_LIBRARY) },
});

async function directory(approved: ApprovedRegistration[] = []) {
  const dir = new SenderDirectory(loadSenderIdRules(), { allApproved: async () => approved, approvedOf: async () => approved });
  await dir.reload();
  return dir;
}

const VN = '+84912345678';
const DE = '+4915123456789';
const CN = '13800138000';
const noon = new Date('2026-11-23T04:00:00Z');

describe('preparing international messages with sender IDs', () => {
  it('when a marketing batch goes to several countries with an unregistered sender, then each country gets its own outcome', async () => {
    const p = prepareRequest(request('marketing', 'ACME', [VN, DE, CN]), new InMemoryPortabilityLookup(), noon, undefined, await directory());
    expect(p.rows.map((r) => [r.country, r.status, r.errorCode, r.sender])).toEqual([
      ['VN', 'failed', 'SENDER_NOT_REGISTERED', 'ACME'],
      ['DE', 'queued', null, 'ACME'],
      ['CN', 'queued', null, null],
    ]);
    expect(p.rows[0].errorMessage).toMatch(/Vietnam/);
  });

  it('when an OTP goes to a registration country with an unregistered sender, then it is queued from the generic sender', async () => {
    const p = prepareRequest(request('otp', 'ACME', [VN]), new InMemoryPortabilityLookup(), noon, undefined, await directory());
    expect(p.rows[0]).toMatchObject({ status: 'queued', sender: 'Verify' });
  });

  it('when the sender is approved for the country, then marketing goes out from it', async () => {
    const dir = await directory([{ accountId: 'acc_1', country: 'VN', senderId: 'ACME', type: 'alphabetic', categories: ['marketing'] }]);
    const p = prepareRequest(request('marketing', 'ACME', [VN, '+84912345679']), new InMemoryPortabilityLookup(), noon, undefined, dir);
    expect(p.rows.map((r) => [r.status, r.sender])).toEqual([['queued', 'ACME'], ['queued', 'ACME']]);
  });

  it('when a domestic number is given a sender ID, then it is ignored (domestic sends from the access code)', async () => {
    const p = prepareRequest(request('otp', 'ACME', [CN]), new InMemoryPortabilityLookup(), noon, undefined, await directory());
    expect(p.rows[0]).toMatchObject({ status: 'queued', sender: null, country: 'CN' });
  });

  it('when no sender lookup is given, then international messages keep the requested sender', () => {
    const p = prepareRequest(request('marketing', 'ACME', [VN]), new InMemoryPortabilityLookup(), noon);
    expect(p.rows[0]).toMatchObject({ status: 'queued', sender: 'ACME' });
  });
});
