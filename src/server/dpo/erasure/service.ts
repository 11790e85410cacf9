import type { z } from 'zod';
import { API_ERROR_MESSAGES } from '../../../shared/api-errors';
import {
  ERASURE_WAITING_DAYS,
  type erasureCaseSchema,
  type executeErasureSchema,
  type legalHoldsSchema,
  type liftLegalHoldSchema,
  type setLegalHoldSchema,
} from '../../../shared/dpo-erasure-schemas';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import type { ErasedCategory, KeptCategory } from '../../db/dpo/erasure';
import { DomainError, fieldError, notFound } from '../../errors';
import { patientIdsOf } from '../../journal/retention-category';
import { objectHoldCategory, PERSON_DATA_CATEGORIES } from '../../retention/categories';
import type { PersonIdentifiers } from '../../retention/category';
import { type ErasureOutcome, erasePerson, findPersonData, hashIds, isErasable, type PlannedCategory, PlanChangedError } from '../../retention/erasure';
import { normalisePhone } from '../../retention/holds';
import {
  caseById,
  type CustomerConfirmationRow,
  customerConfirmations,
  type ErasureCaseRow,
  firstPlannedAt,
  hashBookingNumbers,
  holdById,
  insertHold,
  insertReport,
  type LegalHoldRow,
  legalHolds,
  liftHold,
  recordPlan,
  reportOfCase,
  type RetentionExceptionRow,
  retentionExceptions,
} from './repository';

/**
 * Erasure in a data-subject request and legal holds (DPO-5, DPO-6). The person's data is found,
 * planned and erased through the retention registry (`retention/erasure.ts`): the dry run is the
 * run rolled back. Events hold ids, codes, counts and hashes, never the person's data.
 */

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'secretBox'>;
const DAY_MS = 86_400_000;

/** Receipts name the affected rows by a SHA-256 of their sorted ids, not the ids: an erased person's rows stay unlinkable in the log; the hash proves the set. */

export interface FoundCategory extends PlannedCategory {
  /** How many of its items erasure would change. */
  erasable: number;
}

function withCounts(plan: readonly PlannedCategory[]): FoundCategory[] {
  return plan.map((category) => ({ ...category, erasable: category.items.filter(isErasable).length }));
}

export async function loadCase(deps: Deps, user: SessionUser, caseId: string): Promise<ErasureCaseRow> {
  const row = await caseById(deps.trx, user.organisationId, caseId);
  if (!row) throw notFound();
  return row;
}

/** The case's identifiers; the national identity number is unsealed for the tables that hold it plain. */
function personOf(deps: Deps, row: ErasureCaseRow): PersonIdentifiers {
  return {
    patientId: row.patientId,
    nationalIdHmac: row.nationalIdHmac,
    nationalId: row.nationalIdSealed ? deps.secretBox.open(row.nationalIdSealed, row.id) : null,
    email: row.email?.toLowerCase() ?? null,
    phone: row.phone,
    name: row.requesterName,
  };
}

/** The patient the case is about: the linked one, else the journal's match on the national identity number. */
export async function resolvedPerson(deps: Deps, user: SessionUser, row: ErasureCaseRow): Promise<PersonIdentifiers> {
  const person = personOf(deps, row);
  const [patientId] = await patientIdsOf(deps.trx, user.organisationId, person);
  return { ...person, patientId: patientId ?? null };
}

export function requireErasable(row: ErasureCaseRow): void {
  if (row.kind !== 'erasure') throw fieldError('caseId', 'dpoErasure.error.notErasureCase');
  if (row.identityVerifiedAt === null) throw fieldError('caseId', 'dpoErasure.error.identityUnverified');
}

function countDetails(plan: readonly PlannedCategory[], prefix: string, pick: (category: PlannedCategory) => number): Record<string, number> {
  return Object.fromEntries(plan.map((category) => [`${prefix}:${category.name}`, pick(category)]));
}

