import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { SessionSigner } from '../../../src/console/session.js';

const SECRET = 'a-console-session-secret-of-32+chars';

describe('console session cookies', () => {
  it('when a session is issued, then it verifies to the same account, key prefix and expiry', () => {
    // Arrange
    const now = 1_700_000_000_000;
    const signer = new SessionSigner(SECRET, 3600, () => now);

    // Act
    const { value, claims } = signer.issue('acc_abc-DEF_123', 'sk_AbCdEfG');

    // Assert
    expect(claims).toEqual({ accountId: 'acc_abc-DEF_123', keyPrefix: 'sk_AbCdEfG', expiresAt: 1_700_003_600 });
    expect(value).toMatch(/^v1\.acc_abc-DEF_123\.sk_AbCdEfG\.1700003600\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verify(value)).toEqual(claims);
  });

  it('when any part is changed, then the session is refused', () => {
    const signer = new SessionSigner(SECRET);
    const { value } = signer.issue('acc_1', 'sk_1234567');
    const parts = value.split('.');
    const tampered = [
      [parts[0], 'acc_2', ...parts.slice(2)],
      [...parts.slice(0, 2), 'sk_7654321', ...parts.slice(3)],
      [...parts.slice(0, 3), String(Number(parts[3]) + 3600), parts[4]],
      [...parts.slice(0, 4), parts[4].slice(0, -1) + (parts[4].endsWith('A') ? 'B' : 'A')],
      ['v2', ...parts.slice(1)],
    ].map((p) => p.join('.'));
    for (const v of [...tampered, value + '.x', '', 'garbage', undefined]) expect(signer.verify(v), String(v)).toBeUndefined();
  });

  it('when the secret differs or the session has expired, then it is refused', () => {
    let now = 1_700_000_000_000;
    const signer = new SessionSigner(SECRET, 60, () => now);
    const { value } = signer.issue('acc_1', 'sk_1234567');
    expect(new SessionSigner('another-secret-of-at-least-32-chars').verify(value)).toBeUndefined();
    now += 59_000;
    expect(signer.verify(value)).toBeDefined();
    now += 1_000;
    expect(signer.verify(value)).toBeUndefined();
  });

  it('when an id carries characters the format uses as separators, then no session is issued', () => {
    expect(() => new SessionSigner(SECRET).issue('acc.1', 'sk_1234567')).toThrow();
  });

  it('when CONSOLE_SESSION_SECRET is unset, then every process with the same ADMIN_KEY derives the same secret, not the admin key itself', () => {
    const a = loadConfig({ ADMIN_KEY: 'admin-key-number-one-0123' });
    expect(loadConfig({ ADMIN_KEY: 'admin-key-number-one-0123' }).consoleSessionSecret).toBe(a.consoleSessionSecret);
    expect(loadConfig({ ADMIN_KEY: 'admin-key-number-two-0123' }).consoleSessionSecret).not.toBe(a.consoleSessionSecret);
    expect(a.consoleSessionSecret).not.toContain('admin-key');
    expect(loadConfig({ ADMIN_KEY: 'admin-key-number-one-0123', CONSOLE_SESSION_SECRET: SECRET }).consoleSessionSecret).toBe(SECRET);
    expect(() => loadConfig({ CONSOLE_SESSION_SECRET: 'short' })).toThrow(/CONSOLE_SESSION_SECRET/);
  });
});
