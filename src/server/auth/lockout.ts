import { sql } from 'kysely';
import type { AuditActor } from '../audit/record';
import type { Database, Executor } from '../db/database';
import type { AuditRecorder } from '../audit/recorder';

/**
 * AUTH-4 brute-force lockout that an outsider cannot turn into a weapon (docs/adr/0005).
 *
 * - Failures are counted per (account, source) — a source is an IPv4 address or an IPv6 /64. Five
 *   lock that pair: 5 minutes, doubling each time, at most a day. Someone hammering a clinician's
 *   e-mail address from one place locks out only that place; the clinician signs in from theirs.
 * - A pair's failures decay: an hour without one starts the count again; a day without one forgets
 *   its earlier lockouts.
 * - The account-wide lock is only a backstop against guessing from many sources at once: fifty
 *   failures within an hour lock the account for 15 minutes (not growing, so it cannot be stretched
 *   into a day), and even then a device this user has completed a login from before is admitted.
 */
export const PAIR_MAX_FAILURES = 5;
const PAIR_FIRST_LOCKOUT_MS = 5 * 60 * 1000;
const PAIR_MAX_LOCKOUT_MS = 24 * 60 * 60 * 1000;
export const PAIR_FAILURE_DECAY_MS = 60 * 60 * 1000;
const PAIR_LOCKOUT_DECAY_MS = 24 * 60 * 60 * 1000;
export const ACCOUNT_MAX_FAILURES = 50;
export const ACCOUNT_WINDOW_MS = 60 * 60 * 1000;
export const ACCOUNT_LOCKOUT_MS = 15 * 60 * 1000;
/** Wrong unlock passwords or step-up codes in one session: the fifth ends it. */
export const SESSION_MAX_FAILURES = 5;

export function lockoutDuration(previousLockouts: number): number {
  return Math.min(PAIR_FIRST_LOCKOUT_MS * 2 ** Math.min(previousLockouts, 20), PAIR_MAX_LOCKOUT_MS);
}

export type LockRefusal = 'locked' | 'locked_account';

/**
 * Whether this source may try this account now: its own pair lock first, then the account-wide
 * backstop, which a device the user has logged in from before passes.
 */
export async function lockRefusalOf(
  trx: Executor,
  user: { id: string; locked_until: Date | null },
  source: string,
  deviceId: string | null,
  now: Date,
): Promise<LockRefusal | undefined> {
  const pair = await trx.selectFrom('login_failure').select('locked_until').where('user_id', '=', user.id).where('source', '=', source).executeTakeFirst();
  if (pair?.locked_until && pair.locked_until.getTime() > now.getTime()) return 'locked';
  if (user.locked_until && user.locked_until.getTime() > now.getTime()) {
    if (deviceId) {
      const known = await trx.selectFrom('user_device').select('device_id').where('user_id', '=', user.id).where('device_id', '=', deviceId).executeTakeFirst();
      if (known) return undefined;
    }
    return 'locked_account';
  }
  return undefined;
}

/**
 * Counts a failed password or code for the pair and for the account's backstop, locking either
 * when its threshold is reached. The caller holds the user's row lock, so concurrent guesses take
 * turns here; the events are written even though the login fails (refused after commit).
 */
