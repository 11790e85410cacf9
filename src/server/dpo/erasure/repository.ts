import { sql } from 'kysely';
import type { CustomerConfirmationChannel, ErasedCategory, KeptCategory, LegalHoldReason, LegalHoldScope } from '../../db/dpo/erasure';
import type { Executor } from '../../db/database';

/** The DPO's erasure and legal holds (DPO-5): every query within the organisation. */

export interface ErasureCaseRow {
  id: string;
  reference: string;
  kind: string;
  requesterName: string;
  nationalIdSealed: string | null;
  nationalIdHmac: Buffer | null;
  email: string | null;
  phone: string | null;
  patientId: string | null;
  identityVerifiedAt: Date | null;
}

export async function caseById(trx: Executor, organisationId: string, caseId: string): Promise<ErasureCaseRow | undefined> {
  return trx
    .selectFrom('dsr_case')
    .select([
      'id',
      'reference',
      'kind',
      'requester_name as requesterName',
      'national_id_sealed as nationalIdSealed',
      'national_id_hmac as nationalIdHmac',
      'email',
      'phone',
      'patient_id as patientId',
      'identity_verified_at as identityVerifiedAt',
    ])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', caseId)
    .executeTakeFirst();
}

export interface RetentionExceptionRow {
  code: string;
  category: string;
  legalGround: string;
  lawReference: string;
  period: string | null;
  descriptionKey: string;
}

export async function retentionExceptions(trx: Executor): Promise<RetentionExceptionRow[]> {
  return trx
    .selectFrom('retention_exception')
    .select(['code', 'category', 'legal_ground as legalGround', 'law_reference as lawReference', 'period', 'description_key as descriptionKey'])
    .orderBy('sort_order')
    .execute();
}

export async function recordPlan(trx: Executor, row: { organisationId: string; caseId: string; planHash: string; plannedBy: string; plannedAt: Date }): Promise<void> {
  await trx
    .insertInto('erasure_plan')
    .values({ organisation_id: row.organisationId, case_id: row.caseId, plan_hash: row.planHash, planned_by: row.plannedBy, planned_at: row.plannedAt })
    .execute();
}

/** When the DPO first saw this exact plan (the waiting period runs from then); undefined if never. */
export async function firstPlannedAt(trx: Executor, organisationId: string, caseId: string, planHash: string): Promise<Date | undefined> {
  const row = await trx
    .selectFrom('erasure_plan')
    .select((eb) => eb.fn.min('planned_at').as('plannedAt'))
    .where('organisation_id', '=', organisationId)
    .where('case_id', '=', caseId)
    .where('plan_hash', '=', planHash)
    .executeTakeFirst();
  return row?.plannedAt ?? undefined;
}

export interface ErasureReportRow {
  id: string;
  planHash: string;
  erased: ErasedCategory[];
  kept: KeptCategory[];
  waitingCutShort: boolean;
  cutShortReason: string | null;
  executedByName: string;
  executedAt: Date;
}

export async function reportOfCase(trx: Executor, organisationId: string, caseId: string): Promise<ErasureReportRow | undefined> {
  return trx
    .selectFrom('erasure_report as r')
    .innerJoin('app_user as u', (join) => join.onRef('u.id', '=', 'r.executed_by').onRef('u.organisation_id', '=', 'r.organisation_id'))
    .select([
      'r.id',
      'r.plan_hash as planHash',
      'r.erased',
      'r.kept',
      'r.waiting_cut_short as waitingCutShort',
      'r.cut_short_reason as cutShortReason',
      'u.display_name as executedByName',
      'r.executed_at as executedAt',
    ])
    .where('r.organisation_id', '=', organisationId)
    .where('r.case_id', '=', caseId)
    .executeTakeFirst();
}

