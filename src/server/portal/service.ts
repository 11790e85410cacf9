import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { nationalIdentityNumberErrorKey } from '../../shared/national-identity-number';
import { osloCalendarDate } from '../../shared/oslo-time';
import {
  type AgreementService,
  PORTAL_MESSAGES,
  type addEmployeeSchema,
  type companyRefSchema,
  type employeesSchema,
  type removeEmployeeSchema,
  type revealNationalIdSchema,
  type saveAgreementSchema,
  type updateEmployeeSchema,
} from '../../shared/portal-schemas';
import { AuditedDenial } from '../audit/recorder';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import { assertNotRestricted, type RestrictedSubject } from '../dpo/cases/restriction';
import { DomainError, fieldError } from '../errors';
import { isSyntheticNationalId, nationalIdHmac, protectNationalId } from './national-id';
import { type AgreementRow, agreementOfCompany, companyById, employeeById, employeeByNationalIdHmac, employeePage, type EmployeeRow } from './repository';
import type { AgreementView, EmployeeListRow, EmployeePage, EmployeeSaved, RevealedNationalId } from './types';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'isDemo' | 'secretBox'>;
type In<T extends z.ZodType> = z.output<T>;

/** The record changed since the caller read it: reload and decide again. */
export const changedMeanwhile = (): DomainError => new DomainError('conflict', PORTAL_MESSAGES.changed);

const UNIQUE_VIOLATION = '23505';

/** Another organisation's id, or one that exists nowhere: the same answer, and logged (ACC-5). */
function notReachable(objectType: string, objectId: string): AuditedDenial {
  return new AuditedDenial({ reason: 'not_found', objectType, objectId }, 'not_found');
}

export async function reachableCompany(deps: Pick<Deps, 'trx'>, user: SessionUser, companyId: string) {
  const company = await companyById(deps.trx, user.organisationId, companyId);
  if (!company) throw notReachable('company', companyId);
  return company;
}

async function reachableEmployee(deps: Pick<Deps, 'trx'>, user: SessionUser, employeeId: string, options: { lock: boolean }): Promise<EmployeeRow> {
  const employee = await employeeById(deps.trx, user.organisationId, employeeId, options);
  if (!employee) throw notReachable('corporate_employee', employeeId);
  return employee;
}

/** Started and not ended on Oslo's today. */
export function isAgreementActive(agreement: Pick<AgreementRow, 'starts_on' | 'ends_on'>, now: Date): boolean {
  const today = osloCalendarDate(now);
  return agreement.starts_on <= today && (agreement.ends_on === null || agreement.ends_on >= today);
}

function toAgreementView(row: AgreementRow, now: Date): AgreementView {
  return {
    id: row.id,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    services: row.services as AgreementService[],
    reference: row.reference,
    version: row.version,
    isActive: isAgreementActive(row, now),
  };
}

function toListRow(row: Pick<EmployeeRow, 'id' | 'full_name' | 'phone' | 'email' | 'national_id_masked' | 'version'>): EmployeeListRow {
  return { id: row.id, fullName: row.full_name, phone: row.phone, email: row.email, nationalIdMasked: row.national_id_masked, version: row.version };
}

/** Test persons' numbers only in the demo (as the patient register and the booking form). */
function refuseSyntheticOutsideDemo(deps: Pick<Deps, 'isDemo'>, nationalId: string): void {
  if (!deps.isDemo && isSyntheticNationalId(nationalId)) throw fieldError('nationalId', nationalIdentityNumberErrorKey('synthetic_not_allowed'));
}

/**
 * DPO-5: an employee who asked for restriction of processing (art. 18) is not added or changed in
 * the portal; matched by the number's keyed hash, the e-mail or the phone, stored or typed in. The
 * refusal is logged; reading the list and removing the person stay allowed (removing stops processing).
 */
function refuseRestrictedEmployee(deps: Deps, user: SessionUser, subjects: readonly RestrictedSubject[], employeeId: string | null): Promise<void> {
  return assertNotRestricted(deps.trx, user.organisationId, subjects, 'portal', { objectType: 'corporate_employee', objectId: employeeId });
}

// ---------------------------------------------------------------------------------------------
// Agreement
// ---------------------------------------------------------------------------------------------

export async function agreementOf(deps: Deps, user: SessionUser, input: In<typeof companyRefSchema>): Promise<AgreementView | null> {
  await reachableCompany(deps, user, input.companyId);
  const row = await agreementOfCompany(deps.trx, user.organisationId, input.companyId);
  return row ? toAgreementView(row, deps.now) : null;
}

