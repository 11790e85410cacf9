import { sql } from 'kysely';
import type { z } from 'zod';
import { addDays, osloCalendarDate, osloInstant } from '../../shared/oslo-time';
import type { bookConsultationSchema, consultationCalendarSchema, moveConsultationSchema } from '../../shared/consultation-schemas';
import { requireTreatingClinician } from '../access/gates';
import { visiblePatients } from '../access/visible-patients';
import { AuditedDenial } from '../audit/recorder';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import type { Executor } from '../db/database';
import { fieldError } from '../errors';
import { activeClinicianOf, appointmentsOf, type AppointmentRow } from './repository';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

const MINUTE_MS = 60_000;

/** One entry of a calendar or of the start page; the patient only where the reader may see them. */
export interface CalendarEntry {
  id: string;
  kind: 'consultation' | 'home_visit';
  status: 'booked' | 'completed';
  startsAt: string;
  durationMinutes: number;
  mode: 'in_person' | 'video' | 'phone';
  clinicianId: string;
  patient: { id: string; givenName: string; familyName: string } | null;
}

/** The start of a calendar day in Oslo, as an instant. */
export function osloDayStart(isoDate: string): Date {
  return new Date(osloInstant(isoDate, '00:00'));
}

/**
 * The clinician the consultation is with: the caller, or an active clinician of the caller's
 * organisation. Another organisation's user answers exactly as an id that exists nowhere (PLAT-3).
 */
async function clinicianFor(trx: Executor, user: SessionUser, clinicianId: string | undefined): Promise<string> {
  if (clinicianId === undefined || clinicianId === user.userId) return user.userId;
  const colleague = await activeClinicianOf(trx, user.organisationId, clinicianId);
  if (!colleague) throw fieldError('clinicianId', 'validation.unknown_colleague');
  return colleague.id;
}

/**
 * A consultation starts today (Oslo) or later: a booking makes a treatment relationship (ACC-2),
 * and one dated in the past would open a journal for a meeting that was never booked.
 */
function refuseStartInThePast(startsAt: Date, now: Date): void {
  if (startsAt < osloDayStart(osloCalendarDate(now))) throw fieldError('startsAt', 'validation.consultation_in_past');
}

/**
 * A clinician is in one consultation at a time. Bookings of one clinician are serialised by a
 * transaction-scoped advisory lock, so two bookings of the same hour at once cannot both pass the
 * check (several backend instances share the database, never memory).
 */
