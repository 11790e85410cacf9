import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/database';
import { errorOf } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { buildTestApp } from '../support/test-server';

/** Everything stored about one user, to prove an attempt changed nothing. */
async function stateOf(db: Database, userId: string) {
  return {
    user: await db.selectFrom('app_user').selectAll().where('id', '=', userId).executeTakeFirstOrThrow(),
    roles: await db.selectFrom('role_grant').selectAll().where('user_id', '=', userId).orderBy('id').execute(),
    sessions: await db.selectFrom('session').selectAll().where('user_id', '=', userId).orderBy('id').execute(),
    recoveryCodes: await db.selectFrom('recovery_code').selectAll().where('user_id', '=', userId).orderBy('id').execute(),
  };
}

const ATTEMPTS = [
  ['users.lock', 'admin.user.locked'],
  ['users.unlock', 'admin.user.unlocked'],
  ['users.revokeSessions', 'admin.user.sessions_revoked'],
  ['users.resetSecondFactor', 'admin.user.second_factor_reset'],
  ['users.changeRoles', 'admin.user.roles_changed'],
] as const;

describe('PLAT-3: one organisation cannot reach another’s users', () => {
  const database = useTestDatabase();

  async function twoClinics() {
    const { db } = database.current;
    const clock = new TestClock();
    const clinicA = await createOrganisation(db, 'Klinikk A');
    const clinicB = await createOrganisation(db, 'Klinikk B');
    const adminA = await createUser(db, clinicA.id, { roles: ['admin'] });
    const colleagueA = await createUser(db, clinicA.id, { roles: ['clinician'] });
    const adminB = await createUser(db, clinicB.id, { roles: ['admin'] });
    const userB = await createUser(db, clinicB.id, { roles: ['clinician'] });
    const tokenA = (await login(database.current, adminA, clock)).token;
    const asAdminB = callerAs(database.current, (await login(database.current, adminB, clock)).token, clock);
    // B's user was locked once by B's admin and unlocked again (so an unlock from A would show too).
    await asAdminB.users.lock({ userId: userB.id });
    await asAdminB.users.unlock({ userId: userB.id });
    const tokenUserB = (await login(database.current, userB, clock)).token;
    return { clock, clinicA, clinicB, adminA, colleagueA, adminB, userB, tokenA, tokenUserB, asAdminA: callerAs(database.current, tokenA, clock), asAdminB };
  }

  it.each(ATTEMPTS)('PLAT-3: %s on another organisation’s user answers exactly like an id that exists nowhere, changes nothing, and is logged in the caller’s organisation', async (path, action) => {
    const { db } = database.current;
    const { clinicA, clinicB, adminA, userB, tokenA, tokenUserB, asAdminA, clock } = await twoClinics();
    const nowhere = randomUUID();
    const before = await stateOf(db, userB.id);
    const eventsOfBBefore = (await db.selectFrom('audit_event').select('id').where('organisation_id', '=', clinicB.id).execute()).length;
    const input = (userId: string) => (path === 'users.changeRoles' ? { userId, roles: ['admin'] } : { userId });
    const procedure = (userId: string) => {
      const [, name] = path.split('.') as [string, keyof typeof asAdminA.users];
      return (asAdminA.users[name] as (input: unknown) => Promise<unknown>)(input(userId));
    };

    const guessed = await errorOf(procedure(userB.id));
    const missing = await errorOf(procedure(nowhere));
    expect(guessed).toMatchObject({ code: 'NOT_FOUND', message: 'error.not_found' });
    expect({ code: missing.code, message: missing.message, cause: missing.cause, name: missing.name }).toEqual({ code: guessed.code, message: guessed.message, cause: guessed.cause, name: guessed.name });

    // Over HTTP, the whole answer is the same, byte for byte.
    const app = await buildTestApp(database.current, { now: clock.now });
    try {
      const post = (userId: string) =>
        app.inject({ method: 'POST', url: `/trpc/${path}`, payload: JSON.stringify(input(userId)), headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenA}` } });
      const [overB, overNowhere] = [await post(userB.id), await post(nowhere)];
      expect(overB.statusCode).toBe(404);
      expect(overB.json()).toEqual(overNowhere.json());
      expect(overB.json()).toMatchObject({ error: { message: 'error.not_found', data: { code: 'NOT_FOUND', httpStatus: 404 } } });
      expect(overB.body).not.toContain(userB.id);
    } finally {
      await app.close();
    }

    // Nothing changed on B's side, and B's user is still logged in.
    expect(await stateOf(db, userB.id)).toEqual(before);
    await expect(callerAs(database.current, tokenUserB, clock).auth.session.me()).resolves.toMatchObject({ userId: userB.id, roles: ['clinician'] });

    // Each attempt (the guessed id and the made-up one, by router and over HTTP) is logged, denied, in A's organisation only.
    const denied = (await eventsOf(db, { action })).filter((event) => event.outcome === 'denied');
    expect(denied).toHaveLength(4);
    for (const event of denied) {
      expect(event).toMatchObject({ organisation_id: clinicA.id, user_id: adminA.id, reason: 'not_found', object_type: 'user', details: { procedure: path } });
    }
    expect(denied.map((event) => event.object_id)).toEqual([userB.id, nowhere, userB.id, nowhere]);
    const eventsOfBAfter = (await db.selectFrom('audit_event').select('id').where('organisation_id', '=', clinicB.id).execute()).length;
    expect(eventsOfBAfter).toBe(eventsOfBBefore);
  });

  it('PLAT-3: users.list shows only the caller’s organisation, and activity.mine never another organisation’s events', async () => {
    const { db } = database.current;
    const { clinicA, adminA, colleagueA, adminB, userB, asAdminA, asAdminB } = await twoClinics();
    const listA = await asAdminA.users.list();
    expect(listA.map((user) => user.id).sort()).toEqual([adminA.id, colleagueA.id].sort());
    const listB = await asAdminB.users.list();
    expect(listB.map((user) => user.id).sort()).toEqual([adminB.id, userB.id].sort());
    expect(JSON.stringify(listA)).not.toContain(userB.email);

    // A's admin tried B's user: the event is A's, and B's admin does not see it in their own activity.
    await errorOf(asAdminA.users.lock({ userId: userB.id }));
    const activityA = await asAdminA.activity.mine({ limit: 200 });
    const activityB = await asAdminB.activity.mine({ limit: 200 });
    const organisationOf = new Map(
      (await db.selectFrom('audit_event').select(['id', 'organisation_id', 'user_id']).execute()).map((event) => [String(event.id), event]),
    );
    expect(activityA.events.length).toBeGreaterThan(0);
    expect(activityA.events.every((event) => organisationOf.get(event.id)?.organisation_id === clinicA.id && organisationOf.get(event.id)?.user_id === adminA.id)).toBe(true);
    expect(activityB.events.every((event) => organisationOf.get(event.id)?.organisation_id !== clinicA.id)).toBe(true);
    expect(activityA.events.some((event) => event.action === 'admin.user.locked' && event.outcome === 'denied' && event.objectId === userB.id)).toBe(true);
  });
});