/**
 * CRM-4: a customer's one agreement. Without `version` it is created (only for a company that is
 * a customer, and only if it has none); with `version` the existing one is updated, refused as a
 * conflict when it changed meanwhile. Its end date decides when the employees are deleted.
 */
export async function saveAgreement(deps: Deps, user: SessionUser, input: In<typeof saveAgreementSchema>): Promise<AgreementView> {
  const company = await reachableCompany(deps, user, input.companyId);
  const existing = await agreementOfCompany(deps.trx, user.organisationId, input.companyId, { lock: true });
  const values = { starts_on: input.startsOn, ends_on: input.endsOn, services: [...input.services], reference: input.reference, updated_at: deps.now };
  let saved: AgreementRow;
  if (input.version === undefined) {
    if (company.status !== 'customer') throw fieldError('companyId', PORTAL_MESSAGES.companyNotCustomer);
    if (existing) throw changedMeanwhile();
    saved = await deps.trx
      .insertInto('corporate_agreement')
      .values({ ...values, organisation_id: user.organisationId, company_id: input.companyId, created_at: deps.now })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        // Created by someone else between the read and the insert.
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw changedMeanwhile();
        throw error;
      });
  } else {
    if (!existing) throw notReachable('corporate_agreement', input.companyId);
    if (existing.version !== input.version) throw changedMeanwhile();
    saved = await deps.trx
      .updateTable('corporate_agreement')
      .set({ ...values, version: existing.version + 1 })
      .where('id', '=', existing.id)
      .where('organisation_id', '=', user.organisationId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  deps.audit.record({
    objectType: 'corporate_agreement',
    objectId: saved.id,
    details: { companyId: input.companyId, created: input.version === undefined, startsOn: saved.starts_on, endsOn: saved.ends_on, services: saved.services },
  });
  return toAgreementView(saved, deps.now);
}

// ---------------------------------------------------------------------------------------------
// Employees
// ---------------------------------------------------------------------------------------------

/** A page of the company's employees, numbers masked; the log holds how many were shown, not who. */
export async function employeesOf(deps: Deps, user: SessionUser, input: In<typeof employeesSchema>): Promise<EmployeePage> {
  await reachableCompany(deps, user, input.companyId);
  const page = await employeePage(deps.trx, user.organisationId, input.companyId, { search: input.search, limit: input.pageSize, offset: (input.page - 1) * input.pageSize });
  deps.audit.record({ objectType: 'company', objectId: input.companyId, details: { companyId: input.companyId, resultCount: page.rows.length, total: page.total, searched: input.search !== '' } });
  return { rows: page.rows.map(toListRow), total: page.total };
}

async function refuseTakenNumber(deps: Deps, companyId: string, hmac: Buffer, exceptEmployeeId?: string): Promise<void> {
  const holder = await employeeByNationalIdHmac(deps.trx, companyId, hmac);
  if (holder && holder.id !== exceptEmployeeId) throw fieldError('nationalId', PORTAL_MESSAGES.nationalIdTaken);
}

const refuseDuplicateOnWrite = (error: unknown): never => {
  // A concurrent registration of the same number in the company (unique (company_id, national_id_hmac)).
  if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw fieldError('nationalId', PORTAL_MESSAGES.nationalIdTaken);
  throw error;
};

/** CRM-4: one employee by hand, under the company's agreement while it has not ended. */
export async function addEmployee(deps: Deps, user: SessionUser, input: In<typeof addEmployeeSchema>): Promise<EmployeeSaved> {
  await reachableCompany(deps, user, input.companyId);
  const agreement = await agreementOfCompany(deps.trx, user.organisationId, input.companyId);
  if (!agreement || (agreement.ends_on !== null && agreement.ends_on < osloCalendarDate(deps.now))) throw fieldError('companyId', PORTAL_MESSAGES.agreementRequired);
  refuseSyntheticOutsideDemo(deps, input.nationalId);
  const protectedNumber = (id: string) => protectNationalId(deps.secretBox, id, input.nationalId);
  const hmac = nationalIdHmac(deps.secretBox, input.nationalId);
  await refuseRestrictedEmployee(deps, user, [{ nationalIdHmac: hmac, email: input.email, phone: input.phone }], null);
  await refuseTakenNumber(deps, input.companyId, hmac);
  // The id is made here: the sealed number is bound to it.
  const id = randomUUID();
  const row = await deps.trx
    .insertInto('corporate_employee')
    .values({
      id,
      organisation_id: user.organisationId,
      company_id: input.companyId,
      agreement_id: agreement.id,
      full_name: input.fullName,
      phone: input.phone,
      email: input.email,
      ...protectedNumber(id),
      created_at: deps.now,
      created_by: user.userId,
      updated_at: deps.now,
    })
    .returning(['id', 'full_name', 'phone', 'email', 'national_id_masked', 'version'])
    .executeTakeFirstOrThrow()
    .catch(refuseDuplicateOnWrite);
  deps.audit.record({ objectType: 'corporate_employee', objectId: id, details: { companyId: input.companyId } });
  return { employee: toListRow(row) };
}

/** Name and contact details; the number only when given (then resealed, its hash and mask renewed). */
export async function updateEmployee(deps: Deps, user: SessionUser, input: In<typeof updateEmployeeSchema>): Promise<EmployeeSaved> {
  const employee = await reachableEmployee(deps, user, input.employeeId, { lock: true });
  if (employee.version !== input.version) throw changedMeanwhile();
  const typedHmac = input.nationalId === undefined ? null : nationalIdHmac(deps.secretBox, input.nationalId);
  await refuseRestrictedEmployee(
    deps,
    user,
    [
      { nationalIdHmac: employee.national_id_hmac, email: employee.email, phone: employee.phone },
      { nationalIdHmac: typedHmac, email: input.email, phone: input.phone },
    ],
    employee.id,
  );
  let numberChanged = false;
  let numberColumns: ReturnType<typeof protectNationalId> | Record<string, never> = {};
  if (input.nationalId !== undefined && typedHmac !== null) {
    const hmac = typedHmac;
    if (!hmac.equals(employee.national_id_hmac)) {
      refuseSyntheticOutsideDemo(deps, input.nationalId);
      await refuseTakenNumber(deps, employee.company_id, hmac, employee.id);
      numberColumns = protectNationalId(deps.secretBox, employee.id, input.nationalId);
      numberChanged = true;
    }
  }
  const changedFields = [
    ...(input.fullName !== employee.full_name ? ['fullName'] : []),
    ...(input.phone !== employee.phone ? ['phone'] : []),
    ...(input.email !== employee.email ? ['email'] : []),
    ...(numberChanged ? ['nationalId'] : []),
  ];
  const row = await deps.trx
    .updateTable('corporate_employee')
    .set({ full_name: input.fullName, phone: input.phone, email: input.email, ...numberColumns, version: employee.version + 1, updated_at: deps.now })
    .where('id', '=', employee.id)
    .where('organisation_id', '=', user.organisationId)
    .returning(['id', 'full_name', 'phone', 'email', 'national_id_masked', 'version'])
    .executeTakeFirstOrThrow()
    .catch(refuseDuplicateOnWrite);
  // Which fields changed, never their values.
  deps.audit.record({ objectType: 'corporate_employee', objectId: employee.id, details: { companyId: employee.company_id, changedFields } });
  return { employee: toListRow(row) };
}

export async function removeEmployee(deps: Deps, user: SessionUser, input: In<typeof removeEmployeeSchema>): Promise<{ removed: true }> {
  const employee = await reachableEmployee(deps, user, input.employeeId, { lock: true });
  if (employee.version !== input.version) throw changedMeanwhile();
  await deps.trx.deleteFrom('corporate_employee').where('id', '=', employee.id).where('organisation_id', '=', user.organisationId).execute();
  deps.audit.record({ objectType: 'corporate_employee', objectId: employee.id, details: { companyId: employee.company_id } });
  return { removed: true };
}

/**
 * CRM-4: the full number, for a stated reason. The view is logged with the reason code (never the
 * number), in the same transaction: no event, no number.
 */
export async function revealNationalId(deps: Deps, user: SessionUser, input: In<typeof revealNationalIdSchema>): Promise<RevealedNationalId> {
  const employee = await reachableEmployee(deps, user, input.employeeId, { lock: false });
  const nationalId = deps.secretBox.open(employee.national_id_sealed, employee.id);
  deps.audit.record({ objectType: 'corporate_employee', objectId: employee.id, reason: input.reason, details: { companyId: employee.company_id, reason: input.reason } });
  return { nationalId };
}
