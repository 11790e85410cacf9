import { describe, expect, it } from 'vitest';
import { BOOKING_STATUS_CODES, BOOKING_TRANSITIONS, type BookingStatusCode } from '../../../src/shared/visit-schemas';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { bookingRow, HOUR, insertBooking, insertNote, insertPatient, type Setting, setting, timelineRows } from './visit-support';

/** The procedure that asks for each target status, and who calls it. */
function attempt(s: Setting, to: BookingStatusCode, booking: { id: string; version: number }, noteId: string): Promise<unknown> {
  const now = s.clock.now().getTime();
  switch (to) {
    case 'assigned':
      // From assigned this is a reassignment: to the other doctor.
      return s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.otherDoctorUser.id, version: booking.version });
    case 'requested':
      return s.coordinator.visits.unassign({ bookingId: booking.id, version: booking.version });
    case 'en_route':
      return s.doctor.visits.setEnRoute({ bookingId: booking.id, eta: new Date(now + HOUR).toISOString() });
    case 'arrived':
      return s.doctor.visits.setArrived({ bookingId: booking.id });
    case 'completed':
      return s.doctor.visits.complete({ bookingId: booking.id, documentationNoteId: noteId });
    case 'cancelled':
      return s.coordinator.visits.cancel({ bookingId: booking.id, version: booking.version, reason: 'patient_cancelled' });
  }
}

const ALL_PAIRS = BOOKING_STATUS_CODES.flatMap((from) => BOOKING_STATUS_CODES.map((to) => [from, to] as const));

