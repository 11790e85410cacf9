import { sql } from 'kysely';
import type { Executor } from '../db/database';
import type { SecretBox } from './secret-box';
import { hashToken, newRecoveryCode, normalizeRecoveryCode } from './tokens';
import { matchTotp, newTotpSecret } from './totp';

export const RECOVERY_CODE_COUNT = 10;

/** Secrets are bound to the user's id, so a ciphertext moved to another row is useless. */
export function encryptTotpSecret(box: SecretBox, userId: string, secret: string): string {
  return box.seal(secret, `totp:${userId}`);
}

export function decryptTotpSecret(box: SecretBox, userId: string, sealed: string): string {
  return box.open(sealed, `totp:${userId}`);
}

/** Starts an enrolment: a fresh secret stored encrypted, not yet enrolled until a code confirms it. */
export async function beginTotpEnrolment(trx: Executor, box: SecretBox, userId: string): Promise<string> {
  const secret = newTotpSecret();
  await trx
    .updateTable('app_user')
    .set({ totp_secret_encrypted: encryptTotpSecret(box, userId, secret), totp_enrolled_at: null, totp_last_used_step: null })
    .where('id', '=', userId)
    .execute();
  return secret;
}

export type CodeCheck = { ok: true } | { ok: false; reason: 'bad_code' | 'replayed_code' | 'no_second_factor' };

/**
 * Accepts a TOTP code once (AUTH-3). The code must match the secret within ±1 step, and its step
 * must be above the last one used: one conditional UPDATE decides, so two requests racing with the
 * same code cannot both win — the second waits for the first's row lock and then matches no row.
 */
export async function consumeTotpCode(
  trx: Executor,
  box: SecretBox,
  user: { id: string; totp_secret_encrypted: string | null },
  code: string,
  now: Date,
): Promise<CodeCheck> {
  if (!user.totp_secret_encrypted) return { ok: false, reason: 'no_second_factor' };
  let secret: string;
  try {
    secret = decryptTotpSecret(box, user.id, user.totp_secret_encrypted);
  } catch {
    // A ciphertext that does not open (altered, moved from another row, another key) is no factor.
    return { ok: false, reason: 'no_second_factor' };
  }
  const step = await matchTotp(secret, code, now);
  if (step === null) return { ok: false, reason: 'bad_code' };
  const result = await trx
    .updateTable('app_user')
    .set({ totp_last_used_step: step })
    .where('id', '=', user.id)
    .where((eb) => eb.or([eb('totp_last_used_step', 'is', null), eb('totp_last_used_step', '<', String(step))]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? { ok: true } : { ok: false, reason: 'replayed_code' };
}

/** Marks one unused recovery code used; true when the code was valid. Single use by the same UPDATE. */
export async function consumeRecoveryCode(trx: Executor, userId: string, input: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('recovery_code')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashToken(normalizeRecoveryCode(input)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Replaces a user's recovery codes with ten new ones, returned once in plain text, stored hashed. */
export async function issueRecoveryCodes(trx: Executor, user: { id: string; organisation_id: string }, now: Date): Promise<string[]> {
  await trx.updateTable('recovery_code').set({ used_at: now }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await trx
    .insertInto('recovery_code')
    .values(codes.map((code) => ({ organisation_id: user.organisation_id, user_id: user.id, code_hash: hashToken(code) })))
    .execute();
  return codes;
}

export async function unusedRecoveryCodeCount(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_code')
    .select(sql<string>`count(*)`.as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
