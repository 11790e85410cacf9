import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runSystemJob } from '../../../src/server/audit/unit-of-work';
import type { Database } from '../../../src/server/db/database';
import { ASSIGNMENT_ACK_JOB, assignmentAckHandler } from '../../../src/server/visits/assignment-reminder';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import {
  BOOKING_PERSON,
  bookingRow,
  DAY,
  HOUR,
  insertBooking,
  insertPatient,
  MINUTE,
  nationalIdFor,
  PERSONAL_VALUES,
  setting,
  timelineRows,
  TODAY,
} from './visit-support';

/** Runs the due reminder jobs of a booking as the job runner would: under the system actor, at `now`. */
async function runReminders(db: Database, bookingId: string, now: Date): Promise<number> {
  const jobs = await db
    .selectFrom('background_job')
    .selectAll()
    .where('kind', '=', ASSIGNMENT_ACK_JOB)
    .where('status', '=', 'queued')
    .where('run_at', '<=', now)
    .where('dedupe_key', 'like', `${ASSIGNMENT_ACK_JOB}:${bookingId}:%`)
    .orderBy('id')
    .execute();
  for (const job of jobs) {
    await runSystemJob(db, { name: ASSIGNMENT_ACK_JOB, organisationId: job.organisation_id, actions: assignmentAckHandler.actions, now }, (scope) =>
      assignmentAckHandler.run({ ...scope, now, job: { id: job.id, kind: job.kind, organisationId: job.organisation_id, payload: job.payload as Record<string, unknown>, attempts: 1, runAt: job.run_at } }),
    );
    await db.updateTable('background_job').set({ status: 'done', finished_at: now }).where('id', '=', job.id).execute();
  }
  return jobs.length;
}

/** Another organisation with a coordinator and a doctor of its own. */
async function otherOrganisation(database: TestDatabase, clock: Parameters<typeof login>[2]) {
  const organisation = await createOrganisation(database.db);
  const coordinatorUser = await createUser(database.db, organisation.id, { roles: ['coordinator'] });
  const doctorUser = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  return { organisation, doctorUser, coordinator: callerAs(database, (await login(database, coordinatorUser, clock)).token, clock) };
}

/** AUD-1, PLAT-6: events hold ids and codes — none of the person's data from the booking. */
async function expectNoPersonalDataInEvents(db: Database): Promise<void> {
  const events = await db.selectFrom('audit_event').select(['action', 'details', 'reason']).where('action', 'like', 'visit.%').execute();
  expect(events.length).toBeGreaterThan(0);
  const text = JSON.stringify(events);
  for (const value of PERSONAL_VALUES) expect(text, `events mention ${value}`).not.toContain(value);
}

async function basisOf(caller: { journal: { open: (input: { patientId: string }) => Promise<{ basis: string }> } }, patientId: string): Promise<string> {
  return caller.journal.open({ patientId }).then(
    (record) => record.basis,
    (error: unknown) => `denied:${(error as { message: string }).message}`,
  );
}