/** DPO-4, DPO-5: the person's data in every module, what erasure would do with it, and the register of what is kept. */
export async function findForCase(
  deps: Deps,
  user: SessionUser,
  input: z.infer<typeof erasureCaseSchema>,
): Promise<{
  caseId: string;
  kind: string;
  isIdentityVerified: boolean;
  hasReport: boolean;
  categories: FoundCategory[];
  exceptions: RetentionExceptionRow[];
  waitingDays: number;
  confirmations: ReturnType<typeof confirmationViews>;
}> {
  const row = await loadCase(deps, user, input.caseId);
  const person = await resolvedPerson(deps, user, row);
  const plan = await findPersonData(deps.trx, PERSON_DATA_CATEGORIES, { organisationId: user.organisationId, person, now: deps.now });
  deps.audit.record({
    action: 'dpo.case.person_searched',
    objectType: 'dsr_case',
    objectId: row.id,
    basis: 'dsr_case',
    ...(person.patientId ? { patientId: person.patientId } : {}),
    details: { ...countDetails(plan, 'found', (category) => category.items.length), shownPatientIds: person.patientId ? [person.patientId] : [] },
  });
  return {
    caseId: row.id,
    kind: row.kind,
    isIdentityVerified: row.identityVerifiedAt !== null,
    hasReport: (await reportOfCase(deps.trx, user.organisationId, row.id)) !== undefined,
    categories: withCounts(plan),
    exceptions: await retentionExceptions(deps.trx),
    waitingDays: ERASURE_WAITING_DAYS,
    confirmations: confirmationViews(await customerConfirmations(deps.trx, user.organisationId, row.id)),
  };
}

/** The customers' confirmations that erased employees in the case (DPO-5), as the case page shows them. */
function confirmationViews(rows: readonly CustomerConfirmationRow[]) {
  return rows.map((row) => ({ ...row, recordedAt: row.recordedAt.toISOString() }));
}

function changedOf(outcome: ErasureOutcome): Record<string, number> {
  return Object.fromEntries(outcome.results.map((result) => [result.name, result.changed]));
}

/**
 * DPO-5: the dry run. The erasure itself, inside a savepoint rolled back: the counts are what the
 * run changed. The plan's hash is recorded: the waiting period runs from the first dry run that
 * showed it.
 */
export async function planErasure(deps: Deps, user: SessionUser, input: z.infer<typeof erasureCaseSchema>) {
  const row = await loadCase(deps, user, input.caseId);
  requireErasable(row);
  if (await reportOfCase(deps.trx, user.organisationId, row.id)) throw fieldError('caseId', 'dpoErasure.error.alreadyErased');
  const person = await resolvedPerson(deps, user, row);
  const outcome = await erasePerson(deps.trx, PERSON_DATA_CATEGORIES, { caseId: row.id, organisationId: user.organisationId, person, now: deps.now, commit: false });
  await recordPlan(deps.trx, { organisationId: user.organisationId, caseId: row.id, planHash: outcome.planHash, plannedBy: user.userId, plannedAt: deps.now });
  const plannedAt = (await firstPlannedAt(deps.trx, user.organisationId, row.id, outcome.planHash)) ?? deps.now;
  deps.audit.record({
    action: 'dpo.erasure.planned',
    objectType: 'dsr_case',
    objectId: row.id,
    details: {
      planHash: outcome.planHash,
      ...countDetails(outcome.plan, 'erase', (category) => category.items.filter(isErasable).length),
      ...countDetails(outcome.plan, 'keep', (category) => category.items.filter((item) => !isErasable(item)).length),
    },
  });
  return {
    caseId: row.id,
    planHash: outcome.planHash,
    categories: withCounts(outcome.plan),
    /** What the rolled-back erasure changed, per category. */
    changed: changedOf(outcome),
    plannedAt: plannedAt.toISOString(),
    earliestRunAt: new Date(plannedAt.getTime() + ERASURE_WAITING_DAYS * DAY_MS).toISOString(),
  };
}

function keptOf(plan: readonly PlannedCategory[]): KeptCategory[] {
  const kept = new Map<string, KeptCategory>();
  for (const category of plan) {
    for (const item of category.items) {
      if (isErasable(item)) continue;
      const key = `${category.name}|${item.groundCode ?? ''}`;
      const entry = kept.get(key) ?? { category: category.name, count: 0, groundCode: item.groundCode ?? '' };
      entry.count += item.count;
      kept.set(key, entry);
    }
  }
  return [...kept.values()];
}

