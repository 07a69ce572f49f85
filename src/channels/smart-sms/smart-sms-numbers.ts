/**
 * Numbers and call sizes on the provider side: smart SMS is a mainland-China product, and the
 * providers take 11-digit mobile numbers without the country code, at most 10,000 a call.
 */
import { PROVIDER_MOBILE } from './smart-sms-api.js';

/**
 * `+8613800138000`, `8613800138000` or `13800138000` → `13800138000`; undefined for anything that is
 * not a mainland mobile number (smart SMS cannot reach it).
 */
export function toProviderMobile(number: string): string | undefined {
  const digits = number.trim().replace(/^\+86|^0086|^86(?=1\d{10}$)/, '');
  return PROVIDER_MOBILE.test(digits) ? digits : undefined;
}

/** Splits items into consecutive chunks of at most `size` (the provider's per-call limit). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
