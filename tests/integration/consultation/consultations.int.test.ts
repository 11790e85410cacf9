import { describe, expect, it } from 'vitest';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock, type TestUser } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The test clock starts at 2026-11-22 09:00 UTC, 10:00 in Oslo. */
async function setting(database: TestDatabase) {
  const clock = new TestClock();
  const db = database.db;
  const organisation = await createOrganisation(db);
  const doctor = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Behandler' });
  const colleague = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Kollega' });
  const coordinator = await createUser(db, organisation.id, { roles: ['coordinator', 'admin'] });
  const relogin = async (user: TestUser) => callerAs(database, (await login(database, user, clock)).token, clock);
  const doctorCaller = await relogin(doctor);
  const colleagueCaller = await relogin(colleague);
  const { patientId } = await doctorCaller.patients.register({ nationalId: '15076500050', givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
  const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  return { clock, organisation, doctor, colleague, coordinator, doctorCaller, colleagueCaller, patientId, relogin, at };
}

async function basisOf(caller: { journal: { open: (input: { patientId: string }) => Promise<{ basis: string }> } }, patientId: string): Promise<string> {
  return caller.journal.open({ patientId }).then(
    (record) => record.basis,
    (error: unknown) => `denied:${(error as { message: string }).message}`,
  );
}

describe('consultations (JRN-6)', () => {
  const database = useTestDatabase();

  it('JRN-6, ACC-2: a booking for a colleague gives them the treatment relationship; cancelling ends it', async () => {
    const { doctor, colleague, doctorCaller, colleagueCaller, patientId, at } = await setting(database.current);
    expect(await basisOf(colleagueCaller, patientId)).toBe('denied:access.no_basis');

    const { consultationId } = await doctorCaller.consultations.book({ patientId, clinicianId: colleague.id, startsAt: at(2 * HOUR), durationMinutes: 45, mode: 'video' });
    expect(await basisOf(colleagueCaller, patientId)).toBe('treatment_relationship');
    const row = await database.current.db.selectFrom('appointment').selectAll().where('id', '=', consultationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ clinician_id: colleague.id, created_by: doctor.id, duration_minutes: 45, mode: 'video', status: 'booked', kind: 'consultation' });
    const [booked] = await eventsOf(database.current.db, { action: 'consultation.booked' });
    expect(booked).toMatchObject({ user_id: doctor.id, patient_id: patientId, object_id: consultationId, basis: 'treatment_relationship', details: expect.objectContaining({ clinicianId: colleague.id, mode: 'video' }) });

    await colleagueCaller.consultations.cancel({ consultationId });
    expect(await basisOf(colleagueCaller, patientId)).toBe('denied:access.no_basis');
    const cancelled = await database.current.db.selectFrom('appointment').selectAll().where('id', '=', consultationId).executeTakeFirstOrThrow();
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled_by: colleague.id });
    expect(await eventsOf(database.current.db, { action: 'consultation.cancelled' })).toEqual([expect.objectContaining({ user_id: colleague.id, patient_id: patientId, object_id: consultationId, outcome: 'allowed' })]);
    // A cancelled consultation is not moved or cancelled again.
    expect(fieldErrorsFrom(await errorOf(colleagueCaller.consultations.cancel({ consultationId })))).toEqual([expect.objectContaining({ field: 'consultationId', messageKey: 'validation.consultation_not_booked' })]);
  });

  it('JRN-6, ACC-2: cancelling leaves access that rests on another basis', async () => {
    const { doctorCaller, patientId, at } = await setting(database.current);
    const { consultationId } = await doctorCaller.consultations.book({ patientId, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' });
    await doctorCaller.consultations.cancel({ consultationId });
    // The doctor registered the patient: a care-team relationship, which the cancellation does not touch.
    expect(await basisOf(doctorCaller, patientId)).toBe('treatment_relationship');
  });

  it('JRN-6, ACC-2: booking is no way into a journal — without a treatment relationship of one’s own it is refused and logged', async () => {
    const { colleague, doctor, colleagueCaller, doctorCaller, patientId, at, clock } = await setting(database.current);
    const forOneself = await errorOf(colleagueCaller.consultations.book({ patientId, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' }));
    expect(forOneself).toMatchObject({ code: 'FORBIDDEN', message: 'access.no_basis' });
    // A read-share lets the colleague read, not book (nor book for the doctor).
    const { consentId } = await doctorCaller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'verbal', givenAt: clock.now().toISOString(), scope: 'whole_journal', purpose: 'Veiledning' });
    await doctorCaller.sharing.grant({ patientId, granteeId: colleague.id, consentId, scope: 'whole_journal', purpose: 'Veiledning', endsAt: at(7 * DAY) });
    expect(await errorOf(colleagueCaller.consultations.book({ patientId, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(colleagueCaller.consultations.book({ patientId, clinicianId: doctor.id, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await database.current.db.selectFrom('appointment').selectAll().execute()).toEqual([]);
    const denied = (await eventsOf(database.current.db, { action: 'consultation.booked', userId: colleague.id })).map((event) => [event.outcome, event.reason]);
    expect(denied).toEqual([
      ['denied', 'no_basis'],
      ['denied', 'needs_treatment_relationship'],
      ['denied', 'needs_treatment_relationship'],
    ]);
  });

  it('JRN-6: a coordinator or an admin may not book or see a calendar (ACC-1)', async () => {
    const { coordinator, patientId, relogin, at } = await setting(database.current);
    const caller = await relogin(coordinator);
    expect(await errorOf(caller.consultations.book({ patientId, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(caller.consultations.calendar({ date: '2026-11-22', view: 'day' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(caller.start.today())).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('JRN-6: moving changes start and length; an overlap for the same clinician is refused naming startsAt, and nothing changes', async () => {
    const { doctor, doctorCaller, patientId, at, colleague, colleagueCaller } = await setting(database.current);
    const { consultationId: first } = await doctorCaller.consultations.book({ patientId, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' });
    const { consultationId: second } = await doctorCaller.consultations.book({ patientId, startsAt: at(2 * HOUR), durationMinutes: 60, mode: 'phone' });
    // Back to back is not an overlap.
    await doctorCaller.consultations.book({ patientId, startsAt: at(HOUR + 30 * MINUTE), durationMinutes: 30, mode: 'phone' });

    const overlapping = await errorOf(doctorCaller.consultations.book({ patientId, startsAt: at(2 * HOUR + 59 * MINUTE), durationMinutes: 15, mode: 'in_person' }));
    expect(fieldErrorsFrom(overlapping)).toEqual([expect.objectContaining({ field: 'startsAt', messageKey: 'validation.consultation_overlap' })]);
    // Another clinician's calendar is another matter.
    await doctorCaller.consultations.book({ patientId, clinicianId: colleague.id, startsAt: at(2 * HOUR), durationMinutes: 30, mode: 'in_person' });

    const moveOnto = await errorOf(doctorCaller.consultations.move({ consultationId: first, startsAt: at(2 * HOUR + 30 * MINUTE), durationMinutes: 30 }));
    expect(fieldErrorsFrom(moveOnto)).toEqual([expect.objectContaining({ field: 'startsAt', messageKey: 'validation.consultation_overlap' })]);
    // Lengthening within its own slot does not clash with itself.
    await doctorCaller.consultations.move({ consultationId: second, startsAt: at(2 * HOUR), durationMinutes: 90 });
    await doctorCaller.consultations.move({ consultationId: first, startsAt: at(4 * HOUR), durationMinutes: 20 });
    const moved = await database.current.db.selectFrom('appointment').selectAll().where('id', '=', first).executeTakeFirstOrThrow();
    expect(moved).toMatchObject({ starts_at: new Date(at(4 * HOUR)), duration_minutes: 20, updated_by: doctor.id });
    const [event] = await eventsOf(database.current.db, { action: 'consultation.moved' }).then((events) => events.filter((candidate) => candidate.object_id === first));
    expect(event).toMatchObject({ patient_id: patientId, details: expect.objectContaining({ startsAt: at(4 * HOUR), durationMinutes: 20 }) });

    // Only the consultation's clinician or its booker may change it, even a colleague who treats the patient.
    expect(await basisOf(colleagueCaller, patientId)).toBe('treatment_relationship');
    expect(await errorOf(colleagueCaller.consultations.move({ consultationId: first, startsAt: at(5 * HOUR), durationMinutes: 30 }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(colleagueCaller.consultations.cancel({ consultationId: first }))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await database.current.db.selectFrom('appointment').select('status').where('id', '=', first).executeTakeFirstOrThrow()).status).toBe('booked');
  });

  it('JRN-6: two bookings of the same hour at once — one is booked, the other refused on startsAt', async () => {
    const { doctorCaller, patientId, at } = await setting(database.current);
    const book = () => doctorCaller.consultations.book({ patientId, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' });
    const results = await Promise.allSettled([book(), book(), book()]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(fieldErrorsFrom(result.reason as never)).toEqual([expect.objectContaining({ field: 'startsAt', messageKey: 'validation.consultation_overlap' })]);
    }
    expect(await database.current.db.selectFrom('appointment').select('id').where('status', '=', 'booked').execute()).toHaveLength(1);
  });

  it('JRN-6: bad input is refused with the field named and nothing written', async () => {
    const { doctorCaller, patientId, at, colleague } = await setting(database.current);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ durationMinutes: 4 }, 'durationMinutes', 'validation.consultation_length'],
      [{ durationMinutes: 241 }, 'durationMinutes', 'validation.consultation_length'],
      [{ durationMinutes: 30.5 }, 'durationMinutes', 'validation.consultation_length'],
      [{ startsAt: at(-DAY) }, 'startsAt', 'validation.consultation_in_past'],
      [{ startsAt: at(3 * 366 * DAY) }, 'startsAt', 'validation.date_too_late'],
      [{ startsAt: '2026-13-01T10:00:00Z' }, 'startsAt', 'validation.date'],
      [{ mode: 'telepathy' }, 'mode', 'validation.required'],
      [{ clinicianId: '00000000-0000-4000-8000-000000000000' }, 'clinicianId', 'validation.unknown_colleague'],
    ];
    for (const [change, field, messageKey] of cases) {
      const error = await errorOf(doctorCaller.consultations.book({ patientId, clinicianId: colleague.id, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person', ...change } as never));
      expect(fieldErrorsFrom(error), JSON.stringify(change)).toEqual([expect.objectContaining({ field, messageKey })]);
    }
    expect(await database.current.db.selectFrom('appointment').selectAll().execute()).toEqual([]);
  });
});
