import { generate, generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 as the spec fixes it (AUTH-3): SHA-1, 30-second steps, 6 digits, ±1 step of drift. */
export const TOTP_PERIOD_SECONDS = 30;
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

export function newTotpSecret(): string {
  // otplib 13 refuses secrets under 16 bytes; 20 bytes is RFC 4226's recommendation for SHA-1.
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, account: string, issuer = 'Journalkontor'): string {
  return generateURI({ issuer, label: account, secret });
}

/** The code for a moment (tests compute codes with it; the app never needs to). */
export function totpCodeAt(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * Checks a code against the secret at `now` (the server clock, injectable). Returns the time step
 * the code belongs to, for replay protection, or null. It does not decide replay: the caller's
 * conditional UPDATE on the user's last used step does, atomically.
 */
export async function matchTotp(secret: string, code: string, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
