import { addDays, osloCalendarDate, osloInstant } from '../../shared/oslo-time';
import type { Executor } from '../db/database';

interface DemoPeople {
  organisationId: string;
  lege: string;
  psykolog: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The demo's day (JRN-6), relative to the day it is seeded: Lars Lege has consultations and a home
 * visit today and more this week, and a draft older than the clinic's 3-day limit; Pia Psykolog
 * sees Per Berg today and again this week. Only with patients each already treats, so the demo's
 * access cases stay as they were (Pia reads Ola's journal under a read-share, is blocked from
 * Ingrid's, and has no basis for Åse's).
 */
export async function seedDemoConsultations(trx: Executor, people: DemoPeople, now: Date): Promise<void> {
  const patients = await trx.selectFrom('patient').select(['id', 'family_name']).where('organisation_id', '=', people.organisationId).execute();
  const patientId = (familyName: string) => {
    const patient = patients.find((candidate) => candidate.family_name === familyName);
    if (!patient) throw new Error(`the demo has no patient ${familyName}`);
    return patient.id;
  };
  const today = osloCalendarDate(now);
  const at = (days: number, time: string) => new Date(osloInstant(addDays(today, days), time));

  const bookings: { clinician: string; patient: string; kind: 'consultation' | 'home_visit'; startsAt: Date; durationMinutes: number; mode: 'in_person' | 'video' | 'phone' }[] = [
    { clinician: people.lege, patient: patientId('Nordmann'), kind: 'consultation', startsAt: at(0, '09:00'), durationMinutes: 30, mode: 'in_person' },
    { clinician: people.lege, patient: patientId('Hansen'), kind: 'consultation', startsAt: at(0, '10:30'), durationMinutes: 20, mode: 'video' },
    { clinician: people.lege, patient: patientId('Ødegård'), kind: 'home_visit', startsAt: at(0, '13:00'), durationMinutes: 60, mode: 'in_person' },
    { clinician: people.lege, patient: patientId('Solberg'), kind: 'consultation', startsAt: at(0, '15:00'), durationMinutes: 15, mode: 'phone' },
    { clinician: people.lege, patient: patientId('Nordmann'), kind: 'consultation', startsAt: at(1, '08:30'), durationMinutes: 30, mode: 'in_person' },
    { clinician: people.lege, patient: patientId('Hansen'), kind: 'consultation', startsAt: at(3, '14:00'), durationMinutes: 45, mode: 'in_person' },
    { clinician: people.psykolog, patient: patientId('Berg'), kind: 'consultation', startsAt: at(0, '11:00'), durationMinutes: 45, mode: 'video' },
    { clinician: people.psykolog, patient: patientId('Berg'), kind: 'consultation', startsAt: at(4, '11:00'), durationMinutes: 45, mode: 'in_person' },
  ];
  await trx
    .insertInto('appointment')
    .values(
      bookings.map((booking) => ({
        organisation_id: people.organisationId,
        patient_id: booking.patient,
        clinician_id: booking.clinician,
        kind: booking.kind,
        starts_at: booking.startsAt,
        duration_minutes: booking.durationMinutes,
        mode: booking.mode,
        created_by: people.lege,
      })),
    )
    .execute();

  // A draft Lars started five days ago and has not signed: highlighted on his start page.
  const startedAt = new Date(now.getTime() - 5 * DAY_MS);
  const draft = await trx
    .insertInto('journal_note')
    .values({ organisation_id: people.organisationId, patient_id: patientId('Hansen'), author_id: people.lege, note_type: 'consultation', consultation_date: osloCalendarDate(startedAt), created_at: startedAt, updated_at: startedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('journal_note_version')
    .values({
      organisation_id: people.organisationId,
      note_id: draft.id,
      version: 1,
      body: 'Kontroll av ryggsmerter. Bedre, men fortsatt stiv om morgenen.',
      amendment_reason: null,
      created_by: people.lege,
      created_at: startedAt,
      updated_at: startedAt,
      signed_by: null,
      signed_at: null,
      signed_auth_method: null,
      content_hash: null,
    })
    .execute();
}