/**
 * DPO-5: the irreversible run of exactly the plan the DPO saw (its hash), after the waiting period
 * or cut short deliberately with a reason. Each category's erasure leaves a receipt in the
 * tamper-evident log; the report (what went, what stays and why) is stored with the case.
 */
export async function executeErasure(deps: Deps, user: SessionUser, input: z.infer<typeof executeErasureSchema>) {
  const row = await loadCase(deps, user, input.caseId);
  requireErasable(row);
  if (await reportOfCase(deps.trx, user.organisationId, row.id)) throw fieldError('caseId', 'dpoErasure.error.alreadyErased');
  const plannedAt = await firstPlannedAt(deps.trx, user.organisationId, row.id, input.planHash);
  if (!plannedAt) throw fieldError('planHash', 'dpoErasure.error.notPlanned');
  const isWaitingOver = deps.now.getTime() >= plannedAt.getTime() + ERASURE_WAITING_DAYS * DAY_MS;
  if (!isWaitingOver && !input.cutWaitingShort) throw fieldError('cutWaitingShort', 'dpoErasure.error.waiting');
  if (!isWaitingOver && input.reason === null) throw fieldError('reason', 'dpoErasure.error.reasonRequired');
  const cutShortReason = isWaitingOver ? null : input.reason;
  const person = await resolvedPerson(deps, user, row);
  let outcome: ErasureOutcome;
  try {
    outcome = await erasePerson(deps.trx, PERSON_DATA_CATEGORIES, {
      caseId: row.id,
      organisationId: user.organisationId,
      person,
      now: deps.now,
      commit: true,
      expectedPlanHash: input.planHash,
    });
  } catch (error) {
    if (error instanceof PlanChangedError) throw fieldError('planHash', 'dpoErasure.error.planChanged');
    throw error;
  }
  // Exactly the plan: a row that changed under the run (anonymised or deleted meanwhile) undoes it all.
  if (outcome.results.some((result) => result.changed !== result.ids.length)) throw new DomainError('conflict', API_ERROR_MESSAGES.recordChanged);
  const erased: ErasedCategory[] = outcome.results.map((result) => ({ category: result.name, method: result.method, count: result.changed, idsSha256: hashIds(result.ids) }));
  const kept = keptOf(outcome.plan);
  for (const receipt of erased) {
    deps.audit.record({
      action: 'dpo.erasure.receipt',
      objectType: 'retention_category',
      objectId: receipt.category,
      details: { caseId: row.id, category: receipt.category, method: receipt.method, count: receipt.count, idsSha256: receipt.idsSha256 },
    });
  }
  const reportId = await insertReport(deps.trx, { organisationId: user.organisationId, caseId: row.id, planHash: outcome.planHash, erased, kept, cutShortReason, executedBy: user.userId, executedAt: deps.now });
  deps.audit.record({
    action: 'dpo.erasure.executed',
    objectType: 'dsr_case',
    objectId: row.id,
    details: {
      planHash: outcome.planHash,
      reportId,
      erased: erased.reduce((sum, entry) => sum + entry.count, 0),
      kept: kept.reduce((sum, entry) => sum + entry.count, 0),
      categories: erased.map((entry) => entry.category),
      isWaitingCutShort: cutShortReason !== null,
    },
  });
  return { reportId, erased, kept };
}

/** DPO-5: the stored report of a case's erasure, with the register's grounds; null before the erasure. */
export async function erasureReport(deps: Deps, user: SessionUser, input: z.infer<typeof erasureCaseSchema>) {
  const row = await loadCase(deps, user, input.caseId);
  const report = await reportOfCase(deps.trx, user.organisationId, row.id);
  deps.audit.record({ action: 'dpo.erasure.report_read', objectType: 'dsr_case', objectId: row.id, details: { hasReport: report !== undefined } });
  return {
    report: report ? { ...report, executedAt: report.executedAt.toISOString() } : null,
    exceptions: await retentionExceptions(deps.trx),
    confirmations: confirmationViews(await customerConfirmations(deps.trx, user.organisationId, row.id)),
  };
}

