import argon2 from 'argon2';
import zxcvbnCommon from '@zxcvbn-ts/language-common';

/**
 * argon2id with OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1): about 20–40 ms on
 * these 2-core machines, so a login stays quick while an offline guess costs the same per try.
 * Measured in `npm run bench` (login latency). The parameters are stored in each hash, so raising
 * them later re-hashes nothing until the next login.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** "å" typed as one character or as "a" + ring must be the same password: compare in NFC. */
function normalize(password: string): string {
  return password.normalize('NFC');
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalize(password), ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, normalize(password));
  } catch {
    return false;
  }
}

// A valid hash of a random password, verified when the username is unknown, so that "no such user"
// takes as long as "wrong password" (AUTH-4: the response never reveals whether the user exists).
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}-${Date.now()}`);
  await verifyPassword(await dummyHash, password);
  return false;
}

const COMMON_PASSWORDS = new Set<string>(zxcvbnCommon.dictionary['passwords-common'] as string[]);
// Words Norwegian users reach for that an English list misses.
const NORWEGIAN_COMMON = ['passord', 'sommer', 'vinter', 'høst', 'hosten', 'våren', 'varen', 'norge', 'oslo', 'bergen', 'trondheim', 'journal', 'journalkontor', 'hemmelig', 'velkommen', 'qwertyuiop', 'asdfghjkl'];
for (const word of NORWEGIAN_COMMON) COMMON_PASSWORDS.add(word);

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email';

/**
 * AUTH-2: at least 12 characters, and not a common password — also not one padded with digits or
 * symbols ("password1234", "Sommer2026!!"), nor a single repeated character, nor the e-mail name.
 */
export function checkPasswordPolicy(password: string, context: { email?: string } = {}): PasswordProblem | undefined {
  const length = [...normalize(password)].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  if (COMMON_PASSWORDS.has(lower) || (core.length >= 3 && COMMON_PASSWORDS.has(core)) || new Set(lower).size <= 2) {
    return 'common';
  }
  const emailName = context.email?.split('@')[0]?.toLowerCase();
  if (emailName && emailName.length >= 4 && lower.includes(emailName)) return 'contains_email';
  return undefined;
}