describe('VIS-3: the dispatch board', () => {
  const database = useTestDatabase();

  it('VIS-3, AUD-6: the day’s bookings and yesterday’s open ones, urgent first then by latest arrival, with doctors on shift, load and cap; the read logs the ids shown', async () => {
    const s = await setting(database.current);
    const { db, organisation } = s;
    const now = s.clock.now();
    const zone = await db.insertInto('visit_zone').values({ organisation_id: organisation.id, name: 'Sentrum', postcode_prefixes: ['05'] }).returning('id').executeTakeFirstOrThrow();
    const patientId = await insertPatient(db, organisation.id);
    const normalLate = await insertBooking(db, organisation.id, now, { earliestInMs: HOUR, latestInMs: 8 * HOUR });
    const normalEarly = await insertBooking(db, organisation.id, now, { earliestInMs: 2 * HOUR, latestInMs: 3 * HOUR, zone_id: zone.id, patientId });
    const urgent = await insertBooking(db, organisation.id, now, { urgency: 'urgent', earliestInMs: 5 * HOUR });
    const assigned = await insertBooking(db, organisation.id, now, { status: 'assigned', doctorId: s.doctorUser.id, earliestInMs: 3 * HOUR });
    const yesterdayOpen = await insertBooking(db, organisation.id, now, { earliestInMs: -DAY, latestInMs: HOUR });
    const yesterdayDone = await insertBooking(db, organisation.id, now, { status: 'cancelled', doctorId: null, earliestInMs: -DAY });
    const tomorrow = await insertBooking(db, organisation.id, now, { earliestInMs: DAY });
    await db
      .insertInto('doctor_shift')
      .values({ organisation_id: organisation.id, doctor_id: s.doctorUser.id, zone_id: zone.id, starts_at: new Date(now.getTime() - HOUR), ends_at: new Date(now.getTime() + 7 * HOUR), visit_cap: 5 })
      .execute();
    // A shift of tomorrow is not on today's board.
    await db.insertInto('doctor_shift').values({ organisation_id: organisation.id, doctor_id: s.otherDoctorUser.id, zone_id: null, starts_at: new Date(now.getTime() + DAY), ends_at: new Date(now.getTime() + DAY + HOUR) }).execute();

    const board = await s.coordinator.visits.board({ date: TODAY });
    expect(board.bookings.map((booking) => booking.id)).toEqual([urgent.id, yesterdayOpen.id, normalEarly.id, normalLate.id, assigned.id]);
    expect(board.bookings.map((booking) => booking.id)).not.toContain(yesterdayDone.id);
    expect(board.bookings.map((booking) => booking.id)).not.toContain(tomorrow.id);
    expect(board.bookings.find((booking) => booking.id === normalEarly.id)).toMatchObject({
      status: 'requested',
      urgency: 'normal',
      fullName: BOOKING_PERSON.full_name,
      postcode: BOOKING_PERSON.postcode,
      zoneName: 'Sentrum',
      patientId,
      needsAttention: false,
      version: 1,
      exceptionCount: 0,
      doctor: null,
    });
    expect(board.bookings.find((booking) => booking.id === assigned.id)?.doctor).toEqual({ id: s.doctorUser.id, name: 'Dr. Ute' });
    expect(board.doctors).toEqual([expect.objectContaining({ id: s.doctorUser.id, name: 'Dr. Ute', zoneName: 'Sentrum', load: 1, cap: 5 })]);

    const [event] = await eventsOf(db, { action: 'visit.board.read' });
    expect(event).toMatchObject({ user_id: s.coordinatorUser.id, outcome: 'allowed' });
    const details = event?.details as { shownBookingIds: string[]; shownPatientIds: string[] };
    expect([...details.shownBookingIds].sort()).toEqual(board.bookings.map((booking) => booking.id).sort());
    expect(details.shownPatientIds).toEqual([patientId]);
    await expectNoPersonalDataInEvents(db);
  });
});

