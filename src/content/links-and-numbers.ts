/**
 * 引流信息 (DOMAIN §2): links and phone numbers in a text must be registered per sub-port
 * (typically 1 link + 2 numbers; that quota is enforced where registrations are made, not here).
 * This module finds them in a text and checks them against the registered ones.
 *
 * Detection is deliberately conservative on digits: OTP codes, amounts, dates, order and tracking
 * numbers must not be mistaken for phone numbers, or every verification code would be rejected.
 *
 * Pure functions, no I/O.
 */

/** Links and phone numbers found in a text, each listed once in order of appearance. */
export interface FoundContacts {
  /** Links as written in the text (trailing punctuation removed). */
  links: string[];
  /** Phone numbers normalised by {@link normalizePhone} (digits only, +86/0086 removed). */
  phones: string[];
}

/** What an account / sub-port registered. */
export interface RegisteredContacts {
  /** Links with or without scheme; a link covers itself and everything below its path. */
  links: readonly string[];
  /** Phone numbers in any common notation (separators, +86 are ignored). */
  phones: readonly string[];
}

/** Outcome of {@link checkRegisteredContent}. */
export type RegisteredContentResult =
  | { ok: true }
  | { ok: false; code: 'UNREGISTERED_LINK' | 'UNREGISTERED_PHONE'; value: string };

/**
 * Bare hosts (no scheme, no www.) only count as links with one of these TLDs, so "Mr.Smith" or
 * "v1.2.Beta" are not links. A link with http(s):// or www. is recognised with any TLD.
 */
const COMMON_TLDS =
  'com|cn|net|org|cc|co|io|me|im|info|top|xyz|vip|shop|club|site|online|ltd|tech|app|link|ly|gl|' +
  'hk|tw|mo|jp|kr|sg|us|uk|so|gov|edu|mobi|biz|wang|fun|ink|pub|red|work|store|cloud|live|life|tv|ai|asia|cx|la|to|gd';

const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const URL_TAIL = "(?::\\d{1,5})?(?:[/?#][A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*)?";
// Not preceded by characters that would make the match part of a larger token (an e-mail address
// such as kf@example.com is not a link here, nor the middle of a longer host name).
const LINK_RE = new RegExp(
  '(?<![A-Za-z0-9@._%+\\-/])(?:' +
    `https?://(?:(?:${LABEL}\\.)+[a-z]{2,24}|\\d{1,3}(?:\\.\\d{1,3}){3})` +
    `|www\\.(?:${LABEL}\\.)+[a-z]{2,24}` +
    `|(?:${LABEL}\\.)+(?:${COMMON_TLDS})` +
    `)(?![A-Za-z0-9-])${URL_TAIL}`,
  'gi',
);

/**
 * Phone patterns, highest priority first (wins when two overlap at the same start). Separators
 * inside a number are ASCII space or hyphen. Digits directly before or after disqualify a match,
 * so a mobile-looking run inside a longer number (tracking number) is not a phone.
 */
