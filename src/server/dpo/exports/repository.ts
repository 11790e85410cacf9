import { sql } from 'kysely';
import type { Executor } from '../../db/database';
import type { StoredAuditEvent } from '../../fhir/audit-event';

/** A data-subject request as the exports need it (DPO-5). */
export async function caseById(db: Executor, organisationId: string, caseId: string) {
  return db
    .selectFrom('dsr_case')
    .select(['id', 'reference', 'kind', 'status', 'received_on', 'patient_id', 'email', 'phone', 'national_id_sealed', 'national_id_hmac', 'requester_name'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', caseId)
    .executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof caseById>>>;

/**
 * One page of the organisation's events in [from, to), after the id given, in id order (AUD-5):
 * keyset paging, so an export of 100 000 events reads them a page at a time.
 */
export async function auditEventsPage(db: Executor, organisationId: string, from: Date, to: Date, afterId: string, limit: number): Promise<StoredAuditEvent[]> {
  const rows = await db
    .selectFrom('audit_event')
    .select([
      'id',
      'organisation_id',
      'occurred_at',
      'user_id',
      'user_display_name',
      'user_roles',
      'profession',
      'session_id',
      'auth_method',
      'device_id',
      'action',
      'outcome',
      'reason',
      'patient_id',
      'object_type',
      'object_id',
      'basis',
      sql<string | null>`host(client_ip)`.as('client_ip'),
      'details',
    ])
    .where('organisation_id', '=', organisationId)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .where('id', '>', afterId as never)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, id: String(row.id) }));
}

export async function patientById(db: Executor, organisationId: string, patientId: string) {
  return db
    .selectFrom('patient')
    .select(['id', 'national_id', 'given_name', 'family_name', 'date_of_birth', 'gender', 'address', 'phone', 'email', 'next_of_kin'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', patientId)
    .executeTakeFirst();
}