export async function registerLoginFailure(
  deps: { trx: Executor; audit: AuditRecorder; now: Date },
  user: { id: string; organisation_id: string },
  actor: AuditActor,
  reason: string,
  source: string,
): Promise<void> {
  const { trx, audit, now } = deps;
  audit.record({ action: 'auth.login.failure', outcome: 'denied', reason, actor, objectType: 'user', objectId: user.id });
  const failureDecay = new Date(now.getTime() - PAIR_FAILURE_DECAY_MS);
  const lockoutDecay = new Date(now.getTime() - PAIR_LOCKOUT_DECAY_MS);
  const pair = await trx
    .insertInto('login_failure')
    .values({ organisation_id: user.organisation_id, user_id: user.id, source, failures: 1, lockout_count: 0, locked_until: null, last_failure_at: now })
    .onConflict((conflict) =>
      conflict.columns(['user_id', 'source']).doUpdateSet({
        failures: sql`case when login_failure.last_failure_at < ${failureDecay} then 1 else login_failure.failures + 1 end`,
        lockout_count: sql`case when login_failure.last_failure_at < ${lockoutDecay} then 0 else login_failure.lockout_count end`,
        last_failure_at: now,
      }),
    )
    .returning(['failures', 'lockout_count'])
    .executeTakeFirstOrThrow();
  if (pair.failures >= PAIR_MAX_FAILURES) {
    const duration = lockoutDuration(pair.lockout_count);
    await trx
      .updateTable('login_failure')
      .set({ failures: 0, lockout_count: pair.lockout_count + 1, locked_until: new Date(now.getTime() + duration) })
      .where('user_id', '=', user.id)
      .where('source', '=', source)
      .execute();
    audit.record({
      action: 'auth.lockout',
      outcome: 'denied',
      reason: 'too_many_failures',
      actor,
      objectType: 'user',
      objectId: user.id,
      details: { scope: 'source', lockedForSeconds: duration / 1000, lockoutNumber: pair.lockout_count + 1 },
    });
  }

  const windowStart = new Date(now.getTime() - ACCOUNT_WINDOW_MS);
  const account = await trx
    .updateTable('app_user')
    .set({
      failed_attempts: sql`case when failure_window_started_at is null or failure_window_started_at < ${windowStart} then 1 else failed_attempts + 1 end`,
      failure_window_started_at: sql`case when failure_window_started_at is null or failure_window_started_at < ${windowStart} then ${now} else failure_window_started_at end`,
    })
    .where('id', '=', user.id)
    .returning(['failed_attempts', 'lockout_count'])
    .executeTakeFirstOrThrow();
  if (account.failed_attempts >= ACCOUNT_MAX_FAILURES) {
    await trx
      .updateTable('app_user')
      .set({ failed_attempts: 0, failure_window_started_at: null, lockout_count: account.lockout_count + 1, locked_until: new Date(now.getTime() + ACCOUNT_LOCKOUT_MS) })
      .where('id', '=', user.id)
      .execute();
    audit.record({
      action: 'auth.lockout',
      outcome: 'denied',
      reason: 'too_many_failures',
      actor,
      objectType: 'user',
      objectId: user.id,
      details: { scope: 'account', lockedForSeconds: ACCOUNT_LOCKOUT_MS / 1000, lockoutNumber: account.lockout_count + 1 },
    });
  }
}

/**
 * A completed login clears its own source's failures and lockout history. The account-wide count
 * is left to decay: a guesser elsewhere does not get a fresh allowance because the user signed in.
 */
export async function clearSourceFailures(trx: Executor, userId: string, source: string): Promise<void> {
  await trx.deleteFrom('login_failure').where('user_id', '=', userId).where('source', '=', source).execute();
}

/**
 * An admin's unlock lifts every lock on the account: the admin's own lock, each source's and the
 * backstop. One statement (a data-modifying CTE): the unlock is an everyday admin action, and the
 * per-source rows are usually absent, so it must not cost a round trip per kind of lock.
 */
export async function unlockAccount(trx: Executor, userId: string): Promise<void> {
  await trx
    .with('cleared_sources', (db) => db.deleteFrom('login_failure').where('user_id', '=', userId))
    .updateTable('app_user')
    .set({ is_locked_by_admin: false, locked_until: null, failed_attempts: 0, failure_window_started_at: null, lockout_count: 0 })
    .where('id', '=', userId)
    .execute();
}

/** Rows that neither lock nor count any more (background job): the table holds only live state. */
export async function deleteStaleLoginFailures(db: Database, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('login_failure')
    .where('last_failure_at', '<', new Date(now.getTime() - PAIR_LOCKOUT_DECAY_MS))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * A wrong password at the lock screen or a wrong step-up code (AUTH-4): counted on the session;
 * the fifth ends it. Returns whether the session was ended. The caller records the failure event.
 */
export async function registerSessionFailure(
  deps: { trx: Executor; audit: AuditRecorder; now: Date },
  sessionId: string,
): Promise<boolean> {
  const counted = await deps.trx
    .updateTable('session')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .returning('failed_attempts')
    .executeTakeFirst();
  if (!counted || counted.failed_attempts < SESSION_MAX_FAILURES) return false;
  await deps.trx.updateTable('session').set({ ended_at: deps.now, end_reason: 'locked' }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
  deps.audit.record({ action: 'auth.lockout', outcome: 'denied', reason: 'too_many_failures', objectType: 'session', objectId: sessionId, details: { scope: 'session' } });
  return true;
}

export async function clearSessionFailures(trx: Executor, sessionId: string): Promise<void> {
  await trx.updateTable('session').set({ failed_attempts: 0 }).where('id', '=', sessionId).where('failed_attempts', '>', 0).execute();
}
