import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import { API_ERROR_MESSAGES } from '../../../shared/api-errors';
import { calendarDaysBetween, dsrDeadline, dsrUrgency, type DsrUrgency, extendedDsrDeadline, isDsrExtensionAllowed } from '../../../shared/dsr-deadline';
import {
  DSR_CLOSED_STATUSES,
  DSR_DUPLICATE_WINDOW_DAYS,
  DSR_SOON_DUE_DAYS,
  DSR_STATUSES_NEEDING_IDENTITY,
  type DsrKind,
  type DsrStatus,
  isAllowedDsrTransition,
  type createDsrCaseSchema,
  type dsrCaseRefSchema,
  type extendDsrDeadlineSchema,
  type liftRestrictionSchema,
  type linkDsrPatientSchema,
  type listDsrCasesSchema,
  type setDsrStatusSchema,
  type setRestrictionSchema,
  type updateDsrCaseSchema,
  type verifyDsrIdentitySchema,
} from '../../../shared/dsr-schemas';
import { addDays, osloCalendarDate } from '../../../shared/oslo-time';
import { AuditedDenial } from '../../audit/recorder';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import { DomainError, fieldError } from '../../errors';
import { nationalIdHmac, protectNationalId } from '../../portal/national-id';
import { caseActionsOf } from './actions';
import { type CaseRow, caseById, duplicateCandidates, nextReferenceNumber, restrictionsOfCase, stepsOfCase, userNames } from './repository';

/**
 * Data-subject requests (DPO-4, DPO-5): a case per request from receipt to answer, with its
 * deadline, identity check, status machine, extension, data trail and restriction of processing.
 * Every read writes its event; every change writes its event in the same transaction; events hold
 * ids and codes, never the person's name, contact details or the DPO's free text.
 */

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'secretBox'>;
type In<T extends z.ZodType> = z.output<T>;

const notFoundDenial = (objectType: string, objectId: string) => new AuditedDenial({ reason: 'not_found', objectType, objectId }, 'not_found');
const recordChanged = (): DomainError => new DomainError('conflict', API_ERROR_MESSAGES.recordChanged);

const isClosed = (status: DsrStatus): boolean => DSR_CLOSED_STATUSES.includes(status);
const effectiveDeadlineOf = (row: Pick<CaseRow, 'deadline' | 'extended_deadline'>): string => row.extended_deadline ?? row.deadline;

async function reachableCase(deps: Deps, user: SessionUser, caseId: string, options: { lock?: boolean } = {}): Promise<CaseRow> {
  const row = await caseById(deps.trx, user.organisationId, caseId, options);
  if (!row) throw notFoundDenial('dsr_case', caseId);
  return row;
}

/** A change to a case: the version the DPO saw, and a case still open. */
async function changeableCase(deps: Deps, user: SessionUser, caseId: string, version: number): Promise<CaseRow> {
  const row = await reachableCase(deps, user, caseId, { lock: true });
  if (row.version !== version) throw recordChanged();
  if (isClosed(row.status)) throw fieldError('caseId', 'validation.dsr_case_closed');
  return row;
}

async function bumpCase(deps: Deps, row: CaseRow, changes: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const updated = await deps.trx
    .updateTable('dsr_case')
    .set({ ...changes, updated_at: deps.now, version: row.version + 1 })
    .where('organisation_id', '=', row.organisation_id)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .returning(['id', 'version'])
    .executeTakeFirst();
  if (!updated) throw recordChanged();
  return updated;
}

