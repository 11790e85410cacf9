import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { DomainError } from '../errors';
import type { Role } from '../../shared/roles';
import type { AuditActor } from '../audit/record';
import type { Executor } from '../db/database';
import type { AuditRecorder } from '../audit/recorder';
import { enqueueMessage } from '../outbox/outbox';
import { clearSourceFailures, lockRefusalOf, registerLoginFailure } from './lockout';
import { verifyAgainstDummy, verifyPassword } from './password';
import { beginTotpEnrolment, consumeRecoveryCode, consumeTotpCode, issueRecoveryCodes } from './second-factor';
import type { SecretBox } from './secret-box';
import { activeRolesOf, type AuthMethod, createSession } from './session';
import { hashesEqual, hashToken, newNumericCode, newToken } from './tokens';
import { totpUri } from './totp';

const LOGIN_TICKET_TTL_MS = 5 * 60 * 1000;
/** AUTH-3: wrong re-enrolment SMS codes a ticket takes before it is spent. */
export const MAX_ENROLMENT_CODE_ATTEMPTS = 5;
/** The purpose bound into the keyed hash of a re-enrolment code (SecretBox.mac). */
const ENROLMENT_CODE_PURPOSE = 'login-enrolment-sms';

/** The only thing a failed login says (AUTH-4): not which part failed, not whether the user exists. */
export const loginFailed = () => new DomainError('unauthorized', API_ERROR_MESSAGES.loginFailed);

export interface LoginDeps {
  trx: Executor;
  audit: AuditRecorder;
  now: Date;
  secretBox: SecretBox;
  /** Where the request came from (an address or an IPv6 /64, see limits/source-address): AUTH-4 counts per account and source. */
  source: string;
}

type UserRow = {
  id: string;
  organisation_id: string;
  email: string;
  display_name: string;
  profession: string | null;
  phone: string;
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
  'phone',
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

/**
 * Why this user may not log in at all right now from this source, if anything: the account's
 * state, then the brute-force locks (per source, and the account-wide backstop: lockout.ts).
 */
async function refusalOf(trx: Executor, user: UserRow, source: string, deviceId: string | null, now: Date): Promise<string | undefined> {
  if (user.status !== 'active') return 'inactive_account';
  if (user.is_locked_by_admin) return 'locked_by_admin';
  return lockRefusalOf(trx, user, source, deviceId, now);
}

const registerFailure = (deps: LoginDeps, user: UserRow, actor: AuditActor, reason: string) => registerLoginFailure(deps, user, actor, reason, deps.source);

export type PasswordStepResult =
  | { step: 'second_factor'; ticket: string }
  /** AUTH-3: the second factor was reset; a code went by SMS to the phone ending in `phoneHint`. */
  | { step: 'enrol_sms'; ticket: string; phoneHint: string };

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
  const refusal = await refusalOf(trx, user, deps.source, input.deviceId, now);
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
  // AUTH-3: after an admin reset the password alone never enrols an authenticator: a one-time
  // code goes by SMS (the other channel, as at invitation) and must come back first.
  const smsCode = user.totp_enrolled_at ? null : newNumericCode(6);
  await trx
    .insertInto('login_challenge')
    .values({
      organisation_id: user.organisation_id,
      user_id: user.id,
      ticket_hash: hashToken(ticket),
      device_id: input.deviceId,
      expires_at: new Date(now.getTime() + LOGIN_TICKET_TTL_MS),
      sms_code_hash: smsCode ? deps.secretBox.mac(ENROLMENT_CODE_PURPOSE, smsCode) : null,
    })
    .execute();
  if (smsCode) {
    await enqueueMessage(trx, {
      organisationId: user.organisation_id,
      channel: 'sms',
      recipient: user.phone,
      template: 'login.enrolment_sms_code',
      body: `Journalkontor: koden for å registrere autentiseringsappen din er ${smsCode}. Ikke del den med noen.`,
    });
    return { step: 'enrol_sms', ticket, phoneHint: user.phone.slice(-2) };
  }
  return { step: 'second_factor', ticket };
}

