import { sql } from 'kysely';
import type { Role } from '../../shared/roles';
import { type AuditActor, writeAuditEvent } from '../audit/record';
import type { Database, Executor } from '../db/database';
import type { SessionEndReason } from '../db/schema';
import { hashToken, newToken } from './tokens';

/** AUTH-5: the app locks after 15 idle minutes; every session ends after 12 hours. */
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
export const TOUCH_INTERVAL_MS = 15 * 1000;

export type AuthMethod = 'password+totp' | 'password+recovery_code';

export interface SessionUser {
  sessionId: string;
  userId: string;
  organisationId: string;
  displayName: string;
  email: string;
  roles: Role[];
  profession: string | null;
  authMethod: string;
  deviceId: string | null;
  secondFactorAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
}

export type SessionLookup =
  | { status: 'active'; session: SessionUser }
  | { status: 'locked'; session: SessionUser }
  | { status: 'expired' }
  | { status: 'invalid' };

export function actorOf(session: SessionUser): AuditActor {
  return {
    organisationId: session.organisationId,
    userId: session.userId,
    displayName: session.displayName,
    roles: session.roles,
    profession: session.profession,
    sessionId: session.sessionId,
    authMethod: session.authMethod,
    deviceId: session.deviceId,
  };
}

export async function activeRolesOf(db: Executor, userId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('role_grant')
    .select('role')
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('role')
    .execute();
  return rows.map((row) => row.role as Role);
}

export async function createSession(
  trx: Executor,
  values: { organisationId: string; userId: string; authMethod: AuthMethod; deviceId: string | null; now: Date },
): Promise<{ token: string; sessionId: string }> {
  const token = newToken();
  const row = await trx
    .insertInto('session')
    .values({
      organisation_id: values.organisationId,
      user_id: values.userId,
      token_hash: hashToken(token),
      auth_method: values.authMethod,
      device_id: values.deviceId,
      created_at: values.now,
      last_seen_at: values.now,
      second_factor_at: values.now,
      expires_at: new Date(values.now.getTime() + ABSOLUTE_TIMEOUT_MS),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, sessionId: row.id };
}

/**
 * Finds the session a bearer token belongs to and says what state it is in. An expired session is
 * ended here and its expiry logged (AUTH-5, in its own transaction: no caller action follows).
 */
export async function resolveSession(db: Database, token: string, now: Date): Promise<SessionLookup> {
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id as sessionId',
      'session.user_id as userId',
      'session.organisation_id as organisationId',
      'session.auth_method as authMethod',
      'session.device_id as deviceId',
      'session.second_factor_at as secondFactorAt',
      'session.expires_at as expiresAt',
      'session.last_seen_at as lastSeenAt',
      'app_user.display_name as displayName',
      'app_user.email as email',
      'app_user.profession as profession',
      'app_user.status as userStatus',
      'app_user.is_locked_by_admin as isLockedByAdmin',
      // The roles in the same round trip: this runs before every authenticated call.
      (eb) =>
        eb
          .selectFrom('role_grant')
          .select(sql<string[]>`coalesce(array_agg(role order by role), '{}')`.as('roles'))
          .whereRef('role_grant.user_id', '=', 'session.user_id')
          .where('role_grant.revoked_at', 'is', null)
          .as('roles'),
    ])
    .where('session.token_hash', '=', hashToken(token))
    .where('session.ended_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.userStatus !== 'active' || row.isLockedByAdmin) return { status: 'invalid' };
  const roles = (row.roles ?? []) as Role[];
  const session: SessionUser = {
    sessionId: row.sessionId,
    userId: row.userId,
    organisationId: row.organisationId,
    displayName: row.displayName,
    email: row.email,
    roles,
    profession: row.profession,
    authMethod: row.authMethod,
    deviceId: row.deviceId,
    secondFactorAt: row.secondFactorAt,
    expiresAt: row.expiresAt,
    lastSeenAt: row.lastSeenAt,
  };
  if (now.getTime() >= row.expiresAt.getTime()) {
    await db.transaction().execute(async (trx) => {
      const ended = await endSessions(trx, { sessionId: row.sessionId }, 'expired', now);
      if (ended > 0) {
        await writeAuditEvent(trx, actorOf(session), { action: 'auth.session.expired', objectType: 'session', objectId: row.sessionId }, { now, clientIp: undefined });
      }
    });
    return { status: 'expired' };
  }
  if (now.getTime() - row.lastSeenAt.getTime() > IDLE_TIMEOUT_MS) return { status: 'locked', session };
  return { status: 'active', session };
}

/** Marks the session used now; skipped (no round trip) when it was marked within the last 15 s. */
export async function touchSession(db: Executor, session: { sessionId: string; lastSeenAt: Date }, now: Date): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return;
  await touchSessionRow(db, session.sessionId, now);
}

/**
 * Moves last_seen_at to now unless it is already within the last 15 s. Returns whether the row
 * moved: when it did not, another process touched it lately (or it ended), so the stored value is
 * at least now − 15 s (the session cache keeps that as its lower bound, docs/adr/0018).
 */
export async function touchSessionRow(db: Executor, sessionId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('session')
    .set({ last_seen_at: now })
    .where('id', '=', sessionId)
    .where('last_seen_at', '<', new Date(now.getTime() - TOUCH_INTERVAL_MS))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends one session or all of a user's open sessions at once (logout, revoke, reset). Returns how many. */
export async function endSessions(
  db: Executor,
  which: { sessionId: string } | { userId: string },
  reason: SessionEndReason,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('session')
    .set({ ended_at: now, end_reason: reason })
    .where('ended_at', 'is', null)
    .$if('sessionId' in which, (query) => query.where('id', '=', (which as { sessionId: string }).sessionId))
    .$if('userId' in which, (query) => query.where('user_id', '=', (which as { userId: string }).userId))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function markSecondFactor(db: Executor, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('session').set({ second_factor_at: now, last_seen_at: now }).where('id', '=', sessionId).execute();
}

export function unlockSession(db: Executor, sessionId: string, now: Date) {
  return db.updateTable('session').set({ last_seen_at: now }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
}