async function refuseOverlap(trx: Executor, organisationId: string, clinicianId: string, startsAt: Date, durationMinutes: number, exceptId?: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`appointment:${clinicianId}`}, 0))`.execute(trx);
  const endsAt = new Date(startsAt.getTime() + durationMinutes * MINUTE_MS);
  const clash = await trx
    .selectFrom('appointment')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('clinician_id', '=', clinicianId)
    .where('status', '!=', 'cancelled')
    .where('starts_at', '<', endsAt)
    .where(sql<Date>`starts_at + make_interval(mins => duration_minutes)`, '>', startsAt)
    .$if(exceptId !== undefined, (query) => query.where('id', '!=', exceptId as string))
    .limit(1)
    .executeTakeFirst();
  if (clash) throw fieldError('startsAt', 'validation.consultation_overlap');
}

/**
 * JRN-6: book a consultation. The booking gives the clinician a treatment relationship (ACC-2), so
 * booking is not a way into a journal: the caller must already be treating the patient (a
 * relationship of their own — registering a patient gives one; a read-share or break-glass does
 * not), whether they book for themselves or for a colleague (as adding a colleague to the care
 * team, docs/adr/0009).
 */
export async function bookConsultation(deps: Deps, user: SessionUser, input: z.output<typeof bookConsultationSchema>): Promise<{ consultationId: string }> {
  const clinicianId = await clinicianFor(deps.trx, user, input.clinicianId);
  const decision = await requireTreatingClinician(deps, user, input.patientId);
  const startsAt = new Date(input.startsAt);
  refuseStartInThePast(startsAt, deps.now);
  await refuseOverlap(deps.trx, user.organisationId, clinicianId, startsAt, input.durationMinutes);
  const row = await deps.trx
    .insertInto('appointment')
    .values({
      organisation_id: user.organisationId,
      patient_id: input.patientId,
      clinician_id: clinicianId,
      kind: 'consultation',
      starts_at: startsAt,
      duration_minutes: input.durationMinutes,
      mode: input.mode,
      created_by: user.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  deps.audit.record({
    patientId: input.patientId,
    objectType: 'consultation',
    objectId: row.id,
    basis: decision.basis,
    details: { clinicianId, startsAt: startsAt.toISOString(), durationMinutes: input.durationMinutes, mode: input.mode },
  });
  return { consultationId: row.id };
}

/**
 * A booked consultation the caller may change: theirs, or one they booked. Home visits belong to
 * dispatch and are not changed here; an unknown id and another organisation's answer alike.
 */
async function changeableConsultation(deps: Deps, user: SessionUser, consultationId: string) {
  const consultation = await deps.trx
    .selectFrom('appointment')
    .select(['id', 'patient_id', 'clinician_id', 'created_by', 'status', 'starts_at'])
    .where('id', '=', consultationId)
    .where('organisation_id', '=', user.organisationId)
    .where('kind', '=', 'consultation')
    .forUpdate()
    .executeTakeFirst();
  if (!consultation) throw new AuditedDenial({ reason: 'not_found', objectType: 'consultation', objectId: consultationId }, 'not_found');
  if (consultation.clinician_id !== user.userId && consultation.created_by !== user.userId) {
    throw new AuditedDenial({ reason: 'not_own_consultation', patientId: consultation.patient_id, objectType: 'consultation', objectId: consultationId }, 'forbidden');
  }
  if (consultation.status !== 'booked') throw fieldError('consultationId', 'validation.consultation_not_booked');
  return consultation;
}

/**
 * JRN-6: move a consultation (a new start, a new length). Moving keeps the relationship the
 * booking gave (ACC-2 reads the new time); the booking was the access decision, so the move asks
 * for none again.
 */
export async function moveConsultation(deps: Deps, user: SessionUser, input: z.output<typeof moveConsultationSchema>): Promise<void> {
  const consultation = await changeableConsultation(deps, user, input.consultationId);
  const startsAt = new Date(input.startsAt);
  refuseStartInThePast(startsAt, deps.now);
  await refuseOverlap(deps.trx, user.organisationId, consultation.clinician_id, startsAt, input.durationMinutes, consultation.id);
  await deps.trx
    .updateTable('appointment')
    .set({ starts_at: startsAt, duration_minutes: input.durationMinutes, updated_at: deps.now, updated_by: user.userId })
    .where('id', '=', consultation.id)
    .execute();
  deps.audit.record({
    patientId: consultation.patient_id,
    objectType: 'consultation',
    objectId: consultation.id,
    details: { clinicianId: consultation.clinician_id, previousStartsAt: consultation.starts_at.toISOString(), startsAt: startsAt.toISOString(), durationMinutes: input.durationMinutes },
  });
}

/** JRN-6: cancel a consultation; a cancelled booking gives no relationship (ACC-2). */
export async function cancelConsultation(deps: Deps, user: SessionUser, consultationId: string): Promise<void> {
  const consultation = await changeableConsultation(deps, user, consultationId);
  await deps.trx
    .updateTable('appointment')
    .set({ status: 'cancelled', cancelled_at: deps.now, cancelled_by: user.userId, updated_at: deps.now, updated_by: user.userId })
    .where('id', '=', consultation.id)
    .execute();
  deps.audit.record({ patientId: consultation.patient_id, objectType: 'consultation', objectId: consultation.id, details: { clinicianId: consultation.clinician_id } });
}

/** Calendar rows with the patient named only where the reader may see them now (ACC-2, ACC-5). */
export async function toCalendarEntries(trx: Executor, user: SessionUser, rows: readonly AppointmentRow[], now: Date): Promise<CalendarEntry[]> {
  const visible = await visiblePatients(trx, user, rows.map((row) => row.patient_id), now);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    status: row.status === 'completed' ? 'completed' : 'booked',
    startsAt: row.starts_at.toISOString(),
    durationMinutes: row.duration_minutes,
    mode: row.mode,
    clinicianId: row.clinician_id,
    patient: visible.get(row.patient_id) ?? null,
  }));
}

/** The patients a list named, for its one read event (AUD-6). */
export function shownPatientIds(entries: readonly { patient: { id: string } | null }[]): string[] {
  return [...new Set(entries.flatMap((entry) => (entry.patient ? [entry.patient.id] : [])))];
}

/** Monday of the week a date falls in (Norwegian weeks start on Monday). */
function mondayOf(isoDate: string): string {
  const weekday = new Date(`${isoDate}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(isoDate, -((weekday + 6) % 7));
}

/**
 * JRN-6: a clinician's day or week (the caller's own, or a colleague's), consultations and home
 * visits, cancelled ones left out. Logs the patients it named (AUD-6).
 */
export async function consultationCalendar(
  deps: Deps,
  user: SessionUser,
  input: z.output<typeof consultationCalendarSchema>,
): Promise<{ clinicianId: string; from: string; to: string; entries: CalendarEntry[] }> {
  const clinicianId = await clinicianFor(deps.trx, user, input.clinicianId);
  const from = input.view === 'day' ? input.date : mondayOf(input.date);
  const to = addDays(from, input.view === 'day' ? 1 : 7);
  const rows = await appointmentsOf(deps.trx, user.organisationId, clinicianId, osloDayStart(from), osloDayStart(to));
  const entries = await toCalendarEntries(deps.trx, user, rows, deps.now);
  const shown = shownPatientIds(entries);
  deps.audit.record({ objectType: 'consultation_calendar', objectId: clinicianId, details: { view: input.view, from, shownPatientIds: shown, resultCount: entries.length } });
  return { clinicianId, from, to, entries };
}