describe('VIS-3: the transition table, enforced by the server', () => {
  const database = useTestDatabase();

  it('VIS-3: every allowed transition succeeds with one timeline row; every forbidden one is refused and changes nothing', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const patientId = await insertPatient(db, s.organisation.id);
    const noteId = await insertNote(db, s.organisation.id, patientId, s.doctorUser.id);
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [from, to] of ALL_PAIRS) {
      const booking = await insertBooking(db, s.organisation.id, s.clock.now(), { status: from, doctorId: s.doctorUser.id, patientId, documentationNoteId: noteId });
      const before = await bookingRow(db, booking.id);
      const key = `${from} → ${to}`;
      expected[key] = BOOKING_TRANSITIONS[from].includes(to) ? 'allowed' : 'refused';
      const error = await attempt(s, to, booking, noteId).then(
        () => undefined,
        (thrown: unknown) => thrown as { code: string; message: string },
      );
      const after = await bookingRow(db, booking.id);
      const timeline = await timelineRows(db, booking.id);
      if (error) {
        // A requested booking has no doctor: to a doctor it does not exist (NOT_FOUND); otherwise a field error.
        expect(['BAD_REQUEST', 'NOT_FOUND'], key).toContain(error.code);
        if (error.code === 'BAD_REQUEST') expect(fieldErrorsFrom(error as never), key).toEqual([expect.objectContaining({ field: 'bookingId', messageKey: 'validation.booking_transition' })]);
        expect(after, `${key}: nothing written`).toEqual(before);
        expect(timeline, key).toEqual([]);
        outcomes[key] = 'refused';
      } else {
        expect(after.status, key).toBe(to);
        expect(after.version, key).toBe(before.version + 1);
        expect(timeline.map((row) => [row.from_status, row.to_status, row.is_automatic]), key).toEqual([[from, to, false]]);
        outcomes[key] = 'allowed';
      }
    }
    expect(outcomes).toEqual(expected);
    // Each allowed change wrote its own event (audit per action).
    for (const action of ['visit.booking.assigned', 'visit.booking.reassigned', 'visit.booking.unassigned', 'visit.booking.en_route', 'visit.booking.arrived', 'visit.booking.completed', 'visit.booking.cancelled']) {
      expect((await eventsOf(db, { action })).filter((event) => event.outcome === 'allowed').length, action).toBeGreaterThan(0);
    }
  });

  it('VIS-3: each transition needs its fields — a doctor, an ETA, a reason code, a documentation note of this patient by this doctor', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const requested = await insertBooking(db, s.organisation.id, s.clock.now());
    // assigned needs a doctor: a coordinator, an unknown id, or another organisation's clinician is none.
    for (const doctorId of [s.coordinatorUser.id, '00000000-0000-4000-8000-000000000000']) {
      expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.assign({ bookingId: requested.id, doctorId, version: 1 })))).toEqual([expect.objectContaining({ field: 'doctorId', messageKey: 'validation.unknown_doctor' })]);
    }
    expect((await errorOf(s.coordinator.visits.assign({ bookingId: requested.id, version: 1 } as never))).code).toBe('BAD_REQUEST');
    // en_route needs an ETA.
    const assigned = await insertBooking(db, s.organisation.id, s.clock.now(), { status: 'assigned', doctorId: s.doctorUser.id });
    expect(fieldErrorsFrom(await errorOf(s.doctor.visits.setEnRoute({ bookingId: assigned.id } as never)))).toEqual([expect.objectContaining({ field: 'eta' })]);
    // cancelled needs a reason code from the list.
    expect(fieldErrorsFrom(await errorOf(s.coordinator.visits.cancel({ bookingId: assigned.id, version: 1, reason: 'bored' } as never)))).toEqual([expect.objectContaining({ field: 'reason' })]);
    // completed needs a note of the booking's patient, written by this doctor.
    const patientId = await insertPatient(db, s.organisation.id);
    const otherPatientId = await insertPatient(db, s.organisation.id, { dateOfBirth: '1950-01-01', gender: 'male' });
    const arrived = await insertBooking(db, s.organisation.id, s.clock.now(), { status: 'arrived', doctorId: s.doctorUser.id });
    const ownNote = await insertNote(db, s.organisation.id, patientId, s.doctorUser.id);
    expect(fieldErrorsFrom(await errorOf(s.doctor.visits.complete({ bookingId: arrived.id, documentationNoteId: ownNote })))).toEqual([expect.objectContaining({ field: 'documentationNoteId', messageKey: 'validation.booking_needs_patient' })]);
    await db.updateTable('home_visit_booking').set({ patient_id: patientId }).where('id', '=', arrived.id).execute();
    for (const noteId of [await insertNote(db, s.organisation.id, otherPatientId, s.doctorUser.id), await insertNote(db, s.organisation.id, patientId, s.otherDoctorUser.id)]) {
      expect(fieldErrorsFrom(await errorOf(s.doctor.visits.complete({ bookingId: arrived.id, documentationNoteId: noteId })))).toEqual([expect.objectContaining({ field: 'documentationNoteId', messageKey: 'validation.documentation_note' })]);
    }
    await s.doctor.visits.complete({ bookingId: arrived.id, documentationNoteId: ownNote });
    expect(await bookingRow(db, arrived.id)).toMatchObject({ status: 'completed', documentation_note_id: ownNote });
  });

  it('VIS-3: the doctor accepts or rejects with a reason; a rejection returns the booking to the queue, flagged for attention', async () => {
    const s = await setting(database.current);
    const db = s.db;
    const booking = await insertBooking(db, s.organisation.id, s.clock.now());
    const { version } = await s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: booking.version });
    await s.doctor.visits.accept({ bookingId: booking.id });
    expect((await bookingRow(db, booking.id)).accepted_at).toEqual(s.clock.now());
    // Accepting twice is no transition.
    expect(fieldErrorsFrom(await errorOf(s.doctor.visits.accept({ bookingId: booking.id })))).toEqual([expect.objectContaining({ messageKey: 'validation.booking_transition' })]);
    expect(version).toBe(2);

    await s.doctor.visits.reject({ bookingId: booking.id, reason: 'at_capacity' });
    const after = await bookingRow(db, booking.id);
    expect(after).toMatchObject({ status: 'requested', doctor_id: null, accepted_at: null, version: 4 });
    expect((await timelineRows(db, booking.id)).map((row) => [row.from_status, row.to_status, row.reason, row.doctor_id, row.changed_by])).toEqual([
      ['requested', 'assigned', null, s.doctorUser.id, s.coordinatorUser.id],
      ['assigned', 'assigned', 'accepted', s.doctorUser.id, s.doctorUser.id],
      ['assigned', 'requested', 'rejected:at_capacity', s.doctorUser.id, s.doctorUser.id],
    ]);
    const board = await s.coordinator.visits.board({ date: '2026-11-22' });
    expect(board.bookings.find((entry) => entry.id === booking.id)).toMatchObject({ status: 'requested', needsAttention: true, doctor: null });
    // Once rejected, the visit is no longer the doctor's: not found for them.
    expect((await errorOf(s.doctor.visits.booking({ bookingId: booking.id }))).code).toBe('NOT_FOUND');
    expect(await eventsOf(db, { action: 'visit.booking.rejected' })).toEqual([expect.objectContaining({ user_id: s.doctorUser.id, object_id: booking.id, details: expect.objectContaining({ reason: 'at_capacity' }) })]);
  });
});
