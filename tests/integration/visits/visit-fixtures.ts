import type { Database } from '../../../src/server/db/database';
import type { BookingIntakeInput } from '../../../src/shared/visit-schemas';
import { createOrganisation, createUser } from '../support/identity';

const HOUR = 3_600_000;

/**
 * A clinic with a public booking form, two zones (one nested in the other's prefix), a coordinator
 * and three doctors: one on shift now, one whose shift starts inside a wanted window, one whose
 * shift has ended (never notified). The clock is the TestClock's: 2026-11-22 09:00 UTC.
 */
export async function visitClinic(db: Database, now: Date, formKey = `klinikk-${Math.random().toString(36).slice(2, 8)}`) {
  const organisation = await createOrganisation(db);
  await db.updateTable('organisation').set({ booking_form_key: formKey }).where('id', '=', organisation.id).execute();
  const sentrum = await db.insertInto('visit_zone').values({ organisation_id: organisation.id, name: 'Oslo sentrum', postcode_prefixes: ['01', '02', '03'] }).returning('id').executeTakeFirstOrThrow();
  const gamleOslo = await db.insertInto('visit_zone').values({ organisation_id: organisation.id, name: 'Gamle Oslo', postcode_prefixes: ['019', '065'] }).returning('id').executeTakeFirstOrThrow();
  const coordinator = await createUser(db, organisation.id, { roles: ['coordinator'], displayName: 'Kim Koordinator' });
  const onShift = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. På Vakt' });
  const later = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Senere' });
  const offShift = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Fri' });
  const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
  await db
    .insertInto('doctor_shift')
    .values([
      { organisation_id: organisation.id, doctor_id: onShift.id, zone_id: sentrum.id, starts_at: at(-2), ends_at: at(6) },
      { organisation_id: organisation.id, doctor_id: later.id, zone_id: gamleOslo.id, starts_at: at(3), ends_at: at(11) },
      { organisation_id: organisation.id, doctor_id: offShift.id, zone_id: null, starts_at: at(-10), ends_at: at(-2) },
    ])
    .execute();
  return { organisation, formKey, zones: { sentrum: sentrum.id, gamleOslo: gamleOslo.id }, coordinator, doctors: { onShift, later, offShift } };
}

/** A complete, valid booking an hour from `now`: each value distinctive, so a test can look for it anywhere. */
export function validBooking(now: Date, overrides: Partial<BookingIntakeInput> = {}): BookingIntakeInput {
  return {
    fullName: 'Kari Nordmann',
    street: 'Storgata 17B',
    postcode: '0155',
    city: 'Oslo',
    gender: 'female',
    dateOfBirth: '1965-07-15',
    nationalId: null,
    phone: '+47 912 34 567',
    email: 'kari.nordmann@eksempel.no',
    reason: 'Feber og hoste i tre dager',
    urgency: 'normal',
    earliestAt: new Date(now.getTime() + HOUR).toISOString(),
    latestAt: null,
    ...overrides,
  };
}

/** Every submitted value in the forms a message could show it: as typed, normalised, formatted. */
export function submittedValues(booking: BookingIntakeInput): string[] {
  const phoneDigits = String(booking.phone).replace(/\D/g, '');
  const values = [
    booking.fullName,
    ...String(booking.fullName).split(' '),
    booking.street,
    booking.postcode,
    booking.city,
    booking.dateOfBirth,
    String(booking.dateOfBirth).split('-').reverse().join('.'),
    booking.phone,
    phoneDigits,
    phoneDigits.slice(-8),
    booking.reason,
    ...String(booking.reason).split(' ').filter((word) => word.length > 3),
    booking.email ?? '',
    booking.nationalId ?? '',
  ];
  return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
}
