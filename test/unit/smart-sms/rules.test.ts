import { describe, expect, it } from 'vitest';
import { handsetOf, parseCapableDigits } from '../../../src/channels/smart-sms/simulator-handsets.js';
import { chunk, toProviderMobile } from '../../../src/channels/smart-sms/smart-sms-numbers.js';
import { classifyProviderError, SMART_SMS_UPSTREAM } from '../../../src/channels/smart-sms/smart-sms.adapter.js';
import { parseFeeFor } from '../../../src/channels/smart-sms/parse-fee.js';

describe('smart-SMS simulator handsets', () => {
  it('when the last digit is 0–9, then 0–5 are parse-capable Android vendors and 6–9 are iPhones or old phones', () => {
    const byDigit = Array.from({ length: 10 }, (_, d) => handsetOf(`1380013800${d}`));
    expect(byDigit).toEqual([
      { vendor: 'huawei', capable: true }, { vendor: 'xiaomi', capable: true }, { vendor: 'oppo', capable: true },
      { vendor: 'vivo', capable: true }, { vendor: 'meizu', capable: true }, { vendor: 'honor', capable: true },
      { vendor: 'apple', capable: false }, { vendor: 'apple', capable: false }, { vendor: 'apple', capable: false },
      { vendor: 'other', capable: false },
    ]);
  });

  it('when the capable digits are configured, then only those digits parse', () => {
    expect(handsetOf('13800138007', '7')).toEqual({ vendor: 'xiaomi', capable: true });
    expect(handsetOf('13800138000', '7')).toEqual({ vendor: 'apple', capable: false });
    expect(handsetOf('13800138000', '')).toMatchObject({ capable: false });
  });

  it('when a capable-digits setting repeats a digit or has other characters, then it is refused', () => {
    expect(parseCapableDigits('012345')).toBe('012345');
    expect(() => parseCapableDigits('0012')).toThrow(RangeError);
    expect(() => parseCapableDigits('0-5')).toThrow(RangeError);
  });
});

describe('smart-SMS numbers and call sizes', () => {
  it('when a mainland mobile number comes in any usual spelling, then the provider gets its 11 digits', () => {
    expect(['+8613800138000', '8613800138000', '13800138000', '008613800138000'].map(toProviderMobile)).toEqual(Array(4).fill('13800138000'));
  });

  it('when a number is not a mainland mobile, then it has no provider form', () => {
    expect(['+14155550123', '+85291234567', '02012345678', '12800138000', '1380013800'].map(toProviderMobile)).toEqual(Array(5).fill(undefined));
  });

  it('when 25,000 items are chunked by 10,000, then three chunks of 10,000, 10,000 and 5,000 keep the order', () => {
    const items = Array.from({ length: 25_000 }, (_, i) => i);
    const parts = chunk(items, 10_000);
    expect(parts.map((p) => p.length)).toEqual([10_000, 10_000, 5_000]);
    expect(parts.flat()).toEqual(items);
    expect(chunk([], 10_000)).toEqual([]);
    expect(() => chunk(items, 0)).toThrow(RangeError);
  });
});

describe('smart-SMS provider errors', () => {
  it('when the provider answers an error, then its code decides the upstream code and whether a retry can help', () => {
    const cases: Array<[number, string | undefined, string, boolean]> = [
      [409, 'TemplateNotApproved', SMART_SMS_UPSTREAM.NOT_APPROVED, false],
      [401, 'SignatureDoesNotMatch', SMART_SMS_UPSTREAM.AUTH, false],
      [401, 'SignatureExpired', SMART_SMS_UPSTREAM.AUTH, false],
      [401, 'NonceReused', SMART_SMS_UPSTREAM.SERVER, true],
      [429, 'Throttled', SMART_SMS_UPSTREAM.THROTTLED, true],
      [200, 'Throttled', SMART_SMS_UPSTREAM.THROTTLED, true],
      [503, 'ServiceUnavailable', SMART_SMS_UPSTREAM.SERVER, true],
      [400, 'DomainNotRegistered', SMART_SMS_UPSTREAM.REJECTED, false],
      [400, 'InvalidMobile', SMART_SMS_UPSTREAM.REJECTED, false],
      [502, undefined, SMART_SMS_UPSTREAM.SERVER, true],
      [403, undefined, SMART_SMS_UPSTREAM.AUTH, false],
      [404, undefined, SMART_SMS_UPSTREAM.REJECTED, false],
    ];
    for (const [status, code, want, retryable] of cases) {
      const err = classifyProviderError(status, code ? { code, message: 'm', requestId: 'r' } : undefined);
      expect({ status, code, upstream: err.code, retryable: err.retryable, providerCode: err.providerCode }).toEqual({ status, code, upstream: want, retryable, providerCode: code ?? status });
    }
  });
});

describe('parse fee', () => {
  it('when 15,000 of 25,000 parsed at 30 milli-yuan, then the fee is 450,000 milli-yuan; nothing parsed costs nothing', () => {
    expect(parseFeeFor({ parsed: 15_000 }, 30)).toBe(450_000);
    expect(parseFeeFor({ parsed: 0 }, 30)).toBe(0);
  });

  it('when the count or the price is negative or fractional, then it is refused', () => {
    expect(() => parseFeeFor({ parsed: -1 }, 30)).toThrow(RangeError);
    expect(() => parseFeeFor({ parsed: 1.5 }, 30)).toThrow(RangeError);
    expect(() => parseFeeFor({ parsed: 1 }, 2.5)).toThrow(RangeError);
  });
});