function iso(row: LegalHoldRow) {
  return { ...row, setAt: row.setAt.toISOString(), liftedAt: row.liftedAt?.toISOString() ?? null };
}

/** DPO-5: the organisation's legal holds (or a case's), in force first. */
export async function listHolds(deps: Deps, user: SessionUser, input: z.infer<typeof legalHoldsSchema>) {
  if (input.caseId !== undefined) await loadCase(deps, user, input.caseId);
  const rows = await legalHolds(deps.trx, user.organisationId, input.caseId);
  deps.audit.record({ action: 'dpo.legal_holds.read', objectType: 'legal_hold', details: { resultCount: rows.length, ...(input.caseId ? { caseId: input.caseId } : {}) } });
  return rows.map(iso);
}

/** DPO-5: a legal hold on a case's person, a category, or one object: stops the schedule and erasure alike. */
export async function setHold(deps: Deps, user: SessionUser, input: z.infer<typeof setLegalHoldSchema>) {
  const caseRow = input.caseId === undefined ? undefined : await loadCase(deps, user, input.caseId);
  let person: { patientId: string | null; nationalIdHmac: Buffer | null; email: string | null; phone: string | null } = { patientId: null, nationalIdHmac: null, email: null, phone: null };
  let category: string | null = null;
  let objectId: string | null = null;
  if (input.scope === 'person') {
    if (!caseRow) throw fieldError('caseId', 'dpoErasure.error.caseRequired');
    person = { patientId: caseRow.patientId, nationalIdHmac: caseRow.nationalIdHmac, email: caseRow.email?.toLowerCase() ?? null, phone: caseRow.phone ? normalisePhone(caseRow.phone) : null };
    if (!person.patientId && !person.nationalIdHmac && !person.email && !person.phone) throw fieldError('caseId', 'dpoErasure.error.noIdentifiers');
  } else {
    if (input.category === undefined) throw fieldError('category', 'dpoErasure.error.categoryRequired');
    category = input.category;
    if (input.scope === 'object') {
      if (input.objectId === undefined) throw fieldError('objectId', 'dpoErasure.error.objectRequired');
      const owner = objectHoldCategory(input.category);
      if (!owner?.ownsObject || !(await owner.ownsObject(deps.trx, user.organisationId, input.objectId))) throw notFound();
      objectId = input.objectId;
    }
  }
  // The person's bookings hold the number plain: their keyed hash is written now (those taken in
  // from here on get it at intake), so the scheduled retention matches them to the hold in SQL.
  if (caseRow && input.scope === 'person' && caseRow.nationalIdSealed && person.nationalIdHmac) {
    await hashBookingNumbers(deps.trx, user.organisationId, deps.secretBox.open(caseRow.nationalIdSealed, caseRow.id), person.nationalIdHmac);
  }
  const holdId = await insertHold(deps.trx, {
    organisationId: user.organisationId,
    scope: input.scope,
    reason: input.reason,
    ...person,
    category,
    objectId,
    caseId: caseRow?.id ?? null,
    setBy: user.userId,
    setAt: deps.now,
  });
  deps.audit.record({
    action: 'dpo.legal_hold.set',
    objectType: 'legal_hold',
    objectId: holdId,
    ...(person.patientId ? { patientId: person.patientId } : {}),
    details: { scope: input.scope, reason: input.reason, category, objectId, caseId: caseRow?.id ?? null },
  });
  return { holdId };
}

/** DPO-5: lifts a hold (kept as a record, with who lifted it and when). */
export async function liftLegalHold(deps: Deps, user: SessionUser, input: z.infer<typeof liftLegalHoldSchema>) {
  const hold = await holdById(deps.trx, user.organisationId, input.holdId);
  if (!hold) throw notFound();
  if (hold.liftedAt !== null) throw fieldError('holdId', 'dpoErasure.error.alreadyLifted');
  await liftHold(deps.trx, user.organisationId, hold.id, user.userId, deps.now);
  deps.audit.record({ action: 'dpo.legal_hold.lifted', objectType: 'legal_hold', objectId: hold.id, details: { scope: hold.scope, category: hold.category, caseId: hold.caseId } });
  return { holdId: hold.id };
}
