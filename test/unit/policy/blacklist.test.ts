import { describe, expect, it } from 'vitest';
import { groupOwner, unsubscribeGroup } from '../../../src/policy/blacklist.js';

// The Redis behaviour of BlacklistCache / WhitelistCache is covered in
// test/integration/policy/policy-redis.test.ts; these are the pure naming rules.
describe('blacklist group names', () => {
  it('when an account unsubscribes via MO R, then its group is unsub:<accountId>', () => {
    expect(unsubscribeGroup('acc42')).toBe('unsub:acc42');
  });

  it('when a group name has a colon, then the part after the first colon is the owning account', () => {
    expect(groupOwner('unsub:acc42')).toBe('acc42');
    expect(groupOwner('custom:acc:with:colons')).toBe('acc:with:colons');
  });

  it('when a group name has no colon, then it is global', () => {
    expect(groupOwner('complainers-pro')).toBeNull();
  });
});
