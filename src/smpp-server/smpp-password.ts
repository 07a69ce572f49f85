/**
 * SMPP bind passwords. SMPP 3.4 caps them at 8 characters, so unlike API keys (32 random bytes,
 * SHA-256 is enough) they are stored with scrypt and a salt: a leaked table must not give them away.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
// N=2^14: ~20 ms per bind on this class of machine; binds are rare, submits never hash.
const PARAMS: ScryptOptions = { N: 16_384, r: 8, p: 1 };
/** Characters of generated passwords: no look-alikes (0/O, 1/l/I), all printable ASCII. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** SMPP 3.4 §4.1: password is a C-Octet String of at most 9 octets including the NUL. */
export const MAX_SMPP_PASSWORD_LENGTH = 8;

function scrypt(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, KEY_LENGTH, PARAMS, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$<salt b64>$<key b64>` */
export async function hashSmppPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${(await scrypt(password, salt)).toString('base64')}`;
}

export async function verifySmppPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** 8 random characters from a 56-letter alphabet: ~46 bits. */
export function generateSmppPassword(): string {
  const bytes = randomBytes(MAX_SMPP_PASSWORD_LENGTH * 2);
  let out = '';
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 56).
  for (const b of bytes) {
    if (b >= 224) continue;
    out += ALPHABET[b % ALPHABET.length];
    if (out.length === MAX_SMPP_PASSWORD_LENGTH) return out;
  }
  return generateSmppPassword();
}
