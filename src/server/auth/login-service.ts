import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { DomainError } from '../errors';
import type { Role } from '../../shared/roles';
import type { AuditActor } from '../audit/record';
import type { Executor } from '../db/database';
import type { AuditRecorder } from '../audit/recorder';
import { verifyAgainstDummy, verifyPassword } from './password';
import { beginTotpEnrolment, consumeRecoveryCode, consumeTotpCode, issueRecoveryCodes } from './second-factor';
import type { SecretBox } from './secret-box';
import { activeRolesOf, type AuthMethod, createSession } from './session';
import { hashToken, newToken } from './tokens';
import { totpUri } from './totp';

/** AUTH-4: five failures lock the account, first for 5 minutes, doubling each time, at most a day. */
export const MAX_FAILED_ATTEMPTS = 5;
const FIRST_LOCKOUT_MS = 5 * 60 * 1000;
const MAX_LOCKOUT_MS = 24 * 60 * 60 * 1000;
const LOGIN_TICKET_TTL_MS = 5 * 60 * 1000;

export function lockoutDuration(previousLockouts: number): number {
  return Math.min(FIRST_LOCKOUT_MS * 2 ** Math.min(previousLockouts, 20), MAX_LOCKOUT_MS);
}

/** The only thing a failed login says (AUTH-4): not which part failed, not whether the user exists. */
export const loginFailed = () => new DomainError('unauthorized', API_ERROR_MESSAGES.loginFailed);

export interface LoginDeps {
  trx: Executor;
  audit: AuditRecorder;
  now: Date;
  secretBox: SecretBox;
}

type UserRow = {
  id: string;
  organisation_id: string;
  email: string;
  display_name: string;
  profession: string | null;
  status: string;
  password_hash: string | null;
  totp_secret_encrypted: string | null;
  totp_enrolled_at: Date | null;
  locked_until: Date | null;
  is_locked_by_admin: boolean;
};

const USER_COLUMNS = [
  'id',
  'organisation_id',
  'email',
  'display_name',
  'profession',
  'status',
  'password_hash',
  'totp_secret_encrypted',
  'totp_enrolled_at',
  'locked_until',
  'is_locked_by_admin',
] as const;

function userActor(user: UserRow, roles: readonly Role[], deviceId: string | null): AuditActor {
  return {
    organisationId: user.organisation_id,
    userId: user.id,
    displayName: user.display_name,
    roles,
    profession: user.profession,
    sessionId: null,
    authMethod: null,
    deviceId,
  };
}

/** Why this user may not log in at all right now, if anything. */
function refusalOf(user: UserRow, now: Date): string | undefined {
  if (user.status !== 'active') return 'inactive_account';
  if (user.is_locked_by_admin) return 'locked_by_admin';
  if (user.locked_until && user.locked_until.getTime() > now.getTime()) return 'locked';
  return undefined;
}

/**
 * Counts a failed password or code; the fifth locks the account for a growing period (AUTH-4).
 * Written even though the login fails: the caller refuses after commit.
 */
async function registerFailure(deps: LoginDeps, user: UserRow, actor: AuditActor, reason: string): Promise<void> {
  const { trx, audit, now } = deps;
  const counted = await trx
    .updateTable('app_user')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', user.id)
    .returning(['failed_attempts', 'lockout_count'])
    .executeTakeFirstOrThrow();
  audit.record({ action: 'auth.login.failure', outcome: 'denied', reason, actor, objectType: 'user', objectId: user.id });
  if (counted.failed_attempts >= MAX_FAILED_ATTEMPTS) {
    const duration = lockoutDuration(counted.lockout_count);
    await trx
      .updateTable('app_user')
      .set({ failed_attempts: 0, lockout_count: counted.lockout_count + 1, locked_until: new Date(now.getTime() + duration) })
      .where('id', '=', user.id)
      .execute();
    audit.record({
      action: 'auth.lockout',
      outcome: 'denied',
      reason: 'too_many_failures',
      actor,
      objectType: 'user',
      objectId: user.id,
      details: { lockedForSeconds: duration / 1000, lockoutNumber: counted.lockout_count + 1 },
    });
  }
}

export type PasswordStepResult =
  | { step: 'second_factor'; ticket: string }
  | { step: 'enrol'; ticket: string; totpUri: string; totpSecret: string };

/** Step one: the password. Returns a short-lived ticket for the second factor. */
export async function passwordStep(
  deps: LoginDeps,
  input: { email: string; password: string; deviceId: string | null },
): Promise<PasswordStepResult> {
  const { trx, audit, now } = deps;
  // The row lock makes concurrent guesses for one account take turns, so the fifth failure locks
  // the account before a sixth is checked (AUTH-4), on any number of backend instances.
  const user = await trx.selectFrom('app_user').select(USER_COLUMNS).where('email', '=', input.email).forUpdate().executeTakeFirst();
  if (!user) {
    await verifyAgainstDummy(input.password);
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: 'unknown_user', actor: { ...anonymousWithDevice(input.deviceId) } });
    return audit.refuseAfterCommit(loginFailed());
  }
  const roles = await activeRolesOf(trx, user.id);
  const actor = userActor(user, roles, input.deviceId);
  const refusal = refusalOf(user, now);
  if (refusal || !user.password_hash) {
    await verifyAgainstDummy(input.password);
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: refusal ?? 'no_password', actor, objectType: 'user', objectId: user.id });
    return audit.refuseAfterCommit(loginFailed());
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await registerFailure(deps, user, actor, 'bad_password');
    return audit.refuseAfterCommit(loginFailed());
  }
  const ticket = newToken();
  await trx
    .insertInto('login_challenge')
    .values({
      organisation_id: user.organisation_id,
      user_id: user.id,
      ticket_hash: hashToken(ticket),
      device_id: input.deviceId,
      expires_at: new Date(now.getTime() + LOGIN_TICKET_TTL_MS),
    })
    .execute();
  if (!user.totp_enrolled_at) {
    // The second factor was reset by an admin (AUTH-3): enrol anew before the login completes.
    const secret = await beginTotpEnrolment(trx, deps.secretBox, user.id);
    return { step: 'enrol', ticket, totpUri: totpUri(secret, user.email), totpSecret: secret };
  }
  return { step: 'second_factor', ticket };
}