async function addStep(deps: Deps, user: SessionUser, row: CaseRow, status: DsrStatus, reason: string | null): Promise<void> {
  await deps.trx
    .insertInto('dsr_case_step')
    .values({ case_id: row.id, organisation_id: row.organisation_id, status, reason, changed_by: user.userId, changed_at: deps.now })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export interface DuplicateCase {
  id: string;
  reference: string;
  kind: DsrKind;
  status: DsrStatus;
  receivedOn: string;
  requesterName: string;
  /** Which of the person's details matched: codes. */
  matchedBy: ('national_id' | 'email' | 'phone')[];
}

export interface CaseListRow {
  id: string;
  reference: string;
  kind: DsrKind;
  status: DsrStatus;
  requesterName: string;
  receivedOn: string;
  deadline: string;
  extendedDeadline: string | null;
  effectiveDeadline: string;
  /** Days from today (Oslo) to the effective deadline; negative when overdue. */
  daysLeft: number;
  urgency: DsrUrgency;
}

function listRowOf(row: CaseRow, today: string): CaseListRow {
  const effectiveDeadline = effectiveDeadlineOf(row);
  return {
    id: row.id,
    reference: row.reference,
    kind: row.kind,
    status: row.status,
    requesterName: row.requester_name,
    receivedOn: row.received_on,
    deadline: row.deadline,
    extendedDeadline: row.extended_deadline,
    effectiveDeadline,
    daysLeft: calendarDaysBetween(today, effectiveDeadline),
    urgency: dsrUrgency(effectiveDeadline, today, isClosed(row.status), DSR_SOON_DUE_DAYS),
  };
}

async function duplicatesOf(deps: Deps, organisationId: string, person: { kind: DsrKind; hmac: Buffer | null; email: string | null; phone: string | null; excludeId?: string }): Promise<DuplicateCase[]> {
  const recentFrom = addDays(osloCalendarDate(deps.now), -DSR_DUPLICATE_WINDOW_DAYS);
  const rows = await duplicateCandidates(deps.trx, organisationId, { ...person, recentFrom });
  return rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    kind: row.kind,
    status: row.status,
    receivedOn: row.received_on,
    requesterName: row.requester_name,
    matchedBy: [
      ...(person.hmac !== null && row.national_id_hmac !== null && Buffer.compare(row.national_id_hmac, person.hmac) === 0 ? (['national_id'] as const) : []),
      ...(person.email !== null && row.email?.toLowerCase() === person.email ? (['email'] as const) : []),
      ...(person.phone !== null && row.phone === person.phone ? (['phone'] as const) : []),
    ],
  }));
}

// ---------------------------------------------------------------------------------------------
// Create, list, get
// ---------------------------------------------------------------------------------------------

export type CreateCaseResult =
  | { created: true; id: string; reference: string; deadline: string; duplicates: DuplicateCase[] }
  | { created: false; id: null; reference: null; deadline: null; duplicates: DuplicateCase[] };

/**
 * DPO-4: registers a request. Other open or recent requests of the same kind from the same person
 * (fødselsnummer, e-mail or phone) are returned first, and nothing is created until the DPO
 * confirms this is a new request. The reference counts per organisation and year.
 */
export async function createCase(deps: Deps, user: SessionUser, input: In<typeof createDsrCaseSchema>): Promise<CreateCaseResult> {
  const today = osloCalendarDate(deps.now);
  if (input.receivedOn > today) throw fieldError('receivedOn', 'validation.date_in_future');
  const hmac = input.nationalId !== null ? nationalIdHmac(deps.secretBox, input.nationalId) : null;
  const duplicates = await duplicatesOf(deps, user.organisationId, { kind: input.kind, hmac, email: input.email, phone: input.phone });
  if (duplicates.length > 0 && !input.confirmNotDuplicate) {
    deps.audit.record({
      action: 'dpo.case.person_searched',
      objectType: 'dsr_case',
      details: { purpose: 'duplicate_check', kind: input.kind, caseIds: duplicates.map((duplicate) => duplicate.id) },
    });
    return { created: false, id: null, reference: null, deadline: null, duplicates };
  }
  const year = Number(today.slice(0, 4));
  const number = await nextReferenceNumber(deps.trx, user.organisationId, year);
  const reference = `DSR-${year}-${String(number).padStart(4, '0')}`;
  const id = randomUUID();
  const deadline = dsrDeadline(input.receivedOn);
  const nationalId =
    input.nationalId !== null ? protectNationalId(deps.secretBox, id, input.nationalId) : { national_id_sealed: null, national_id_hmac: null, national_id_masked: null };
  await deps.trx
    .insertInto('dsr_case')
    .values({
      id,
      organisation_id: user.organisationId,
      reference,
      kind: input.kind,
      received_on: input.receivedOn,
      channel: input.channel,
      requester_name: input.requesterName,
      ...nationalId,
      email: input.email,
      phone: input.phone,
      patient_id: null,
      identity_method: null,
      identity_verified_by: null,
      identity_verified_at: null,
      status: 'received',
      hold_reason: null,
      denial_reason: null,
      deadline,
      extended_deadline: null,
      extension_reason: null,
      extension_notified_on: null,
      note: input.note,
      response: null,
      completed_at: null,
      handled_by: user.userId,
      created_by: user.userId,
      created_at: deps.now,
      updated_at: deps.now,
    })
    .execute();
  await deps.trx
    .insertInto('dsr_case_step')
    .values({ case_id: id, organisation_id: user.organisationId, status: 'received', reason: null, changed_by: user.userId, changed_at: deps.now })
    .execute();
  deps.audit.record({
    action: 'dpo.case.created',
    objectType: 'dsr_case',
    objectId: id,
    details: { kind: input.kind, channel: input.channel, reference, deadline, confirmedDuplicateIds: duplicates.map((duplicate) => duplicate.id) },
  });
  return { created: true, id, reference, deadline, duplicates };
}

