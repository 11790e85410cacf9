import type { Selectable } from 'kysely';
import type { BookingStatus, HomeVisitBookingTable } from '../db/schema';
import type { Executor } from '../db/database';

export type BookingRow = Selectable<HomeVisitBookingTable>;

/** Visits a doctor is working on: they count against the shift's cap and stay on the board until done. */
export const OPEN_STATUSES: readonly BookingStatus[] = ['requested', 'assigned', 'en_route', 'arrived'];
export const ACTIVE_VISIT_STATUSES: readonly BookingStatus[] = ['assigned', 'en_route', 'arrived'];

/**
 * One booking of the organisation, locked for the change about to be made: a concurrent change of
 * the same booking waits here and then sees the committed row (and so its new version).
 */
export function lockedBooking(trx: Executor, organisationId: string, bookingId: string): Promise<BookingRow | undefined> {
  return trx.selectFrom('home_visit_booking').selectAll().where('id', '=', bookingId).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
}

export function bookingById(db: Executor, organisationId: string, bookingId: string): Promise<BookingRow | undefined> {
  return db.selectFrom('home_visit_booking').selectAll().where('id', '=', bookingId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

/**
 * The bookings of one Oslo day, by their wanted time, in every status, plus those from before that
 * are still open (a visit not done yesterday is today's work). `doctorId` narrows to one doctor's.
 */
export function bookingsOfDay(db: Executor, organisationId: string, dayStart: Date, dayEnd: Date, doctorId?: string): Promise<BookingRow[]> {
  return db
    .selectFrom('home_visit_booking')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .$if(doctorId !== undefined, (query) => query.where('doctor_id', '=', doctorId as string))
    .where('earliest_at', '<', dayEnd)
    .where((eb) => eb.or([eb('earliest_at', '>=', dayStart), eb('status', 'in', OPEN_STATUSES)]))
    .execute();
}

/** Display names of users of the organisation, by id. */
export async function userNames(db: Executor, organisationId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('organisation_id', '=', organisationId).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

export async function zoneNames(db: Executor, organisationId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('visit_zone').select(['id', 'name']).where('organisation_id', '=', organisationId).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The last status change of each booking (the board's "needs attention"). */
export async function lastChanges(db: Executor, organisationId: string, bookingIds: readonly string[]) {
  if (bookingIds.length === 0) return new Map<string, { to_status: BookingStatus; reason: string | null; is_automatic: boolean }>();
  const rows = await db
    .selectFrom('booking_status_change')
    .select(['booking_id', 'to_status', 'reason', 'is_automatic'])
    .distinctOn('booking_id')
    .where('organisation_id', '=', organisationId)
    .where('booking_id', 'in', bookingIds)
    .orderBy('booking_id')
    .orderBy('id', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.booking_id, row]));
}

export async function exceptionCounts(db: Executor, organisationId: string, bookingIds: readonly string[]): Promise<Map<string, number>> {
  if (bookingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('visit_exception')
    .select(['booking_id', (eb) => eb.fn.countAll<string>().as('count')])
    .where('organisation_id', '=', organisationId)
    .where('booking_id', 'in', bookingIds)
    .groupBy('booking_id')
    .execute();
  return new Map(rows.map((row) => [row.booking_id, Number(row.count)]));
}

export function timelineOf(db: Executor, organisationId: string, bookingId: string) {
  return db
    .selectFrom('booking_status_change')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('booking_id', '=', bookingId)
    .orderBy('id')
    .execute();
}

export function exceptionsOf(db: Executor, organisationId: string, bookingId: string) {
  return db
    .selectFrom('visit_exception')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('booking_id', '=', bookingId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** Shifts overlapping [from, to), with the doctor still active. */
export function shiftsBetween(db: Executor, organisationId: string, from: Date, to: Date) {
  return db
    .selectFrom('doctor_shift')
    .innerJoin('app_user', 'app_user.id', 'doctor_shift.doctor_id')
    .leftJoin('visit_zone', 'visit_zone.id', 'doctor_shift.zone_id')
    .select([
      'doctor_shift.id',
      'doctor_shift.doctor_id',
      'doctor_shift.starts_at',
      'doctor_shift.ends_at',
      'doctor_shift.visit_cap',
      'app_user.display_name',
      'visit_zone.name as zone_name',
    ])
    .where('doctor_shift.organisation_id', '=', organisationId)
    .where('app_user.status', '=', 'active')
    .where('doctor_shift.starts_at', '<', to)
    .where('doctor_shift.ends_at', '>', from)
    .orderBy('doctor_shift.starts_at')
    .orderBy('app_user.display_name')
    .orderBy('doctor_shift.id')
    .execute();
}
