/**
 * Token material for the paper exchange's sessions: random strings shaped like Kite's and the
 * login checksum. Kite's request and access tokens are 32 characters of [A-Za-z0-9]
 * (kite.trade docs samples and public logs); the enctoken is a longer base64 string.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Source of random bytes; injected by tests that need repeatable tokens. */
export type RandomBytes = (n: number) => Uint8Array;

export const cryptoRandom: RandomBytes = (n) => randomBytes(n);

/** Length of request_token, access_token and public_token. */
export const TOKEN_LENGTH = 32;

/**
 * A random string of `length` characters from [A-Za-z0-9]. Bytes of 248 and above are
 * dropped so every character is equally likely (248 = 4 x 62).
 */
export function randomAlphanumeric(length: number, random: RandomBytes = cryptoRandom): string {
  let out = '';
  while (out.length < length) {
    for (const b of random(length * 2)) {
      if (b >= 248) continue;
      out += ALPHANUMERIC[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A base64 string like Kite's `enctoken` (the web session token; 64 random bytes here). */
export function randomEnctoken(random: RandomBytes = cryptoRandom): string {
  return Buffer.from(random(64)).toString('base64');
}

/** Kite's login checksum: hex SHA-256 of api_key + request_token + api_secret. */
export function sessionChecksum(apiKey: string, requestToken: string, apiSecret: string): string {
  return createHash('sha256')
    .update(apiKey + requestToken + apiSecret)
    .digest('hex');
}

/** Compares two secrets in time that does not depend on where they first differ. */
export function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