/** DPO-4: the cases, most pressing first (effective deadline), overdue and soon-due marked. */
export async function listCases(deps: Deps, user: SessionUser, input: In<typeof listDsrCasesSchema>): Promise<CaseListRow[]> {
  const today = osloCalendarDate(deps.now);
  const rows = await deps.trx
    .selectFrom('dsr_case')
    .selectAll()
    .where('organisation_id', '=', user.organisationId)
    .$if(!input.includeClosed && !input.overdueOnly, (query) => query.where('status', 'not in', [...DSR_CLOSED_STATUSES]))
    .$if(input.overdueOnly, (query) => query.where('status', 'not in', [...DSR_CLOSED_STATUSES]).where(sql<string>`coalesce(extended_deadline, deadline)`, '<', today))
    .$if(input.statuses !== undefined && input.statuses.length > 0, (query) => query.where('status', 'in', input.statuses ?? []))
    .$if(input.kinds !== undefined && input.kinds.length > 0, (query) => query.where('kind', 'in', input.kinds ?? []))
    .orderBy(sql`coalesce(extended_deadline, deadline)`)
    .orderBy('reference')
    .limit(2_000)
    .execute();
  const shownPatientIds = [...new Set(rows.map((row) => row.patient_id).filter((id): id is string => id !== null))];
  deps.audit.record({ action: 'dpo.cases.read', objectType: 'dsr_case', details: { resultCount: rows.length, shownPatientIds } });
  return rows.map((row) => listRowOf(row, today));
}

export interface CaseStepView {
  id: string;
  status: DsrStatus;
  reason: string | null;
  changedAt: Date;
  changedByName: string | null;
}

export interface RestrictionView {
  id: string;
  modules: string[];
  setAt: Date;
  setByName: string | null;
  liftedAt: Date | null;
  liftedByName: string | null;
}