describe('VIS-3: who sees which booking', () => {
  const database = useTestDatabase();

  it('VIS-3, PLAT-3: a doctor sees only visits assigned to them; another organisation’s booking is not found, and the denial is logged', async () => {
    const s = await setting(database.current);
    const now = s.clock.now();
    const mine = await insertBooking(s.db, s.organisation.id, now, { status: 'assigned', doctorId: s.doctorUser.id });
    const theirs = await insertBooking(s.db, s.organisation.id, now, { status: 'assigned', doctorId: s.otherDoctorUser.id });
    const view = await s.doctor.visits.booking({ bookingId: mine.id });
    expect(view.booking).toMatchObject({ id: mine.id, street: BOOKING_PERSON.street, phone: BOOKING_PERSON.phone, reason: BOOKING_PERSON.reason });
    expect((await errorOf(s.doctor.visits.booking({ bookingId: theirs.id }))).code).toBe('NOT_FOUND');
    expect((await errorOf(s.doctor.visits.setArrived({ bookingId: theirs.id }))).code).toBe('NOT_FOUND');
    expect((await errorOf(s.doctor.visits.recordException({ bookingId: theirs.id, kind: 'late_start' }))).code).toBe('NOT_FOUND');
    const denied = (await eventsOf(s.db, { action: 'visit.booking.read', userId: s.doctorUser.id })).filter((event) => event.outcome === 'denied');
    expect(denied).toEqual([expect.objectContaining({ reason: 'not_assigned_doctor', object_id: theirs.id })]);

    const other = await otherOrganisation(database.current, s.clock);
    const foreign = await insertBooking(s.db, other.organisation.id, now);
    for (const call of [
      () => s.coordinator.visits.booking({ bookingId: foreign.id }),
      () => s.coordinator.visits.assign({ bookingId: foreign.id, doctorId: s.doctorUser.id, version: 1 }),
      () => s.coordinator.visits.cancel({ bookingId: foreign.id, version: 1, reason: 'other' }),
      () => s.coordinator.visits.linkPatient({ bookingId: foreign.id, patientId: '00000000-0000-4000-8000-000000000000' }),
      () => s.coordinator.visits.setRetentionHold({ bookingId: foreign.id, hold: 'complaint' }),
    ]) {
      expect((await errorOf(call)).code).toBe('NOT_FOUND');
    }
    // Nor can their doctor be assigned here, nor ours there.
    const ours = await insertBooking(s.db, s.organisation.id, now);
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.assign({ bookingId: ours.id, doctorId: other.doctorUser.id, version: 1 })))).toEqual([expect.objectContaining({ messageKey: 'validation.unknown_doctor' })]);
    // linkPatient takes a union input the generated isolation test cannot walk: its patient id here.
    const foreignPatient = await insertPatient(s.db, other.organisation.id);
    const linkAnswers = [];
    for (const patientId of [foreignPatient, randomUUID()]) linkAnswers.push(fieldErrorsFrom(await errorOf(s.coordinator.visits.linkPatient({ bookingId: ours.id, patientId }))));
    expect(linkAnswers[0]).toEqual([expect.objectContaining({ field: 'patientId', messageKey: 'validation.unknown_patient' })]);
    expect(linkAnswers[0]).toEqual(linkAnswers[1]);
    expect((await other.coordinator.visits.board({ date: TODAY })).bookings.map((booking) => booking.id)).toEqual([foreign.id]);
    expect(await bookingRow(s.db, foreign.id)).toMatchObject({ status: 'requested', version: 1, retention_hold: null });
  });

  it('VIS-3: the doctor’s day in the order of the round (ETA, else wanted time), and on the clinician’s start page', async () => {
    const s = await setting(database.current);
    const now = s.clock.now();
    const patientId = await insertPatient(s.db, s.organisation.id);
    const later = await insertBooking(s.db, s.organisation.id, now, { status: 'assigned', doctorId: s.doctorUser.id, earliestInMs: 4 * HOUR });
    const first = await insertBooking(s.db, s.organisation.id, now, { status: 'assigned', doctorId: s.doctorUser.id, earliestInMs: 3 * HOUR, patientId });
    const enRoute = await insertBooking(s.db, s.organisation.id, now, { status: 'en_route', doctorId: s.doctorUser.id, earliestInMs: 5 * HOUR, eta: new Date(now.getTime() + HOUR) });
    await insertBooking(s.db, s.organisation.id, now, { status: 'assigned', doctorId: s.otherDoctorUser.id });
    const { visits } = await s.doctor.visits.mine({ date: TODAY });
    expect(visits.map((visit) => visit.id)).toEqual([enRoute.id, first.id, later.id]);
    expect(visits[1]).toMatchObject({ street: BOOKING_PERSON.street, city: BOOKING_PERSON.city, phone: BOOKING_PERSON.phone, reason: BOOKING_PERSON.reason, patientId });
    const [event] = await eventsOf(s.db, { action: 'visit.mine.read' });
    expect(event?.details).toMatchObject({ shownBookingIds: [enRoute.id, first.id, later.id], shownPatientIds: [patientId] });

    const start = await s.doctor.start.today();
    expect(start.homeVisits.map((visit) => visit.id)).toEqual([enRoute.id, first.id, later.id]);
    const [startEvent] = await eventsOf(s.db, { action: 'start.page.read' });
    expect((startEvent?.details as { shownPatientIds: string[] }).shownPatientIds).toContain(patientId);
    expect((await s.otherDoctor.start.today()).homeVisits).toHaveLength(1);
  });
});

