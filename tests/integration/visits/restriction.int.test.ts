import { describe, expect, it } from 'vitest';
import { API_ERROR_MESSAGES } from '../../../src/shared/api-errors';
import { errorOf } from '../audit/audit-helpers';
import { createOrganisation, eventsOf } from '../support/identity';
import { restrictPerson } from '../support/restriction';
import { useTestDatabase } from '../support/test-database';
import { validBooking } from './visit-fixtures';
import { BOOKING_PERSON, bookingRow, HOUR, insertBooking, nationalIdFor, PERSONAL_VALUES, setting } from './visit-support';

// DPO-5 (GDPR art. 18): a person who asked for restriction of processing in the home visits is not
// booked by a coordinator, dispatched, or visited further. A booking holds the fødselsnummer plain,
// the restriction its keyed hash: the booking's number is hashed to match (besides its patient,
// e-mail and phone). Each refusal is logged in its unit of work and says why; reading the booking
// and the steps that stop processing (cancel, unassign) stay allowed.

const NATIONAL_ID = nationalIdFor(BOOKING_PERSON.date_of_birth, 'female', 7);
const refused = { code: 'FORBIDDEN', message: API_ERROR_MESSAGES.processingRestricted };

describe('DPO-5: restriction of processing in the home visits', () => {
  const database = useTestDatabase();

  it('DPO-5: a booking matched by its plain fødselsnummer cannot be assigned, bulk-assigned, given an exception or linked; it can still be read; lifted, dispatch works again', async () => {
    const s = await setting(database.current);
    const now = s.clock.now();
    const booking = await insertBooking(s.db, s.organisation.id, now, { national_id: NATIONAL_ID, phone: '+4795566778', email: 'annen@example.test' });
    const other = await insertBooking(s.db, s.organisation.id, now, { national_id: null, phone: '+4791111111', email: 'naboen@example.test' });
    const { restrictionId, caseId, lift } = await restrictPerson(database.current, s.clock, s.organisation.id, { nationalId: NATIONAL_ID }, ['home_visits']);

    expect(await errorOf(s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: booking.version }))).toMatchObject(refused);
    expect(await errorOf(s.coordinator.visits.bulkAssign({ assignments: [{ bookingId: other.id, doctorId: s.doctorUser.id, version: other.version }, { bookingId: booking.id, doctorId: s.doctorUser.id, version: booking.version }] }))).toMatchObject(refused);
    expect(await errorOf(s.coordinator.visits.recordException({ bookingId: booking.id, kind: 'late_start' }))).toMatchObject(refused);
    expect(await errorOf(s.coordinator.visits.linkPatient({ bookingId: booking.id, nationalId: NATIONAL_ID }))).toMatchObject(refused);
    // Nothing of it happened: the bulk assignment rolled back as a whole, no patient was made from the booking.
    expect(await bookingRow(s.db, booking.id)).toMatchObject({ status: 'requested', doctor_id: null, patient_id: null, version: booking.version });
    expect(await bookingRow(s.db, other.id)).toMatchObject({ status: 'requested', doctor_id: null });
    expect(await s.db.selectFrom('patient').select('id').where('national_id', '=', NATIONAL_ID).execute()).toEqual([]);
    expect(await s.db.selectFrom('visit_exception').select('id').execute()).toEqual([]);

    const denials = await eventsOf(s.db, { action: 'dpo.processing.restricted' });
    expect(denials.map((event) => [event.outcome, event.object_type, event.object_id, event.details.module, event.details.restrictionId, event.details.caseId, event.details.procedure])).toEqual(
      ['visits.assign', 'visits.bulkAssign', 'visits.recordException', 'visits.linkPatient'].map((procedure) => ['denied', 'home_visit_booking', booking.id, 'home_visits', restrictionId, caseId, procedure]),
    );
    const text = JSON.stringify(denials);
    for (const value of [...PERSONAL_VALUES, NATIONAL_ID]) expect(text).not.toContain(value);

    // Reading is no processing refused; the other booking goes on alone.
    expect((await s.coordinator.visits.booking({ bookingId: booking.id })).booking.id).toBe(booking.id);
    await expect(s.coordinator.visits.assign({ bookingId: other.id, doctorId: s.doctorUser.id, version: other.version })).resolves.toMatchObject({ version: other.version + 1 });

    await lift();
    await expect(s.coordinator.visits.assign({ bookingId: booking.id, doctorId: s.doctorUser.id, version: booking.version })).resolves.toMatchObject({ version: booking.version + 1 });
  });

  it('DPO-5: the doctor cannot accept, set out or arrive for a restricted person (matched by phone); cancelling stops the visit and is allowed', async () => {
    const s = await setting(database.current);
    const now = s.clock.now();
    const assigned = await insertBooking(s.db, s.organisation.id, now, { status: 'assigned', doctorId: s.doctorUser.id });
    const enRoute = await insertBooking(s.db, s.organisation.id, now, { status: 'en_route', doctorId: s.doctorUser.id });
    await restrictPerson(database.current, s.clock, s.organisation.id, { phone: '912 34 567' }, ['home_visits']);

    expect(await errorOf(s.doctor.visits.accept({ bookingId: assigned.id }))).toMatchObject(refused);
    expect(await errorOf(s.doctor.visits.setEnRoute({ bookingId: assigned.id, eta: new Date(now.getTime() + HOUR).toISOString() }))).toMatchObject(refused);
    expect(await errorOf(s.doctor.visits.setArrived({ bookingId: enRoute.id }))).toMatchObject(refused);
    expect((await eventsOf(s.db, { action: 'dpo.processing.restricted' })).map((event) => [event.user_id, event.details.procedure])).toEqual([
      [s.doctorUser.id, 'visits.accept'],
      [s.doctorUser.id, 'visits.setEnRoute'],
      [s.doctorUser.id, 'visits.setArrived'],
    ]);
    await expect(s.coordinator.visits.cancel({ bookingId: enRoute.id, version: enRoute.version, reason: 'patient_cancelled' })).resolves.toMatchObject({ version: enRoute.version + 1 });
    await expect(s.coordinator.visits.unassign({ bookingId: assigned.id, version: assigned.version })).resolves.toMatchObject({ version: assigned.version + 1 });
  });

  it('DPO-5: a coordinator’s phone booking for a restricted person is refused and logged, nothing stored; another organisation’s restriction, or one on other modules, changes nothing', async () => {
    const s = await setting(database.current);
    const booking = validBooking(s.clock.now(), { nationalId: NATIONAL_ID, fullName: BOOKING_PERSON.full_name, dateOfBirth: BOOKING_PERSON.date_of_birth });
    const create = (key: string) => s.coordinator.visits.create({ booking, idempotencyKey: key });

    const elsewhere = await createOrganisation(s.db);
    await restrictPerson(database.current, s.clock, elsewhere.id, { nationalId: NATIONAL_ID }, ['home_visits']);
    await restrictPerson(database.current, s.clock, s.organisation.id, { nationalId: NATIONAL_ID }, ['crm', 'portal']);
    await expect(create('phone-booking-allowed-1')).resolves.toMatchObject({ isDuplicate: false });

    await restrictPerson(database.current, s.clock, s.organisation.id, { email: 'Kari.Nordmann@eksempel.no' }, ['home_visits']);
    expect(await errorOf(create('phone-booking-refused-1'))).toMatchObject(refused);
    expect(await s.db.selectFrom('home_visit_booking').select('id').execute()).toHaveLength(1);
    expect(await eventsOf(s.db, { action: 'dpo.processing.restricted' })).toEqual([
      expect.objectContaining({ outcome: 'denied', user_id: s.coordinatorUser.id, object_type: 'home_visit_booking', object_id: null, details: expect.objectContaining({ module: 'home_visits', procedure: 'visits.create' }) }),
    ]);
  });
});