/** DPO-4: one case with its history, duplicates and restrictions. The DPO sees the fødselsnummer only masked. */
export async function getCase(deps: Deps, user: SessionUser, input: In<typeof dsrCaseRefSchema>) {
  const row = await reachableCase(deps, user, input.caseId);
  const today = osloCalendarDate(deps.now);
  const [steps, restrictions, duplicates, patient] = [
    await stepsOfCase(deps.trx, user.organisationId, row.id),
    await restrictionsOfCase(deps.trx, user.organisationId, row.id),
    await duplicatesOf(deps, user.organisationId, { kind: row.kind, hmac: row.national_id_hmac, email: row.email?.toLowerCase() ?? null, phone: row.phone, excludeId: row.id }),
    row.patient_id === null
      ? undefined
      : await deps.trx
          .selectFrom('patient')
          .select(['id', 'given_name', 'family_name'])
          .where('organisation_id', '=', user.organisationId)
          .where('id', '=', row.patient_id)
          .executeTakeFirst(),
  ];
  const names = await userNames(deps.trx, user.organisationId, [
    row.identity_verified_by,
    row.handled_by,
    ...steps.map((step) => step.changed_by),
    ...restrictions.flatMap((restriction) => [restriction.set_by, restriction.lifted_by]),
  ]);
  const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  deps.audit.record({
    action: 'dpo.case.read',
    objectType: 'dsr_case',
    objectId: row.id,
    ...(row.patient_id ? { patientId: row.patient_id } : {}),
    details: { duplicateCaseIds: duplicates.map((duplicate) => duplicate.id) },
  });
  const effectiveDeadline = effectiveDeadlineOf(row);
  return {
    id: row.id,
    version: row.version,
    reference: row.reference,
    kind: row.kind,
    status: row.status,
    channel: row.channel,
    receivedOn: row.received_on,
    requesterName: row.requester_name,
    nationalIdMasked: row.national_id_masked,
    email: row.email,
    phone: row.phone,
    note: row.note,
    response: row.response,
    holdReason: row.hold_reason,
    denialReason: row.denial_reason,
    patient: patient ? { id: patient.id, name: `${patient.given_name} ${patient.family_name}` } : null,
    identity: row.identity_method === null ? null : { method: row.identity_method, verifiedAt: row.identity_verified_at, verifiedByName: nameOf(row.identity_verified_by) },
    deadline: row.deadline,
    extendedDeadline: row.extended_deadline,
    extensionReason: row.extension_reason,
    extensionNotifiedOn: row.extension_notified_on,
    effectiveDeadline,
    daysLeft: calendarDaysBetween(today, effectiveDeadline),
    urgency: dsrUrgency(effectiveDeadline, today, isClosed(row.status), DSR_SOON_DUE_DAYS),
    /** The extension can still be granted today (once, within the first month, case open). */
    canExtend: row.extended_deadline === null && !isClosed(row.status) && isDsrExtensionAllowed(row.deadline, today),
    completedAt: row.completed_at,
    handledByName: nameOf(row.handled_by),
    createdAt: row.created_at,
    steps: steps.map((step): CaseStepView => ({ id: String(step.id), status: step.status as DsrStatus, reason: step.reason, changedAt: step.changed_at, changedByName: nameOf(step.changed_by) })),
    restrictions: restrictions.map(
      (restriction): RestrictionView => ({
        id: restriction.id,
        modules: restriction.modules,
        setAt: restriction.set_at,
        setByName: nameOf(restriction.set_by),
        liftedAt: restriction.lifted_at,
        liftedByName: nameOf(restriction.lifted_by),
      }),
    ),
    duplicates,
    // DPO-4: the correction requests of a rectification case (and whom to ask), each answered in the journal.
    ...(await caseActionsOf(deps, user, row)),
  };
}

// ---------------------------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------------------------

/** DPO-4: the editable fields (name, channel, contact details, note). */
export async function updateCase(deps: Deps, user: SessionUser, input: In<typeof updateDsrCaseSchema>): Promise<{ id: string; version: number }> {
  const row = await changeableCase(deps, user, input.caseId, input.version);
  const changes = {
    requester_name: input.requesterName,
    channel: input.channel,
    email: input.email,
    phone: input.phone,
    note: input.note,
  };
  const changedFields = (Object.keys(changes) as (keyof typeof changes)[]).filter((key) => changes[key] !== row[key]);
  const result = await bumpCase(deps, row, changes);
  deps.audit.record({ action: 'dpo.case.updated', objectType: 'dsr_case', objectId: row.id, details: { changedFields } });
  return result;
}

