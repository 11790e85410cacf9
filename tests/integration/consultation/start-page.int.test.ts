import { describe, expect, it } from 'vitest';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock, type TestUser } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The test clock starts at 2026-11-22 09:00 UTC, a Sunday, 10:00 in Oslo. */
async function setting(database: TestDatabase) {
  const clock = new TestClock();
  const organisation = await createOrganisation(database.db);
  const doctor = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const colleague = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const relogin = async (user: TestUser) => callerAs(database, (await login(database, user, clock)).token, clock);
  const doctorCaller = await relogin(doctor);
  // Date of birth and gender as the number says (JRN-1).
  const register = (nationalId: string, givenName: string, familyName: string, dateOfBirth: string, gender: 'female' | 'male' = 'female') =>
    doctorCaller.patients.register({ nationalId, givenName, familyName, dateOfBirth, gender }).then((result) => result.patientId);
  const kari = await register('15076500050', 'Kari', 'Nordmann', '1965-07-15');
  const ola = await register('01010100131', 'Ola', 'Hansen', '1901-01-01', 'male');
  const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  return { clock, organisation, doctor, colleague, doctorCaller, relogin, kari, ola, at };
}

describe('the clinician’s start page and calendar (JRN-6, AUD-6)', () => {
  const database = useTestDatabase();

  it('JRN-6: today’s consultations and home visits in time order, tomorrow’s and cancelled ones left out; the read event lists the patients shown (AUD-6)', async () => {
    const { doctor, doctorCaller, organisation, kari, ola, at } = await setting(database.current);
    const { consultationId: late } = await doctorCaller.consultations.book({ patientId: kari, startsAt: at(5 * HOUR), durationMinutes: 30, mode: 'video' });
    await doctorCaller.consultations.book({ patientId: kari, startsAt: at(DAY), durationMinutes: 30, mode: 'in_person' });
    const { consultationId: cancelled } = await doctorCaller.consultations.book({ patientId: ola, startsAt: at(3 * HOUR), durationMinutes: 30, mode: 'phone' });
    await doctorCaller.consultations.cancel({ consultationId: cancelled });
    // A home visit (dispatch's row) at noon is on the same list.
    const visit = await database.current.db
      .insertInto('appointment')
      .values({ organisation_id: organisation.id, patient_id: ola, clinician_id: doctor.id, kind: 'home_visit', starts_at: new Date(at(2 * HOUR)) })
      .returning('id')
      .executeTakeFirstOrThrow();

    const page = await doctorCaller.start.today();
    expect(page.today).toBe('2026-11-22');
    expect(page.appointments.map((entry) => [entry.id, entry.kind, entry.patient?.familyName])).toEqual([
      [visit.id, 'home_visit', 'Hansen'],
      [late, 'consultation', 'Nordmann'],
    ]);
    const [event] = await eventsOf(database.current.db, { action: 'start.page.read' });
    expect(event).toMatchObject({ user_id: doctor.id, patient_id: null, outcome: 'allowed' });
    expect([...(event?.details as { shownPatientIds: string[] }).shownPatientIds].sort()).toEqual([kari, ola].sort());
    expect(JSON.stringify(event)).not.toContain('Nordmann');
  });

  it('JRN-6: unsigned drafts with their age; older than the clinic’s limit (default 3 days, per organisation) flagged', async () => {
    const { clock, doctor, doctorCaller, relogin, organisation, kari, ola } = await setting(database.current);
    const { noteId: old } = await doctorCaller.journal.createDraft({ patientId: kari, noteType: 'consultation', consultationDate: '2026-11-22', body: 'Gammel kladd.' });
    clock.advance(2 * DAY);
    let caller = await relogin(doctor);
    const { noteId: fresh } = await caller.journal.createDraft({ patientId: ola, noteType: 'phone', consultationDate: '2026-11-24', body: 'Ny kladd.' });
    const { noteId: signed } = await caller.journal.createDraft({ patientId: ola, noteType: 'phone', consultationDate: '2026-11-24', body: 'Signert.' });
    await caller.journal.sign({ noteId: signed });
    clock.advance(DAY + HOUR);
    caller = await relogin(doctor);

    const page = await caller.start.today();
    expect(page.draftAgeLimitDays).toBe(3);
    expect(page.drafts.map((draft) => [draft.noteId, draft.ageDays, draft.isOverdue, draft.patient?.familyName])).toEqual([
      [old, 3, true, 'Nordmann'],
      [fresh, 1, false, 'Hansen'],
    ]);
    const [event] = await eventsOf(database.current.db, { action: 'start.page.read' });
    expect([...(event?.details as { shownPatientIds: string[] }).shownPatientIds].sort()).toEqual([kari, ola].sort());

    await database.current.db.updateTable('organisation').set({ draft_age_limit_days: 5 }).where('id', '=', organisation.id).execute();
    expect((await caller.start.today()).drafts.map((draft) => draft.isOverdue)).toEqual([false, false]);
  });

  it('JRN-6: recently opened patients, newest first, from the clinician’s own journal openings; a patient no longer visible is not named', async () => {
    const { clock, colleague, doctorCaller, relogin, kari, ola, at } = await setting(database.current);
    await doctorCaller.journal.open({ patientId: kari });
    clock.advance(MINUTE);
    await doctorCaller.journal.open({ patientId: ola });
    clock.advance(MINUTE);
    await doctorCaller.journal.open({ patientId: kari });
    const page = await doctorCaller.start.today();
    expect(page.recentPatients.map((patient) => patient.id)).toEqual([kari, ola]);

    // The colleague opened Kari's journal through a booking; once it is cancelled they may not see her,
    // and the start page no longer names her.
    const { consultationId } = await doctorCaller.consultations.book({ patientId: kari, clinicianId: colleague.id, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' });
    const colleagueCaller = await relogin(colleague);
    await colleagueCaller.journal.open({ patientId: kari });
    expect((await colleagueCaller.start.today()).recentPatients.map((patient) => patient.id)).toEqual([kari]);
    await doctorCaller.consultations.cancel({ consultationId });
    const after = await colleagueCaller.start.today();
    expect(after.recentPatients).toEqual([]);
    const events = await eventsOf(database.current.db, { action: 'start.page.read', userId: colleague.id });
    expect((events.at(-1)?.details as { shownPatientIds: string[] }).shownPatientIds).toEqual([]);
  });

  it('JRN-6: day and week calendars; a colleague’s calendar names only the patients the reader may see, and its event lists them (AUD-6)', async () => {
    const { doctor, colleague, doctorCaller, relogin, kari, ola, at } = await setting(database.current);
    // Sunday 22 November, 11:00 Oslo; Monday 23, Wednesday 25 and Monday 30 November.
    const { consultationId: sunday } = await doctorCaller.consultations.book({ patientId: kari, startsAt: at(HOUR), durationMinutes: 30, mode: 'in_person' });
    const { consultationId: monday } = await doctorCaller.consultations.book({ patientId: ola, startsAt: at(DAY), durationMinutes: 30, mode: 'in_person' });
    const { consultationId: wednesday } = await doctorCaller.consultations.book({ patientId: kari, startsAt: at(3 * DAY), durationMinutes: 30, mode: 'phone' });
    await doctorCaller.consultations.book({ patientId: kari, startsAt: at(8 * DAY), durationMinutes: 30, mode: 'phone' });

    expect((await doctorCaller.consultations.calendar({ date: '2026-11-22', view: 'day' })).entries.map((entry) => entry.id)).toEqual([sunday]);
    // The week of Sunday 22 November runs from Monday 16 to Sunday 22.
    const lastWeek = await doctorCaller.consultations.calendar({ date: '2026-11-22', view: 'week' });
    expect([lastWeek.from, lastWeek.to, lastWeek.entries.map((entry) => entry.id)]).toEqual(['2026-11-16', '2026-11-23', [sunday]]);
    const week = await doctorCaller.consultations.calendar({ date: '2026-11-25', view: 'week' });
    expect(week.entries.map((entry) => entry.id)).toEqual([monday, wednesday]);

    // The colleague looks at the doctor's week: the times are there, the patients are not.
    const colleagueCaller = await relogin(colleague);
    const seen = await colleagueCaller.consultations.calendar({ clinicianId: doctor.id, date: '2026-11-25', view: 'week' });
    expect(seen.entries.map((entry) => [entry.id, entry.patient])).toEqual([
      [monday, null],
      [wednesday, null],
    ]);
    const [event] = await eventsOf(database.current.db, { action: 'consultation.calendar.read', userId: colleague.id });
    expect(event).toMatchObject({ object_id: doctor.id, details: expect.objectContaining({ shownPatientIds: [], view: 'week', from: '2026-11-23' }) });
    expect(JSON.stringify(seen)).not.toContain(kari);
    const doctorEvents = await eventsOf(database.current.db, { action: 'consultation.calendar.read', userId: doctor.id });
    expect((doctorEvents.at(-1)?.details as { shownPatientIds: string[] }).shownPatientIds).toEqual([ola, kari]);
  });
});
