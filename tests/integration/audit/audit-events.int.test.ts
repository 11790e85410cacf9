import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { writeAuditEvent } from '../../../src/server/audit/record';
import { TEST_PASSWORD, callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';
import { errorOf, eventCount, fieldErrorsFrom } from './audit-helpers';

describe('AUD-3: no action and no read without its event (fail closed)', () => {
  const database = useTestDatabase();

  async function adminAndClinician() {
    const { db } = database.current;
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin'] });
    const clinician = await createUser(db, organisation.id, { roles: ['clinician'] });
    const asAdmin = callerAs(database.current, (await login(database.current, admin, clock)).token, clock);
    const asClinician = callerAs(database.current, (await login(database.current, clinician, clock)).token, clock);
    return { clock, organisation, admin, clinician, asAdmin, asClinician };
  }

  it('AUD-3: when the event of users.lock cannot be written, the user is not locked and their sessions stay open', async () => {
    const { db } = database.current;
    const { clinician, asAdmin, asClinician } = await adminAndClinician();
    await database.current.asOwner((owner) => sql`alter table audit_event add constraint test_block check (action <> 'admin.user.locked')`.execute(owner));

    const error = await errorOf(asAdmin.users.lock({ userId: clinician.id }));
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    const user = await db.selectFrom('app_user').select('is_locked_by_admin').where('id', '=', clinician.id).executeTakeFirstOrThrow();
    expect(user.is_locked_by_admin).toBe(false);
    const open = await db.selectFrom('session').select('id').where('user_id', '=', clinician.id).where('ended_at', 'is', null).execute();
    expect(open).toHaveLength(1);
    await expect(asClinician.auth.session.me()).resolves.toMatchObject({ userId: clinician.id });
    expect(await eventsOf(db, { action: 'admin.user.locked' })).toHaveLength(0);

    // The block was the only reason: without it, the same call locks the user and logs it.
    await database.current.asOwner((owner) => sql`alter table audit_event drop constraint test_block`.execute(owner));
    await asAdmin.users.lock({ userId: clinician.id });
    expect((await db.selectFrom('app_user').select('is_locked_by_admin').where('id', '=', clinician.id).executeTakeFirstOrThrow()).is_locked_by_admin).toBe(true);
    expect(await eventsOf(db, { action: 'admin.user.locked' })).toHaveLength(1);
  });

  it('AUD-3: when the read event of activity.mine cannot be written, the read throws and returns nothing', async () => {
    const { db } = database.current;
    const { asClinician } = await adminAndClinician();
    await database.current.asOwner((owner) => sql`alter table audit_event add constraint test_block check (action <> 'audit.read.own')`.execute(owner));
    let result: unknown;
    const error = await errorOf(async () => {
      result = await asClinician.activity.mine({});
    });
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(result).toBeUndefined();
    expect(JSON.stringify({ message: error.message, data: (error as { data?: unknown }).data })).not.toContain('auth.login');
    expect(await eventsOf(db, { action: 'audit.read.own' })).toHaveLength(0);

    await database.current.asOwner((owner) => sql`alter table audit_event drop constraint test_block`.execute(owner));
    const page = await asClinician.activity.mine({});
    expect(page.events.length).toBeGreaterThan(0);
    expect(await eventsOf(db, { action: 'audit.read.own' })).toHaveLength(1);
  });

  it('AUD-3: with insert on the audit log revoked from the application role, users.list returns nothing', async () => {
    const { asAdmin } = await adminAndClinician();
    const { db } = database.current;
    const before = await eventCount(db);
    await database.current.asOwner((owner) => sql`revoke insert on audit_event from journalkontor_app`.execute(owner));
    let result: unknown;
    const error = await errorOf(async () => {
      result = await asAdmin.users.list();
    });
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(result).toBeUndefined();
    expect(await eventCount(db)).toBe(before);
    await database.current.asOwner((owner) => sql`grant insert on audit_event to journalkontor_app`.execute(owner));
    expect(await asAdmin.users.list()).toHaveLength(2);
  });
});

describe('AUD-2, AUTH-7: what an event holds', () => {
  const database = useTestDatabase();

  it('AUD-2: an admin action records organisation, user, name and roles at the time, profession, session, method and device; no client IP', async () => {
    const { db } = database.current;
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin', 'clinician'], displayName: 'Kari Nordmann', profession: 'lege' });
    const target = await createUser(db, organisation.id, { roles: ['coordinator'] });
    const { token } = await login(database.current, admin, clock, { deviceId: 'device-kari-0001' });
    const session = await db.selectFrom('session').select('id').where('user_id', '=', admin.id).executeTakeFirstOrThrow();
    // The request carries an IP address; an ordinary action must not store it (data minimisation).
    const asAdmin = callerAs(database.current, token, clock, { clientIp: '203.0.113.9' });
    const lockedAt = clock.now();
    await asAdmin.users.lock({ userId: target.id });

    const [locked] = await eventsOf(db, { action: 'admin.user.locked' });
    expect(locked).toMatchObject({
      organisation_id: organisation.id,
      user_id: admin.id,
      user_display_name: 'Kari Nordmann',
      user_roles: ['admin', 'clinician'],
      profession: 'lege',
      session_id: session.id,
      auth_method: 'password+totp',
      device_id: 'device-kari-0001',
      outcome: 'allowed',
      reason: null,
      object_type: 'user',
      object_id: target.id,
      patient_id: null,
      client_ip: null,
    });
    expect(locked?.occurred_at.toISOString()).toBe(lockedAt.toISOString());

    // Renamed and given another role afterwards: the old event keeps the name and roles of its time.
    await db.updateTable('app_user').set({ display_name: 'Kari Nyttnavn' }).where('id', '=', admin.id).execute();
    await asAdmin.users.changeRoles({ userId: admin.id, roles: ['admin', 'clinician', 'dpo'] });
    await asAdmin.users.unlock({ userId: target.id });
    const [lockedAgain] = await eventsOf(db, { action: 'admin.user.locked' });
    expect(lockedAgain).toMatchObject({ user_display_name: 'Kari Nordmann', user_roles: ['admin', 'clinician'] });
    const [unlocked] = await eventsOf(db, { action: 'admin.user.unlocked' });
    expect(unlocked).toMatchObject({ user_display_name: 'Kari Nyttnavn', user_roles: ['admin', 'clinician', 'dpo'], session_id: session.id, client_ip: null });

    // Not one event of this session stored the IP.
    const withIp = await db.selectFrom('audit_event').select('id').where('client_ip', 'is not', null).execute();
    expect(withIp).toHaveLength(0);
  });
});

describe('AUD-7: everyone sees the events of their own actions', () => {
  const database = useTestDatabase();

  it('AUD-7: activity.mine shows only the caller’s events, newest first, in keyset pages without gaps or overlaps, and logs each read', async () => {
    const { db } = database.current;
    const clock = new TestClock();
    const clinic = await createOrganisation(db);
    const other = await createOrganisation(db);
    const me = await createUser(db, clinic.id, { roles: ['clinician'] });
    const colleague = await createUser(db, clinic.id, { roles: ['admin'] });
    const stranger = await createUser(db, other.id, { roles: ['admin'] });

    // My own history: a failed password, two logins from two devices.
    await errorOf(createTestCaller(database.current, { now: clock.now }).auth.login.password({ email: me.email, password: `${TEST_PASSWORD}-feil`, deviceId: null }));
    await login(database.current, me, clock, { deviceId: 'device-mine-0001' });
    const { token } = await login(database.current, me, clock, { deviceId: 'device-mine-0002' });
    // Others' history, some of it about me.
    const asColleague = callerAs(database.current, (await login(database.current, colleague, clock)).token, clock);
    await asColleague.users.list();
    await asColleague.users.revokeSessions({ userId: stranger.id }).catch(() => undefined);
    const asStranger = callerAs(database.current, (await login(database.current, stranger, clock)).token, clock);
    await asStranger.users.list();
    // An event of another organisation carrying my user id must not show either (the query is per organisation too).
    await writeAuditEvent(
      db,
      { organisationId: other.id, userId: me.id, displayName: 'x', roles: [], profession: null, sessionId: null, authMethod: null, deviceId: null },
      { action: 'admin.user.list' },
      { now: clock.now(), clientIp: undefined },
    );
    await login(database.current, me, clock, { deviceId: 'device-mine-0002' });
    const asMe = callerAs(database.current, token, clock);

    const expected = (
      await db.selectFrom('audit_event').select('id').where('organisation_id', '=', clinic.id).where('user_id', '=', me.id).orderBy('id', 'desc').execute()
    ).map((row) => String(row.id));
    expect(expected.length).toBeGreaterThanOrEqual(6);

    const pages: string[][] = [];
    let before: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await asMe.activity.mine({ limit: 2, ...(before ? { before } : {}) });
      pages.push(result.events.map((event) => event.id));
      const times = result.events.map((event) => event.occurredAt);
      expect([...times].sort().reverse()).toEqual(times);
      if (result.nextBefore === null) break;
      expect(result.nextBefore).toBe(result.events.at(-1)?.id);
      before = result.nextBefore;
    }
    expect(pages.flat()).toEqual(expected);
    expect(new Set(pages.flat()).size).toBe(expected.length);
    expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);

    // Each page read left its own event, naming how many events it showed.
    const reads = await eventsOf(db, { action: 'audit.read.own' });
    expect(reads).toHaveLength(pages.length);
    expect(reads.map((event) => event.details)).toEqual(pages.map((page) => ({ shown: page.length, shownPatientIds: [] })));
    expect(reads.every((event) => event.user_id === me.id && event.organisation_id === clinic.id && event.basis === 'own_data')).toBe(true);

    // The next read shows the read events themselves (they are my actions), and still nothing of others'.
    const latest = await asMe.activity.mine({ limit: 200 });
    expect(latest.events.slice(0, pages.length).map((event) => event.action)).toEqual(pages.map(() => 'audit.read.own'));
    const mine = new Set(
      (await db.selectFrom('audit_event').select('id').where('organisation_id', '=', clinic.id).where('user_id', '=', me.id).execute()).map((row) => String(row.id)),
    );
    expect(latest.events.every((event) => mine.has(event.id))).toBe(true);
    // The stranger in the other organisation sees none of my events and none of the clinic's.
    const theirs = await asStranger.activity.mine({ limit: 200 });
    const clinicIds = new Set(
      (await db.selectFrom('audit_event').select('id').where('organisation_id', '=', clinic.id).execute()).map((row) => String(row.id)),
    );
    expect(theirs.events.length).toBeGreaterThan(0);
    expect(theirs.events.some((event) => clinicIds.has(event.id) || mine.has(event.id))).toBe(false);
  });

  it('AUD-7, PLAT-6: bad paging input is refused naming the field', async () => {
    const { db } = database.current;
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const me = await createUser(db, organisation.id);
    const asMe = callerAs(database.current, (await login(database.current, me, clock)).token, clock);
    const before = await eventCount(db);
    for (const [input, field] of [
      [{ before: "1 or 1=1" }, 'before'],
      [{ before: '1'.repeat(20) }, 'before'],
      [{ before: 5 }, 'before'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ limit: 1.5 }, 'limit'],
      [{ limit: 'ti' }, 'limit'],
      [{ userId: me.id }, ''],
    ] as const) {
      const error = await errorOf(asMe.activity.mine(input as never));
      expect(fieldErrorsFrom(error).map((fieldError) => fieldError.field), JSON.stringify(input)).toEqual([field]);
    }
    expect(await eventCount(db)).toBe(before);
  });
});