/** DPO-4: links the journal patient whose fødselsnummer is the one the person gave (this organisation's patients only). */
export async function linkPatient(deps: Deps, user: SessionUser, input: In<typeof linkDsrPatientSchema>): Promise<{ id: string; version: number; patientId: string }> {
  const row = await changeableCase(deps, user, input.caseId, input.version);
  if (row.national_id_sealed === null) throw fieldError('nationalId', 'validation.dsr_no_national_id');
  const nationalId = deps.secretBox.open(row.national_id_sealed, row.id);
  const patient = await deps.trx
    .selectFrom('patient')
    .select('id')
    .where('organisation_id', '=', user.organisationId)
    .where('national_id', '=', nationalId)
    .executeTakeFirst();
  if (!patient) throw fieldError('nationalId', 'validation.dsr_no_patient_match');
  const result = await bumpCase(deps, row, { patient_id: patient.id });
  // A restriction in force follows the person into the journal modules too.
  await deps.trx
    .updateTable('processing_restriction')
    .set({ patient_id: patient.id })
    .where('organisation_id', '=', user.organisationId)
    .where('case_id', '=', row.id)
    .where('lifted_at', 'is', null)
    .execute();
  deps.audit.record({ action: 'dpo.case.updated', objectType: 'dsr_case', objectId: row.id, patientId: patient.id, details: { changedFields: ['patient_id'] } });
  return { ...result, patientId: patient.id };
}

/** DPO-4: how the person's identity was verified, by whom (the caller) and when (now). */
export async function verifyIdentity(deps: Deps, user: SessionUser, input: In<typeof verifyDsrIdentitySchema>): Promise<{ id: string; version: number }> {
  const row = await changeableCase(deps, user, input.caseId, input.version);
  if (row.identity_verified_at !== null) throw fieldError('method', 'validation.dsr_identity_already_verified');
  const result = await bumpCase(deps, row, { identity_method: input.method, identity_verified_by: user.userId, identity_verified_at: deps.now });
  await addStep(deps, user, row, row.status, 'identity_verified');
  deps.audit.record({ action: 'dpo.case.identity_verified', objectType: 'dsr_case', objectId: row.id, details: { method: input.method } });
  return result;
}

/**
 * DPO-4: a status change along DSR_STATUS_TRANSITIONS; the identity must be verified before the
 * case is worked on, released or answered; holds and denials carry a coded reason; completion
 * carries the answer. The step is written to the case's history; the event holds codes only.
 */
export async function setStatus(deps: Deps, user: SessionUser, input: In<typeof setDsrStatusSchema>): Promise<{ id: string; version: number }> {
  const row = await changeableCase(deps, user, input.caseId, input.version);
  if (!isAllowedDsrTransition(row.status, input.status)) throw fieldError('status', 'validation.dsr_transition');
  if (DSR_STATUSES_NEEDING_IDENTITY.includes(input.status) && row.identity_verified_at === null) throw fieldError('status', 'validation.dsr_identity_required');
  if (input.status === 'on_hold' && input.holdReason === null) throw fieldError('holdReason', 'validation.required');
  if (input.status === 'denied' && input.denialReason === null) throw fieldError('denialReason', 'validation.required');
  if (input.status === 'completed' && input.response === null) throw fieldError('response', 'validation.required');
  const holdReason = input.status === 'on_hold' ? input.holdReason : null;
  const denialReason = input.status === 'denied' ? input.denialReason : null;
  const result = await bumpCase(deps, row, {
    status: input.status,
    hold_reason: holdReason,
    denial_reason: denialReason,
    handled_by: user.userId,
    ...(input.status === 'completed' ? { response: input.response, completed_at: deps.now } : {}),
  });
  await addStep(deps, user, row, input.status, holdReason ?? denialReason);
  deps.audit.record({
    action: 'dpo.case.status_changed',
    objectType: 'dsr_case',
    objectId: row.id,
    ...(row.patient_id ? { patientId: row.patient_id } : {}),
    details: { from: row.status, to: input.status, reason: holdReason ?? denialReason },
  });
  return result;
}

/**
 * DPO-4 (art. 12(3)): the deadline extended once, by one or two months counted from the original
 * deadline, with a reason, and only while the first month lasts (today ≤ the original deadline);
 * the person must have been told within it.
 */
