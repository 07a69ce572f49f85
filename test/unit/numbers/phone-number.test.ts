import { describe, expect, it } from 'vitest';
import { parsePhoneNumber } from '../../../src/numbers/phone-number.js';

describe('parsePhoneNumber', () => {
  it.each([
    ['13800138000'],
    ['+8613800138000'],
    ['008613800138000'],
    ['8613800138000'],
    ['138 0013 8000'],
    ['(+86)138-0013-8000'],
    ['０086 138 0013 8000'],
    ['＋8613800138000'],
    ['  13800138000  '],
  ])('when given %j, then it normalises to +8613800138000 as a China mobile', (input) => {
    expect(parsePhoneNumber(input)).toEqual({
      ok: true,
      e164: '+8613800138000',
      country: 'CN',
      national: '13800138000',
      isChinaMobile: true,
    });
  });

  it('when given a US number in international form, then it is valid and not a China mobile', () => {
    expect(parsePhoneNumber('+14155550123')).toEqual({
      ok: true, e164: '+14155550123', country: 'US', national: '4155550123', isChinaMobile: false,
    });
  });

  it('when a national number is given with another default country, then that country applies', () => {
    const result = parsePhoneNumber('(415) 555-0123', 'US');
    expect(result).toMatchObject({ ok: true, e164: '+14155550123', country: 'US' });
  });

  it('when given a Beijing landline, then it parses but is not a China mobile', () => {
    expect(parsePhoneNumber('010-12345678')).toMatchObject({ ok: true, e164: '+861012345678', isChinaMobile: false });
  });

  it('when given a non-geographic number, then the country is ZZ', () => {
    expect(parsePhoneNumber('+80012345678')).toMatchObject({ ok: true, country: 'ZZ' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc', 'characters other than digits'],
    ['13800138000abc', 'characters other than digits'],
    ['call 13800138000', 'characters other than digits'],
    ['++8613800138000', '"+" may only precede'],
    ['138+00138000', '"+" may only precede'],
    ['---', 'no digits'],
    ['12345', 'not a valid number for CN'],
    ['1380013800', 'not a valid number for CN'],
    ['138001380001', 'not a valid number for CN'],
    ['+999123', 'unknown country calling code'],
    ['1'.repeat(40), 'too long'],
  ])('when given %j, then it is rejected with INVALID_NUMBER mentioning %j', (input, reason) => {
    const result = parsePhoneNumber(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('INVALID_NUMBER');
    expect(result.message).toContain(reason);
  });

  it('when the default country is not a supported region, then the number is rejected clearly', () => {
    expect(parsePhoneNumber('13800138000', 'XX')).toMatchObject({ ok: false, message: expect.stringContaining('unsupported default country') });
  });

  it('when parsing 10,000 numbers, then it sustains at least 10,000 parses per second', () => {
    const inputs = Array.from({ length: 10_000 }, (_, i) => `1${String(3_800_000_000 + ((i * 7919) % 999_999_999)).padStart(10, '0')}`);
    for (const input of inputs.slice(0, 500)) parsePhoneNumber(input); // warm-up: metadata load and JIT
    const started = performance.now();
    let valid = 0;
    for (const input of inputs) if (parsePhoneNumber(input).ok) valid++;
    const elapsedMs = performance.now() - started;
    expect(valid).toBe(10_000);
    expect(elapsedMs).toBeLessThan(1000);
  });
});
