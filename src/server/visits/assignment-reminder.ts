import type { Executor } from '../db/database';
import { enqueueJob, type JobHandler } from '../jobs/queue';
import { applyChange } from './booking-change';
import { lockedBooking } from './repository';

/** The job that returns an assignment nobody accepted in time to the coordinators (VIS-3). */
export const ASSIGNMENT_ACK_JOB = 'visits.assignment-ack';

const MINUTE_MS = 60_000;

/**
 * Schedules the check for an assignment, in the assigning transaction. One job per booking version:
 * a reassignment (a new version) gets its own, and the check of an older version finds nothing to do.
 */
export async function scheduleAssignmentCheck(trx: Executor, booking: { id: string; organisationId: string; version: number }, now: Date): Promise<void> {
  const organisation = await trx.selectFrom('organisation').select('assignment_ack_minutes').where('id', '=', booking.organisationId).executeTakeFirstOrThrow();
  await enqueueJob(trx, {
    kind: ASSIGNMENT_ACK_JOB,
    organisationId: booking.organisationId,
    runAt: new Date(now.getTime() + organisation.assignment_ack_minutes * MINUTE_MS),
    dedupeKey: `${ASSIGNMENT_ACK_JOB}:${booking.id}:${booking.version}`,
    payload: { bookingId: booking.id, version: booking.version },
  });
}

/**
 * VIS-3: an assignment the doctor has not accepted when its time is up goes back to the queue
 * (assigned → requested, automatic, reason 'unacknowledged'), where the board flags it. Only if the
 * booking is exactly as it was assigned: still assigned, not accepted, at the version the job was
 * made for — anything since (an acceptance, a reassignment, a cancellation) wins.
 */
export const assignmentAckHandler: JobHandler = {
  kind: ASSIGNMENT_ACK_JOB,
  actions: ['visit.booking.returned'],
  async run({ trx, audit, now, job }) {
    const bookingId = typeof job.payload.bookingId === 'string' ? job.payload.bookingId : undefined;
    const version = typeof job.payload.version === 'number' ? job.payload.version : undefined;
    const booking = job.organisationId && bookingId ? await lockedBooking(trx, job.organisationId, bookingId) : undefined;
    if (!job.organisationId || !booking || booking.status !== 'assigned' || booking.accepted_at !== null || booking.version !== version) {
      // The unit of work writes an event for every job; this one says nothing was returned and why.
      audit.record({
        action: 'visit.booking.returned',
        reason: booking ? 'no_longer_due' : 'booking_gone',
        objectType: 'home_visit_booking',
        ...(bookingId ? { objectId: bookingId } : {}),
        details: { isReturned: false },
      });
      return;
    }
    await applyChange(
      { trx, audit, now },
      { organisationId: job.organisationId, userId: null },
      booking,
      {
        to: 'requested',
        set: { doctor_id: null, assigned_at: null, accepted_at: null, eta: null },
        timeline: { reason: 'unacknowledged', doctorId: booking.doctor_id, isAutomatic: true },
        action: 'visit.booking.returned',
        details: { isReturned: true, doctorId: booking.doctor_id },
      },
    );
  },
};