export async function extendDeadline(deps: Deps, user: SessionUser, input: In<typeof extendDsrDeadlineSchema>): Promise<{ id: string; version: number; extendedDeadline: string }> {
  const row = await changeableCase(deps, user, input.caseId, input.version);
  const today = osloCalendarDate(deps.now);
  if (row.extended_deadline !== null) throw fieldError('months', 'validation.dsr_already_extended');
  if (!isDsrExtensionAllowed(row.deadline, today)) throw fieldError('months', 'validation.dsr_extension_too_late');
  if (input.notifiedOn > today) throw fieldError('notifiedOn', 'validation.date_in_future');
  if (input.notifiedOn < row.received_on) throw fieldError('notifiedOn', 'validation.dsr_notified_before_receipt');
  if (input.notifiedOn > row.deadline) throw fieldError('notifiedOn', 'validation.dsr_notified_after_deadline');
  const extendedDeadline = extendedDsrDeadline(row.deadline, input.months);
  const result = await bumpCase(deps, row, { extended_deadline: extendedDeadline, extension_reason: input.reason, extension_notified_on: input.notifiedOn });
  await addStep(deps, user, row, row.status, 'deadline_extended');
  deps.audit.record({
    action: 'dpo.case.extended',
    objectType: 'dsr_case',
    objectId: row.id,
    details: { months: input.months, deadline: row.deadline, extendedDeadline, notifiedOn: input.notifiedOn },
  });
  return { ...result, extendedDeadline };
}

// ---------------------------------------------------------------------------------------------
// Restriction of processing (DPO-5)
// ---------------------------------------------------------------------------------------------

