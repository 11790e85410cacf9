import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/database';
import { RETENTION_CATEGORIES } from '../../../src/server/retention/categories';
import { runRetention } from '../../../src/server/retention/run';
import { inactiveAccountRetentionCategory } from '../../../src/server/user/retention-category';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock, type TestUser } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';

const DAY = 86_400_000;
/** "Now" of the runs. Four years before it is 2022-12-06 09:00; six months before it 2026-06-06 09:00. */
const NOW = new Date('2026-12-06T09:00:00.000Z');
const FOUR_YEARS_AGO = new Date('2022-12-06T09:00:00.000Z');
const SIX_MONTHS_AGO = new Date('2026-06-06T09:00:00.000Z');
const LONG_AGO = new Date('2021-03-01T09:00:00.000Z');
const RECENTLY = new Date('2026-11-01T09:00:00.000Z');
const ACCOUNTS = [inactiveAccountRetentionCategory];
const CATEGORY = 'user.inactive_account';

async function run(db: Database, now: Date) {
  const result = await runRetention(db, ACCOUNTS, { now });
  if (result.isSkipped || result.isDryRun) throw new Error('expected a full run');
  return result.categories[0];
}

async function dryRun(db: Database, now: Date) {
  const result = await runRetention(db, ACCOUNTS, { now, dryRun: true });
  if (result.isSkipped || !result.isDryRun) throw new Error('expected a dry run');
  return result.report[0];
}

/** Sets what the schedule reads of an account: when it last logged in (null: never), when it was made, when it was warned. */
async function age(db: Database, user: TestUser, values: { lastLoginAt?: Date | null; createdAt?: Date; warnedAt?: Date | null }) {
  await db
    .updateTable('app_user')
    .set({
      ...(values.lastLoginAt === undefined ? {} : { last_login_at: values.lastLoginAt }),
      ...(values.warnedAt === undefined ? {} : { inactivity_warned_at: values.warnedAt }),
    })
    .where('id', '=', user.id)
    .execute();
  // The database sets created_at; a test moves it back by hand.
  if (values.createdAt !== undefined) await sql`update app_user set created_at = ${values.createdAt} where id = ${user.id}`.execute(db);
}

const account = (db: Database, user: TestUser) => db.selectFrom('app_user').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();

/** An organisation with an admin who logged in recently (so no other admin is "the last one") and a DPO with the same. */
async function organisationWithStaff(db: Database) {
  const organisation = await createOrganisation(db);
  const admin = await createUser(db, organisation.id, { roles: ['admin'] });
  const dpo = await createUser(db, organisation.id, { roles: ['dpo'] });
  await age(db, admin, { lastLoginAt: RECENTLY });
  await age(db, dpo, { lastLoginAt: RECENTLY });
  return { organisationId: organisation.id, admin, dpo };
}

async function insertHold(db: Database, organisationId: string, setBy: string, hold: { scope: 'person' | 'category' | 'object'; category?: string; objectId?: string; email?: string }) {
  const id = randomUUID();
  await db
    .insertInto('legal_hold')
    .values({
      id,
      organisation_id: organisationId,
      scope: hold.scope,
      category: hold.category ?? null,
      object_id: hold.objectId ?? null,
      email: hold.email ?? null,
      reason: 'litigation',
      set_by: setBy,
      set_at: LONG_AGO,
    })
    .execute();
  return id;
}

