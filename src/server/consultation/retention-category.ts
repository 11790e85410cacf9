import { sql } from 'kysely';
import { patientIdsOf } from '../journal/retention-category';
import type { PersonDataCategory, PersonItem } from '../retention/category';

/**
 * DPO-5: a patient's appointments (consultations and home visits booked in the calendar). They are
 * part of the patient record — when the patient was seen, by whom, how (pasientjournalforskriften
 * § 6) — and are kept with the journal on its ground; a request reports them and hands them out.
 */
export const appointmentCategory: PersonDataCategory = {
  name: 'consultation.appointment',
  descriptionKey: 'dpoErasure.category.consultationAppointment',
  keeps: [],
  erasureMethod: 'erased',

  async findForPerson(trx, { organisationId, person }) {
    const patients = await patientIdsOf(trx, organisationId, person);
    if (patients.length === 0) return [];
    const { rows } = await sql<{ id: string; startsAt: Date }>`
      select id, starts_at as "startsAt" from appointment
       where organisation_id = ${organisationId} and patient_id = any(${patients}::uuid[]) order by starts_at, id`.execute(trx);
    return rows.map((row): PersonItem => ({ id: row.id, labelKey: 'dpoErasure.item.appointment', labelDate: row.startsAt.toISOString(), count: 1, action: 'keep', groundCode: 'journal.content' }));
  },

  eraseForPerson: () => Promise.reject(new Error('consultation.appointment is kept with the journal: never erased by a request')),

  packageSection: 'appointments',

  /** DPO-5: the appointments of the patient the journal's access decision admitted: when, how long, how, with whom, and their status. */
  async collectForPerson(trx, { organisationId, journalAccess }) {
    if (!journalAccess) return [];
    const { rows } = await sql<{ id: string; kind: string; startsAt: Date; durationMinutes: number; mode: string; status: string; clinicianName: string }>`
      select a.id, a.kind, a.starts_at as "startsAt", a.duration_minutes as "durationMinutes", a.mode, a.status, u.display_name as "clinicianName"
        from appointment a
        join app_user u on u.id = a.clinician_id and u.organisation_id = a.organisation_id
       where a.organisation_id = ${organisationId} and a.patient_id = ${journalAccess.patientId}
       order by a.starts_at, a.id`.execute(trx);
    return rows.map((row) => ({ ...row, startsAt: row.startsAt.toISOString() }));
  },
};
