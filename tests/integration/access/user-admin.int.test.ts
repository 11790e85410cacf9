import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/database';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TEST_PASSWORD, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';

describe('user administration (AUD-1, ACC-6, AUTH-5)', () => {
  const database = useTestDatabase();

  async function clinic() {
    const { db } = database.current;
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin'] });
    const clinician = await createUser(db, organisation.id, { roles: ['clinician'] });
    const asAdmin = callerAs(database.current, (await login(database.current, admin, clock)).token, clock);
    return { clock, organisation, admin, clinician, asAdmin };
  }

  it('AUD-1, AUTH-5: users.lock ends the user’s sessions, refuses their logins, and is logged with the user as object', async () => {
    const { db } = database.current;
    const { clock, admin, clinician, asAdmin } = await clinic();
    const first = await login(database.current, clinician, clock);
    const second = await login(database.current, clinician, clock);
    await asAdmin.users.lock({ userId: clinician.id });

    for (const { token } of [first, second]) {
      expect(await errorOf(callerAs(database.current, token, clock).auth.session.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    const ended = await db.selectFrom('session').select(['end_reason']).where('user_id', '=', clinician.id).execute();
    expect(ended.map((session) => session.end_reason)).toEqual(['locked', 'locked']);
    const [event] = await eventsOf(db, { action: 'admin.user.locked' });
    expect(event).toMatchObject({ user_id: admin.id, outcome: 'allowed', object_type: 'user', object_id: clinician.id, details: { sessionsEnded: 2 } });

    const loginAttempt = await errorOf(
      createTestCaller(database.current, { now: clock.now }).auth.login.password({ email: clinician.email, password: TEST_PASSWORD, deviceId: null }),
    );
    expect(loginAttempt).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.login_failed' });
    expect((await eventsOf(db, { action: 'auth.login.failure', userId: clinician.id })).map((failure) => failure.reason)).toEqual(['locked_by_admin']);
    const [listed] = (await asAdmin.users.list()).filter((user) => user.id === clinician.id);
    expect(listed).toMatchObject({ isLocked: true, isLockedByAdmin: true, openSessions: 0 });
  });

  it('AUD-1: users.unlock lets the user in again and is logged', async () => {
    const { db } = database.current;
    const { clock, admin, clinician, asAdmin } = await clinic();
    await asAdmin.users.lock({ userId: clinician.id });
    await asAdmin.users.unlock({ userId: clinician.id });
    const [event] = await eventsOf(db, { action: 'admin.user.unlocked' });
    expect(event).toMatchObject({ user_id: admin.id, outcome: 'allowed', object_type: 'user', object_id: clinician.id });
    const { token } = await login(database.current, clinician, clock);
    await expect(callerAs(database.current, token, clock).auth.session.me()).resolves.toMatchObject({ userId: clinician.id });
  });

  it('AUD-1, AUTH-5: users.revokeSessions ends every session at once, says how many, and is logged', async () => {
    const { db } = database.current;
    const { clock, admin, clinician, asAdmin } = await clinic();
    const tokens = [await login(database.current, clinician, clock), await login(database.current, clinician, clock)];
    expect(await asAdmin.users.revokeSessions({ userId: clinician.id })).toEqual({ sessionsEnded: 2 });
    for (const { token } of tokens) {
      expect(await errorOf(callerAs(database.current, token, clock).auth.session.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    const [event] = await eventsOf(db, { action: 'admin.user.sessions_revoked' });
    expect(event).toMatchObject({ user_id: admin.id, outcome: 'allowed', object_type: 'user', object_id: clinician.id, details: { sessionsEnded: 2 } });
    // Not locked: the user may log in again.
    await login(database.current, clinician, clock);
  });

  it('ACC-6: users.changeRoles keeps the history of grants, takes effect on open sessions, and is logged', async () => {
    const { db } = database.current;
    const { clock, admin, clinician, asAdmin } = await clinic();
    const asClinician = callerAs(database.current, (await login(database.current, clinician, clock)).token, clock);
    const changedAt = clock.now();
    expect(await asAdmin.users.changeRoles({ userId: clinician.id, roles: ['dpo', 'coordinator', 'dpo'] })).toEqual({ roles: ['coordinator', 'dpo'] });

    const grants = await db.selectFrom('role_grant').selectAll().where('user_id', '=', clinician.id).orderBy('role').execute();
    expect(grants.map(({ role, revoked_at, revoked_by, granted_by }) => ({ role, revoked: revoked_at?.toISOString() ?? null, revoked_by, granted_by }))).toEqual([
      { role: 'clinician', revoked: changedAt.toISOString(), revoked_by: admin.id, granted_by: null },
      { role: 'coordinator', revoked: null, revoked_by: null, granted_by: admin.id },
      { role: 'dpo', revoked: null, revoked_by: null, granted_by: admin.id },
    ]);
    const [event] = await eventsOf(db, { action: 'admin.user.roles_changed' });
    expect(event).toMatchObject({ user_id: admin.id, object_type: 'user', object_id: clinician.id, details: { added: ['coordinator', 'dpo'], removed: ['clinician'] } });
    await expect(asClinician.auth.session.me()).resolves.toMatchObject({ roles: ['coordinator', 'dpo'] });

    // Given back later: a new grant row, the old one stays revoked (history, not an overwrite).
    clock.advance(60_000);
    await asAdmin.users.changeRoles({ userId: clinician.id, roles: ['clinician'] });
    const history = await db.selectFrom('role_grant').select(['role', 'revoked_at']).where('user_id', '=', clinician.id).where('role', '=', 'clinician').orderBy('granted_at').execute();
    // One revoked grant and one active (sorted here: the first grant's time is the database's clock,
    // the second's the test clock, so their order by granted_at depends on the real time of day).
    expect(history.map((grant) => grant.revoked_at === null).sort()).toEqual([false, true]);
    expect(await eventsOf(db, { action: 'admin.user.roles_changed' })).toHaveLength(2);
    // The same roles again: nothing to change, still logged as the admin's action.
    await asAdmin.users.changeRoles({ userId: clinician.id, roles: ['clinician'] });
    expect(await db.selectFrom('role_grant').select('id').where('user_id', '=', clinician.id).execute()).toHaveLength(4);
  });

  it('ACC-6: an admin cannot remove their own admin role, nor lock themselves; nothing is written', async () => {
    const { db } = database.current;
    const { admin, asAdmin } = await clinic();
    const before = await snapshot(db);
    const ownAdmin = await errorOf(asAdmin.users.changeRoles({ userId: admin.id, roles: ['dpo'] }));
    expect(fieldErrorsFrom(ownAdmin)).toEqual([{ field: 'roles', messageKey: 'validation.keep_own_admin', params: {} }]);
    const ownLock = await errorOf(asAdmin.users.lock({ userId: admin.id }));
    expect(fieldErrorsFrom(ownLock)).toEqual([{ field: 'userId', messageKey: 'validation.not_yourself', params: {} }]);
    expect(await snapshot(db)).toEqual(before);
    // Adding a role to oneself while keeping admin is fine.
    await asAdmin.users.changeRoles({ userId: admin.id, roles: ['admin', 'dpo'] });
    await expect(asAdmin.auth.session.me()).resolves.toMatchObject({ roles: ['admin', 'dpo'] });
  });
});

/** Counts and contents that a refused mutation must leave as they were. */
async function snapshot(db: Database) {
  const count = async (table: 'audit_event' | 'app_user' | 'role_grant' | 'invitation' | 'outbox_message' | 'recovery_code') =>
    Number((await sql<{ count: string }>`select count(*)::text as count from ${sql.table(table)}`.execute(db)).rows[0]?.count);
  return {
    events: await count('audit_event'),
    users: await db.selectFrom('app_user').select(['id', 'display_name', 'is_locked_by_admin', 'totp_enrolled_at', 'locked_until', 'failed_attempts']).orderBy('id').execute(),
    grants: await db.selectFrom('role_grant').select(['id', 'role', 'revoked_at']).orderBy('id').execute(),
    invitations: await count('invitation'),
    messages: await count('outbox_message'),
    unusedRecoveryCodes: (await db.selectFrom('recovery_code').select('id').where('used_at', 'is', null).execute()).length,
    openSessions: (await db.selectFrom('session').select('id').where('ended_at', 'is', null).execute()).length,
  };
}

const HUGE = 'x'.repeat(1_000_000);
const SQL_LOOKING = "00000000-0000-0000-0000-000000000000' or '1'='1";
const UNICODE = 'ø'.repeat(36);

/** Bad inputs for a procedure taking { userId } and the field each must name. */
const badUserIdInputs = (validId: string): [string, unknown, string][] => [
  ['missing userId', {}, 'userId'],
  ['a number', { userId: 42 }, 'userId'],
  ['null', { userId: null }, 'userId'],
  ['an array', { userId: [validId] }, 'userId'],
  ['not a uuid', { userId: 'not-a-uuid' }, 'userId'],
  ['SQL-looking', { userId: SQL_LOOKING }, 'userId'],
  ['unicode', { userId: UNICODE }, 'userId'],
  ['huge', { userId: HUGE }, 'userId'],
  ['an unknown key', { userId: validId, isAdmin: true }, ''],
  ['no object at all', 'userId', ''],
];

describe('PLAT-6: bad input to user administration', () => {
  const database = useTestDatabase();

  const CASES: [string, (validId: string) => [string, unknown, string][]][] = [
    ['users.lock', badUserIdInputs],
    ['users.unlock', badUserIdInputs],
    ['users.revokeSessions', badUserIdInputs],
    ['users.resetSecondFactor', badUserIdInputs],
    [
      'users.changeRoles',
      (validId) => [
        ...badUserIdInputs(validId).map(([label, input, field]): [string, unknown, string] => [label, typeof input === 'object' && input !== null ? { roles: ['dpo'], ...input } : input, field]),
        ['roles missing', { userId: validId }, 'roles'],
        ['no roles', { userId: validId, roles: [] }, 'roles'],
        ['an unknown role', { userId: validId, roles: ['superuser'] }, 'roles.0'],
        ['a role as a string', { userId: validId, roles: 'admin' }, 'roles'],
        ['SQL-looking role', { userId: validId, roles: ["admin'); drop table role_grant; --"] }, 'roles.0'],
        ['a huge list', { userId: validId, roles: Array.from({ length: 10_000 }, () => 'dpo') }, 'roles'],
      ],
    ],
    [
      'users.invite',
      () => {
        const valid = { displayName: 'Ola Nordmann', email: 'ola@test.example', phone: '+47 912 34 567', roles: ['coordinator'] };
        return [
          ['an e-mail that is not one', { ...valid, email: 'ola@' }, 'email'],
          ['a huge e-mail', { ...valid, email: `${HUGE}@test.example` }, 'email'],
          ['a phone with letters', { ...valid, phone: 'ring meg' }, 'phone'],
          ['an empty name', { ...valid, displayName: '   ' }, 'displayName'],
          ['a huge name', { ...valid, displayName: HUGE }, 'displayName'],
          ['a name as a number', { ...valid, displayName: 7 }, 'displayName'],
          ['an unknown role', { ...valid, roles: ['root'] }, 'roles.0'],
          ['no roles', { ...valid, roles: [] }, 'roles'],
          ['a bad HPR number', { ...valid, hprNumber: "12'; --" }, 'hprNumber'],
          ['an unknown profession', { ...valid, profession: 'sjaman' }, 'profession'],
          ['a clinician without profession', { ...valid, roles: ['clinician'], hprNumber: '1234567' }, 'profession'],
          ['an unknown key', { ...valid, organisationId: '00000000-0000-0000-0000-000000000000' }, ''],
        ];
      },
    ],
  ];

  it.each(CASES)('PLAT-6: %s refuses bad input with BAD_REQUEST naming the field, and writes nothing', async (path, inputsFor) => {
    const { db } = database.current;
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin'] });
    const clinician = await createUser(db, organisation.id, { roles: ['clinician'] });
    const asAdmin = callerAs(database.current, (await login(database.current, admin, clock)).token, clock);
    await login(database.current, clinician, clock);
    const before = await snapshot(db);
    const [, name] = path.split('.') as [string, keyof typeof asAdmin.users];
    const procedure = asAdmin.users[name] as (input: unknown) => Promise<unknown>;
    for (const [label, input, field] of inputsFor(clinician.id)) {
      const error = await errorOf(procedure(input));
      const fields = fieldErrorsFrom(error).map((fieldError) => fieldError.field);
      expect(fields, `${path}: ${label}`).toContain(field);
      // The rejected value is never echoed back.
      expect(JSON.stringify(fieldErrorsFrom(error)), `${path}: ${label}`).not.toMatch(/drop table|or '1'='1|xxxxxxxxxx|ring meg|sjaman/);
    }
    expect(await snapshot(db)).toEqual(before);
  });

  it('PLAT-6: unicode and SQL-looking names are data, stored as typed', async () => {
    const { db } = database.current;
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin'] });
    const asAdmin = callerAs(database.current, (await login(database.current, admin, clock)).token, clock);
    for (const [displayName, email] of [
      ['Ærlig Øystein Åsen 😀 ﷽', 'oystein@test.example'],
      ["Robert'); DROP TABLE app_user; --", 'bobby@test.example'],
    ] as const) {
      const { userId } = await asAdmin.users.invite({ displayName, email, phone: '+4791234567', roles: ['sales'] });
      const stored = await db.selectFrom('app_user').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow();
      expect(stored.display_name).toBe(displayName);
    }
    expect((await asAdmin.users.list()).map((user) => user.displayName)).toEqual(expect.arrayContaining(['Ærlig Øystein Åsen 😀 ﷽', "Robert'); DROP TABLE app_user; --"]));
    expect(await eventsOf(db, { action: 'admin.user.invited' })).toHaveLength(2);
  });
});