describe('VIS-3: assignment, versions and the reminder', () => {
  const database = useTestDatabase();

  it('VIS-3: a stale version is a conflict (error.booking_changed) and writes nothing', async () => {
    const s = await setting(database.current);
    const booking = await insertBooking(s.db, s.organisation.id, s.clock.now());
    const { version } = await s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: 1 });
    expect(version).toBe(2);
    const before = await bookingRow(s.db, booking.id);
    const stale = await errorOf(s.otherCoordinator.visits.assign({ bookingId: booking.id, doctorId: s.otherDoctorUser.id, version: 1 }));
    expect(stale).toMatchObject({ code: 'CONFLICT', message: 'error.booking_changed' });
    expect((await errorOf(s.otherCoordinator.visits.cancel({ bookingId: booking.id, version: 1, reason: 'other' }))).code).toBe('CONFLICT');
    expect(await bookingRow(s.db, booking.id)).toEqual(before);
    expect(await timelineRows(s.db, booking.id)).toHaveLength(1);
    expect(await eventsOf(s.db, { action: 'visit.booking.reassigned' })).toEqual([]);
  });

  it('VIS-3: bulk assignment is all or nothing — one stale version rolls every assignment back', async () => {
    const s = await setting(database.current);
    const now = s.clock.now();
    const bookings = [await insertBooking(s.db, s.organisation.id, now), await insertBooking(s.db, s.organisation.id, now), await insertBooking(s.db, s.organisation.id, now)];
    await s.db.updateTable('home_visit_booking').set({ version: 3 }).where('id', '=', bookings[2]?.id as string).execute();
    const assignments = bookings.map((booking) => ({ bookingId: booking.id, doctorId: s.doctorUser.id, version: 1 }));
    expect(await errorOf(s.coordinator.visits.bulkAssign({ assignments }))).toMatchObject({ code: 'CONFLICT', message: 'error.booking_changed' });
    for (const booking of bookings) expect(await bookingRow(s.db, booking.id)).toMatchObject({ status: 'requested', doctor_id: null });
    expect(await s.db.selectFrom('booking_status_change').selectAll().execute()).toEqual([]);
    expect(await s.db.selectFrom('background_job').selectAll().execute()).toEqual([]);
    expect((await eventsOf(s.db)).filter((event) => event.action === 'visit.booking.assigned' && event.outcome === 'allowed')).toEqual([]);

    // One unknown doctor refuses them all too, naming the row.
    const withStranger = assignments.map((assignment, index) => ({ ...assignment, version: index === 2 ? 3 : 1, doctorId: index === 1 ? s.coordinatorUser.id : s.doctorUser.id }));
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.bulkAssign({ assignments: withStranger })))).toEqual([expect.objectContaining({ field: 'assignments.1.doctorId', messageKey: 'validation.unknown_doctor' })]);
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.bulkAssign({ assignments: [assignments[0], assignments[0]] as never })))).toEqual([expect.objectContaining({ field: 'assignments.1.bookingId', messageKey: 'validation.duplicate_booking' })]);

    const fresh = assignments.map((assignment, index) => ({ ...assignment, version: index === 2 ? 3 : 1 }));
    const { versions } = await s.coordinator.visits.bulkAssign({ assignments: fresh });
    expect(versions).toEqual({ [bookings[0]?.id as string]: 2, [bookings[1]?.id as string]: 2, [bookings[2]?.id as string]: 4 });
    expect(await s.db.selectFrom('background_job').select('dedupe_key').orderBy('dedupe_key').execute()).toHaveLength(3);
    expect((await eventsOf(s.db, { action: 'visit.booking.assigned' })).filter((event) => event.outcome === 'allowed')).toHaveLength(3);
  });

  it('VIS-3: an assignment nobody accepts in time returns to the queue automatically; an accepted or newer one is left alone', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const now = s.clock.now();
    await db.updateTable('organisation').set({ assignment_ack_minutes: 15 }).where('id', '=', s.organisation.id).execute();
    const ignored = await insertBooking(db, s.organisation.id, now);
    const accepted = await insertBooking(db, s.organisation.id, now);
    const reassigned = await insertBooking(db, s.organisation.id, now);
    for (const booking of [ignored, accepted, reassigned]) await s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: 1 });
    await s.doctor.visits.accept({ bookingId: accepted.id });
    await s.coordinator.visits.assign({ bookingId: reassigned.id, doctorId: s.otherDoctorUser.id, version: 2 });

    const job = await db.selectFrom('background_job').selectAll().where('dedupe_key', '=', `${ASSIGNMENT_ACK_JOB}:${ignored.id}:2`).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ kind: ASSIGNMENT_ACK_JOB, organisation_id: s.organisation.id, run_at: new Date(now.getTime() + 15 * MINUTE), payload: { bookingId: ignored.id, version: 2 } });
    // Not yet due: nothing runs.
    expect(await runReminders(db, ignored.id, new Date(now.getTime() + 14 * MINUTE))).toBe(0);

    const due = new Date(now.getTime() + 15 * MINUTE);
    for (const booking of [ignored, accepted, reassigned]) await runReminders(db, booking.id, due);
    expect(await bookingRow(db, ignored.id)).toMatchObject({ status: 'requested', doctor_id: null, assigned_at: null, version: 3 });
    expect((await timelineRows(db, ignored.id)).at(-1)).toMatchObject({ from_status: 'assigned', to_status: 'requested', is_automatic: true, reason: 'unacknowledged', changed_by: null, doctor_id: s.doctorUser.id });
    expect(await bookingRow(db, accepted.id)).toMatchObject({ status: 'assigned', doctor_id: s.doctorUser.id });
    // The reassignment's own reminder is due too: it returns that one (the old version's job did nothing).
    expect(await bookingRow(db, reassigned.id)).toMatchObject({ status: 'requested' });
    const returned = await eventsOf(db, { action: 'visit.booking.returned' });
    expect(returned.filter((event) => (event.details as { isReturned: boolean }).isReturned).map((event) => event.object_id).sort()).toEqual([ignored.id, reassigned.id].sort());
    expect(returned.every((event) => event.user_id === null)).toBe(true);

    const board = await s.coordinator.visits.board({ date: TODAY });
    expect(board.bookings.find((booking) => booking.id === ignored.id)).toMatchObject({ needsAttention: true });
    const view = await s.coordinator.visits.booking({ bookingId: ignored.id });
    expect(view.timeline.at(-1)).toMatchObject({ isAutomatic: true, changedBy: 'system', reason: 'unacknowledged', doctorName: 'Dr. Ute' });
  });
});

