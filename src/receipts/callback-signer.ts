/**
 * Signs report callbacks so a customer can tell they came from us and were not replayed.
 *
 * Header: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the
 * account's callbackSecret. The timestamp is inside the MAC, so an old captured request cannot be
 * replayed after the tolerance window. `verifyCallbackSignature` depends on node:crypto only, so
 * customers can copy it as it is.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Signature';

/** Hex HMAC-SHA256 of `"<t>.<body>"`. */
export function computeSignature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/** The `X-Signature` header value for `body`, signed at `nowMs` (defaults to the current time). */
export function signCallback(secret: string, body: string, nowMs: number = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${computeSignature(secret, t, body)}`;
}

/**
 * True when `header` carries a valid signature of `body` made less than `toleranceSeconds` from
 * `nowMs` (either direction, for clock skew). Several `v1=` entries are accepted so a secret can be
 * rotated without a gap. `body` must be the raw request body, byte for byte, not re-serialised JSON.
 */
export function verifyCallbackSignature(
  secret: string,
  header: string | undefined | null,
  body: string,
  toleranceSeconds = 300,
  nowMs: number = Date.now(),
): boolean {
  if (!header) return false;
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (t === undefined || candidates.length === 0) return false;
  if (Math.abs(Math.floor(nowMs / 1000) - t) > toleranceSeconds) return false;
  const expected = Buffer.from(computeSignature(secret, t, body), 'hex');
  let ok = false;
  // Compare against every candidate (no early exit) so timing reveals nothing about which matched.
  for (const c of candidates) {
    const given = Buffer.from(c, 'hex');
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}
