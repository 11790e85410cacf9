import { sql } from 'kysely';
import type { Executor } from '../../db/database';

/** One event as the report reads it: who, when, what and the coded basis — never `details`. */
export interface AccessEventRow {
  id: string;
  occurred_at: Date;
  user_display_name: string | null;
  user_roles: string[];
  profession: string | null;
  action: string;
  basis: string | null;
  reason: string | null;
  is_list: boolean;
}

/** Neither list nor direct access returns more than this many rows; the report says when it stopped. */
export const ACCESS_REPORT_ROW_LIMIT = 5000;

const COLUMNS = sql`id::text as id, occurred_at, user_display_name, user_roles, profession, action, basis, reason`;

/**
 * DPO-3: everything a person did with the patient's journal (events naming the patient) and every
 * list or search that showed the patient (events whose `details.shownPatientIds` holds them), in the
 * organisation and period. The first is served by audit_event_org_patient_time, the second by the
 * GIN index audit_event_shown_patients (same `details ? 'shownPatientIds'` as its predicate): no
 * scan of the log. Only allowed events by a person (a refusal is no access; the retention job is
 * not a person).
 */
export async function accessEventsOfPatient(trx: Executor, organisationId: string, patientId: string, from: Date, until: Date): Promise<{ rows: AccessEventRow[]; isTruncated: boolean }> {
  const shown = JSON.stringify([patientId]);
  const [direct, lists] = await Promise.all([
    sql<Omit<AccessEventRow, 'is_list'>>`
      select ${COLUMNS} from audit_event
       where organisation_id = ${organisationId} and patient_id = ${patientId}
         and occurred_at >= ${from} and occurred_at < ${until}
         and outcome = 'allowed' and user_id is not null
       order by occurred_at desc, id desc
       limit ${ACCESS_REPORT_ROW_LIMIT + 1}`.execute(trx),
    sql<Omit<AccessEventRow, 'is_list'>>`
      select ${COLUMNS} from audit_event
       where details ? 'shownPatientIds' and details -> 'shownPatientIds' @> ${shown}::jsonb
         and organisation_id = ${organisationId}
         and occurred_at >= ${from} and occurred_at < ${until}
         and outcome = 'allowed' and user_id is not null
         and patient_id is distinct from ${patientId}
       order by occurred_at desc, id desc
       limit ${ACCESS_REPORT_ROW_LIMIT + 1}`.execute(trx),
  ]);
  const rows = [...direct.rows.map((row) => ({ ...row, is_list: false })), ...lists.rows.map((row) => ({ ...row, is_list: true }))].sort(
    (a, b) => b.occurred_at.getTime() - a.occurred_at.getTime() || Number(BigInt(b.id) - BigInt(a.id)),
  );
  const isTruncated = direct.rows.length > ACCESS_REPORT_ROW_LIMIT || lists.rows.length > ACCESS_REPORT_ROW_LIMIT || rows.length > ACCESS_REPORT_ROW_LIMIT;
  return { rows: rows.slice(0, ACCESS_REPORT_ROW_LIMIT), isTruncated };
}
