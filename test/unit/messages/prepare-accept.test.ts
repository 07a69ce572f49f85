import { describe, expect, it } from 'vitest';
import { withDefaults, type Account } from '../../../src/accounts/account.js';
import { compileKeywords } from '../../../src/content/keywords.js';
import { DEFAULT_KEYWORD_LIBRARY } from '../../../src/content/default-keywords.js';
import { InMemoryPortabilityLookup, PrefixProvinceLookup } from '../../../src/numbers/china-carrier.js';
import { prepareRequest } from '../../../src/messages/prepare-accept.js';
import type { AcceptRequest } from '../../../src/messages/accept-messages.js';

const account = (settings: Partial<Account['settings']> = {}): Account => ({
  id: 'acc_1', name: 'A', status: 'active', ipAllowlist: [], categories: ['otp', 'notification', 'marketing'],
  billingType: 'prepaid', chargingMode: 'submit', balanceMillis: 0, pricePerPartMillis: 35, callbackUrl: null,
  callbackSecret: 's', callbackRatePerS: 200, reportMode: 'push', extension: '01',
  settings: withDefaults({ marketingWindow: { start: '00:00', end: '00:00' }, ...settings }),
});

const request = (acc: Account, recipients: AcceptRequest['recipients'], text = '【阿里云】您的快递已到'): AcceptRequest => ({
  account: acc, category: 'notification', recipients, templateId: null, scheduledAt: null, callbackUrl: null, batch: true,
  content: { render: () => text, signatures: ['阿里云'], keywords: compileKeywords(DEFAULT_KEYWORD_LIBRARY) },
});

const noon = new Date('2026-11-23T04:00:00Z');

describe('preparing an accept request', () => {
  it('when a number is malformed, then it is an input error naming its index and stores no row', () => {
    const p = prepareRequest(request(account(), [{ to: '13800138000' }, { to: 'abc' }]), new InMemoryPortabilityLookup(), noon);
    expect(p.rows).toHaveLength(1);
    expect(p.rejected).toEqual([expect.objectContaining({ index: 1, code: 'INVALID_NUMBER', field: 'recipients.1.to' })]);
  });

  it('when a number was ported, then the row carries its current carrier for routing', () => {
    const p = prepareRequest(request(account(), [{ to: '13800138000' }]), new InMemoryPortabilityLookup([['+8613800138000', 'ctcc']]), noon);
    expect(p.rows[0].carrier).toBe('ctcc');
  });

  it('when the account blocks a province, then numbers of that province fail with PROVINCE_BLOCKED and others pass', () => {
    const provinces = new PrefixProvinceLookup({ '1380013': 'Beijing' });
    const p = prepareRequest(request(account({ blockedProvinces: ['Beijing'] }), [{ to: '13800138000' }, { to: '13900139000' }]), new InMemoryPortabilityLookup(), noon, provinces);
    expect(p.rows.map((r) => [r.status, r.errorCode])).toEqual([['failed', 'PROVINCE_BLOCKED'], ['queued', null]]);
  });

  it('when the text is long, then it is segmented and every part is counted', () => {
    const text = '【阿里云】' + '您'.repeat(80);
    const p = prepareRequest(request(account(), [{ to: '13800138000' }], text), new InMemoryPortabilityLookup(), noon);
    expect(p.rows[0]).toMatchObject({ encoding: 'ucs2', parts: 2 });
    expect(p.rows[0].parsedParts.join('')).toBe(text);
  });
});