describe('ACC-2: the home-visit appointment follows the booking', () => {
  const database = useTestDatabase();

  it('ACC-2, VIS-3: linking and assigning give the doctor the journal; reassigning moves it; en route moves its time; completing completes it', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const now = s.clock.now();
    const nationalId = nationalIdFor(BOOKING_PERSON.date_of_birth, 'female', 3);
    const booking = await insertBooking(db, s.organisation.id, now);
    const linked = await s.coordinator.visits.linkPatient({ bookingId: booking.id, nationalId });
    expect(linked.isNewPatient).toBe(true);
    expect(await basisOf(s.doctor, linked.patientId)).toBe('denied:access.no_basis');
    expect(await db.selectFrom('appointment').selectAll().execute()).toEqual([]);

    await s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: 2 });
    const afterAssign = await bookingRow(db, booking.id);
    const appointment = await db.selectFrom('appointment').selectAll().where('id', '=', afterAssign.appointment_id as string).executeTakeFirstOrThrow();
    expect(appointment).toMatchObject({ kind: 'home_visit', status: 'booked', clinician_id: s.doctorUser.id, patient_id: linked.patientId, starts_at: afterAssign.earliest_at });
    expect(await basisOf(s.doctor, linked.patientId)).toBe('treatment_relationship');

    await s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.otherDoctorUser.id, version: 3 });
    expect(await basisOf(s.doctor, linked.patientId)).toBe('denied:access.no_basis');
    expect(await basisOf(s.otherDoctor, linked.patientId)).toBe('treatment_relationship');
    expect(await db.selectFrom('appointment').selectAll().execute()).toEqual([expect.objectContaining({ id: appointment.id, clinician_id: s.otherDoctorUser.id, status: 'booked' })]);

    const eta = new Date(now.getTime() + 2 * HOUR);
    await s.otherDoctor.visits.setEnRoute({ bookingId: booking.id, eta: eta.toISOString() });
    expect(await db.selectFrom('appointment').select('starts_at').where('id', '=', appointment.id).executeTakeFirstOrThrow()).toEqual({ starts_at: eta });
    await s.otherDoctor.visits.setArrived({ bookingId: booking.id });
    // The doctor documents the visit in the journal the appointment opened.
    const { noteId } = await s.otherDoctor.journal.createDraft({ patientId: linked.patientId, noteType: 'home_visit', consultationDate: TODAY, body: 'Undersøkt hjemme.' });
    await s.otherDoctor.visits.complete({ bookingId: booking.id, documentationNoteId: noteId });
    expect(await db.selectFrom('appointment').select('status').where('id', '=', appointment.id).executeTakeFirstOrThrow()).toEqual({ status: 'completed' });
    // A recent home visit stays a treatment relationship (ACC-2).
    expect(await basisOf(s.otherDoctor, linked.patientId)).toBe('treatment_relationship');
  });

  it('ACC-2: cancelling, unassigning or a rejection cancels the appointment and with it the doctor’s access', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const now = s.clock.now();
    const patientId = await insertPatient(db, s.organisation.id);
    for (const ending of ['cancel', 'unassign', 'reject'] as const) {
      const booking = await insertBooking(db, s.organisation.id, now, { patientId });
      await s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: 1 });
      expect(await basisOf(s.doctor, patientId), ending).toBe('treatment_relationship');
      if (ending === 'cancel') await s.coordinator.visits.cancel({ bookingId: booking.id, version: 2, reason: 'patient_cancelled' });
      if (ending === 'unassign') await s.coordinator.visits.unassign({ bookingId: booking.id, version: 2 });
      if (ending === 'reject') await s.doctor.visits.reject({ bookingId: booking.id, reason: 'out_of_zone' });
      const row = await bookingRow(db, booking.id);
      expect(await db.selectFrom('appointment').select(['status', 'cancelled_by']).where('id', '=', row.appointment_id as string).executeTakeFirstOrThrow(), ending).toMatchObject({ status: 'cancelled' });
      expect(await basisOf(s.doctor, patientId), ending).toBe('denied:access.no_basis');
    }
  });
});

