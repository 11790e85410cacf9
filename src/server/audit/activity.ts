import { sql } from 'kysely';
import type { ActivityQuery } from '../../shared/activity-filters';
import { visiblePatients } from '../access/visible-patients';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

/** The patient an event concerns, as far as this user may know them now. */
export type ActivityPatient = { isVisible: true; id: string; givenName: string; familyName: string } | { isVisible: false };

export interface ActivityEvent {
  id: string;
  occurredAt: string;
  action: string;
  outcome: string;
  reason: string | null;
  authMethod: string | null;
  deviceId: string | null;
  objectType: string | null;
  /** Withheld when it is the id of the patient concerned: `patient` says what the user may know. */
  objectId: string | null;
  basis: string | null;
  clientIp: string | null;
  patient: ActivityPatient | null;
}

/**
 * AUD-7: the events about the user's own actions (Normen), newest first, by keyset, narrowed to a
 * period (Oslo days) and a group of actions. The patient an event concerns is named only where the
 * access decision lets this user open that patient now (a patient since blocked, or reached once
 * by break-glass, stays "a patient"); those names are a list of patients shown, so the read event
 * lists their ids (AUD-6). The event is written before the answer leaves (AUD-3).
 */
export async function myActivity(deps: Deps, user: SessionUser, query: ActivityQuery): Promise<{ events: ActivityEvent[]; nextBefore: string | null }> {
  const rows = await deps.trx
    .selectFrom('audit_event')
    .select(['id', 'occurred_at', 'action', 'outcome', 'reason', 'auth_method', 'device_id', 'object_type', 'object_id', 'patient_id', 'basis', 'client_ip'])
    .where('organisation_id', '=', user.organisationId)
    .where('user_id', '=', user.userId)
    .$if(query.before !== undefined, (q) => q.where('id', '<', query.before as string))
    // Oslo days: midnight to midnight in Europe/Oslo, whatever the offset that day.
    .$if(query.from !== undefined, (q) => q.where('occurred_at', '>=', sql<Date>`(${query.from}::date)::timestamp at time zone 'Europe/Oslo'`))
    .$if(query.to !== undefined, (q) => q.where('occurred_at', '<', sql<Date>`(${query.to}::date + 1)::timestamp at time zone 'Europe/Oslo'`))
    .$if(query.actionGroup !== undefined, (q) => q.where('action', 'like', `${query.actionGroup}.%`))
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);

  // Named only where the user may see the patient now: one access decision for the whole page.
  const visible = await visiblePatients(deps.trx, { organisationId: user.organisationId, userId: user.userId }, page.flatMap((row) => (row.patient_id ? [row.patient_id] : [])), deps.now);
  const patients = new Map<string, ActivityPatient>([...visible].map(([patientId, patient]) => [patientId, { isVisible: true, ...patient }]));
  const shownPatientIds = [...patients].flatMap(([patientId, patient]) => (patient.isVisible ? [patientId] : []));
  deps.audit.record({ basis: 'own_data', details: { shown: page.length, shownPatientIds } });

  return {
    events: page.map((row) => ({
      id: String(row.id),
      occurredAt: row.occurred_at.toISOString(),
      action: row.action,
      outcome: row.outcome,
      reason: row.reason,
      authMethod: row.auth_method,
      deviceId: row.device_id,
      objectType: row.object_type,
      objectId: row.patient_id !== null && row.object_id === row.patient_id ? null : row.object_id,
      basis: row.basis,
      clientIp: row.client_ip,
      patient: row.patient_id ? (patients.get(row.patient_id) ?? { isVisible: false }) : null,
    })),
    nextBefore: rows.length > query.limit ? String(page.at(-1)?.id) : null,
  };
}
