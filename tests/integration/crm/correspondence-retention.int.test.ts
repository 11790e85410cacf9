import { describe, expect, it } from 'vitest';
import { crmCorrespondenceRetentionCategory } from '../../../src/server/crm/retention-category';
import type { Database } from '../../../src/server/db/database';
import { RETENTION_CATEGORIES } from '../../../src/server/retention/categories';
import { runRetention } from '../../../src/server/retention/run';
import { insertCase } from '../dpo/erasure/erasure-support';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock, type TestUser } from '../support/identity';
import { useTestDatabase } from '../support/test-database';

const DAY = 86_400_000;
/** "Now" of the runs; one year before it is 2025-12-06 09:00 (the calendar's year). */
const NOW = new Date('2026-12-06T09:00:00.000Z');
const ONE_YEAR_AGO = new Date('2025-12-06T09:00:00.000Z');
const TWO_YEARS_AGO = new Date('2024-12-06T09:00:00.000Z');
const THREE_YEARS_AGO = new Date('2023-12-06T09:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const CORRESPONDENCE = [crmCorrespondenceRetentionCategory];
const CATEGORY = 'crm.correspondence';
const TEXT = 'Hei, vi ønsker et tilbud. Hilsen Kari Nordmann';

type Status = 'lead' | 'prospect' | 'customer' | 'former';

async function company(db: Database, organisationId: string, status: Status, statusChangedAt = THREE_YEARS_AGO, history: { from: Status; to: Status; at: Date }[] = []) {
  const row = await db
    .insertInto('company')
    .values({ organisation_id: organisationId, name: `Bedrift ${status}`, status, status_changed_at: statusChangedAt, source: 'manual', created_at: THREE_YEARS_AGO, updated_at: statusChangedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const step of history) {
    await db.insertInto('company_status_change').values({ organisation_id: organisationId, company_id: row.id, from_status: step.from, to_status: step.to, changed_by: null, changed_at: step.at }).execute();
  }
  return row.id;
}

let contactSequence = 0;

async function contact(db: Database, organisationId: string, companyId: string, email = `kontakt${++contactSequence}@eksempel.no`) {
  const row = await db
    .insertInto('crm_contact')
    .values({ organisation_id: organisationId, company_id: companyId, full_name: 'Kari Nordmann', email, source: 'manual', created_at: THREE_YEARS_AGO, updated_at: THREE_YEARS_AGO })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function activity(db: Database, organisationId: string, companyId: string, contactId: string | null, kind: 'email' | 'web_form' | 'call' | 'meeting' | 'note', occurredAt: Date) {
  const row = await db
    .insertInto('crm_activity')
    .values({ organisation_id: organisationId, company_id: companyId, contact_id: contactId, kind, purpose: null, summary: TEXT, occurred_at: occurredAt, created_by: null, created_at: occurredAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const activityRow = (db: Database, id: string) => db.selectFrom('crm_activity').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function run(db: Database, now: Date) {
  const result = await runRetention(db, CORRESPONDENCE, { now });
  if (result.isSkipped || result.isDryRun) throw new Error('expected a full run');
  return result.categories[0];
}

async function dryRun(db: Database, now: Date) {
  const result = await runRetention(db, CORRESPONDENCE, { now, dryRun: true });
  if (result.isSkipped || !result.isDryRun) throw new Error('expected a dry run');
  return result.report[0];
}

async function asUser(database: ReturnType<typeof useTestDatabase>['current'], user: TestUser) {
  const clock = new TestClock(NOW);
  return callerAs(database, (await login(database, user, clock)).token, clock);
}

describe('correspondence retention (DPO-6: crm.correspondence)', () => {
  const database = useTestDatabase();

  it('DPO-6: e-mails and contact-form messages lose their text one year after — a day short they keep it; a customer’s are kept until a year after the relationship ended; the fact and the date stay', async () => {
    expect(RETENTION_CATEGORIES.map((category) => category.name)).toContain(CATEGORY);
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const lead = await company(db, organisation.id, 'lead');
    const customer = await company(db, organisation.id, 'customer');
    // Ended a year and a day ago (no history: imported as former), and eleven months ago (with its history).
    const endedLongAgo = await company(db, organisation.id, 'former', new Date(ONE_YEAR_AGO.getTime() - DAY));
    const endedRecently = await company(db, organisation.id, 'former', daysAgo(330), [{ from: 'customer', to: 'former', at: daysAgo(330) }]);
    // A customer until six months ago, a lead again since last month: its year runs from the end of the relationship.
    const wasCustomer = await company(db, organisation.id, 'lead', daysAgo(30), [
      { from: 'customer', to: 'former', at: daysAgo(180) },
      { from: 'former', to: 'lead', at: daysAgo(30) },
    ]);
    const kari = await contact(db, organisation.id, lead);

    const emailYearOld = await activity(db, organisation.id, lead, kari, 'email', ONE_YEAR_AGO);
    const emailAlmost = await activity(db, organisation.id, lead, kari, 'email', new Date(ONE_YEAR_AGO.getTime() + DAY));
    const contactForm = await activity(db, organisation.id, lead, kari, 'web_form', TWO_YEARS_AGO);
    const call = await activity(db, organisation.id, lead, kari, 'call', THREE_YEARS_AGO);
    const meeting = await activity(db, organisation.id, lead, null, 'meeting', THREE_YEARS_AGO);
    const customerEmail = await activity(db, organisation.id, customer, null, 'email', THREE_YEARS_AGO);
    const endedLongAgoEmail = await activity(db, organisation.id, endedLongAgo, null, 'email', THREE_YEARS_AGO);
    const endedRecentlyEmail = await activity(db, organisation.id, endedRecently, null, 'email', THREE_YEARS_AGO);
    const wasCustomerEmail = await activity(db, organisation.id, wasCustomer, null, 'email', TWO_YEARS_AGO);
    const before = await activityRow(db, contactForm);

    const dry = await dryRun(db, NOW);
    // The contact-form message became due a year after it was sent: the oldest.
    expect(dry).toMatchObject({ name: CATEGORY, due: 3, oldestDueAt: ONE_YEAR_AGO.toISOString() });
    expect(await run(db, new Date(NOW.getTime() - DAY))).toEqual({ name: CATEGORY, anonymised: 2, batches: 1 });
    const result = await run(db, NOW);
    expect(result).toEqual({ name: CATEGORY, anonymised: 1, batches: 1 });

    for (const gone of [emailYearOld, contactForm, endedLongAgoEmail]) expect(await activityRow(db, gone)).toMatchObject({ summary: null, anonymised_at: expect.any(Date) });
    expect((await activityRow(db, emailYearOld)).anonymised_at).toEqual(NOW);
    // The fact stays: kind, when, company, contact, who.
    const after = await activityRow(db, contactForm);
    for (const field of ['kind', 'occurred_at', 'company_id', 'contact_id', 'created_by', 'created_at', 'organisation_id'] as const) expect(after[field]).toEqual(before[field]);
    for (const kept of [emailAlmost, call, meeting, customerEmail, endedRecentlyEmail, wasCustomerEmail]) expect(await activityRow(db, kept)).toMatchObject({ summary: TEXT, anonymised_at: null });
    // The contact is not this category's: it stays.
    expect(await db.selectFrom('crm_contact').select('id').where('id', '=', kari).execute()).toHaveLength(1);

    const events = (await eventsOf(db, { action: 'retention.run' })).filter((event) => event.organisation_id === organisation.id);
    expect(events.flatMap((event) => (event.details as { ids: string[] }).ids).sort()).toEqual([emailYearOld, contactForm, endedLongAgoEmail].sort());
    expect(JSON.stringify(events)).not.toContain('Kari');

    // The company page shows the exchange without its text.
    const sales = await asUser(database.current, await createUser(db, organisation.id, { roles: ['sales'] }));
    const page = await sales.crm.company({ companyId: lead });
    expect(page.activities.find((entry) => entry.id === contactForm)).toMatchObject({ kind: 'web_form', summary: null, occurredAt: TWO_YEARS_AGO.toISOString() });

    // Again: nothing. A day later the one a day younger goes too.
    expect(await run(db, NOW)).toEqual({ name: CATEGORY, anonymised: 0, batches: 0 });
    expect(await run(db, new Date(NOW.getTime() + DAY))).toEqual({ name: CATEGORY, anonymised: 1, batches: 1 });
    expect((await activityRow(db, emailAlmost)).summary).toBeNull();
  });

  it('DPO-6: legal holds (person, object, category) and a restriction of processing in the CRM keep the text; lifted, it goes; a hold is set on one item through the procedure, another organisation’s is not found', async () => {
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const other = await createOrganisation(db);
    const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'] });
    const lead = await company(db, organisation.id, 'lead');
    const held = await contact(db, organisation.id, lead, 'holdt@eksempel.no');
    const restricted = await contact(db, organisation.id, lead, 'begrenset@eksempel.no');
    const plain = await contact(db, organisation.id, lead);
    const heldEmail = await activity(db, organisation.id, lead, held, 'email', TWO_YEARS_AGO);
    const restrictedEmail = await activity(db, organisation.id, lead, restricted, 'email', TWO_YEARS_AGO);
    const objectHeldEmail = await activity(db, organisation.id, lead, plain, 'email', TWO_YEARS_AGO);
    const plainEmail = await activity(db, organisation.id, lead, plain, 'web_form', TWO_YEARS_AGO);
    const otherLead = await company(db, other.id, 'lead');
    const otherEmail = await activity(db, other.id, otherLead, null, 'email', TWO_YEARS_AGO);

    const dpo = await asUser(database.current, dpoUser);
    const caseId = await insertCase(db, organisation.id, dpoUser.id, { person: { name: 'Holdt Person', email: 'holdt@eksempel.no' } });
    const personHold = await dpo.dpo.erasure.setHold({ scope: 'person', caseId, reason: 'complaint' });
    const objectHold = await dpo.dpo.erasure.setHold({ scope: 'object', category: CATEGORY, objectId: objectHeldEmail, reason: 'incident' });
    const foreign = await dpo.dpo.erasure.setHold({ scope: 'object', category: CATEGORY, objectId: otherEmail, reason: 'incident' }).catch((error: { code?: string }) => error.code);
    expect(foreign).toBe('NOT_FOUND');
    const restrictionCase = await insertCase(db, organisation.id, dpoUser.id, { kind: 'access', person: { name: 'Begrenset Person', email: 'begrenset@eksempel.no' } });
    await db
      .insertInto('processing_restriction')
      .values({ organisation_id: organisation.id, case_id: restrictionCase, email: 'begrenset@eksempel.no', modules: ['crm'], set_at: NOW, set_by: dpoUser.id })
      .execute();

    // The DPO's dry run counts their own organisation's only (the other organisation's e-mail is due as well).
    const report = await dpo.retention.dryRun();
    expect(report.categories.find((category) => category.name === CATEGORY)).toMatchObject({ due: 1 });
    expect(await dryRun(db, NOW)).toMatchObject({ due: 2 });

    const categoryHold = await dpo.dpo.erasure.setHold({ scope: 'category', category: CATEGORY, reason: 'litigation' });
    expect(await dryRun(db, NOW)).toMatchObject({ due: 1 });
    expect(await run(db, NOW)).toEqual({ name: CATEGORY, anonymised: 1, batches: 1 });
    for (const kept of [heldEmail, restrictedEmail, objectHeldEmail, plainEmail]) expect((await activityRow(db, kept)).summary).toBe(TEXT);
    expect((await activityRow(db, otherEmail)).summary).toBeNull();

    await dpo.dpo.erasure.liftHold({ holdId: categoryHold.holdId });
    expect(await run(db, NOW)).toEqual({ name: CATEGORY, anonymised: 1, batches: 1 });
    expect((await activityRow(db, plainEmail)).summary).toBeNull();

    await dpo.dpo.erasure.liftHold({ holdId: personHold.holdId });
    await dpo.dpo.erasure.liftHold({ holdId: objectHold.holdId });
    expect(await run(db, NOW)).toEqual({ name: CATEGORY, anonymised: 2, batches: 1 });
    expect((await activityRow(db, restrictedEmail)).summary).toBe(TEXT);

    await db.updateTable('processing_restriction').set({ lifted_at: NOW, lifted_by: dpoUser.id }).where('case_id', '=', restrictionCase).execute();
    expect(await run(db, NOW)).toEqual({ name: CATEGORY, anonymised: 1, batches: 1 });
    expect((await activityRow(db, restrictedEmail)).summary).toBeNull();

    // Each organisation's events name only its own rows.
    const events = (await eventsOf(db, { action: 'retention.run' })).filter((event) => event.organisation_id !== null);
    const idsOf = (organisationId: string) => events.filter((event) => event.organisation_id === organisationId).flatMap((event) => (event.details as { ids: string[] }).ids);
    expect(idsOf(other.id)).toEqual([otherEmail]);
    expect(idsOf(organisation.id).sort()).toEqual([plainEmail, heldEmail, objectHeldEmail, restrictedEmail].sort());
  });
});