describe('VIS-1, VIS-3: linking a booking to the patient register', () => {
  const database = useTestDatabase();

  it('VIS-1: a new patient from the booking’s details (name split, address), audited; the same number again finds that patient', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const now = s.clock.now();
    const nationalId = nationalIdFor(BOOKING_PERSON.date_of_birth, 'female', 5);
    const booking = await insertBooking(db, s.organisation.id, now);
    const { patientId, isNewPatient } = await s.coordinator.visits.linkPatient({ bookingId: booking.id, nationalId });
    expect(isNewPatient).toBe(true);
    expect(await db.selectFrom('patient').selectAll().where('id', '=', patientId).executeTakeFirstOrThrow()).toMatchObject({
      national_id: nationalId,
      given_name: 'Synnøve Testesen',
      family_name: 'Fjeld',
      date_of_birth: BOOKING_PERSON.date_of_birth,
      gender: 'female',
      address: 'Markveien 12, 0554 Oslo',
      phone: BOOKING_PERSON.phone,
      email: BOOKING_PERSON.email,
    });
    // No care relationship for the coordinator who linked it.
    expect(await db.selectFrom('care_relationship').selectAll().execute()).toEqual([]);
    expect(await eventsOf(db, { action: 'patient.registered' })).toEqual([expect.objectContaining({ user_id: s.coordinatorUser.id, patient_id: patientId, object_id: patientId })]);
    expect(await eventsOf(db, { action: 'visit.booking.patient_linked' })).toEqual([
      expect.objectContaining({ patient_id: patientId, object_id: booking.id, details: expect.objectContaining({ isNewPatient: true, matchedBy: 'national_id' }) }),
    ]);

    const second = await insertBooking(db, s.organisation.id, now, { status: 'assigned', doctorId: s.doctorUser.id });
    expect(await s.doctor.visits.linkPatient({ bookingId: second.id, nationalId })).toEqual({ patientId, isNewPatient: false });
    expect(await db.selectFrom('patient').selectAll().execute()).toHaveLength(1);
    await expectNoPersonalDataInEvents(db);
  });

  it('VIS-1, JRN-1: synthetic numbers only in demo mode; a patient who does not match the booking is refused; nothing is written', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const booking = await insertBooking(db, s.organisation.id, s.clock.now());
    // A Tenor synthetic number (month + 80) for the booking's date of birth.
    const real = nationalIdFor(BOOKING_PERSON.date_of_birth, 'female', 7);
    const syntheticHead = `${real.slice(0, 2)}${String(Number(real.slice(2, 4)) + 80)}${real.slice(4, 9)}`;
    const synthetic = Array.from({ length: 100 }, (_, check) => `${syntheticHead}${String(check).padStart(2, '0')}`).find((candidate) => {
      const digits = Array.from(candidate, Number);
      const weighted = (weights: number[]) => (11 - (weights.reduce((sum, weight, index) => sum + weight * (digits[index] ?? 0), 0) % 11)) % 11;
      return weighted([3, 7, 6, 1, 8, 9, 4, 5, 2]) === digits[9] && weighted([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) === digits[10];
    }) as string;
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.linkPatient({ bookingId: booking.id, nationalId: synthetic })))).toEqual([
      expect.objectContaining({ field: 'nationalId', messageKey: 'validation.nationalIdentityNumber.synthetic_not_allowed' }),
    ]);
    // A number of someone born on another day, and an existing patient born on another day.
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.linkPatient({ bookingId: booking.id, nationalId: nationalIdFor('1970-05-05', 'female') })))).toEqual([
      expect.objectContaining({ field: 'nationalId', messageKey: 'validation.patient_booking_mismatch' }),
    ]);
    const stranger = await insertPatient(db, s.organisation.id, { dateOfBirth: '1970-05-05' });
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.linkPatient({ bookingId: booking.id, patientId: stranger })))).toEqual([
      expect.objectContaining({ field: 'patientId', messageKey: 'validation.patient_booking_mismatch' }),
    ]);
    expect(await db.selectFrom('patient').select('id').execute()).toEqual([{ id: stranger }]);
    expect(await bookingRow(db, booking.id)).toMatchObject({ patient_id: null, version: 1 });

    const match = await insertPatient(db, s.organisation.id);
    expect(await s.coordinator.visits.linkPatient({ bookingId: booking.id, patientId: match })).toEqual({ patientId: match, isNewPatient: false });
    expect(await bookingRow(db, booking.id)).toMatchObject({ patient_id: match, version: 2 });
  });
});

