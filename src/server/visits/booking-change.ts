import { sql, type Updateable } from 'kysely';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { type BookingStatusCode, isAllowedTransition } from '../../shared/visit-schemas';
import type { AuditAction } from '../audit/actions';
import type { AuditDetails } from '../audit/record';
import type { AuditRecorder } from '../audit/recorder';
import type { Executor } from '../db/database';
import type { HomeVisitBookingTable } from '../db/schema';
import { DomainError, fieldError } from '../errors';
import { publishChange } from '../live/publish';
import type { BookingRow } from './repository';

/** What every change of a booking needs: its transaction, its recorder, the clock. */
export interface ChangeDeps {
  trx: Executor;
  audit: AuditRecorder;
  now: Date;
}

/** Who makes the change: a user, or null for the system (the reminder job). */
export interface ChangeActor {
  organisationId: string;
  userId: string | null;
}

export interface BookingChange {
  /** The status after the change (the same as before for a reassignment, a link or a hold). */
  to: BookingStatusCode;
  set: Omit<Updateable<HomeVisitBookingTable>, 'status' | 'version' | 'updated_at' | 'id' | 'organisation_id'>;
  /** A row of the timeline (VIS-3): every status change, and a reassignment or an acceptance. */
  timeline?: { reason: string | null; doctorId: string | null; isAutomatic?: boolean };
  action: AuditAction;
  /** Ids and codes only: never a name, an address or the reason typed on the form. */
  details?: AuditDetails;
}

export const bookingChanged = (): DomainError => new DomainError('conflict', API_ERROR_MESSAGES.bookingChanged);

/** The version the caller saw must be the current one, or someone else changed the booking since (VIS-3). */
export function requireVersion(booking: BookingRow, expected: number): void {
  if (booking.version !== expected) throw bookingChanged();
}

/** Only the transitions of BOOKING_TRANSITIONS, whoever asks (VIS-3). */
export function requireTransition(booking: BookingRow, to: BookingStatusCode): void {
  if (!isAllowedTransition(booking.status, to)) throw fieldError('bookingId', 'validation.booking_transition');
}

/**
 * Applies one change of a booking in the caller's transaction: the row at the version it was read
 * with (a concurrent change makes this a conflict and nothing is written), its timeline row, the
 * home-visit appointment kept in step (ACC-2), the live notice and the audit event.
 */
export async function applyChange(deps: ChangeDeps, actor: ChangeActor, booking: BookingRow, change: BookingChange): Promise<BookingRow> {
  const updated = await deps.trx
    .updateTable('home_visit_booking')
    .set({ ...change.set, status: change.to, updated_at: deps.now, version: sql<number>`version + 1` })
    .where('id', '=', booking.id)
    .where('organisation_id', '=', actor.organisationId)
    .where('version', '=', booking.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw bookingChanged();
  if (change.timeline) {
    await deps.trx
      .insertInto('booking_status_change')
      .values({
        organisation_id: actor.organisationId,
        booking_id: booking.id,
        from_status: booking.status,
        to_status: change.to,
        doctor_id: change.timeline.doctorId,
        changed_by: actor.userId,
        is_automatic: change.timeline.isAutomatic ?? false,
        reason: change.timeline.reason,
        changed_at: deps.now,
      })
      .execute();
  }
  const synced = await syncAppointment(deps, actor, updated);
  await publishChange(deps.trx, { organisationId: actor.organisationId, topic: 'visits', ids: [booking.id] });
  deps.audit.record({
    action: change.action,
    objectType: 'home_visit_booking',
    objectId: booking.id,
    ...(synced.patient_id ? { patientId: synced.patient_id } : {}),
    details: { fromStatus: booking.status, toStatus: change.to, version: synced.version, ...change.details },
  });
  return synced;
}

/**
 * ACC-2 without a new access basis: a booking with a doctor and a patient, not cancelled, has one
 * `appointment` of kind home_visit (the access decision already reads appointments). It follows the
 * booking: a new doctor moves it, a new ETA moves its start, completion completes it, and
 * cancellation or the return of the booking to the queue cancels it (the doctor's access ends).
 */
export async function syncAppointment(deps: ChangeDeps, actor: ChangeActor, booking: BookingRow): Promise<BookingRow> {
  const isWanted = booking.doctor_id !== null && booking.patient_id !== null && booking.status !== 'cancelled' && booking.status !== 'requested';
  const startsAt = booking.eta ?? booking.earliest_at;
  const status = booking.status === 'completed' ? 'completed' : 'booked';
  if (booking.appointment_id) {
    if (isWanted) {
      await deps.trx
        .updateTable('appointment')
        .set({
          patient_id: booking.patient_id as string,
          clinician_id: booking.doctor_id as string,
          starts_at: startsAt,
          status,
          cancelled_at: null,
          cancelled_by: null,
          updated_at: deps.now,
          updated_by: actor.userId,
        })
        .where('id', '=', booking.appointment_id)
        .where('organisation_id', '=', actor.organisationId)
        .execute();
    } else {
      await deps.trx
        .updateTable('appointment')
        .set({ status: 'cancelled', cancelled_at: deps.now, cancelled_by: actor.userId, updated_at: deps.now, updated_by: actor.userId })
        .where('id', '=', booking.appointment_id)
        .where('organisation_id', '=', actor.organisationId)
        .where('status', '!=', 'cancelled')
        .execute();
    }
    return booking;
  }
  if (!isWanted) return booking;
  const appointment = await deps.trx
    .insertInto('appointment')
    .values({
      organisation_id: actor.organisationId,
      patient_id: booking.patient_id as string,
      clinician_id: booking.doctor_id as string,
      kind: 'home_visit',
      starts_at: startsAt,
      status,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Same transaction, row already locked and versioned by the change: no second version bump.
  return deps.trx
    .updateTable('home_visit_booking')
    .set({ appointment_id: appointment.id })
    .where('id', '=', booking.id)
    .where('organisation_id', '=', actor.organisationId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
