import type { Executor } from '../db/database';

/** An active user of the organisation who holds the clinician role now. */
export function activeClinicianOf(db: Executor, organisationId: string, userId: string) {
  return db
    .selectFrom('app_user')
    .innerJoin('role_grant', 'role_grant.user_id', 'app_user.id')
    .select('app_user.id')
    .where('app_user.id', '=', userId)
    .where('app_user.organisation_id', '=', organisationId)
    .where('app_user.status', '=', 'active')
    .where('role_grant.role', '=', 'clinician')
    .where('role_grant.revoked_at', 'is', null)
    .executeTakeFirst();
}

/** A clinician's consultations and home visits in [from, to), cancelled ones left out, in time order. */
export function appointmentsOf(db: Executor, organisationId: string, clinicianId: string, from: Date, to: Date) {
  return db
    .selectFrom('appointment')
    .select(['id', 'patient_id', 'clinician_id', 'kind', 'status', 'starts_at', 'duration_minutes', 'mode'])
    .where('organisation_id', '=', organisationId)
    .where('clinician_id', '=', clinicianId)
    .where('status', '!=', 'cancelled')
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

export type AppointmentRow = Awaited<ReturnType<typeof appointmentsOf>>[number];