describe('VIS-3, VIS-4: exceptions, holds, erasure, shifts', () => {
  const database = useTestDatabase();

  it('VIS-3: exceptions are recorded by the doctor or a coordinator and listed for the day', async () => {
    const s = await setting(database.current);
    const booking = await insertBooking(s.db, s.organisation.id, s.clock.now(), { status: 'en_route', doctorId: s.doctorUser.id });
    await s.doctor.visits.recordException({ bookingId: booking.id, kind: 'late_start' });
    s.clock.advance(MINUTE);
    await s.coordinator.visits.recordException({ bookingId: booking.id, kind: 'access_problem' });
    const { exceptions } = await s.coordinator.visits.exceptions({ date: TODAY });
    expect(exceptions.map((entry) => [entry.kind, entry.recordedBy, entry.bookingId])).toEqual([
      ['late_start', 'Dr. Ute', booking.id],
      ['access_problem', 'Koordinator Kari', booking.id],
    ]);
    expect((await s.coordinator.visits.exceptions({ date: '2026-11-21' })).exceptions).toEqual([]);
    expect((await s.coordinator.visits.board({ date: TODAY })).bookings[0]).toMatchObject({ exceptionCount: 2 });
    expect((await s.doctor.visits.booking({ bookingId: booking.id })).exceptions.map((entry) => entry.kind)).toEqual(['late_start', 'access_problem']);
    expect(await eventsOf(s.db, { action: 'visit.exception.recorded' })).toEqual([
      expect.objectContaining({ user_id: s.doctorUser.id, object_id: booking.id, details: expect.objectContaining({ kind: 'late_start' }) }),
      expect.objectContaining({ user_id: s.coordinatorUser.id, object_id: booking.id, details: expect.objectContaining({ kind: 'access_problem' }) }),
    ]);
    expect(await eventsOf(s.db, { action: 'visit.exceptions.read' })).toHaveLength(2);
  });

  it('VIS-4: a hold is set and lifted; erasure (DPO) deletes the booking, its timeline and exceptions, and keeps an event with the id only', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const patientId = await insertPatient(db, s.organisation.id);
    const booking = await insertBooking(db, s.organisation.id, s.clock.now(), { patientId });
    await s.coordinator.visits.setRetentionHold({ bookingId: booking.id, hold: 'complaint' });
    expect(await bookingRow(db, booking.id)).toMatchObject({ retention_hold: 'complaint', retention_hold_by: s.coordinatorUser.id, version: 2 });
    await s.dpo.visits.setRetentionHold({ bookingId: booking.id, hold: null });
    expect(await bookingRow(db, booking.id)).toMatchObject({ retention_hold: null, retention_hold_by: null, version: 3 });
    expect((await eventsOf(db)).filter((event) => event.action.startsWith('visit.retention.')).map((event) => [event.action, event.user_id])).toEqual([
      ['visit.retention.hold_set', s.coordinatorUser.id],
      ['visit.retention.hold_lifted', s.dpoUser.id],
    ]);

    await s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: 3 });
    await s.coordinator.visits.recordException({ bookingId: booking.id, kind: 'other' });
    await s.dpo.visits.erase({ bookingId: booking.id });
    expect(await db.selectFrom('home_visit_booking').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('booking_status_change').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('visit_exception').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('background_job').select('status').execute()).toEqual([{ status: 'cancelled' }]);
    expect(await eventsOf(db, { action: 'visit.booking.erased' })).toEqual([expect.objectContaining({ user_id: s.dpoUser.id, object_id: booking.id, patient_id: null })]);
    expect((await errorOf(s.dpo.visits.erase({ bookingId: booking.id }))).code).toBe('NOT_FOUND');
  });

  it('VIS-3: zones and shifts — a shift for an active doctor of the organisation in one of its zones', async () => {
    const s = await setting(database.current);
    const zone = await s.db.insertInto('visit_zone').values({ organisation_id: s.organisation.id, name: 'Nord', postcode_prefixes: ['04', '09'] }).returning('id').executeTakeFirstOrThrow();
    expect(await s.coordinator.visits.zones()).toEqual({ zones: [{ id: zone.id, name: 'Nord', postcodePrefixes: ['04', '09'] }] });
    const now = s.clock.now().getTime();
    const shift = { doctorId: s.doctorUser.id, zoneId: zone.id, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 8 * HOUR).toISOString(), visitCap: 6 };
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.createShift({ ...shift, doctorId: s.coordinatorUser.id })))).toEqual([expect.objectContaining({ field: 'doctorId', messageKey: 'validation.unknown_doctor' })]);
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.createShift({ ...shift, zoneId: '00000000-0000-4000-8000-000000000000' })))).toEqual([expect.objectContaining({ field: 'zoneId', messageKey: 'validation.unknown_zone' })]);
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.createShift({ ...shift, endsAt: new Date(now + 25 * HOUR).toISOString() })))).toEqual([expect.objectContaining({ field: 'endsAt', messageKey: 'validation.shift_too_long' })]);
    const { shiftId } = await s.coordinator.visits.createShift(shift);
    expect((await s.coordinator.visits.board({ date: TODAY })).doctors).toEqual([{ id: s.doctorUser.id, name: 'Dr. Ute', shiftId, startsAt: shift.startsAt, endsAt: shift.endsAt, zoneName: 'Nord', load: 0, cap: 6 }]);
    expect(await eventsOf(s.db, { action: 'visit.shift.created' })).toEqual([expect.objectContaining({ object_id: shiftId, details: expect.objectContaining({ doctorId: s.doctorUser.id, zoneId: zone.id, visitCap: 6 }) })]);
  });
});
