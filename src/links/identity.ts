/**
 * The hashes that stand in for people in click data. Nothing here can be reversed without the
 * secret (LINKS_VISITOR_SECRET), and neither IP addresses nor phone numbers are stored.
 *
 * - Visitor: HMAC(secret, IP, user agent, UTC day). The same browser on the same network counts
 *   once a day; tomorrow it is a new visitor (the usual pepper-per-day privacy trade-off).
 * - Recipient: HMAC(secret, E.164 number), stored on a personalised link so that the UV of a
 *   send counts unique recipients whatever device or day they click from.
 * - Button links: HMAC(secret, code, button, target) so /s/:code/b/:button only redirects where
 *   the card page said (no open redirect).
 *
 * Each hash is 16 bytes (128 bits): collisions are out of reach for any realistic number of
 * visitors, so counts over them are exact. Domains are separated by a leading tag.
 */
import * as crypto from 'node:crypto';

const DAY_MS = 86_400_000;
const BLOCK = 64;
/** One-shot hashing (Node ≥ 20.12): no Hash object per call. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: 'buffer') => Buffer }).hash;

export class Identities {
  private readonly inner: Buffer;
  private readonly outer: Buffer;
  private readonly key: crypto.KeyObject;

  constructor(secret: string) {
    // HMAC-SHA256 by its definition (RFC 2104), H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), so that two
    // one-shot hashes do what createHmac does at twice the cost: the redirect hashes every click,
    // a campaign send every recipient.
    let k = Buffer.from(secret, 'utf8');
    if (k.length > BLOCK) k = crypto.createHash('sha256').update(k).digest();
    const padded = Buffer.concat([k, Buffer.alloc(BLOCK - k.length)]);
    this.inner = Buffer.from(padded.map((b) => b ^ 0x36));
    this.outer = Buffer.from(padded.map((b) => b ^ 0x5c));
    this.key = crypto.createSecretKey(k);
  }

  private mac(input: string): Buffer {
    if (!oneShot) return crypto.createHmac('sha256', this.key).update(input).digest().subarray(0, 16);
    const h = oneShot('sha256', Buffer.concat([this.inner, Buffer.from(input, 'utf8')]), 'buffer');
    return oneShot('sha256', Buffer.concat([this.outer, h]), 'buffer').subarray(0, 16);
  }

  /** Hex (32 chars) visitor identity of a request at `atMs` (its UTC day). */
  visitor(ip: string, userAgent: string, atMs: number): string {
    return this.mac(`v\0${normaliseIp(ip)}\0${userAgent}\0${Math.floor(atMs / DAY_MS)}`).toString('hex');
  }

  /** Hex (32 chars) recipient identity of a number (as the message carries it, E.164). */
  recipient(number: string): string {
    return this.mac(`r\0${number}`).toString('hex');
  }

  /** Signature (22 chars, base64url) of a button's target on a link's page. */
  buttonSignature(code: string, button: string, target: string): string {
    return this.mac(`b\0${code}\0${button}\0${target}`).toString('base64url');
  }

  verifyButton(code: string, button: string, target: string, signature: string): boolean {
    const expected = Buffer.from(this.buttonSignature(code, button, target));
    const given = Buffer.from(signature);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }
}

/** An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; it is the same visitor. */
export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
