import { mod11CheckDigit } from '../../../src/shared/national-identity-number';
import type { BookingStatusCode } from '../../../src/shared/visit-schemas';
import type { Database } from '../../../src/server/db/database';
import type { HomeVisitBookingTable } from '../../../src/server/db/schema';
import type { Insertable } from 'kysely';
import { callerAs, createOrganisation, createUser, login, TestClock, type TestUser } from '../support/identity';
import type { TestDatabase } from '../support/test-database';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The test clock starts at 2026-11-22 09:00 UTC: 10:00 in Oslo, this calendar day. */
export const TODAY = '2026-11-22';

/** A valid fødselsnummer (not synthetic) for a date of birth and gender, individual number from `serial`. */
export function nationalIdFor(dateOfBirth: string, gender: 'female' | 'male', serial = 0): string {
  const [year, month, day] = dateOfBirth.split('-') as [string, string, string];
  for (let individual = (Number(year) >= 2000 ? 500 : 0) + serial * 2; ; individual += 1) {
    if ((individual % 2 === 1) !== (gender === 'male')) continue;
    const head = `${day}${month}${year.slice(2)}${String(individual).padStart(3, '0')}`;
    const digits = Array.from(head, Number);
    const k1 = mod11CheckDigit(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    if (k1 === null) continue;
    const k2 = mod11CheckDigit([...digits, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (k2 === null) continue;
    return `${head}${k1}${k2}`;
  }
}

/** The person's data a test booking carries: none of it may reach an audit event. */
export const BOOKING_PERSON = {
  full_name: 'Synnøve Testesen Fjeld',
  street: 'Markveien 12',
  postcode: '0554',
  city: 'Oslo',
  gender: 'female',
  date_of_birth: '1948-03-09',
  phone: '+4791234567',
  email: 'synnove@example.test',
  reason: 'Feber og tung pust siden i går',
} as const;

/** Every personal value above: a test looks for them in audit events and notifications. */
export const PERSONAL_VALUES = Object.values(BOOKING_PERSON).filter((value) => value !== 'female' && value !== 'Oslo');

export async function setting(database: TestDatabase) {
  const clock = new TestClock();
  const db = database.db;
  const organisation = await createOrganisation(db);
  const coordinatorUser = await createUser(db, organisation.id, { roles: ['coordinator'], displayName: 'Koordinator Kari' });
  const otherCoordinatorUser = await createUser(db, organisation.id, { roles: ['coordinator'], displayName: 'Koordinator Per' });
  const doctorUser = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Ute' });
  const otherDoctorUser = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Annen' });
  const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'], displayName: 'Personvern' });
  const as = async (user: TestUser) => callerAs(database, (await login(database, user, clock)).token, clock);
  const [coordinator, otherCoordinator, doctor, otherDoctor, dpo] = [await as(coordinatorUser), await as(otherCoordinatorUser), await as(doctorUser), await as(otherDoctorUser), await as(dpoUser)];
  return { clock, db, organisation, coordinatorUser, otherCoordinatorUser, doctorUser, otherDoctorUser, dpoUser, coordinator, otherCoordinator, doctor, otherDoctor, dpo, as };
}

export type Setting = Awaited<ReturnType<typeof setting>>;

/**
 * A booking made by direct insert (the intake helper has its own procedures and tests), in any
 * status with the fields that status needs. Times are relative to the clock.
 */
export async function insertBooking(
  db: Database,
  organisationId: string,
  now: Date,
  options: { status?: BookingStatusCode; doctorId?: string | null; patientId?: string | null; documentationNoteId?: string | null; urgency?: 'normal' | 'urgent'; earliestInMs?: number; latestInMs?: number } & Partial<Insertable<HomeVisitBookingTable>> = {},
): Promise<{ id: string; version: number }> {
  const { status = 'requested', doctorId = null, patientId = null, documentationNoteId = null, urgency = 'normal', earliestInMs = HOUR, latestInMs, ...rest } = options;
  const earliest = new Date(now.getTime() + earliestInMs);
  const withDoctor = status !== 'requested';
  const row = await db
    .insertInto('home_visit_booking')
    .values({
      organisation_id: organisationId,
      source: 'web',
      idempotency_key: null,
      ...BOOKING_PERSON,
      national_id: null,
      urgency,
      earliest_at: earliest,
      latest_at: new Date(earliest.getTime() + (latestInMs ?? (urgency === 'urgent' ? 2 : 8) * HOUR)),
      zone_id: null,
      status,
      doctor_id: withDoctor ? doctorId : null,
      assigned_at: withDoctor && doctorId ? now : null,
      accepted_at: null,
      eta: status === 'en_route' || status === 'arrived' || status === 'completed' ? new Date(earliest.getTime() + 30 * MINUTE) : null,
      en_route_at: null,
      arrived_at: null,
      completed_at: status === 'completed' ? now : null,
      cancelled_at: status === 'cancelled' ? now : null,
      cancel_reason: status === 'cancelled' ? 'other' : null,
      patient_id: patientId,
      documentation_note_id: status === 'completed' ? documentationNoteId : null,
      appointment_id: null,
      retention_hold: null,
      retention_hold_by: null,
      retention_hold_at: null,
      anonymised_at: null,
      created_at: now,
      created_by: null,
      updated_at: now,
      ...rest,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  return row;
}

/** A patient of the register, made directly (registration has its own tests). */
export async function insertPatient(db: Database, organisationId: string, options: { nationalId?: string; dateOfBirth?: string; gender?: 'female' | 'male' } = {}): Promise<string> {
  const dateOfBirth = options.dateOfBirth ?? BOOKING_PERSON.date_of_birth;
  const gender = options.gender ?? 'female';
  const row = await db
    .insertInto('patient')
    .values({
      organisation_id: organisationId,
      national_id: options.nationalId ?? nationalIdFor(dateOfBirth, gender),
      given_name: 'Synnøve',
      family_name: 'Fjeld',
      date_of_birth: dateOfBirth,
      gender,
      address: null,
      phone: null,
      email: null,
      next_of_kin: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A draft note written by `authorId` for the patient (the journal has its own tests). */
export async function insertNote(db: Database, organisationId: string, patientId: string, authorId: string): Promise<string> {
  const row = await db
    .insertInto('journal_note')
    .values({ organisation_id: organisationId, patient_id: patientId, author_id: authorId, note_type: 'home_visit', consultation_date: TODAY })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function bookingRow(db: Database, id: string) {
  return db.selectFrom('home_visit_booking').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function timelineRows(db: Database, id: string) {
  return db.selectFrom('booking_status_change').selectAll().where('booking_id', '=', id).orderBy('id').execute();
}