export async function insertReport(
  trx: Executor,
  row: { organisationId: string; caseId: string; planHash: string; erased: ErasedCategory[]; kept: KeptCategory[]; cutShortReason: string | null; executedBy: string; executedAt: Date },
): Promise<string> {
  const inserted = await trx
    .insertInto('erasure_report')
    .values({
      organisation_id: row.organisationId,
      case_id: row.caseId,
      plan_hash: row.planHash,
      erased: JSON.stringify(row.erased),
      kept: JSON.stringify(row.kept),
      waiting_cut_short: row.cutShortReason !== null,
      cut_short_reason: row.cutShortReason,
      executed_by: row.executedBy,
      executed_at: row.executedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export interface LegalHoldRow {
  id: string;
  scope: LegalHoldScope;
  reason: LegalHoldReason;
  category: string | null;
  objectId: string | null;
  caseId: string | null;
  caseReference: string | null;
  setByName: string;
  setAt: Date;
  liftedByName: string | null;
  liftedAt: Date | null;
}

export async function legalHolds(trx: Executor, organisationId: string, caseId: string | undefined): Promise<LegalHoldRow[]> {
  const { rows } = await sql<LegalHoldRow>`
    select h.id, h.scope, h.reason, h.category, h.object_id as "objectId", h.case_id as "caseId", c.reference as "caseReference",
           s.display_name as "setByName", h.set_at as "setAt", l.display_name as "liftedByName", h.lifted_at as "liftedAt"
      from legal_hold h
      join app_user s on s.id = h.set_by and s.organisation_id = h.organisation_id
      left join app_user l on l.id = h.lifted_by and l.organisation_id = h.organisation_id
      left join dsr_case c on c.id = h.case_id and c.organisation_id = h.organisation_id
     where h.organisation_id = ${organisationId} and ${caseId === undefined ? sql`true` : sql`h.case_id = ${caseId}`}
     order by h.lifted_at is not null, h.set_at desc, h.id
     limit 500`.execute(trx);
  return rows;
}

/** Writes the keyed hash beside a plain national identity number on the organisation's bookings that hold it and lack it (DPO-5). */
export async function hashBookingNumbers(trx: Executor, organisationId: string, nationalId: string, hmac: Buffer): Promise<void> {
  await trx
    .updateTable('home_visit_booking')
    .set({ national_id_hmac: hmac })
    .where('organisation_id', '=', organisationId)
    .where('national_id', '=', nationalId)
    .where('national_id_hmac', 'is', null)
    .execute();
}

export async function insertHold(
  trx: Executor,
  row: {
    organisationId: string;
    scope: LegalHoldScope;
    reason: LegalHoldReason;
    patientId: string | null;
    nationalIdHmac: Buffer | null;
    email: string | null;
    phone: string | null;
    category: string | null;
    objectId: string | null;
    caseId: string | null;
    setBy: string;
    setAt: Date;
  },
): Promise<string> {
  const inserted = await trx
    .insertInto('legal_hold')
    .values({
      organisation_id: row.organisationId,
      scope: row.scope,
      reason: row.reason,
      patient_id: row.patientId,
      national_id_hmac: row.nationalIdHmac,
      email: row.email,
      phone: row.phone,
      category: row.category,
      object_id: row.objectId,
      case_id: row.caseId,
      set_by: row.setBy,
      set_at: row.setAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function holdById(trx: Executor, organisationId: string, holdId: string) {
  return trx
    .selectFrom('legal_hold')
    .select(['id', 'scope', 'category', 'case_id as caseId', 'lifted_at as liftedAt'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', holdId)
    .forUpdate()
    .executeTakeFirst();
}

export async function liftHold(trx: Executor, organisationId: string, holdId: string, liftedBy: string, liftedAt: Date): Promise<void> {
  await trx
    .updateTable('legal_hold')
    .set({ lifted_by: liftedBy, lifted_at: liftedAt })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', holdId)
    .where('lifted_at', 'is', null)
    .execute();
}

export interface CustomerConfirmationRow {
  id: string;
  employeeId: string;
  companyId: string;
  companyName: string;
  confirmedByName: string;
  confirmedByRole: string | null;
  confirmedOn: string;
  channel: CustomerConfirmationChannel;
  note: string | null;
  recordedByName: string;
  recordedAt: Date;
}

/** The customers' confirmations recorded in a case (DPO-5), oldest first. */
export async function customerConfirmations(trx: Executor, organisationId: string, caseId: string): Promise<CustomerConfirmationRow[]> {
  return trx
    .selectFrom('customer_erasure_confirmation as k')
    .innerJoin('company as c', (join) => join.onRef('c.id', '=', 'k.company_id').onRef('c.organisation_id', '=', 'k.organisation_id'))
    .innerJoin('app_user as u', (join) => join.onRef('u.id', '=', 'k.recorded_by').onRef('u.organisation_id', '=', 'k.organisation_id'))
    .select([
      'k.id',
      'k.object_id as employeeId',
      'k.company_id as companyId',
      'c.name as companyName',
      'k.confirmed_by_name as confirmedByName',
      'k.confirmed_by_role as confirmedByRole',
      sql<string>`to_char(k.confirmed_on, 'YYYY-MM-DD')`.as('confirmedOn'),
      'k.channel',
      'k.note',
      'u.display_name as recordedByName',
      'k.recorded_at as recordedAt',
    ])
    .where('k.organisation_id', '=', organisationId)
    .where('k.case_id', '=', caseId)
    .orderBy('k.recorded_at')
    .orderBy('k.id')
    .execute();
}

export async function insertCustomerConfirmation(
  trx: Executor,
  row: {
    organisationId: string;
    caseId: string;
    employeeId: string;
    companyId: string;
    confirmedByName: string;
    confirmedByRole: string | null;
    confirmedOn: string;
    channel: CustomerConfirmationChannel;
    note: string | null;
    recordedBy: string;
    recordedAt: Date;
  },
): Promise<string> {
  const inserted = await trx
    .insertInto('customer_erasure_confirmation')
    .values({
      organisation_id: row.organisationId,
      case_id: row.caseId,
      category: 'portal.employee',
      object_id: row.employeeId,
      company_id: row.companyId,
      confirmed_by_name: row.confirmedByName,
      confirmed_by_role: row.confirmedByRole,
      confirmed_on: row.confirmedOn,
      channel: row.channel,
      note: row.note,
      recorded_by: row.recordedBy,
      recorded_at: row.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}