/** DPO-5: restricts processing of the case's person in the modules named, by every identifier the case holds. */
export async function setRestriction(deps: Deps, user: SessionUser, input: In<typeof setRestrictionSchema>): Promise<{ id: string }> {
  const row = await reachableCase(deps, user, input.caseId, { lock: true });
  if (isClosed(row.status)) throw fieldError('caseId', 'validation.dsr_case_closed');
  const inForce = await deps.trx
    .selectFrom('processing_restriction')
    .select('id')
    .where('organisation_id', '=', user.organisationId)
    .where('case_id', '=', row.id)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  if (inForce) throw fieldError('modules', 'validation.dsr_restriction_in_force');
  if (row.patient_id === null && row.national_id_hmac === null && row.email === null && row.phone === null) throw fieldError('caseId', 'validation.dsr_no_identifier');
  const restriction = await deps.trx
    .insertInto('processing_restriction')
    .values({
      organisation_id: user.organisationId,
      case_id: row.id,
      patient_id: row.patient_id,
      national_id_hmac: row.national_id_hmac,
      email: row.email?.toLowerCase() ?? null,
      phone: row.phone,
      modules: [...input.modules],
      set_at: deps.now,
      set_by: user.userId,
      lifted_at: null,
      lifted_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  deps.audit.record({
    action: 'dpo.restriction.set',
    objectType: 'processing_restriction',
    objectId: restriction.id,
    ...(row.patient_id ? { patientId: row.patient_id } : {}),
    details: { caseId: row.id, modules: [...input.modules] },
  });
  return restriction;
}

/** DPO-5: lifts a restriction in force (the person may then be processed again). */
export async function liftRestriction(deps: Deps, user: SessionUser, input: In<typeof liftRestrictionSchema>): Promise<{ id: string }> {
  const restriction = await deps.trx
    .selectFrom('processing_restriction')
    .select(['id', 'case_id', 'patient_id', 'modules'])
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', input.restrictionId)
    .where('lifted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!restriction) throw notFoundDenial('processing_restriction', input.restrictionId);
  await deps.trx
    .updateTable('processing_restriction')
    .set({ lifted_at: deps.now, lifted_by: user.userId })
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', restriction.id)
    .execute();
  deps.audit.record({
    action: 'dpo.restriction.lifted',
    objectType: 'processing_restriction',
    objectId: restriction.id,
    ...(restriction.patient_id ? { patientId: restriction.patient_id } : {}),
    details: { caseId: restriction.case_id, modules: restriction.modules },
  });
  return { id: restriction.id };
}

// ---------------------------------------------------------------------------------------------
// The data trail (DPO-4)
// ---------------------------------------------------------------------------------------------

/** The audit actions by which a patient's data left the journal or reached someone. */
export const DATA_TRAIL_ACTIONS = [
  'journal.printed',
  'sharing.share.granted',
  'sharing.share.revoked',
  'access.break_glass',
  'dpo.access_report.exported',
  'dpo.package.released',
  'dpo.package.exported',
] as const;

export interface DataTrailEntry {
  source: 'audit' | 'outbox';
  at: Date;
  /** An audit action, or 'message.sent' / 'message.pending' / 'message.failed'. */
  what: string;
  /** The message template (outbox) or the object type (audit). */
  detail: string | null;
  who: string | null;
  /** Where it went: a colleague's name (a share), a channel and address (a message). */
  toName: string | null;
  channel: string | null;
  recipient: string | null;
  /** Only where the log holds it (prints and exports). */
  clientIp: string | null;
}

const TRAIL_LIMIT = 500;

/**
 * DPO-4: everywhere the person's data went, from the audit log (prints with the address they were
 * printed from, shares with the colleague they went to, exports, break-glass) for the linked
 * patient, and the messages sent to the person's e-mail and phone (the outbox), newest first.
 */
export async function dataTrail(deps: Deps, user: SessionUser, input: In<typeof dsrCaseRefSchema>): Promise<{ entries: DataTrailEntry[]; hasPatient: boolean }> {
  const row = await reachableCase(deps, user, input.caseId);
  const patient =
    row.patient_id === null
      ? undefined
      : await deps.trx.selectFrom('patient').select(['id', 'phone', 'email']).where('organisation_id', '=', user.organisationId).where('id', '=', row.patient_id).executeTakeFirst();
  const events = patient
    ? await deps.trx
        .selectFrom('audit_event')
        .select(['id', 'occurred_at', 'action', 'object_type', 'user_display_name', 'client_ip', 'details'])
        .where('organisation_id', '=', user.organisationId)
        .where('patient_id', '=', patient.id)
        .where('action', 'in', [...DATA_TRAIL_ACTIONS])
        .where('outcome', '=', 'allowed')
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .limit(TRAIL_LIMIT)
        .execute()
    : [];
  const recipients = [...new Set([row.email?.toLowerCase(), row.phone, patient?.email?.toLowerCase(), patient?.phone].filter((value): value is string => typeof value === 'string' && value !== ''))];
  const messages =
    recipients.length === 0
      ? []
      : await deps.trx
          .selectFrom('outbox_message')
          .select(['id', 'created_at', 'channel', 'recipient', 'template', 'status'])
          .where('organisation_id', '=', user.organisationId)
          .where((eb) => eb(eb.fn('lower', ['recipient']), 'in', recipients.map((value) => value.toLowerCase())))
          .orderBy('created_at', 'desc')
          .limit(TRAIL_LIMIT)
          .execute();
  const granteeIds = events.map((event) => event.details.granteeId).filter((value): value is string => typeof value === 'string');
  const names = await userNames(deps.trx, user.organisationId, granteeIds);
  const entries: DataTrailEntry[] = [
    ...events.map((event): DataTrailEntry => {
      const granteeId = typeof event.details.granteeId === 'string' ? event.details.granteeId : null;
      return {
        source: 'audit',
        at: event.occurred_at,
        what: event.action,
        detail: event.object_type,
        who: event.user_display_name,
        toName: granteeId === null ? null : (names.get(granteeId) ?? null),
        channel: null,
        recipient: null,
        clientIp: event.client_ip,
      };
    }),
    ...messages.map(
      (message): DataTrailEntry => ({
        source: 'outbox',
        at: message.created_at,
        what: `message.${message.status}`,
        detail: message.template,
        who: null,
        toName: null,
        channel: message.channel,
        recipient: message.recipient,
        clientIp: null,
      }),
    ),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  deps.audit.record({
    action: 'dpo.case.data_trail_read',
    objectType: 'dsr_case',
    objectId: row.id,
    ...(row.patient_id ? { patientId: row.patient_id } : {}),
    details: { eventCount: events.length, messageCount: messages.length },
  });
  return { entries, hasPatient: patient !== undefined };
}
