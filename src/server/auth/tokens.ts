import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** An opaque bearer token: 32 random bytes. Only its hash is stored (AUTH-5). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 is enough for high-entropy tokens and codes: there is nothing to guess a dictionary of. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A numeric one-time code, e.g. the invitation's SMS code. */
export function newNumericCode(digits: number): string {
  return Array.from({ length: digits }, () => randomInt(0, 10)).join('');
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read off paper

/** A recovery code like "k7pm-w3xa-9tqe" (about 70 bits). */
export function newRecoveryCode(): string {
  const characters = Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(0, RECOVERY_ALPHABET.length)]);
  return [characters.slice(0, 4), characters.slice(4, 8), characters.slice(8, 12)].map((group) => group.join('')).join('-');
}

/** What the user typed, in the stored form: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(input: string): string {
  const bare = input.toLowerCase().replace(/[\s-]/g, '');
  return bare.length === 12 ? `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8)}` : bare;
}
