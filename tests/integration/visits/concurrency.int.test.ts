import { describe, expect, it } from 'vitest';
import { eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { bookingRow, insertBooking, setting, timelineRows } from './visit-support';

/** The outcome of a call as a code: OK, or the error's tRPC code. */
const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => 'OK',
    (error: unknown) => (error as { code?: string }).code ?? 'THROWN',
  );

describe('VIS-3: concurrent changes of one booking', () => {
  const database = useTestDatabase();

  it('VIS-3: two coordinators assigning the same booking at once — exactly one wins, the other gets CONFLICT', async () => {
    const s = await setting(database.current);
    for (let round = 0; round < 4; round++) {
      const booking = await insertBooking(s.db, s.organisation.id, s.clock.now());
      // Who starts first alternates, so neither caller is always the winner by construction.
      const calls = [
        () => s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: 1 }),
        () => s.otherCoordinator.visits.assign({ bookingId: booking.id, doctorId: s.otherDoctorUser.id, version: 1 }),
      ];
      if (round % 2 === 1) calls.reverse();
      const outcomes = await Promise.all(calls.map((call) => outcome(call())));
      expect([...outcomes].sort(), `round ${round}`).toEqual(['CONFLICT', 'OK']);
      const row = await bookingRow(s.db, booking.id);
      expect(row).toMatchObject({ status: 'assigned', version: 2 });
      // The winner's change only: one timeline row, one reminder.
      expect((await timelineRows(s.db, booking.id)).map((entry) => [entry.to_status, entry.doctor_id])).toEqual([['assigned', row.doctor_id]]);
      expect(await s.db.selectFrom('background_job').select('dedupe_key').where('dedupe_key', 'like', `%:${booking.id}:%`).execute()).toHaveLength(1);
    }
    const assigned = (await eventsOf(s.db, { action: 'visit.booking.assigned' })).filter((event) => event.outcome === 'allowed');
    expect(assigned).toHaveLength(4);
  });

  it('VIS-3: the doctor accepting while a coordinator cancels — one of them wins, the booking is consistent', async () => {
    const s = await setting(database.current);
    for (let round = 0; round < 4; round++) {
      const booking = await insertBooking(s.db, s.organisation.id, s.clock.now(), { status: 'assigned', doctorId: s.doctorUser.id });
      const calls = [() => s.doctor.visits.accept({ bookingId: booking.id }), () => s.coordinator.visits.cancel({ bookingId: booking.id, version: 1, reason: 'patient_cancelled' })];
      if (round % 2 === 1) calls.reverse();
      const [first, second] = await Promise.all(calls.map((call) => outcome(call())));
      expect([first, second].filter((code) => code === 'OK'), `round ${round}`).toHaveLength(1);
      const row = await bookingRow(s.db, booking.id);
      expect(row.version).toBe(2);
      expect(await timelineRows(s.db, booking.id)).toHaveLength(1);
      // Either accepted and still assigned, or cancelled and never accepted.
      expect(row.status === 'cancelled' ? row.accepted_at : row.status).toBe(row.status === 'cancelled' ? null : 'assigned');
    }
  });
});
