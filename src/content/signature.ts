/**
 * Domestic signature rule (DOMAIN §2): a text starts with 【签名】, 2–8 characters inside,
 * registered before use. Only the signature may use 【】: carriers read any other 【】 as a second
 * signature and reject the message, so stray brackets are rejected or rewritten (account setting).
 *
 * Pure functions, no I/O.
 */

/** Opening full-width bracket of a signature. */
export const SIGNATURE_OPEN = '【';
/** Closing full-width bracket of a signature. */
export const SIGNATURE_CLOSE = '】';
/** Allowed signature length in characters (code points), brackets excluded. */
export const SIGNATURE_MIN_LENGTH = 2;
export const SIGNATURE_MAX_LENGTH = 8;

/** Error codes {@link checkSignature} can return. */
export type SignatureErrorCode =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID_LENGTH'
  | 'SIGNATURE_NOT_REGISTERED'
  | 'SIGNATURE_STRAY_BRACKETS'
  | 'SIGNATURE_MISMATCH';

/** Input of {@link checkSignature}. */
export interface SignatureCheckInput {
  /** Message text as submitted. */
  text: string;
  /** Signature from the request (without brackets); prepended when the text has none. */
  signature?: string;
  /** Signatures registered for the account / sub-port (with or without brackets). */
  registered: readonly string[];
  /** Account setting: reject a text with 【】 outside the signature, or rewrite them to [ ]. */
  strayBrackets: 'reject' | 'rewrite';
}

/** Outcome of {@link checkSignature}. */
export type SignatureCheckResult =
  | { ok: true; text: string; signature: string }
  | { ok: false; code: SignatureErrorCode; field: string; message: string };

// Inner text may not contain either bracket: "【a【b】" is not a signature, it is a malformed text.
const LEADING_SIGNATURE = /^【([^【】]*)】/;
const ANY_BRACKET = /[【】]/g;

/**
 * Split a leading 【signature】 from the text.
 *
 * Only a signature at the very start counts (no leading whitespace); a trailing 【x】 is not a
 * signature here, it is a stray bracket pair.
 *
 * @returns the signature without brackets (possibly `''` for `【】`) or `null`, and the rest of the text.
 */
export function extractSignature(text: string): { signature: string | null; body: string } {
  const m = LEADING_SIGNATURE.exec(text);
  if (!m) return { signature: null, body: text };
  return { signature: m[1], body: text.slice(m[0].length) };
}

/**
 * Validate (and where the account allows, fix) the signature of a domestic text.
 *
 * Order: find or prepend the signature → length 2–8 → registered → no other 【】 in the body.
 * When the request names a signature and the text already starts with a different one, the result
 * is `SIGNATURE_MISMATCH`: silently preferring either would bill or route under the wrong name.
 *
 * @returns on success the text to send (signature prepended / brackets rewritten) and the signature.
 */
export function checkSignature(input: SignatureCheckInput): SignatureCheckResult {
  const requested = input.signature === undefined ? undefined : stripBrackets(input.signature);
  const extracted = extractSignature(input.text);

  let signature: string;
  let body: string;
  if (extracted.signature !== null) {
    signature = extracted.signature;
    body = extracted.body;
    if (requested !== undefined && requested !== '' && requested !== signature) {
      return fail('SIGNATURE_MISMATCH', 'signature', `text is signed 【${signature}】 but the request names 【${requested}】`);
    }
  } else if (requested !== undefined && requested !== '') {
    signature = requested;
    body = input.text;
  } else {
    return fail('SIGNATURE_MISSING', 'signature', 'text must start with a signature in 【】 or the request must name one');
  }

  const length = [...signature].length;
  if (length < SIGNATURE_MIN_LENGTH || length > SIGNATURE_MAX_LENGTH) {
    return fail(
      'SIGNATURE_INVALID_LENGTH',
      'signature',
      `signature must be ${SIGNATURE_MIN_LENGTH}–${SIGNATURE_MAX_LENGTH} characters, got ${length}`,
    );
  }
  if (/[【】]/.test(signature)) {
    // Only reachable through the request field: "【a】b" would otherwise become a multi-signature.
    return fail('SIGNATURE_STRAY_BRACKETS', 'signature', 'signature must not contain 【 or 】');
  }

  if (!input.registered.some((r) => stripBrackets(r) === signature)) {
    return fail('SIGNATURE_NOT_REGISTERED', 'signature', `signature 【${signature}】 is not registered for this account`);
  }

  if (/[【】]/.test(body)) {
    if (input.strayBrackets === 'reject') {
      return fail(
        'SIGNATURE_STRAY_BRACKETS',
        'text',
        'only the signature may use 【】; carriers reject other 【】 as a second signature',
      );
    }
    body = body.replace(ANY_BRACKET, (b) => (b === SIGNATURE_OPEN ? '[' : ']'));
  }

  return { ok: true, text: `${SIGNATURE_OPEN}${signature}${SIGNATURE_CLOSE}${body}`, signature };
}

/** Callers may pass "【name】" or "name" (request field, registry); compare on the bare name. */
function stripBrackets(s: string): string {
  return s.startsWith(SIGNATURE_OPEN) && s.endsWith(SIGNATURE_CLOSE) && s.length >= 2 ? s.slice(1, -1) : s;
}

function fail(code: SignatureErrorCode, field: string, message: string): SignatureCheckResult {
  return { ok: false, code, field, message };
}
