import { sql } from 'kysely';
import type { Role } from '../../shared/roles';
import { unlockAccount } from '../auth/lockout';
import { activeRolesOf, endSessions, type SessionUser } from '../auth/session';
import type { Executor } from '../db/database';
import { fieldError } from '../errors';
import { AuditedDenial } from '../audit/recorder';
import type { ServiceDeps } from '../context';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

export interface UserSummary {
  id: string;
  displayName: string;
  email: string;
  profession: string | null;
  hprNumber: string | null;
  status: 'invited' | 'active' | 'disabled';
  roles: Role[];
  isSecondFactorEnrolled: boolean;
  isLocked: boolean;
  lockedUntil: string | null;
  isLockedByAdmin: boolean;
  lastLoginAt: string | null;
  /** DPO-6: when the retention schedule warned the account of anonymisation for inactivity (null: not warned, or logged in since). */
  inactivityWarnedAt: string | null;
  openSessions: number;
}

/** The organisation's users (PLAT-3: only the admin's own organisation, by the session). */
export async function listUsers({ trx, now }: Deps, admin: SessionUser): Promise<UserSummary[]> {
  const rows = await trx
    .selectFrom('app_user')
    .select([
      'app_user.id',
      'display_name',
      'email',
      'profession',
      'hpr_number',
      'status',
      'totp_enrolled_at',
      'locked_until',
      'is_locked_by_admin',
      'last_login_at',
      'inactivity_warned_at',
      (eb) =>
        eb
          .selectFrom('role_grant')
          .select(sql<string[]>`coalesce(array_agg(role order by role), '{}')`.as('roles'))
          .whereRef('role_grant.user_id', '=', 'app_user.id')
          .where('revoked_at', 'is', null)
          .as('roles'),
      (eb) =>
        eb
          .selectFrom('session')
          .select(sql<string>`count(*)`.as('count'))
          .whereRef('session.user_id', '=', 'app_user.id')
          .where('ended_at', 'is', null)
          .where('expires_at', '>', now)
          .as('open_sessions'),
    ])
    .where('organisation_id', '=', admin.organisationId)
    .orderBy('display_name')
    .execute();
  return rows.map((row) => {
    const isTimeLocked = row.locked_until !== null && row.locked_until.getTime() > now.getTime();
    return {
      id: row.id,
      displayName: row.display_name,
      email: row.email,
      profession: row.profession,
      hprNumber: row.hpr_number,
      status: row.status,
      roles: (row.roles ?? []) as Role[],
      isSecondFactorEnrolled: row.totp_enrolled_at !== null,
      isLocked: isTimeLocked || row.is_locked_by_admin,
      lockedUntil: isTimeLocked && row.locked_until ? row.locked_until.toISOString() : null,
      isLockedByAdmin: row.is_locked_by_admin,
      lastLoginAt: row.last_login_at?.toISOString() ?? null,
      inactivityWarnedAt: row.inactivity_warned_at?.toISOString() ?? null,
      openSessions: Number(row.open_sessions ?? 0),
    };
  });
}

/**
 * Finds a user of the admin's own organisation, or refuses as "not found" — the same answer for an
 * id of another organisation as for one that does not exist, and the attempt is logged (ACC-5, PLAT-3).
 */
async function userOfOrganisation(trx: Executor, admin: SessionUser, userId: string) {
  const user = await trx
    .selectFrom('app_user')
    .select(['id', 'organisation_id'])
    .where('id', '=', userId)
    .where('organisation_id', '=', admin.organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) throw new AuditedDenial({ reason: 'not_found', objectType: 'user', objectId: userId }, 'not_found');
  return user;
}

export async function lockUser(deps: Deps, admin: SessionUser, userId: string): Promise<void> {
  const user = await userOfOrganisation(deps.trx, admin, userId);
  if (user.id === admin.userId) throw fieldError('userId', 'validation.not_yourself');
  await deps.trx.updateTable('app_user').set({ is_locked_by_admin: true }).where('id', '=', user.id).execute();
  const ended = await endSessions(deps.trx, { userId: user.id }, 'locked', deps.now);
  deps.audit.record({ objectType: 'user', objectId: user.id, details: { sessionsEnded: ended } });
}

export async function unlockUser(deps: Deps, admin: SessionUser, userId: string): Promise<void> {
  const user = await userOfOrganisation(deps.trx, admin, userId);
  // The admin's lock and every brute-force lock too: each source's and the account-wide backstop (AUTH-4).
  await unlockAccount(deps.trx, user.id);
  deps.audit.record({ objectType: 'user', objectId: user.id });
}

export async function revokeSessions(deps: Deps, admin: SessionUser, userId: string): Promise<{ sessionsEnded: number }> {
  const user = await userOfOrganisation(deps.trx, admin, userId);
  const ended = await endSessions(deps.trx, { userId: user.id }, 'revoked', deps.now);
  deps.audit.record({ objectType: 'user', objectId: user.id, details: { sessionsEnded: ended } });
  return { sessionsEnded: ended };
}

/** AUTH-3: the user must enrol anew at the next login; their sessions and recovery codes end now. */
export async function resetSecondFactor(deps: Deps, admin: SessionUser, userId: string): Promise<void> {
  const user = await userOfOrganisation(deps.trx, admin, userId);
  await deps.trx
    .updateTable('app_user')
    .set({ totp_secret_encrypted: null, totp_enrolled_at: null, totp_last_used_step: null })
    .where('id', '=', user.id)
    .execute();
  await deps.trx.updateTable('recovery_code').set({ used_at: deps.now }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
  const ended = await endSessions(deps.trx, { userId: user.id }, 'second_factor_reset', deps.now);
  deps.audit.record({ objectType: 'user', objectId: user.id, details: { sessionsEnded: ended } });
}

/** Replaces a user's roles; grants keep their history (ACC-6). An admin cannot drop their own admin role. */
export async function changeRoles(deps: Deps, admin: SessionUser, userId: string, roles: Role[]): Promise<{ roles: Role[] }> {
  const user = await userOfOrganisation(deps.trx, admin, userId);
  const wanted = [...new Set(roles)].sort();
  if (user.id === admin.userId && !wanted.includes('admin')) throw fieldError('roles', 'validation.keep_own_admin');
  const current = await activeRolesOf(deps.trx, user.id);
  const removed = current.filter((role) => !wanted.includes(role));
  const added = wanted.filter((role) => !current.includes(role));
  if (removed.length > 0) {
    await deps.trx
      .updateTable('role_grant')
      .set({ revoked_at: deps.now, revoked_by: admin.userId })
      .where('user_id', '=', user.id)
      .where('role', 'in', removed)
      .where('revoked_at', 'is', null)
      .execute();
  }
  if (added.length > 0) {
    await deps.trx
      .insertInto('role_grant')
      .values(added.map((role) => ({ organisation_id: user.organisation_id, user_id: user.id, role, granted_by: admin.userId, granted_at: deps.now, revoked_at: null, revoked_by: null })))
      .execute();
  }
  deps.audit.record({ objectType: 'user', objectId: user.id, details: { added, removed } });
  return { roles: wanted };
}
