import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../../src/server/audit/verify';
import { ANONYMOUS_ACTOR } from '../../../../src/server/audit/record';
import { runAuditedUnit } from '../../../../src/server/audit/unit-of-work';
import { RETENTION_CATEGORIES } from '../../../../src/server/retention/categories';
import { createBooking } from '../../../../src/server/visits/intake';
import { bookingIntakeSchema } from '../../../../src/shared/visit-schemas';
import { hashIds } from '../../../../src/server/retention/erasure';
import { runRetention } from '../../../../src/server/retention/run';
import { errorOf, fieldErrorsFrom, sealEverything } from '../../audit/audit-helpers';
import { eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { testSecretBox } from '../../support/test-server';
import {
  DAY,
  EVA,
  type ErasureSetting,
  erasureSetting,
  insertBooking,
  insertCase,
  insertContact,
  insertDisabledAccount,
  insertEmployee,
  insertPatient,
  OTHER,
  snapshot,
} from './erasure-support';

/** Eva's data in every module of the first organisation, another person's beside it, and Eva's identifiers in the other organisation. */
async function evaEverywhere(s: ErasureSetting) {
  const { db } = s;
  const org = s.organisation.id;
  const journal = await insertPatient(db, org, s.clinicianUser.id, EVA.nationalId);
  const eva = {
    bookingByNationalId: await insertBooking(db, org, { status: 'cancelled', nationalId: EVA.nationalId }),
    bookingByPhone: await insertBooking(db, org, { status: 'cancelled', phone: '+47 955 66 778' }),
    openBooking: await insertBooking(db, org, { status: 'requested', email: 'Eva.Moen@eksempel.no' }),
    contactByEmail: await insertContact(db, org, { email: EVA.email, status: 'customer' }),
    endedEmployee: await insertEmployee(db, org, { nationalId: EVA.nationalId, endsOn: '2026-10-31' }),
    runningEmployee: await insertEmployee(db, org, { nationalId: EVA.nationalId, endsOn: null }),
    account: await insertDisabledAccount(db, org, EVA.email),
    ...journal,
  };
  const other = {
    booking: await insertBooking(db, org, { status: 'cancelled', nationalId: OTHER.nationalId, email: OTHER.email }),
    contact: await insertContact(db, org, { email: OTHER.email, phone: OTHER.phone }),
    employee: await insertEmployee(db, org, { nationalId: OTHER.nationalId, endsOn: '2026-10-31' }),
  };
  const otherOrganisation = {
    booking: await insertBooking(db, s.otherOrganisation.id, { status: 'cancelled', nationalId: EVA.nationalId, email: EVA.email, phone: EVA.phone }),
    contact: await insertContact(db, s.otherOrganisation.id, { email: EVA.email }),
    employee: await insertEmployee(db, s.otherOrganisation.id, { nationalId: EVA.nationalId, endsOn: '2026-10-31' }),
  };
  const caseId = await insertCase(db, org, s.dpoUser.id);
  return { eva, other, otherOrganisation, caseId };
}

/** The field errors a call is refused with. */
const fieldErrorsOfCall = async (call: Promise<unknown>) => fieldErrorsFrom(await errorOf(call));

type Found = Awaited<ReturnType<ErasureSetting['dpo']['dpo']['erasure']['find']>>;
const itemsOf = (found: Pick<Found, 'categories'>, name: string) => found.categories.find((category) => category.name === name)?.items ?? [];
const idsOf = (found: Pick<Found, 'categories'>, name: string) => itemsOf(found, name).map((item) => item.id).sort();
const actionOf = (found: Pick<Found, 'categories'>, name: string, id: string) => {
  const item = itemsOf(found, name).find((candidate) => candidate.id === id);
  return item ? `${item.action}:${item.groundCode ?? ''}` : 'absent';
};

describe('DPO-5: the person’s data in every module, erased through the retention registry', () => {
  const database = useTestDatabase();

  it('DPO-4, DPO-5: find — bookings by national id and phone, the CRM contact by e-mail, portal employees by the keyed hash, the account by e-mail, the journal by the number; nothing of another person or organisation; logged with counts', async () => {
    const s = await erasureSetting(database.current);
    const { eva, other, otherOrganisation, caseId } = await evaEverywhere(s);
    const found = await s.dpo.dpo.erasure.find({ caseId });

    expect(idsOf(found, 'visit.booking')).toEqual([eva.bookingByNationalId, eva.bookingByPhone, eva.openBooking].sort());
    expect(idsOf(found, 'crm.lead_contact')).toEqual([eva.contactByEmail]);
    expect(idsOf(found, 'portal.employee')).toEqual([eva.endedEmployee, eva.runningEmployee].sort());
    expect(idsOf(found, 'account.user')).toEqual([eva.account]);
    expect(idsOf(found, 'journal.content')).toEqual([eva.patientId, eva.noteId].sort());
    expect(idsOf(found, 'journal.consent')).toEqual([eva.consentId]);
    expect(idsOf(found, 'accounting.record')).toEqual([]);
    const everyId = found.categories.flatMap((category) => category.items.map((item) => item.id));
    for (const id of [...Object.values(other), ...Object.values(otherOrganisation)]) expect(everyId).not.toContain(id);

    // What erasure would do, and the register's ground for what stays.
    expect(actionOf(found, 'visit.booking', eva.bookingByNationalId)).toBe('anonymise:');
    expect(actionOf(found, 'visit.booking', eva.openBooking)).toBe('keep:visit.booking.open');
    expect(actionOf(found, 'crm.lead_contact', eva.contactByEmail)).toBe('erase:');
    expect(actionOf(found, 'portal.employee', eva.endedEmployee)).toBe('erase:');
    expect(actionOf(found, 'portal.employee', eva.runningEmployee)).toBe('keep:portal.employee.agreement');
    expect(actionOf(found, 'account.user', eva.account)).toBe('anonymise:');
    expect(actionOf(found, 'journal.content', eva.noteId)).toBe('keep:journal.content');
    expect(actionOf(found, 'journal.consent', eva.consentId)).toBe('keep:journal.consent');
    const grounds = new Set(found.categories.flatMap((category) => category.items.map((item) => item.groundCode)).filter((code) => code !== null));
    const registered = new Set(found.exceptions.map((exception) => exception.code));
    for (const ground of grounds) expect(registered).toContain(ground);
    expect(found.exceptions.map((exception) => exception.code)).toEqual(expect.arrayContaining(['journal.content', 'audit.event', 'accounting.record']));

    const [event] = await eventsOf(s.db, { action: 'dpo.case.person_searched' });
    expect(event).toMatchObject({ object_id: caseId, patient_id: eva.patientId, basis: 'dsr_case' });
    expect(event?.details).toMatchObject({ 'found:visit.booking': 3, 'found:crm.lead_contact': 1, shownPatientIds: [eva.patientId] });
    expect(JSON.stringify(event?.details)).not.toMatch(/Eva|eksempel|15076500050|95566778/);
  });

  it('DPO-5: the dry run equals the real run — same items, same counts — and changes nothing; the run erases exactly that, keeps the journal and the log, and leaves receipts that verify', async () => {
    const s = await erasureSetting(database.current);
    const { eva, other, caseId } = await evaEverywhere(s);
    await sealEverything(s.db);
    const eventsBefore = await eventsOf(s.db);
    const before = await snapshot(s.db);

    const plan = await s.dpo.dpo.erasure.plan({ caseId });
    expect(await snapshot(s.db)).toEqual(before);
    // The rolled-back erasure changed exactly the planned items.
    const planned = Object.fromEntries(plan.categories.filter((category) => category.erasable > 0).map((category) => [category.name, category.erasable]));
    expect(planned).toEqual({ 'visit.booking': 2, 'crm.lead_contact': 1, 'portal.employee': 1, 'account.user': 1 });
    expect(plan.changed).toEqual(planned);

    const result = await s.dpo.dpo.erasure.execute({ caseId, planHash: plan.planHash, cutWaitingShort: true, reason: 'Personen ba om rask sletting.' });
    expect(Object.fromEntries(result.erased.map((entry) => [entry.category, entry.count]))).toEqual(planned);

    // Erased and anonymised, as planned.
    const booking = await s.db.selectFrom('home_visit_booking').selectAll().where('id', '=', eva.bookingByNationalId).executeTakeFirstOrThrow();
    expect(booking).toMatchObject({ full_name: null, national_id: null, phone: null, reason: null });
    expect(booking.anonymised_at).not.toBeNull();
    expect(await s.db.selectFrom('home_visit_booking').select('full_name').where('id', '=', eva.openBooking).executeTakeFirstOrThrow()).toEqual({ full_name: 'Eva Moen' });
    expect(await s.db.selectFrom('crm_contact').select('id').where('id', '=', eva.contactByEmail).execute()).toEqual([]);
    expect(await s.db.selectFrom('corporate_employee').select('id').where('id', 'in', [eva.endedEmployee, eva.runningEmployee]).execute()).toEqual([{ id: eva.runningEmployee }]);
    const account = await s.db.selectFrom('app_user').select(['display_name', 'email', 'password_hash']).where('id', '=', eva.account).executeTakeFirstOrThrow();
    expect(account.email).not.toContain('eva');
    expect(account).toMatchObject({ display_name: 'Anonymisert bruker', password_hash: null });
    // Another person's data untouched.
    expect(await s.db.selectFrom('crm_contact').select('id').where('id', '=', other.contact).execute()).toHaveLength(1);
    expect(await s.db.selectFrom('home_visit_booking').select('full_name').where('id', '=', other.booking).executeTakeFirstOrThrow()).toEqual({ full_name: 'Eva Moen' });

    // Kept: the journal, its consents, and every event that was there.
    const after = await snapshot(s.db);
    for (const table of ['patient', 'journal_note', 'journal_note_version', 'patient_consent']) expect(after[table], table).toBe(before[table]);
    const eventsAfter = await eventsOf(s.db);
    expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);

    // Receipts: category, count, how, by whom, a hash of the affected ids (not the ids).
    const receipts = await eventsOf(s.db, { action: 'dpo.erasure.receipt' });
    expect(receipts.map((event) => event.object_id).sort()).toEqual(Object.keys(planned).sort());
    const contactReceipt = receipts.find((event) => event.object_id === 'crm.lead_contact');
    expect(contactReceipt).toMatchObject({ user_id: s.dpoUser.id, details: { caseId, method: 'erased', count: 1, idsSha256: hashIds([eva.contactByEmail]) } });
    const bookingReceipt = receipts.find((event) => event.object_id === 'visit.booking');
    expect(bookingReceipt?.details).toMatchObject({ method: 'anonymised', count: 2, idsSha256: hashIds([eva.bookingByNationalId, eva.bookingByPhone]) });
    expect(JSON.stringify(receipts)).not.toContain(eva.contactByEmail);
    const [executed] = await eventsOf(s.db, { action: 'dpo.erasure.executed' });
    expect(executed?.details).toMatchObject({ planHash: plan.planHash, erased: 5, isWaitingCutShort: true });
    expect(JSON.stringify(executed?.details)).not.toContain('rask sletting');
    expect((await sealEverything(s.db)).isIntact).toBe(true);
    expect((await verifyAuditLog(s.db)).isIntact).toBe(true);

    // The report: what went, what stays and on which ground.
    const { report } = await s.dpo.dpo.erasure.report({ caseId });
    expect(report?.erased.map((entry) => entry.category).sort()).toEqual(Object.keys(planned).sort());
    expect(report?.kept).toEqual(
      expect.arrayContaining([
        { category: 'journal.content', count: 2, groundCode: 'journal.content' },
        { category: 'visit.booking', count: 1, groundCode: 'visit.booking.open' },
        { category: 'portal.employee', count: 1, groundCode: 'portal.employee.agreement' },
      ]),
    );
    expect(report).toMatchObject({ waitingCutShort: true, cutShortReason: 'Personen ba om rask sletting.', executedByName: 'Petter Personvern' });
    // Once only.
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.execute({ caseId, planHash: plan.planHash, cutWaitingShort: true, reason: 'Igjen' }))).map((error) => error.messageKey)).toEqual(['dpoErasure.error.alreadyErased']);
  });

  it('DPO-5: a plan that changed since the dry run is refused and nothing is erased', async () => {
    const s = await erasureSetting(database.current);
    const { eva, caseId } = await evaEverywhere(s);
    const plan = await s.dpo.dpo.erasure.plan({ caseId });
    const late = await insertContact(s.db, s.organisation.id, { email: EVA.email, status: 'lead' });
    const before = await snapshot(s.db);
    const errors = await fieldErrorsOfCall(s.dpo.dpo.erasure.execute({ caseId, planHash: plan.planHash, cutWaitingShort: true, reason: 'Haster' }));
    expect(errors).toEqual([expect.objectContaining({ field: 'planHash', messageKey: 'dpoErasure.error.planChanged' })]);
    expect(await snapshot(s.db)).toEqual(before);
    expect(await s.db.selectFrom('crm_contact').select('id').where('id', 'in', [eva.contactByEmail, late]).execute()).toHaveLength(2);
    // A hash never shown by a dry run is refused too.
    const made = 'a'.repeat(64);
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.execute({ caseId, planHash: made, cutWaitingShort: true, reason: 'Haster' }))).map((error) => error.field)).toEqual(['planHash']);
    expect(await eventsOf(s.db, { action: 'dpo.erasure.executed' })).toEqual([]);
  });

  it('DPO-5: the waiting period — refused before it is over unless cut short with a reason; after it, the run goes without', async () => {
    const s = await erasureSetting(database.current);
    const { eva, caseId } = await evaEverywhere(s);
    const plan = await s.dpo.dpo.erasure.plan({ caseId });
    expect(new Date(plan.earliestRunAt).getTime() - new Date(plan.plannedAt).getTime()).toBe(7 * DAY);
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.execute({ caseId, planHash: plan.planHash }))).map((error) => [error.field, error.messageKey])).toEqual([['cutWaitingShort', 'dpoErasure.error.waiting']]);
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.execute({ caseId, planHash: plan.planHash, cutWaitingShort: true }))).map((error) => [error.field, error.messageKey])).toEqual([['reason', 'dpoErasure.error.reasonRequired']]);
    // A day short of the period: still refused.
    s.clock.advance(6 * DAY);
    const early = await s.as(s.dpoUser);
    expect((await fieldErrorsOfCall(early.dpo.erasure.execute({ caseId, planHash: plan.planHash }))).map((error) => error.field)).toEqual(['cutWaitingShort']);
    expect(await s.db.selectFrom('crm_contact').select('id').where('id', '=', eva.contactByEmail).execute()).toHaveLength(1);
    s.clock.advance(DAY);
    const later = await s.as(s.dpoUser);
    await later.dpo.erasure.execute({ caseId, planHash: plan.planHash });
    expect(await s.db.selectFrom('crm_contact').select('id').where('id', '=', eva.contactByEmail).execute()).toEqual([]);
    const { report } = await later.dpo.erasure.report({ caseId });
    expect(report).toMatchObject({ waitingCutShort: false, cutShortReason: null });
  });

  it('DPO-5, DPO-6: a legal hold blocks both the scheduled run and the erasure in the case; lifted, both go ahead', async () => {
    const s = await erasureSetting(database.current);
    const org = s.organisation.id;
    // Due for the schedule (cancelled 30 days ago; the default is 7 days), and Eva's by e-mail.
    const held = await insertBooking(s.db, org, { status: 'cancelled', email: EVA.email, phone: null });
    const unheld = await insertBooking(s.db, org, { status: 'cancelled', email: OTHER.email });
    const contact = await insertContact(s.db, org, { email: EVA.email });
    const caseId = await insertCase(s.db, org, s.dpoUser.id, { person: { name: EVA.name, email: EVA.email } });
    const { holdId } = await s.dpo.dpo.erasure.setHold({ scope: 'person', caseId, reason: 'complaint' });

    await runRetention(s.db, RETENTION_CATEGORIES, { now: s.clock.now() });
    const names = async () => Object.fromEntries((await s.db.selectFrom('home_visit_booking').select(['id', 'full_name']).where('id', 'in', [held, unheld]).execute()).map((row) => [row.id, row.full_name]));
    expect(await names()).toEqual({ [held]: 'Eva Moen', [unheld]: null });

    const plan = await s.dpo.dpo.erasure.plan({ caseId });
    expect(actionOf(plan, 'visit.booking', held)).toBe('keep:legal_hold');
    expect(actionOf(plan, 'crm.lead_contact', contact)).toBe('keep:legal_hold');
    expect(plan.changed).toEqual({});
    const holds = await s.dpo.dpo.erasure.holds({ caseId });
    expect(holds).toEqual([expect.objectContaining({ id: holdId, scope: 'person', reason: 'complaint', caseId, liftedAt: null, setByName: 'Petter Personvern' })]);

    await s.dpo.dpo.erasure.liftHold({ holdId });
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.liftHold({ holdId }))).map((error) => error.messageKey)).toEqual(['dpoErasure.error.alreadyLifted']);
    await runRetention(s.db, RETENTION_CATEGORIES, { now: s.clock.now() });
    expect(await names()).toEqual({ [held]: null, [unheld]: null });
    const replanned = await s.dpo.dpo.erasure.plan({ caseId });
    expect(actionOf(replanned, 'crm.lead_contact', contact)).toBe('erase:');
    expect(replanned.planHash).not.toBe(plan.planHash);

    const events = [...(await eventsOf(s.db, { action: 'dpo.legal_hold.set' })), ...(await eventsOf(s.db, { action: 'dpo.legal_hold.lifted' }))];
    expect(events.map((event) => event.object_id)).toEqual([holdId, holdId]);
    expect(JSON.stringify(events)).not.toContain('eksempel');
  });

  it('DPO-5, DPO-6: a person hold by fødselsnummer reaches the bookings that hold the number plain — existing ones and one taken in after the hold; a booking not yet hashed is kept while such a hold is in force (failing closed)', async () => {
    const s = await erasureSetting(database.current);
    const org = s.organisation.id;
    const takeIn = (nationalId: string, dateOfBirth: string, key: string) =>
      runAuditedUnit({ db: s.db, actor: ANONYMOUS_ACTOR, actions: ['visit.booking.received'], mode: 'write', now: s.clock.now(), clientIp: undefined, origin: 'test', isEventRequired: false }, ({ trx, audit }) =>
        createBooking(trx, audit, {
          organisationId: org,
          source: 'web',
          createdBy: null,
          input: bookingIntakeSchema.parse({ fullName: 'Eva Moen', street: 'Grønlandsleiret 9', postcode: '0190', city: 'Oslo', gender: 'female', dateOfBirth, nationalId, phone: '+4791234567', email: null, reason: 'Feber', urgency: 'normal', earliestAt: new Date(s.clock.now().getTime() + 3_600_000).toISOString(), latestAt: null }),
          idempotencyKey: key,
          now: s.clock.now(),
          isDemo: false,
          secretBox: testSecretBox,
        }),
      );
    /** Cancelled 30 days ago: due for the schedule (7 days by default). */
    const endLongAgo = (id: string) => s.db.updateTable('home_visit_booking').set({ status: 'cancelled', cancelled_at: new Date(s.clock.now().getTime() - 30 * DAY), cancel_reason: 'patient_cancelled' }).where('id', '=', id).execute();

    // Eva's booking found by her number only (no e-mail; a phone that is not hers), made before the hold.
    const before = await insertBooking(s.db, org, { status: 'cancelled', nationalId: EVA.nationalId, email: null });
    const caseId = await insertCase(s.db, org, s.dpoUser.id, { person: { name: EVA.name, nationalId: EVA.nationalId } });
    await s.dpo.dpo.erasure.setHold({ scope: 'person', caseId, reason: 'complaint' });
    const after = (await takeIn(EVA.nationalId, '1965-07-15', 'after-hold-0001')).bookingId;
    await endLongAgo(after);
    const otherHashed = (await takeIn(OTHER.nationalId, '1901-01-01', 'other-person-0001')).bookingId;
    await endLongAgo(otherHashed);
    // Another person's booking whose hash was never written (made outside the intake): it cannot be told apart.
    const otherUnhashed = await insertBooking(s.db, org, { status: 'cancelled', nationalId: OTHER.nationalId, email: null });

    const hashes = await s.db.selectFrom('home_visit_booking').select(['id', 'national_id_hmac']).where('id', 'in', [before, after]).execute();
    expect(hashes.every((row) => row.national_id_hmac !== null)).toBe(true);
    await runRetention(s.db, RETENTION_CATEGORIES, { now: s.clock.now() });
    const names = async () => Object.fromEntries((await s.db.selectFrom('home_visit_booking').select(['id', 'full_name']).where('id', 'in', [before, after, otherHashed, otherUnhashed]).execute()).map((row) => [row.id, row.full_name]));
    expect(await names()).toEqual({ [before]: 'Eva Moen', [after]: 'Eva Moen', [otherHashed]: null, [otherUnhashed]: 'Eva Moen' });
    // The erasure in the case keeps them on the hold as well.
    const plan = await s.dpo.dpo.erasure.plan({ caseId });
    expect([actionOf(plan, 'visit.booking', before), actionOf(plan, 'visit.booking', after)]).toEqual(['keep:legal_hold', 'keep:legal_hold']);

    const [hold] = await s.dpo.dpo.erasure.holds({ caseId });
    await s.dpo.dpo.erasure.liftHold({ holdId: hold!.id });
    await runRetention(s.db, RETENTION_CATEGORIES, { now: s.clock.now() });
    expect(await names()).toEqual({ [before]: null, [after]: null, [otherHashed]: null, [otherUnhashed]: null });
    // Anonymised: the hash goes with the number.
    expect(await s.db.selectFrom('home_visit_booking').select('national_id_hmac').where('id', 'in', [before, after]).execute()).toEqual([{ national_id_hmac: null }, { national_id_hmac: null }]);
  });

  it('DPO-5: category and object holds; an object of another organisation is not found', async () => {
    const s = await erasureSetting(database.current);
    const { eva, otherOrganisation, caseId } = await evaEverywhere(s);
    await s.dpo.dpo.erasure.setHold({ scope: 'category', category: 'crm.lead_contact', reason: 'litigation' });
    await s.dpo.dpo.erasure.setHold({ scope: 'object', category: 'visit.booking', objectId: eva.bookingByPhone, reason: 'incident', caseId });
    const plan = await s.dpo.dpo.erasure.plan({ caseId });
    expect(actionOf(plan, 'crm.lead_contact', eva.contactByEmail)).toBe('keep:legal_hold');
    expect(actionOf(plan, 'visit.booking', eva.bookingByPhone)).toBe('keep:legal_hold');
    expect(actionOf(plan, 'visit.booking', eva.bookingByNationalId)).toBe('anonymise:');
    expect(plan.changed).toMatchObject({ 'visit.booking': 1 });
    expect(plan.changed['crm.lead_contact']).toBeUndefined();
    const foreign = await s.dpo.dpo.erasure.setHold({ scope: 'object', category: 'visit.booking', objectId: otherOrganisation.booking, reason: 'incident' }).catch((error: { code?: string }) => error.code);
    expect(foreign).toBe('NOT_FOUND');
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.setHold({ scope: 'object', category: 'visit.booking', reason: 'incident' }))).map((error) => error.field)).toEqual(['objectId']);
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.setHold({ scope: 'person', reason: 'incident' }))).map((error) => error.field)).toEqual(['caseId']);
  });

  it('DPO-5, DPO-6: failing closed — when the holds cannot be read, neither the schedule nor the erasure changes anything', async () => {
    const s = await erasureSetting(database.current);
    const { caseId } = await evaEverywhere(s);
    const due = await insertBooking(s.db, s.organisation.id, { status: 'cancelled', email: OTHER.email });
    const plan = await s.dpo.dpo.erasure.plan({ caseId });
    const before = await snapshot(s.db);
    await database.current.asOwner((owner) => sql`revoke select on legal_hold from journalkontor_app`.execute(owner));
    try {
      await expect(runRetention(s.db, RETENTION_CATEGORIES, { now: s.clock.now() })).rejects.toThrow();
      await expect(s.dpo.dpo.erasure.execute({ caseId, planHash: plan.planHash, cutWaitingShort: true, reason: 'Haster' })).rejects.toThrow();
      expect(await snapshot(s.db)).toEqual(before);
    } finally {
      await database.current.asOwner((owner) => sql`grant select on legal_hold to journalkontor_app`.execute(owner));
    }
    expect(await s.db.selectFrom('home_visit_booking').select('full_name').where('id', '=', due).executeTakeFirstOrThrow()).toEqual({ full_name: 'Eva Moen' });
  });

  it('DPO-5: only an erasure request with verified identity is planned or run; another organisation’s case is not found; other roles are refused', async () => {
    const s = await erasureSetting(database.current);
    const unverified = await insertCase(s.db, s.organisation.id, s.dpoUser.id, { isVerified: false });
    const access = await insertCase(s.db, s.organisation.id, s.dpoUser.id, { kind: 'access' });
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.plan({ caseId: unverified }))).map((error) => [error.field, error.messageKey])).toEqual([['caseId', 'dpoErasure.error.identityUnverified']]);
    expect((await fieldErrorsOfCall(s.dpo.dpo.erasure.plan({ caseId: access }))).map((error) => [error.field, error.messageKey])).toEqual([['caseId', 'dpoErasure.error.notErasureCase']]);
    // Finding the person's data works for any request.
    expect((await s.dpo.dpo.erasure.find({ caseId: access })).kind).toBe('access');

    const theirs = await insertCase(s.db, s.otherOrganisation.id, s.otherDpoUser.id);
    const codeOf = (call: () => Promise<unknown>) => call().then(() => 'OK', (error: { code?: string }) => error.code);
    expect(await codeOf(() => s.dpo.dpo.erasure.find({ caseId: theirs }))).toBe('NOT_FOUND');
    expect(await codeOf(() => s.dpo.dpo.erasure.plan({ caseId: theirs }))).toBe('NOT_FOUND');
    for (const caller of [s.clinician, s.admin]) {
      expect(await codeOf(() => caller.dpo.erasure.find({ caseId: access }))).toBe('FORBIDDEN');
      expect(await codeOf(() => caller.dpo.erasure.holds({}))).toBe('FORBIDDEN');
      expect(await codeOf(() => caller.dpo.erasure.setHold({ scope: 'category', category: 'visit.booking', reason: 'other' }))).toBe('FORBIDDEN');
    }
  });
});
