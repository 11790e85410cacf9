import { type Selectable, sql } from 'kysely';
import { DSR_CLOSED_STATUSES, type DsrKind } from '../../../shared/dsr-schemas';
import type { Executor } from '../../db/database';
import type { DsrCaseTable } from '../../db/dpo/cases';

/** The data-subject request tables (DPO-4, DPO-5): every query filters by the caller's organisation. */

export type CaseRow = Selectable<DsrCaseTable>;

export async function caseById(db: Executor, organisationId: string, caseId: string, options: { lock?: boolean } = {}): Promise<CaseRow | undefined> {
  return db
    .selectFrom('dsr_case')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', caseId)
    .$if(options.lock === true, (query) => query.forUpdate())
    .executeTakeFirst();
}

/**
 * The next running number of a reference for the organisation and year. The counter row is taken
 * under its lock (INSERT … ON CONFLICT DO UPDATE), so concurrent registrations wait for each other;
 * the first of a year starts after any reference already there (cases made before the counter).
 */
export async function nextReferenceNumber(db: Executor, organisationId: string, year: number): Promise<number> {
  const prefix = `DSR-${year}-`;
  const result = await sql<{ last_number: number }>`
    insert into dsr_case_counter (organisation_id, year, last_number)
    values (${organisationId}, ${year}, 1 + coalesce((
      select max(substr(reference, ${prefix.length + 1}::integer)::integer) from dsr_case
       where organisation_id = ${organisationId} and starts_with(reference, ${prefix})), 0))
    on conflict (organisation_id, year) do update set last_number = dsr_case_counter.last_number + 1
    returning last_number`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('the reference counter returned no row');
  return Number(row.last_number);
}

/** Other cases of the same kind from the same person (any of the identifiers) that are open or were received since `recentFrom`. */
export async function duplicateCandidates(
  db: Executor,
  organisationId: string,
  person: { kind: DsrKind; hmac: Buffer | null; email: string | null; phone: string | null; excludeId?: string; recentFrom: string },
): Promise<CaseRow[]> {
  if (person.hmac === null && person.email === null && person.phone === null) return [];
  return db
    .selectFrom('dsr_case')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', person.kind)
    .$if(person.excludeId !== undefined, (query) => query.where('id', '!=', person.excludeId as string))
    .where((eb) =>
      eb.or([
        ...(person.hmac !== null ? [eb('national_id_hmac', '=', person.hmac)] : []),
        ...(person.email !== null ? [eb(eb.fn('lower', ['email']), '=', person.email.toLowerCase())] : []),
        ...(person.phone !== null ? [eb('phone', '=', person.phone)] : []),
      ]),
    )
    .where((eb) => eb.or([eb('status', 'not in', [...DSR_CLOSED_STATUSES]), eb('received_on', '>=', person.recentFrom)]))
    .orderBy('received_on', 'desc')
    .orderBy('reference', 'desc')
    .limit(50)
    .execute();
}

export async function stepsOfCase(db: Executor, organisationId: string, caseId: string) {
  return db.selectFrom('dsr_case_step').selectAll().where('organisation_id', '=', organisationId).where('case_id', '=', caseId).orderBy('changed_at').orderBy('id').execute();
}

export async function restrictionsOfCase(db: Executor, organisationId: string, caseId: string) {
  return db
    .selectFrom('processing_restriction')
    .select(['id', 'modules', 'set_at', 'set_by', 'lifted_at', 'lifted_by'])
    .where('organisation_id', '=', organisationId)
    .where('case_id', '=', caseId)
    .orderBy('set_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function userNames(db: Executor, organisationId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('organisation_id', '=', organisationId).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

/** A line in the case's history: the status it has, and what was done (a code). */
export async function addCaseStep(trx: Executor, row: Pick<CaseRow, 'id' | 'organisation_id' | 'status'>, userId: string, reason: string, now: Date): Promise<void> {
  await trx.insertInto('dsr_case_step').values({ case_id: row.id, organisation_id: row.organisation_id, status: row.status, reason, changed_by: userId, changed_at: now }).execute();
}