const PHONE_PATTERNS: readonly RegExp[] = [
  // China mobile, optionally with +86 / 0086 / 86: 138 1234 5678
  /(?<!\d)(?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/g,
  // 400 / 800 service numbers: 400-800-1234
  /(?<!\d)[48]00[- ]?\d{3}[- ]?\d{4}(?!\d)/g,
  // Landline with area code: 010-12345678, (0755)8888888, 075588888888, 0571-8765 4321
  /(?<!\d)(?:[(（]0[1-9]\d{1,2}[)）][- ]?|0[1-9]\d{1,2}[- ]?)\d{3,4}[- ]?\d{4}(?!\d)/g,
  // Other international numbers: + country code and 7+ digits
  /(?<![\d+])\+[1-9]\d{0,2}(?:[- ]?\d){6,14}(?!\d)/g,
  // A bare 7–8 digit local number only counts right after a phone cue ("客服电话：88886666");
  // without a cue a 7–8 digit run is far more likely an OTP code, a date or an amount.
  /(?<=(?:电话|热线|致电|拨打|联系|客服|咨询|\b(?:tel|phone|call))[^\d]{0,4})\d{7,8}(?!\d)/gi,
];

/**
 * Normalise a phone number for comparison: keep digits (and a leading + for foreign numbers);
 * a mainland number given as +86 / 0086 / 86 (mobile only) becomes its national form, with the
 * trunk 0 restored for landlines so "+86 755 8888 8888" equals "0755-88888888".
 *
 * @example normalizePhone('+86 138-1234-5678') === '13812345678'
 */
export function normalizePhone(raw: string): string {
  const plus = raw.trim().startsWith('+');
  const digits = raw.replace(/\D/g, '');
  let national: string | null = null;
  if (plus && digits.startsWith('86')) national = digits.slice(2);
  else if (!plus && digits.startsWith('0086')) national = digits.slice(4);
  else if (!plus && /^861[3-9]\d{9}$/.test(digits)) national = digits.slice(2);
  if (national === null) return plus ? `+${digits}` : digits;
  const keepAsIs = /^1[3-9]\d{9}$/.test(national) || /^[48]00\d{7}$/.test(national) || national.startsWith('0');
  return keepAsIs ? national : `0${national}`;
}

/**
 * Find links and phone numbers (引流信息) in a text.
 *
 * Links: http(s)://…, www.…, or a bare host with a common TLD (t.cn/abc). Phones: mainland mobile
 * numbers, landlines with area code, 400/800 numbers, +international numbers, and bare 7–8 digit
 * numbers right after a cue such as 电话/客服. Not phones: OTP codes, amounts, dates, short service
 * numbers (95588, 12315) and digits inside a link.
 */
export function findLinksAndPhones(text: string): FoundContacts {
  const links: string[] = [];
  let masked = text;
  for (const m of text.matchAll(LINK_RE)) {
    const link = trimTrailingPunctuation(m[0]);
    if (!links.includes(link)) links.push(link);
    // Blank the link out so digits in its path (t.cn/13812345678) are not read as a phone.
    masked = masked.slice(0, m.index) + ' '.repeat(m[0].length) + masked.slice(m.index + m[0].length);
  }

  const spans: { start: number; end: number; priority: number; value: string }[] = [];
  PHONE_PATTERNS.forEach((re, priority) => {
    for (const m of masked.matchAll(re)) {
      spans.push({ start: m.index, end: m.index + m[0].length, priority, value: normalizePhone(m[0]) });
    }
  });
  spans.sort((a, b) => a.start - b.start || a.priority - b.priority);

  const phones: string[] = [];
  let coveredUntil = -1;
  for (const s of spans) {
    if (s.start < coveredUntil) continue;
    coveredUntil = s.end;
    if (!phones.includes(s.value)) phones.push(s.value);
  }
  return { links, phones };
}

/**
 * Check that every link and phone number in the text is registered.
 *
 * Links match on host (case-insensitive, scheme, default port and a leading "www." ignored) plus a
 * path prefix that ends on a boundary: registered t.cn/abc covers t.cn/abc, t.cn/abc/x and
 * t.cn/abc?x=1 but NOT t.cn/abcdef (another short link). A registered bare host covers the whole
 * host but not its subdomains. Phones match after {@link normalizePhone}.
 *
 * @returns the first unregistered link, else the first unregistered phone, else ok.
 */
export function checkRegisteredContent(text: string, registered: RegisteredContacts): RegisteredContentResult {
  const found = findLinksAndPhones(text);
  const regLinks = registered.links.map(splitLink);
  for (const link of found.links) {
    const l = splitLink(link);
    if (!regLinks.some((r) => linkCovers(r, l))) return { ok: false, code: 'UNREGISTERED_LINK', value: link };
  }
  const regPhones = new Set(registered.phones.map(normalizePhone));
  for (const phone of found.phones) {
    if (!regPhones.has(phone)) return { ok: false, code: 'UNREGISTERED_PHONE', value: phone };
  }
  return { ok: true };
}

/** Closing punctuation is almost always the sentence, not the URL: "见 t.cn/abc." */
function trimTrailingPunctuation(link: string): string {
  let out = link.replace(/[.,;:!?'"]+$/, '');
  while (out.endsWith(')') && count(out, '(') < count(out, ')')) out = out.slice(0, -1).replace(/[.,;:!?'"]+$/, '');
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

interface LinkParts {
  host: string;
  /** Path, query and fragment, case preserved (short-link codes are case-sensitive). */
  rest: string;
}

function splitLink(raw: string): LinkParts {
  const noScheme = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const cut = noScheme.search(/[/?#]/);
  let host = (cut < 0 ? noScheme : noScheme.slice(0, cut)).toLowerCase();
  let rest = cut < 0 ? '' : noScheme.slice(cut);
  host = host.replace(/:(80|443)$/, '').replace(/^www\./, '');
  // "example.com/sale/" and "example.com/sale" name the same page.
  rest = rest.replace(/\/+$/, '');
  return { host, rest };
}

function linkCovers(registered: LinkParts, link: LinkParts): boolean {
  if (registered.host !== link.host) return false;
  if (registered.rest === '' || link.rest === registered.rest) return true;
  return link.rest.startsWith(registered.rest) && '/?#&'.includes(link.rest[registered.rest.length]);
}