/** The open challenge a ticket names, locked; undefined when it is unknown, used or expired. */
function openChallenge(trx: Executor, ticket: string, now: Date) {
  return trx
    .selectFrom('login_challenge')
    .select(['id', 'user_id', 'device_id', 'sms_code_hash', 'sms_verified_at'])
    .where('ticket_hash', '=', hashToken(ticket))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * AUTH-3: the SMS code after a reset proves the second channel; only then is a new TOTP secret
 * made and shown. Every guess first claims one of the ticket's five attempts with one conditional
 * UPDATE whose row count decides, so parallel guesses cannot outrun the counter.
 */
export async function verifyEnrolmentSmsCode(deps: LoginDeps, input: { ticket: string; code: string }): Promise<{ totpUri: string; totpSecret: string }> {
  const { trx, audit, now } = deps;
  const challenge = await openChallenge(trx, input.ticket, now);
  if (!challenge || !challenge.sms_code_hash || challenge.sms_verified_at) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: 'bad_ticket', actor: anonymousWithDevice(null) });
    return audit.refuseAfterCommit(loginFailed());
  }
  const user = await trx.selectFrom('app_user').select(USER_COLUMNS).where('id', '=', challenge.user_id).forUpdate().executeTakeFirstOrThrow();
  const actor = userActor(user, await activeRolesOf(trx, user.id), challenge.device_id);
  const refusal = await refusalOf(trx, user, deps.source, challenge.device_id, now);
  if (refusal || user.totp_enrolled_at) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: refusal ?? 'wrong_step', actor, objectType: 'user', objectId: user.id });
    return audit.refuseAfterCommit(loginFailed());
  }
  const claimed = await trx
    .updateTable('login_challenge')
    .set((eb) => ({ sms_code_attempts: eb('sms_code_attempts', '+', 1) }))
    .where('id', '=', challenge.id)
    .where('sms_code_attempts', '<', MAX_ENROLMENT_CODE_ATTEMPTS)
    .where('used_at', 'is', null)
    .returning('sms_code_attempts')
    .executeTakeFirst();
  if (!claimed) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: 'too_many_attempts', actor, objectType: 'user', objectId: user.id });
    return audit.refuseAfterCommit(loginFailed());
  }
  if (!hashesEqual(deps.secretBox.mac(ENROLMENT_CODE_PURPOSE, input.code), Buffer.from(challenge.sms_code_hash))) {
    if (claimed.sms_code_attempts >= MAX_ENROLMENT_CODE_ATTEMPTS) {
      // The last attempt is gone: the ticket is spent, a new password step sends a new code.
      await trx.updateTable('login_challenge').set({ used_at: now }).where('id', '=', challenge.id).execute();
    }
    await registerFailure(deps, user, actor, 'bad_sms_code');
    return audit.refuseAfterCommit(loginFailed());
  }
  await trx.updateTable('login_challenge').set({ sms_verified_at: now }).where('id', '=', challenge.id).execute();
  const secret = await beginTotpEnrolment(trx, deps.secretBox, user.id);
  audit.record({ action: 'auth.second_factor.sms_verified', actor, objectType: 'user', objectId: user.id });
  return { totpUri: totpUri(secret, user.email), totpSecret: secret };
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
  const challenge = await openChallenge(trx, input.ticket, now);
  if (!challenge) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: 'bad_ticket', actor: anonymousWithDevice(null) });
    return audit.refuseAfterCommit(loginFailed());
  }
  const user = await trx.selectFrom('app_user').select(USER_COLUMNS).where('id', '=', challenge.user_id).executeTakeFirstOrThrow();
  const roles = await activeRolesOf(trx, user.id);
  const actor = userActor(user, roles, challenge.device_id);
  const refusal = await refusalOf(trx, user, deps.source, challenge.device_id, now);
  if (refusal) {
    audit.record({ action: 'auth.login.failure', outcome: 'denied', reason: refusal, actor, objectType: 'user', objectId: user.id });
    return audit.refuseAfterCommit(loginFailed());
  }
  // An enrolment needs the SMS code first (AUTH-3); a normal login must not be an enrolment.
  if (input.isEnrolment !== !user.totp_enrolled_at || (input.isEnrolment && !challenge.sms_verified_at)) {
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
  // DPO-6: a login keeps an account the retention schedule warned for inactivity.
  await trx.updateTable('app_user').set({ last_login_at: now, inactivity_warned_at: null }).where('id', '=', user.id).execute();
  await clearSourceFailures(trx, user.id, deps.source);
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