describe('inactive user accounts (DPO-6: user.inactive_account)', () => {
  const database = useTestDatabase();

  it('DPO-6: is registered, and the fixed period it runs is shown as running', async () => {
    expect(RETENTION_CATEGORIES.map((category) => category.name)).toContain(CATEGORY);
    const db = database.current.db;
    const staff = await organisationWithStaff(db);
    const clock = new TestClock(NOW);
    const dpo = callerAs(database.current, (await login(database.current, staff.dpo, clock)).token, clock);
    expect((await dpo.retention.schedule()).fixed).toContainEqual({ code: 'inactive_account', years: 4, runsAs: CATEGORY });
  });

  it('DPO-6: warned at four years without a login — a day short is not; the warning is recorded, logged, e-mailed and shown to the admin; the dry run said so', async () => {
    const db = database.current.db;
    const staff = await organisationWithStaff(db);
    const fourYears = await createUser(db, staff.organisationId, { roles: ['coordinator'], displayName: 'Fire År' });
    const almost = await createUser(db, staff.organisationId, { roles: ['coordinator'] });
    const never = await createUser(db, staff.organisationId, { roles: ['sales'], displayName: 'Aldri Innlogget' });
    const invited = await createUser(db, staff.organisationId, { roles: ['sales'] });
    await age(db, fourYears, { lastLoginAt: FOUR_YEARS_AGO });
    await age(db, almost, { lastLoginAt: new Date(FOUR_YEARS_AGO.getTime() + DAY) });
    // Never logged in: its creation counts.
    await age(db, never, { lastLoginAt: null, createdAt: LONG_AGO });
    await age(db, invited, { lastLoginAt: null, createdAt: LONG_AGO });
    await db.updateTable('app_user').set({ status: 'invited' }).where('id', '=', invited.id).execute();

    const dry = await dryRun(db, NOW);
    expect(dry).toMatchObject({ name: CATEGORY, due: 0, warnings: { due: 3, oldestDueAt: '2025-03-01T09:00:00.000Z' }, kept: [expect.objectContaining({ count: 0 }), expect.objectContaining({ count: 0 })] });

    expect(await run(db, NOW)).toEqual({ name: CATEGORY, anonymised: 0, warned: 3, batches: 1 });
    for (const warned of [fourYears, never, invited]) expect((await account(db, warned)).inactivity_warned_at).toEqual(NOW);
    for (const kept of [almost, staff.admin, staff.dpo]) expect((await account(db, kept)).inactivity_warned_at).toBeNull();
    // Nothing else changed: a warning is not the anonymisation.
    expect(await account(db, fourYears)).toMatchObject({ display_name: 'Fire År', status: 'active', anonymised_at: null });

    // The e-mail goes to the accounts that can still log in (not the invited one), through the outbox, with the dates.
    const messages = await db.selectFrom('outbox_message').select(['recipient', 'template', 'subject', 'body']).where('template', '=', 'account.inactivity_warning').orderBy('recipient').execute();
    expect(messages.map((message) => message.recipient).sort()).toEqual([fourYears.email, never.email].sort());
    const toFourYears = messages.find((message) => message.recipient === fourYears.email);
    expect(toFourYears?.body).toContain('06.12.2022');
    expect(toFourYears?.body).toContain('06.06.2027');

    const events = await eventsOf(db, { action: 'retention.warned' });
    const ofOrganisation = events.filter((event) => event.organisation_id === staff.organisationId);
    expect(ofOrganisation).toEqual([expect.objectContaining({ user_display_name: 'system:retention', object_type: 'retention_category', object_id: CATEGORY, occurred_at: NOW })]);
    expect((ofOrganisation[0]?.details as { ids: string[] }).ids.sort()).toEqual([fourYears.id, never.id, invited.id].sort());
    expect(ofOrganisation[0]?.details).toMatchObject({ category: CATEGORY, warned: 3 });
    expect(JSON.stringify(events)).not.toContain('Fire År');

    // The admin sees the warning in the user list.
    const clock = new TestClock(NOW);
    const admin = callerAs(database.current, (await login(database.current, staff.admin, clock)).token, clock);
    const users = await admin.users.list();
    expect(users.find((user) => user.id === fourYears.id)?.inactivityWarnedAt).toBe(NOW.toISOString());
    expect(users.find((user) => user.id === almost.id)?.inactivityWarnedAt).toBeNull();

    // A day later the almost-inactive one is due; those warned are not warned again.
    expect(await run(db, new Date(NOW.getTime() + DAY))).toMatchObject({ warned: 1, anonymised: 0 });
  });

  it('DPO-6: anonymised six months after the warning — a day short is not; a login after the warning clears it; audit events keep the user id; the dry run equals the run', async () => {
    const db = database.current.db;
    const staff = await organisationWithStaff(db);
    const warned = await createUser(db, staff.organisationId, { roles: ['coordinator'], displayName: 'Varslet Person' });
    const almost = await createUser(db, staff.organisationId, { roles: ['coordinator'] });
    const returned = await createUser(db, staff.organisationId, { roles: ['sales'] });
    const author = await createUser(db, staff.organisationId, { roles: ['clinician'], displayName: 'Dr. Skrev Journal' });
    // Each logged in once, long ago, through the real login: that event must keep its user id.
    const oldClock = new TestClock(LONG_AGO);
    for (const user of [warned, returned]) await login(database.current, user, oldClock);
    await db.updateTable('app_user').set({ national_id_hmac: Buffer.alloc(32, 7) }).where('id', '=', warned.id).execute();
    const patient = await db
      .insertInto('patient')
      .values({ organisation_id: staff.organisationId, national_id: '15076500050', given_name: 'Kari', family_name: 'Nordmann', date_of_birth: '1965-07-15', gender: 'female', address: null, phone: null, email: null, next_of_kin: null, created_by: author.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('journal_note').values({ organisation_id: staff.organisationId, patient_id: patient.id, author_id: author.id, note_type: 'consultation', consultation_date: '2021-03-01' }).execute();
    for (const user of [warned, returned, author]) await age(db, user, { lastLoginAt: LONG_AGO, warnedAt: SIX_MONTHS_AGO });
    await age(db, almost, { lastLoginAt: LONG_AGO, warnedAt: new Date(SIX_MONTHS_AGO.getTime() + DAY) });

    // The returning user logs in after the warning: the warning is gone, and so is the account's inactivity.
    const clock = new TestClock(new Date(NOW.getTime() - 30 * DAY));
    await login(database.current, returned, clock);
    expect(await account(db, returned)).toMatchObject({ inactivity_warned_at: null, last_login_at: new Date(NOW.getTime() - 30 * DAY) });

    const dry = await dryRun(db, NOW);
    expect(dry).toMatchObject({ name: CATEGORY, due: 2, oldestDueAt: NOW.toISOString(), warnings: { due: 0 } });
    const result = await run(db, NOW);
    expect(result).toEqual({ name: CATEGORY, anonymised: 2, warned: 0, batches: 1 });
    expect(result?.anonymised).toBe(dry?.due);

    expect(await account(db, warned)).toMatchObject({
      display_name: 'Anonymisert bruker',
      email: `anonymisert-${warned.id}@anonymisert.invalid`,
      phone: '000',
      hpr_number: null,
      profession: null,
      national_id_hmac: null,
      password_hash: null,
      totp_secret_encrypted: null,
      status: 'disabled',
      inactivity_warned_at: null,
      anonymised_at: NOW,
    });
    // The journal must name its author: name, profession and HPR number stay; the rest goes.
    expect(await account(db, author)).toMatchObject({ display_name: 'Dr. Skrev Journal', profession: 'lege', hpr_number: '1234567', phone: '000', password_hash: null, status: 'disabled', anonymised_at: NOW });
    for (const kept of [almost, returned]) expect((await account(db, kept)).anonymised_at).toBeNull();
    // The role history stays; the old login event still names the user by id.
    expect(await db.selectFrom('role_grant').select('role').where('user_id', '=', warned.id).execute()).toEqual([{ role: 'coordinator' }]);
    expect((await eventsOf(db, { action: 'auth.login.success', userId: warned.id })).length).toBeGreaterThan(0);
    // An anonymised account cannot sign in.
    await expect(login(database.current, warned, new TestClock(NOW))).rejects.toThrow();

    const [batch] = (await eventsOf(db, { action: 'retention.run' })).filter((event) => event.organisation_id === staff.organisationId);
    expect(batch).toMatchObject({ object_id: CATEGORY, details: { category: CATEGORY, anonymised: 2 } });
    expect((batch?.details as { ids: string[] }).ids.sort()).toEqual([warned.id, author.id].sort());

    // A day later the one warned a day later is due; nothing is anonymised twice.
    expect(await run(db, new Date(NOW.getTime() + DAY))).toEqual({ name: CATEGORY, anonymised: 1, warned: 0, batches: 1 });
    expect((await account(db, almost)).anonymised_at).toEqual(new Date(NOW.getTime() + DAY));
  });

  it('DPO-6: the last active admin and the DPO are never warned nor anonymised (the dry run counts them kept); a legal hold stops both steps until lifted', async () => {
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const lastAdmin = await createUser(db, organisation.id, { roles: ['admin'] });
    const dpo = await createUser(db, organisation.id, { roles: ['dpo', 'clinician'] });
    const personHeld = await createUser(db, organisation.id, { roles: ['coordinator'] });
    const objectHeld = await createUser(db, organisation.id, { roles: ['coordinator'] });
    const warnedHeld = await createUser(db, organisation.id, { roles: ['coordinator'] });
    for (const user of [lastAdmin, dpo, personHeld, objectHeld]) await age(db, user, { lastLoginAt: LONG_AGO });
    await age(db, warnedHeld, { lastLoginAt: LONG_AGO, warnedAt: SIX_MONTHS_AGO });
    const personHold = await insertHold(db, organisation.id, dpo.id, { scope: 'person', email: personHeld.email });
    const objectHold = await insertHold(db, organisation.id, dpo.id, { scope: 'object', category: 'account.user', objectId: objectHeld.id });
    const categoryHold = await insertHold(db, organisation.id, dpo.id, { scope: 'category', category: CATEGORY });

    expect(await dryRun(db, NOW)).toMatchObject({
      due: 0,
      warnings: { due: 0 },
      kept: [
        { reasonKey: 'retention.category.inactiveAccount.keptDpo', count: 1 },
        { reasonKey: 'retention.category.inactiveAccount.keptLastAdmin', count: 1 },
      ],
    });
    expect(await run(db, NOW)).toEqual({ name: CATEGORY, anonymised: 0, warned: 0, batches: 0 });

    // The category hold lifted: the warned one is anonymised; the person and object holds still hold theirs.
    await db.updateTable('legal_hold').set({ lifted_at: NOW, lifted_by: dpo.id }).where('id', '=', categoryHold).execute();
    expect(await run(db, NOW)).toEqual({ name: CATEGORY, anonymised: 1, warned: 0, batches: 1 });
    expect((await account(db, warnedHeld)).anonymised_at).toEqual(NOW);
    expect((await account(db, personHeld)).inactivity_warned_at).toBeNull();
    expect((await account(db, objectHeld)).inactivity_warned_at).toBeNull();

    await db.updateTable('legal_hold').set({ lifted_at: NOW, lifted_by: dpo.id }).where('id', 'in', [personHold, objectHold]).execute();
    // Another admin who logs in: the old one is no longer the last, and is warned. The DPO still is not.
    const newAdmin = await createUser(db, organisation.id, { roles: ['admin'] });
    await age(db, newAdmin, { lastLoginAt: RECENTLY });
    expect(await dryRun(db, NOW)).toMatchObject({ warnings: { due: 3 }, kept: [{ count: 1 }, { count: 0 }] });
    expect(await run(db, NOW)).toMatchObject({ warned: 3 });
    for (const user of [lastAdmin, personHeld, objectHeld]) expect((await account(db, user)).inactivity_warned_at).toEqual(NOW);
    expect((await account(db, dpo)).inactivity_warned_at).toBeNull();
  });

  it("DPO-6: demo accounts are never due; a DPO's dry run counts their own organisation only, and the run's events name each organisation's accounts only to it", async () => {
    const db = database.current.db;
    const demo = await createOrganisation(db);
    await db.updateTable('organisation').set({ is_demo: true }).where('id', '=', demo.id).execute();
    const demoUser = await createUser(db, demo.id, { roles: ['coordinator'] });
    await age(db, demoUser, { lastLoginAt: LONG_AGO, warnedAt: LONG_AGO });
    const first = await organisationWithStaff(db);
    const second = await organisationWithStaff(db);
    const firstInactive = await createUser(db, first.organisationId, { roles: ['coordinator'] });
    const secondInactive = [await createUser(db, second.organisationId, { roles: ['sales'] }), await createUser(db, second.organisationId, { roles: ['sales'] })];
    for (const user of [firstInactive, ...secondInactive]) await age(db, user, { lastLoginAt: LONG_AGO });

    const clock = new TestClock(NOW);
    const dpo = callerAs(database.current, (await login(database.current, first.dpo, clock)).token, clock);
    const report = await dpo.retention.dryRun();
    expect(report.categories.find((category) => category.name === CATEGORY)).toMatchObject({ due: 0, warnings: { due: 1 } });
    const [event] = await eventsOf(db, { action: 'retention.dry_run' });
    expect(event?.details).toMatchObject({ [`warn:${CATEGORY}`]: 1 });

    expect(await run(db, NOW)).toMatchObject({ warned: 3 });
    expect(await account(db, demoUser)).toMatchObject({ anonymised_at: null, status: 'active' });
    const events = (await eventsOf(db, { action: 'retention.warned' })).filter((entry) => entry.organisation_id !== null);
    const idsOf = (organisationId: string) => events.filter((entry) => entry.organisation_id === organisationId).flatMap((entry) => (entry.details as { ids: string[] }).ids);
    expect(idsOf(first.organisationId)).toEqual([firstInactive.id]);
    expect(idsOf(second.organisationId).sort()).toEqual(secondInactive.map((user) => user.id).sort());
    expect(idsOf(demo.id)).toEqual([]);

    // Each organisation's last runs show its own warnings.
    await db.insertInto('background_job').values({ organisation_id: null, kind: 'retention.run', run_at: NOW, status: 'done', finished_at: NOW }).execute();
    const runs = await dpo.retention.runs();
    expect(runs[0]).toMatchObject({ warned: [{ category: CATEGORY, count: 1 }], anonymised: [] });
  });

  it('DPO-6: a warning batch that fails changes nothing — the warning, the e-mail and the event go together or not at all', async () => {
    const current: TestDatabase = database.current;
    const db = current.db;
    const staff = await organisationWithStaff(db);
    const inactive = await createUser(db, staff.organisationId, { roles: ['coordinator'] });
    await age(db, inactive, { lastLoginAt: LONG_AGO });
    await current.asOwner((owner) => sql`revoke insert on outbox_message from journalkontor_app`.execute(owner));
    try {
      await expect(run(db, NOW)).rejects.toThrow();
    } finally {
      await current.asOwner((owner) => sql`grant insert on outbox_message to journalkontor_app`.execute(owner));
    }
    expect((await account(db, inactive)).inactivity_warned_at).toBeNull();
    expect(await eventsOf(db, { action: 'retention.warned' })).toEqual([]);
    expect(await run(db, NOW)).toMatchObject({ warned: 1 });
  });
});
