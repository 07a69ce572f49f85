/**
 * SIMULATOR rules: which handset a number has, decided by its last digit so tests and demos can
 * pick an outcome. Parse-capable digits (default 0–5) are Android handsets whose SMS app renders
 * smart SMS as a card; the others are iPhones (6–8) and old or unsupported phones (9), which show
 * the text and open the H5 page when the link is tapped. The capable digits are configurable.
 *
 * | last digit | handset (default)       | renders the card |
 * |------------|-------------------------|------------------|
 * | 0          | Huawei                  | yes              |
 * | 1          | Xiaomi                  | yes              |
 * | 2          | OPPO                    | yes              |
 * | 3          | vivo                    | yes              |
 * | 4          | Meizu                   | yes              |
 * | 5          | Honor                   | yes              |
 * | 6, 7, 8    | iPhone                  | no (text + H5)   |
 * | 9          | old / unsupported phone | no (text + H5)   |
 */

export const DEFAULT_CAPABLE_DIGITS = '012345';

const ANDROID = ['huawei', 'xiaomi', 'oppo', 'vivo', 'meizu', 'honor'] as const;

export type Vendor = (typeof ANDROID)[number] | 'apple' | 'other';

export interface Handset {
  vendor: Vendor;
  /** The SMS app renders the card (a parse is counted and billed). */
  capable: boolean;
}

/** Checks a capable-digits setting ("012345"): digits only, each at most once. */
export function parseCapableDigits(value: string): string {
  if (!/^\d{0,10}$/.test(value) || new Set(value).size !== value.length) {
    throw new RangeError(`capable digits must be distinct digits such as "012345", got "${value}"`);
  }
  return value;
}

/**
 * The handset behind a number. A digit made capable by configuration is an Android vendor
 * (the default table's vendor for 0–5, the others in turn); a digit made incapable is an iPhone,
 * or an old phone for 9.
 */
export function handsetOf(mobile: string, capableDigits: string = DEFAULT_CAPABLE_DIGITS): Handset {
  const last = mobile.charAt(mobile.length - 1);
  const digit = /\d/.test(last) ? Number(last) : 9;
  if (capableDigits.includes(String(digit))) return { vendor: ANDROID[digit % ANDROID.length], capable: true };
  return { vendor: digit === 9 ? 'other' : 'apple', capable: false };
}
