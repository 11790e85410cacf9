import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Encrypts second-factor secrets at rest (AUTH-5) with AES-256-GCM under a key that never enters
 * the database (JK_SECRET_KEY, or a key file beside the PGlite folder in development and demo).
 * Format: v1.<iv>.<tag>.<ciphertext>, base64url parts. The row id is bound as associated data, so
 * a ciphertext copied onto another user's row does not decrypt.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /**
   * A keyed hash (HMAC-SHA-256) for short codes that must be checked but not recoverable: a 6-digit
   * SMS code has a million values, so a plain hash in a database dump is read back in a second;
   * without the key, which never enters the database, the stored value tells nothing (issue 8 §5).
   */
  mac(purpose: string, value: string): Buffer {
    return createHmac('sha256', this.key).update(`${purpose}\u0000${value}`, 'utf8').digest();
  }

  open(sealed: string, boundTo: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('Unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