function anonymousWithDevice(deviceId: string | null): AuditActor {
  return { organisationId: null, userId: null, displayName: null, roles: [], profession: null, sessionId: null, authMethod: null, deviceId };
}

export interface LoginSuccess {
  token: string;
  isNewDevice: boolean;
  recoveryCodes: string[] | null;
}

/** Step two: the code (or a recovery code, or the first code of a new enrolment). */
export async function secondFactorStep(
  deps: LoginDeps,
  input: { ticket: string; code?: string; recoveryCode?: string; isEnrolment: boolean },
): Promise<LoginSuccess> {
  const { trx, audit, now, secretBox } = deps;
  // Locked first, before any other row: two requests racing with one ticket queue here, and the
  // second then finds it used. Taking this lock only at the claim below let a TOTP request (holding
  // the user row) and a recovery-code request (holding the ticket) deadlock on PostgreSQL.
  const challenge = await trx
    .selectFrom('login_challenge')
    .select(['id', 'user_id', 'device_id'])
    .where('ticket_hash', '=', hashToken(input.ticket))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
  if (!challenge) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: 'bad_ticket', actor: anonymousWithDevice(null) });
    return audit.refuseAfterCommit(loginFailed());
  }
  const user = await trx.selectFrom('app_user').select(USER_COLUMNS).where('id', '=', challenge.user_id).executeTakeFirstOrThrow();
  const roles = await activeRolesOf(trx, user.id);
  const actor = userActor(user, roles, challenge.device_id);
  const refusal = refusalOf(user, now);
  if (refusal) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: refusal, actor, objectType: 'user', objectId: user.id });
    return audit.refuseAfterCommit(loginFailed());
  }
  if (input.isEnrolment !== !user.totp_enrolled_at) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: 'wrong_step', actor, objectType: 'user', objectId: user.id });
    return audit.refuseAfterCommit(loginFailed());
  }

  let method: AuthMethod = 'password+totp';
  if (input.code !== undefined) {
    const check = await consumeTotpCode(trx, secretBox, user, input.code, now);
    if (!check.ok) {
      await registerFailure(deps, user, actor, check.reason);
      return audit.refuseAfterCommit(loginFailed());
    }
  } else if (input.recoveryCode !== undefined && !input.isEnrolment) {
    if (!(await consumeRecoveryCode(trx, user.id, input.recoveryCode, now))) {
      await registerFailure(deps, user, actor, 'bad_recovery_code');
      return audit.refuseAfterCommit(loginFailed());
    }
    method = 'password+recovery_code';
  } else {
    return audit.refuseAfterCommit(loginFailed());
  }

  // The ticket is single use: of two requests racing with it, only one marks it.
  const claimed = await trx
    .updateTable('login_challenge')
    .set({ used_at: now })
    .where('id', '=', challenge.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: 'bad_ticket', actor, objectType: 'user', objectId: user.id });
    return audit.refuseAfterCommit(loginFailed());
  }

  let recoveryCodes: string[] | null = null;
  if (input.isEnrolment) {
    await trx.updateTable('app_user').set({ totp_enrolled_at: now }).where('id', '=', user.id).execute();
    recoveryCodes = await issueRecoveryCodes(trx, user, now);
    audit.record({ action: 'auth.second_factor.enrolled', actor, objectType: 'user', objectId: user.id });
  }
  await trx
    .updateTable('app_user')
    .set({ failed_attempts: 0, lockout_count: 0, locked_until: null, last_login_at: now })
    .where('id', '=', user.id)
    .execute();
  const { token, sessionId } = await createSession(trx, {
    organisationId: user.organisation_id,
    userId: user.id,
    authMethod: method,
    deviceId: challenge.device_id,
    now,
  });
  const sessionActor: AuditActor = { ...actor, sessionId, authMethod: method };
  if (method === 'password+recovery_code') {
    audit.record({ action: 'auth.recovery_code.used', actor: sessionActor, objectType: 'user', objectId: user.id });
  }
  audit.record({ action: 'auth.login.success', actor: sessionActor, objectType: 'session', objectId: sessionId });

  // AUTH-6: the first login from a device this user has not used before is logged and shown.
  let isNewDevice = false;
  if (challenge.device_id) {
    const inserted = await trx
      .insertInto('user_device')
      .values({ organisation_id: user.organisation_id, user_id: user.id, device_id: challenge.device_id, first_seen_at: now, last_seen_at: now })
      .onConflict((conflict) => conflict.columns(['user_id', 'device_id']).doNothing())
      .returning('device_id')
      .executeTakeFirst();
    isNewDevice = inserted !== undefined;
    if (isNewDevice) {
      audit.record({ action: 'auth.login.new_device', actor: sessionActor, objectType: 'device', objectId: challenge.device_id });
    } else {
      await trx.updateTable('user_device').set({ last_seen_at: now }).where('user_id', '=', user.id).where('device_id', '=', challenge.device_id).execute();
    }
  }
  return { token, isNewDevice, recoveryCodes };
}
