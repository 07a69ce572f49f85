import { describe, expect, it } from 'vitest';
import { codeMatches, generateCode, hashCode, openCode, sealCode } from '../../../src/verify/verification-code.js';
import { DEFAULT_VERIFICATION_LIMITS, limitKeysFor } from '../../../src/verify/verification-limits.js';
import { conditionMet } from '../../../src/verify/verification.service.js';
import { changeFromSmsReport } from '../../../src/verify/verification-tracker.js';
import { verificationSmsText } from '../../../src/verify/verification-texts.js';

describe('verification codes', () => {
  it('when codes are generated, then they have the asked length, only digits, and vary', () => {
    const codes = Array.from({ length: 200 }, () => generateCode(6));
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(190);
    expect(generateCode(10)).toMatch(/^\d{10}$/);
  });

  it('when a code is checked, then only the same code for the same verification matches', () => {
    const h = hashCode('s'.repeat(32), 'ver_1', '123456');
    expect(h).not.toContain('123456');
    expect(codeMatches('s'.repeat(32), 'ver_1', '123456', h)).toBe(true);
    expect(codeMatches('s'.repeat(32), 'ver_1', '123457', h)).toBe(false);
    expect(codeMatches('s'.repeat(32), 'ver_2', '123456', h)).toBe(false);
  });

  it('when a code is sealed, then it opens only with the same secret and verification', () => {
    const sealed = sealCode('secret-one-0123456789', 'ver_1', '4711');
    expect(sealed).not.toContain('4711');
    expect(openCode('secret-one-0123456789', 'ver_1', sealed)).toBe('4711');
    expect(openCode('secret-two-0123456789', 'ver_1', sealed)).toBeUndefined();
    expect(openCode('secret-one-0123456789', 'ver_2', sealed)).toBeUndefined();
  });
});

describe('verification limits', () => {
  it('when a send has a client IP, then it is counted per number (all accounts), per IP and per account', () => {
    const keys = limitKeysFor(DEFAULT_VERIFICATION_LIMITS, { accountId: 'acc_1', e164: '+8613800138000', ip: '203.0.113.7' }, new Date(120_000));
    expect(keys.map((k) => [k.code, k.limit])).toEqual([
      ['VERIFY_NUMBER_RATE_LIMITED', 2], ['VERIFY_NUMBER_RATE_LIMITED', 3], ['VERIFY_NUMBER_RATE_LIMITED', 3],
      ['VERIFY_IP_RATE_LIMITED', 10], ['VERIFY_IP_RATE_LIMITED', 50], ['VERIFY_ACCOUNT_RATE_LIMITED', 60_000],
    ]);
    expect(keys[0].key).toBe('vl:n:+8613800138000:60:2');
    expect(limitKeysFor(DEFAULT_VERIFICATION_LIMITS, { accountId: 'a', e164: '+1' }, new Date()).some((k) => k.code === 'VERIFY_IP_RATE_LIMITED')).toBe(false);
  });
});

describe('failover condition and channel outcomes', () => {
  it('when an attempt reaches a state, then the conditions at or below it are met and failed meets none', () => {
    expect(conditionMet('delivered', 'sent')).toBe(true);
    expect(conditionMet('delivered', 'delivered')).toBe(true);
    expect(conditionMet('delivered', 'read')).toBe(false);
    expect(conditionMet('read', 'delivered')).toBe(true);
    expect(conditionMet('pending', 'sent')).toBe(false);
    expect(conditionMet('failed', 'sent')).toBe(false);
  });

  it('when an SMS report arrives, then the attempt takes its outcome, route and the message\'s send time', () => {
    const m = { submittedAt: new Date('2026-12-01T00:00:00Z'), channelId: 'sim-direct', sender: 'ACME' };
    const at = '2026-12-01T00:00:02.000Z';
    expect(changeFromSmsReport({ type: 'status', messageId: 'm', reference: null, to: '+1', status: 'delivered', errorCode: null, errorMessage: null, at }, m))
      .toEqual({ route: 'sim-direct', connection: 'sim-direct', senderId: 'ACME', sentAt: m.submittedAt, status: 'delivered', deliveredAt: new Date(at) });
    expect(changeFromSmsReport({ type: 'status', messageId: 'm', reference: null, to: '+1', status: 'failed', errorCode: 'DLR_FAILED', errorMessage: null, at }, m))
      .toMatchObject({ status: 'failed', errorCode: 'DLR_FAILED' });
  });
});

describe('verification texts', () => {
  it('when a locale is asked for, then its text is used, falling back by language and then to English', () => {
    expect(verificationSmsText({ locale: 'es', code: '1234', ttlSeconds: 300 })).toBe('1234 es tu código de verificación. Caduca en 5 minutos. No lo compartas con nadie.');
    expect(verificationSmsText({ locale: 'pt-BR', code: '1234', ttlSeconds: 600 })).toContain('1234 é o seu código');
    expect(verificationSmsText({ locale: 'xx', code: '1234', ttlSeconds: 60 })).toBe('1234 is your verification code. It expires in 1 min. Never share it with anyone.');
    expect(verificationSmsText({ locale: 'zh-CN', code: '1234', ttlSeconds: 300, signature: '阿里云' })).toBe('【阿里云】您的验证码是1234，5分钟内有效。请勿泄露给他人。');
  });
});
