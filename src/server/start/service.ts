import { addDays, osloCalendarDate } from '../../shared/oslo-time';
import { visiblePatients } from '../access/visible-patients';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import { type CalendarEntry, osloDayStart, shownPatientIds, toCalendarEntries } from '../consultation/service';
import { appointmentsOf } from '../consultation/repository';
import { homeVisitsOfDay } from '../visits/service';
import type { BookingDetail } from '../visits/types';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

const DAY_MS = 86_400_000;
/** Recently opened: the last so many patients, opened within so many days. */
const RECENT_PATIENTS = { count: 8, days: 30 } as const;

export interface DraftEntry {
  noteId: string;
  noteType: string;
  consultationDate: string;
  createdAt: string;
  /** Whole days since the draft was started. */
  ageDays: number;
  /** Older than the clinic's limit (JRN-6). */
  isOverdue: boolean;
  /** Null where the clinician may no longer see the patient (the draft still waits for them). */
  patient: { id: string; givenName: string; familyName: string } | null;
}

export interface RecentPatient {
  id: string;
  givenName: string;
  familyName: string;
  openedAt: string;
}

export interface StartPage {
  today: string;
  appointments: CalendarEntry[];
  drafts: DraftEntry[];
  draftAgeLimitDays: number;
  recentPatients: RecentPatient[];
  /** VIS-3: today's home visits assigned to the clinician, in the order of the round (ETA, else the wanted time). */
  homeVisits: BookingDetail[];
}

/**
 * JRN-6: the clinician's day at a glance — today's consultations and home visits in time order, the
 * clinician's unsigned drafts with their age (those older than the clinic's limit flagged), and the
 * patients they opened lately (from their own `journal.record.opened` events). Patients are named
 * only where the clinician may see them now (ACC-2); one event lists every patient named (AUD-6).
 * Today's home visits are the doctor's own bookings (VIS-3); their linked patients are listed too.
 */
export async function startPageFor(deps: Deps, user: SessionUser): Promise<StartPage> {
  const who = { organisationId: user.organisationId, userId: user.userId };
  const today = osloCalendarDate(deps.now);
  const [appointmentRows, draftRows, organisation, openedRows, homeVisits] = await Promise.all([
    appointmentsOf(deps.trx, user.organisationId, user.userId, osloDayStart(today), osloDayStart(addDays(today, 1))),
    deps.trx
      .selectFrom('journal_note')
      .select(['id', 'patient_id', 'note_type', 'consultation_date', 'created_at'])
      .where('organisation_id', '=', user.organisationId)
      .where('author_id', '=', user.userId)
      .where('status', '=', 'draft')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    deps.trx.selectFrom('organisation').select('draft_age_limit_days').where('id', '=', user.organisationId).executeTakeFirstOrThrow(),
    // Reading the sealed log is allowed (the application may read and append); it uses the index by
    // organisation, user and time.
    deps.trx
      .selectFrom('audit_event')
      .select(['patient_id', (eb) => eb.fn.max('occurred_at').as('opened_at')])
      .where('organisation_id', '=', user.organisationId)
      .where('user_id', '=', user.userId)
      .where('occurred_at', '>', new Date(deps.now.getTime() - RECENT_PATIENTS.days * DAY_MS))
      .where('action', '=', 'journal.record.opened')
      .where('outcome', '=', 'allowed')
      .where('patient_id', 'is not', null)
      .groupBy('patient_id')
      .orderBy('opened_at', 'desc')
      .limit(RECENT_PATIENTS.count)
      .execute(),
    homeVisitsOfDay(deps.trx, user, today),
  ]);

  const appointments = await toCalendarEntries(deps.trx, user, appointmentRows, deps.now);
  const limitDays = organisation.draft_age_limit_days;
  const visible = await visiblePatients(deps.trx, who, [...draftRows.map((row) => row.patient_id), ...openedRows.flatMap((row) => (row.patient_id ? [row.patient_id] : []))], deps.now);

  const drafts = draftRows.map((row): DraftEntry => {
    const ageMs = deps.now.getTime() - row.created_at.getTime();
    return {
      noteId: row.id,
      noteType: row.note_type,
      consultationDate: row.consultation_date,
      createdAt: row.created_at.toISOString(),
      ageDays: Math.max(0, Math.floor(ageMs / DAY_MS)),
      isOverdue: ageMs > limitDays * DAY_MS,
      patient: visible.get(row.patient_id) ?? null,
    };
  });
  const recentPatients = openedRows.flatMap((row): RecentPatient[] => {
    const patient = row.patient_id ? visible.get(row.patient_id) : undefined;
    return patient ? [{ ...patient, openedAt: new Date(row.opened_at).toISOString() }] : [];
  });

  const shown = [...new Set([...shownPatientIds(appointments), ...shownPatientIds(drafts), ...recentPatients.map((patient) => patient.id), ...homeVisits.flatMap((visit) => (visit.patientId ? [visit.patientId] : []))])];
  deps.audit.record({ objectType: 'start_page', details: { shownPatientIds: shown, resultCount: shown.length, shownBookingIds: homeVisits.map((visit) => visit.id) } });
  return { today, appointments, drafts, draftAgeLimitDays: limitDays, recentPatients, homeVisits };
}
