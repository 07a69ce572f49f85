import { describe, expect, it } from 'vitest';
import { ipAllowlistMatcher } from '../../../src/accounts/ip-allowlist.js';
import { maskNumber } from '../../../src/logging/logger.js';

describe('IP allowlist', () => {
  it('when the list is empty, then every address is allowed', () => {
    expect(ipAllowlistMatcher([])('203.0.113.9')).toBe(true);
  });

  it('when CIDRs and single addresses are listed, then only addresses inside them pass, IPv4-mapped IPv6 included', () => {
    const allows = ipAllowlistMatcher(['10.1.0.0/16', '192.0.2.7', '2001:db8::/32']);
    expect(allows('10.1.200.3')).toBe(true);
    expect(allows('::ffff:10.1.0.1')).toBe(true);
    expect(allows('10.2.0.1')).toBe(false);
    expect(allows('192.0.2.7')).toBe(true);
    expect(allows('192.0.2.8')).toBe(false);
    expect(allows('2001:db8::1')).toBe(true);
    expect(allows('2001:db9::1')).toBe(false);
  });
});

describe('phone numbers in logs', () => {
  it('when a log line carries a phone number, then only its prefix and last four digits remain', () => {
    expect(maskNumber('to +8613812345678 failed')).toBe('to +86138****5678 failed');
    expect(maskNumber('13812345678')).toBe('138****5678');
    expect(maskNumber('code 4829')).toBe('code 4829');
  });
});
