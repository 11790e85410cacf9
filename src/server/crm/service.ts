import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import {
  COMPANY_STATUSES,
  CONTACT_PURPOSES,
  type CompanyStatus,
  type ContactPurpose,
  DIRECT_MARKETING_PURPOSES,
  isAllowedCompanyTransition,
  LEGAL_BASIS_RULES,
  type LegalBasis,
  type LegalBasisSource,
  type companiesSchema,
  type companyRefSchema,
  type completeTaskSchema,
  type contactListSchema,
  type createCompanySchema,
  type createContactSchema,
  type createTaskSchema,
  type exportContactsSchema,
  type logActivitySchema,
  type myTasksSchema,
  type pipelineSchema,
  type recordBasisSchema,
  type recordObjectionSchema,
  type setCompanyStatusSchema,
  type updateCompanySchema,
  type updateContactSchema,
  type updateTaskSchema,
  type withdrawConsentSchema,
} from '../../shared/crm-schemas';
import { osloCalendarDate, osloInstant, osloWallClock } from '../../shared/oslo-time';
import { AuditedDenial } from '../audit/recorder';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import type { Executor } from '../db/database';
import { DomainError, fieldError } from '../errors';
import { assertNotRestricted } from '../dpo/cases/restriction';
import { neutraliseExportedCell } from '../import/formula';
import {
  activitiesOfCompany,
  type BasisRow,
  type CompanyRow,
  type ContactRow,
  companyById,
  contactById,
  contactsOfCompany,
  contactsWithActiveBasis,
  currentBases,
  isSalesUser,
  movesPerMonth,
  prefixTsQuery,
  salesUsersOf,
  searchCompanies,
  statusCounts,
  statusHistoryOf,
  type TaskRow,
  taskById,
  tasksOfCompany,
  tasksOfOwner,
  userNames,
} from './repository';
import type {
  CompanyList,
  CompanyPage,
  ContactExport,
  ContactListRow,
  ContactView,
  LegalBasisRecord,
  Pipeline,
  PipelineMonth,
  SalesUser,
  TaskView,
} from './types';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;
type In<T extends z.ZodType> = z.output<T>;

const DAY_MS = 86_400_000;
/** The company page shows tasks done this recently beside the open ones. */
const RECENTLY_DONE_DAYS = 30;
/** A list on screen stops here; the export takes them all (up to EXPORT_LIMIT). */
const CONTACT_LIST_LIMIT = 2_000;
const EXPORT_LIMIT = 100_000;
/** An activity logged "now" from a machine whose clock runs a little ahead is not in the future. */
const CLOCK_SLACK_MS = 5 * 60_000;

const recordChanged = (): DomainError => new DomainError('conflict', API_ERROR_MESSAGES.recordChanged);

/** Another organisation's id, or one that never existed: the same answer, and the probe is logged. */
const notFoundDenial = (objectType: string, objectId: string) => new AuditedDenial({ reason: 'not_found', objectType, objectId }, 'not_found');

// ---------------------------------------------------------------------------------------------
// Shared rules
// ---------------------------------------------------------------------------------------------

async function reachableCompany(deps: Deps, user: SessionUser, companyId: string, options: { lock?: boolean } = {}): Promise<CompanyRow> {
  const company = await companyById(deps.trx, user.organisationId, companyId, options);
  if (!company) throw notFoundDenial('company', companyId);
  return company;
}

async function reachableContact(deps: Deps, user: SessionUser, contactId: string, options: { lock?: boolean } = {}): Promise<ContactRow> {
  const contact = await contactById(deps.trx, user.organisationId, contactId, options);
  if (!contact) throw notFoundDenial('crm_contact', contactId);
  return contact;
}

/** A contact named with a company must be one of that company's (the same organisation's otherwise not found). */
async function contactOfCompany(deps: Deps, user: SessionUser, contactId: string, companyId: string): Promise<ContactRow> {
  const contact = await reachableContact(deps, user, contactId);
  if (contact.company_id !== companyId) throw fieldError('contactId', 'validation.unknown_contact');
  return contact;
}

async function requireOwner(deps: Deps, user: SessionUser, ownerId: string, field = 'ownerId'): Promise<void> {
  if (!(await isSalesUser(deps.trx, user.organisationId, ownerId))) throw fieldError(field, 'validation.unknown_owner');
}

/** yyyy-mm-dd some months after another; the 31st becomes the month's last day. */
export function addMonths(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  const pad = (value: number, length = 2) => String(value).padStart(length, '0');
  return `${pad(target.getUTCFullYear(), 4)}-${pad(target.getUTCMonth() + 1)}-${pad(Math.min(day, lastDay))}`;
}

/** The review date a basis gets when none is given (LEGAL_BASIS_RULES), from today in Oslo. */
export function defaultReviewOn(basis: LegalBasis, now: Date): string | null {
  const months = LEGAL_BASIS_RULES[basis].reviewMonths;
  return months === null ? null : addMonths(osloCalendarDate(now), months);
}

/**
 * The purposes a contact's data may be processed for now: those whose current record is active.
 * A purpose with a withdrawal or an objection as its current record is blocked; one with no record
 * was never given a basis. Either way: no processing for it (CRM-2).
 */
function activePurposes(current: readonly BasisRow[]): Set<ContactPurpose> {
  return new Set(current.filter((record) => record.state === 'active').map((record) => record.purpose));
}

/**
 * CRM-2: the contact may be processed for `purpose` (or, for a note or a task, for some purpose at
 * all); otherwise the action is refused, and the refusal is an audit event (outcome denied) naming
 * the contact and the purpose — never the person's name.
 */
async function requireProcessingAllowed(deps: Deps, user: SessionUser, contact: ContactRow, purpose: ContactPurpose | null): Promise<void> {
  const active = activePurposes(await currentBases(deps.trx, user.organisationId, [contact.id]));
  const allowed = purpose === null ? active.size > 0 : active.has(purpose);
  if (!allowed) {
    throw new AuditedDenial(
      { reason: 'processing_blocked', objectType: 'crm_contact', objectId: contact.id, details: { purpose: purpose ?? 'any' } },
      'forbidden',
      API_ERROR_MESSAGES.crmProcessingBlocked,
    );
  }
}

/** DPO-5: a person who asked for restriction of processing (art. 18) is not processed further in the CRM; the refusal is logged. */
function refuseRestrictedContact(deps: Deps, user: SessionUser, contact: Pick<ContactRow, 'id' | 'email' | 'phone'>): Promise<void> {
  return assertNotRestricted(deps.trx, user.organisationId, { email: contact.email, phone: contact.phone }, 'crm', { objectType: 'crm_contact', objectId: contact.id });
}

/**
 * A record superseding another is recorded after it, by a millisecond if the clock has not moved
 * (a test clock, two calls in the same instant): "current" is then always the newest record.
 */
function recordedAfter(now: Date, previous: BasisRow | undefined): Date {
  if (previous && previous.recorded_at.getTime() >= now.getTime()) return new Date(previous.recorded_at.getTime() + 1);
  return now;
}

interface NewBasis {
  purpose: ContactPurpose;
  basis: LegalBasis;
  state: 'active' | 'withdrawn' | 'objected';
  source: LegalBasisSource;
  evidence: string;
  reviewOn: string | null;
  /** The data-subject request it came through (an objection the DPO registers, DPO-4). */
  dsrCaseId?: string;
}

async function insertBasis(deps: Deps, user: SessionUser | null, organisationId: string, contactId: string, record: NewBasis, previous: BasisRow | undefined): Promise<BasisRow> {
  return deps.trx
    .insertInto('contact_legal_basis')
    .values({
      organisation_id: organisationId,
      contact_id: contactId,
      purpose: record.purpose,
      basis: record.basis,
      state: record.state,
      source: record.source,
      evidence: record.evidence,
      review_on: record.reviewOn,
      recorded_at: recordedAfter(deps.now, previous),
      recorded_by: user?.userId ?? null,
      supersedes_id: previous?.id ?? null,
      dsr_case_id: record.dsrCaseId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Art. 21(3): once a contact has objected to direct marketing, legitimate interest cannot carry it again; only consent can. */
function objectionStands(current: readonly BasisRow[]): boolean {
  return current.some((record) => record.state === 'objected' && DIRECT_MARKETING_PURPOSES.includes(record.purpose));
}

function toBasisRecord(row: BasisRow, names: Map<string, string>, today: string): LegalBasisRecord {
  return {
    id: row.id,
    purpose: row.purpose,
    basis: row.basis,
    state: row.state,
    source: row.source,
    evidence: row.evidence,
    reviewOn: row.review_on,
    // An active basis past its review date still stands, but someone must look at it again.
    isReviewDue: row.state === 'active' && row.review_on !== null && row.review_on <= today,
    recordedAt: row.recorded_at.toISOString(),
    recordedByName: row.recorded_by ? (names.get(row.recorded_by) ?? null) : null,
  };
}

const PURPOSE_ORDER = new Map(CONTACT_PURPOSES.map((purpose, index) => [purpose, index]));

function toContactView(contact: ContactRow, current: readonly BasisRow[], names: Map<string, string>, today: string): ContactView {
  const bases = [...current].sort((a, b) => (PURPOSE_ORDER.get(a.purpose) ?? 0) - (PURPOSE_ORDER.get(b.purpose) ?? 0));
  return {
    id: contact.id,
    companyId: contact.company_id,
    fullName: contact.full_name,
    jobTitle: contact.job_title,
    email: contact.email,
    phone: contact.phone,
    source: contact.source,
    version: contact.version,
    bases: bases.map((row) => toBasisRecord(row, names, today)),
    blockedPurposes: bases.filter((row) => row.state !== 'active').map((row) => row.purpose),
    isBlocked: !bases.some((row) => row.state === 'active'),
  };
}

function toTaskView(task: TaskRow & { company_name: string; contact_name: string | null }, names: Map<string, string>, today: string): TaskView {
  return {
    id: task.id,
    companyId: task.company_id,
    companyName: task.company_name,
    contactId: task.contact_id,
    contactName: task.contact_name,
    title: task.title,
    dueOn: task.due_on,
    ownerId: task.owner_id,
    ownerName: names.get(task.owner_id) ?? null,
    doneAt: task.done_at ? task.done_at.toISOString() : null,
    version: task.version,
    isOverdue: task.done_at === null && task.due_on < today,
  };
}

/** Postgres unique violation on the organisation-number index. */
function isDuplicateOrganisationNumber(error: unknown): boolean {
  const cause = error as { code?: string; constraint?: string; message?: string } | null;
  return cause?.code === '23505' && (cause.constraint === 'company_organisation_number' || (cause.message ?? '').includes('company_organisation_number'));
}

async function requireFreeOrganisationNumber(deps: Deps, organisationId: string, organisationNumber: string | null, exceptCompanyId?: string): Promise<void> {
  if (organisationNumber === null) return;
  const taken = await deps.trx
    .selectFrom('company')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('organisation_number', '=', organisationNumber)
    .$if(exceptCompanyId !== undefined, (query) => query.where('id', '!=', exceptCompanyId as string))
    .executeTakeFirst();
  if (taken) throw fieldError('organisationNumber', 'validation.organisation_number_taken');
}

/** The fields of a row an update changed, by name (the audit's details: which, never what). */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((key) => before[key] !== after[key]);
}

// ---------------------------------------------------------------------------------------------
// Companies (CRM-1)
// ---------------------------------------------------------------------------------------------

/** CRM-1: the company list, searched by word prefixes over companies and their contacts, filtered, by name. */
export async function companies(deps: Deps, user: SessionUser, input: In<typeof companiesSchema>): Promise<CompanyList> {
  const search = {
    organisationId: user.organisationId,
    tsQuery: input.search === undefined ? null : prefixTsQuery(input.search),
    statuses: input.statuses,
    ownerId: input.ownerId === 'me' ? user.userId : input.ownerId,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  };
  const { rows, total, isTotalCapped } = await searchCompanies(deps.trx, search);
  deps.audit.record({ objectType: 'company', details: { resultCount: rows.length } });
  return {
    rows: rows.map((row) => ({
      id: row.id,
      name: row.name,
      organisationNumber: row.organisation_number,
      city: row.city,
      industry: row.industry,
      status: row.status,
      statusChangedAt: row.status_changed_at.toISOString(),
      ownerName: row.owner_name,
      contactCount: row.contact_count,
      openTaskCount: row.open_task_count,
    })),
    total,
    isTotalCapped,
  };
}

/** CRM-1: a company with its contacts (and their current legal bases), activities, tasks and status history. */
export async function companyPage(deps: Deps, user: SessionUser, input: In<typeof companyRefSchema>): Promise<CompanyPage> {
  const company = await reachableCompany(deps, user, input.companyId);
  const doneSince = new Date(deps.now.getTime() - RECENTLY_DONE_DAYS * DAY_MS);
  const [contacts, activities, tasks, history] = await Promise.all([
    contactsOfCompany(deps.trx, user.organisationId, company.id),
    activitiesOfCompany(deps.trx, user.organisationId, company.id),
    tasksOfCompany(deps.trx, user.organisationId, company.id, doneSince),
    statusHistoryOf(deps.trx, user.organisationId, company.id),
  ]);
  const bases = await currentBases(
    deps.trx,
    user.organisationId,
    contacts.map((contact) => contact.id),
  );
  const names = await userNames(deps.trx, user.organisationId, [
    company.owner_id,
    ...bases.map((row) => row.recorded_by),
    ...activities.map((row) => row.created_by),
    ...tasks.map((row) => row.owner_id),
    ...history.map((row) => row.changed_by),
  ]);
  const contactNames = new Map(contacts.map((contact) => [contact.id, contact.full_name]));
  const today = osloCalendarDate(deps.now);
  deps.audit.record({ objectType: 'company', objectId: company.id, details: { contactCount: contacts.length } });
  return {
    company: {
      id: company.id,
      name: company.name,
      organisationNumber: company.organisation_number,
      street: company.street,
      postcode: company.postcode,
      city: company.city,
      industry: company.industry,
      status: company.status,
      statusChangedAt: company.status_changed_at.toISOString(),
      source: company.source,
      ownerId: company.owner_id,
      ownerName: company.owner_id ? (names.get(company.owner_id) ?? null) : null,
      version: company.version,
      createdAt: company.created_at.toISOString(),
      updatedAt: company.updated_at.toISOString(),
    },
    contacts: contacts.map((contact) =>
      toContactView(
        contact,
        bases.filter((row) => row.contact_id === contact.id),
        names,
        today,
      ),
    ),
    activities: activities.map((row) => ({
      id: row.id,
      kind: row.kind,
      purpose: row.purpose,
      summary: row.summary,
      occurredAt: row.occurred_at.toISOString(),
      contactId: row.contact_id,
      contactName: row.contact_id ? (contactNames.get(row.contact_id) ?? null) : null,
      createdByName: row.created_by ? (names.get(row.created_by) ?? null) : null,
    })),
    tasks: tasks.map((task) =>
      toTaskView({ ...task, company_name: company.name, contact_name: task.contact_id ? (contactNames.get(task.contact_id) ?? null) : null }, names, today),
    ),
    statusHistory: history.map((row) => ({
      from: row.from_status,
      to: row.to_status,
      changedAt: row.changed_at.toISOString(),
      changedByName: row.changed_by ? (names.get(row.changed_by) ?? null) : null,
    })),
  };
}

export interface NewCompany {
  organisationId: string;
  name: string;
  organisationNumber: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  industry: string | null;
  status: CompanyStatus;
  source: CompanyRow['source'];
  ownerId: string | null;
  createdBy: string | null;
}

/** Inserts a company and the first row of its status history (also the contact form's leads). */
export async function insertCompany(trx: Executor, company: NewCompany, now: Date): Promise<CompanyRow> {
  let row: CompanyRow;
  try {
    row = await trx
      .insertInto('company')
      .values({
        organisation_id: company.organisationId,
        name: company.name,
        organisation_number: company.organisationNumber,
        street: company.street,
        postcode: company.postcode,
        city: company.city,
        industry: company.industry,
        status: company.status,
        status_changed_at: now,
        source: company.source,
        owner_id: company.ownerId,
        created_at: now,
        created_by: company.createdBy,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    // Two users registering the same number at once: the second one's answer is the field error.
    if (isDuplicateOrganisationNumber(error)) throw fieldError('organisationNumber', 'validation.organisation_number_taken');
    throw error;
  }
  await trx
    .insertInto('company_status_change')
    .values({ organisation_id: company.organisationId, company_id: row.id, from_status: null, to_status: company.status, changed_by: company.createdBy, changed_at: now })
    .execute();
  return row;
}

export async function createCompany(deps: Deps, user: SessionUser, input: In<typeof createCompanySchema>): Promise<{ id: string; version: number }> {
  if (input.ownerId !== null) await requireOwner(deps, user, input.ownerId);
  await requireFreeOrganisationNumber(deps, user.organisationId, input.organisationNumber);
  const row = await insertCompany(deps.trx, { organisationId: user.organisationId, createdBy: user.userId, ...input }, deps.now);
  deps.audit.record({ objectType: 'company', objectId: row.id, details: { status: row.status, source: row.source } });
  return { id: row.id, version: row.version };
}

export async function updateCompany(deps: Deps, user: SessionUser, input: In<typeof updateCompanySchema>): Promise<{ id: string; version: number }> {
  const company = await reachableCompany(deps, user, input.companyId, { lock: true });
  if (company.version !== input.version) throw recordChanged();
  if (input.ownerId !== null && input.ownerId !== company.owner_id) await requireOwner(deps, user, input.ownerId);
  await requireFreeOrganisationNumber(deps, user.organisationId, input.organisationNumber, company.id);
  const next = {
    name: input.name,
    organisation_number: input.organisationNumber,
    street: input.street,
    postcode: input.postcode,
    city: input.city,
    industry: input.industry,
    owner_id: input.ownerId,
  };
  const changed = changedFields(company, next);
  let updated: { version: number };
  try {
    updated = await deps.trx
      .updateTable('company')
      .set({ ...next, version: company.version + 1, updated_at: deps.now })
      .where('id', '=', company.id)
      .returning('version')
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isDuplicateOrganisationNumber(error)) throw fieldError('organisationNumber', 'validation.organisation_number_taken');
    throw error;
  }
  deps.audit.record({ objectType: 'company', objectId: company.id, details: { changedFields: changed } });
  return { id: company.id, version: updated.version };
}

/** CRM-1: a status change along COMPANY_STATUS_TRANSITIONS, with its row in the history (the pipeline's moves). */
export async function setCompanyStatus(deps: Deps, user: SessionUser, input: In<typeof setCompanyStatusSchema>): Promise<{ id: string; status: CompanyStatus; version: number }> {
  const company = await reachableCompany(deps, user, input.companyId, { lock: true });
  if (company.version !== input.version) throw recordChanged();
  if (!isAllowedCompanyTransition(company.status, input.status)) throw fieldError('status', 'validation.crm_transition');
  const updated = await deps.trx
    .updateTable('company')
    .set({ status: input.status, status_changed_at: deps.now, version: company.version + 1, updated_at: deps.now })
    .where('id', '=', company.id)
    .returning('version')
    .executeTakeFirstOrThrow();
  await deps.trx
    .insertInto('company_status_change')
    .values({ organisation_id: user.organisationId, company_id: company.id, from_status: company.status, to_status: input.status, changed_by: user.userId, changed_at: deps.now })
    .execute();
  deps.audit.record({ objectType: 'company', objectId: company.id, details: { from: company.status, to: input.status } });
  return { id: company.id, status: input.status, version: updated.version };
}

// ---------------------------------------------------------------------------------------------
// Contacts and legal bases (CRM-2)
// ---------------------------------------------------------------------------------------------

export async function createContact(deps: Deps, user: SessionUser, input: In<typeof createContactSchema>): Promise<{ id: string; version: number }> {
  const company = await reachableCompany(deps, user, input.companyId);
  const contact = await deps.trx
    .insertInto('crm_contact')
    .values({
      organisation_id: user.organisationId,
      company_id: company.id,
      full_name: input.fullName,
      job_title: input.jobTitle,
      email: input.email,
      phone: input.phone,
      source: input.source,
      created_at: deps.now,
      created_by: user.userId,
      updated_at: deps.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  deps.audit.record({ action: 'crm.contact.created', objectType: 'crm_contact', objectId: contact.id, details: { companyId: company.id, source: input.source } });
  for (const basis of input.bases) {
    const record = await insertBasis(
      deps,
      user,
      user.organisationId,
      contact.id,
      { ...basis, state: 'active', reviewOn: basis.reviewOn ?? defaultReviewOn(basis.basis, deps.now) },
      undefined,
    );
    deps.audit.record({ action: 'crm.legal_basis.recorded', objectType: 'crm_contact', objectId: contact.id, details: { basisId: record.id, purpose: record.purpose, basis: record.basis, source: record.source } });
  }
  return { id: contact.id, version: contact.version };
}

export async function updateContact(deps: Deps, user: SessionUser, input: In<typeof updateContactSchema>): Promise<{ id: string; version: number }> {
  const contact = await reachableContact(deps, user, input.contactId, { lock: true });
  if (contact.version !== input.version) throw recordChanged();
  const next = { full_name: input.fullName, job_title: input.jobTitle, email: input.email, phone: input.phone };
  const updated = await deps.trx
    .updateTable('crm_contact')
    .set({ ...next, version: contact.version + 1, updated_at: deps.now })
    .where('id', '=', contact.id)
    .returning('version')
    .executeTakeFirstOrThrow();
  deps.audit.record({ objectType: 'crm_contact', objectId: contact.id, details: { changedFields: changedFields(contact, next) } });
  return { id: contact.id, version: updated.version };
}

/** CRM-2: a new basis for a purpose, superseding the current one (which stays, as history). */
export async function recordBasis(deps: Deps, user: SessionUser, input: In<typeof recordBasisSchema>): Promise<LegalBasisRecord> {
  // Locked: two changes of one contact's bases in parallel would both supersede the same record.
  const contact = await reachableContact(deps, user, input.contactId, { lock: true });
  const current = await currentBases(deps.trx, user.organisationId, [contact.id]);
  if (input.basis === 'legitimate_interest' && objectionStands(current)) throw fieldError('basis', 'validation.crm_objection_stands');
  const previous = current.find((row) => row.purpose === input.purpose);
  const record = await insertBasis(
    deps,
    user,
    user.organisationId,
    contact.id,
    { purpose: input.purpose, basis: input.basis, state: 'active', source: input.source, evidence: input.evidence, reviewOn: input.reviewOn ?? defaultReviewOn(input.basis, deps.now) },
    previous,
  );
  deps.audit.record({
    objectType: 'crm_contact',
    objectId: contact.id,
    details: { basisId: record.id, purpose: record.purpose, basis: record.basis, source: record.source, supersedesId: previous?.id ?? null },
  });
  return toBasisRecord(record, new Map([[user.userId, user.displayName]]), osloCalendarDate(deps.now));
}

/** CRM-2: consent withdrawn for one purpose or all consented ones; each withdrawal supersedes the consent. */
export async function withdrawConsent(deps: Deps, user: SessionUser, input: In<typeof withdrawConsentSchema>): Promise<{ withdrawn: ContactPurpose[] }> {
  const contact = await reachableContact(deps, user, input.contactId, { lock: true });
  const current = await currentBases(deps.trx, user.organisationId, [contact.id]);
  const consents = current.filter((row) => row.basis === 'consent' && row.state === 'active' && (input.purpose === 'all' || row.purpose === input.purpose));
  if (consents.length === 0) throw fieldError('purpose', 'validation.crm_no_active_consent');
  for (const consent of consents) {
    const record = await insertBasis(
      deps,
      user,
      user.organisationId,
      contact.id,
      { purpose: consent.purpose, basis: 'consent', state: 'withdrawn', source: input.source, evidence: input.evidence, reviewOn: null },
      consent,
    );
    deps.audit.record({ objectType: 'crm_contact', objectId: contact.id, details: { basisId: record.id, purpose: consent.purpose, supersedesId: consent.id } });
  }
  return { withdrawn: consents.map((row) => row.purpose) };
}

/**
 * CRM-2, GDPR art. 21: an objection to processing on legitimate interest. Direct marketing is one
 * purpose in the law's sense (art. 21(3)): an objection to any direct-marketing purpose (or 'all')
 * covers every one of them. Each such purpose now carried by legitimate interest, or by nothing,
 * gets an 'objected' record, so no legitimate interest can be recorded for it later (recordBasis
 * refuses); a consent the person gave for a purpose stays (withdrawing it is its own step).
 * Account follow-up rests on contract or consent, never on legitimate interest: nothing to object to.
 */
export async function recordObjection(deps: Deps, user: SessionUser, input: In<typeof recordObjectionSchema>): Promise<{ objected: ContactPurpose[] }> {
  const contact = await reachableContact(deps, user, input.contactId, { lock: true });
  if (input.purpose === 'account_follow_up') throw fieldError('purpose', 'validation.crm_no_objectable_basis');
  const objected = await objectToDirectMarketing(deps, user, contact, { source: input.source, evidence: input.evidence });
  if (objected.length === 0) throw fieldError('purpose', 'validation.crm_no_objectable_basis');
  return { objected };
}

/**
 * The objection itself (art. 21(2)-(3)), for a contact already locked by the caller: every
 * direct-marketing purpose now carried by legitimate interest, or by nothing, gets an 'objected'
 * record superseding it, each with its `crm.legal_basis.objected` event. Returns the purposes
 * objected to — none when there is nothing left to object to (already objected, or consent only).
 * Used by sales (recordObjection) and by the DPO's objection request (DPO-4, with the case).
 */
export async function objectToDirectMarketing(
  deps: Deps,
  user: SessionUser,
  contact: ContactRow,
  statement: { source: LegalBasisSource; evidence: string; dsrCaseId?: string },
): Promise<ContactPurpose[]> {
  const current = await currentBases(deps.trx, user.organisationId, [contact.id]);
  const targets = DIRECT_MARKETING_PURPOSES.flatMap((purpose) => {
    const previous = current.find((row) => row.purpose === purpose);
    const objectable = previous === undefined || (previous.basis === 'legitimate_interest' && previous.state === 'active');
    return objectable ? [{ purpose, previous }] : [];
  });
  for (const { purpose, previous } of targets) {
    const record = await insertBasis(
      deps,
      user,
      user.organisationId,
      contact.id,
      { purpose, basis: 'legitimate_interest', state: 'objected', source: statement.source, evidence: statement.evidence, reviewOn: null, ...(statement.dsrCaseId ? { dsrCaseId: statement.dsrCaseId } : {}) },
      previous,
    );
    deps.audit.record({
      action: 'crm.legal_basis.objected',
      objectType: 'crm_contact',
      objectId: contact.id,
      details: { basisId: record.id, purpose, supersedesId: previous?.id ?? null, ...(statement.dsrCaseId ? { caseId: statement.dsrCaseId } : {}) },
    });
  }
  return targets.map((target) => target.purpose);
}

/** CRM-2: the contacts that may be processed for a purpose (an active current basis); blocked ones never. */
export async function contactList(deps: Deps, user: SessionUser, input: In<typeof contactListSchema>): Promise<ContactListRow[]> {
  const rows = await contactsWithActiveBasis(deps.trx, user.organisationId, input.purpose, CONTACT_LIST_LIMIT);
  deps.audit.record({ objectType: 'crm_contact', details: { purpose: input.purpose, resultCount: rows.length } });
  return rows.map((row) => ({
    id: row.id,
    fullName: row.full_name,
    jobTitle: row.job_title,
    email: row.email,
    phone: row.phone,
    companyId: row.company_id,
    companyName: row.company_name,
    basis: row.basis,
    reviewOn: row.review_on,
  }));
}

const EXPORT_HEADER = ['Navn', 'Stilling', 'E-post', 'Telefon', 'Bedrift', 'Grunnlag', 'Vurderes'];

/**
 * CRM-2: the contacts of a purpose as CSV (semicolon-separated, with BOM, as Norwegian Excel opens
 * it), made on the server so blocked contacts can never be in it. Every cell is neutralised against
 * formula injection. The event records the count and, as an export, the client's address.
 */
export async function exportContacts(deps: Deps, user: SessionUser, input: In<typeof exportContactsSchema>): Promise<ContactExport> {
  const rows = await contactsWithActiveBasis(deps.trx, user.organisationId, input.purpose, EXPORT_LIMIT);
  const cells = rows.map((row) => [row.full_name, row.job_title ?? '', row.email ?? '', row.phone ?? '', row.company_name, row.basis, row.review_on ?? ''].map(neutraliseExportedCell));
  const csv = `\uFEFF${stringify([EXPORT_HEADER, ...cells], { delimiter: ';', record_delimiter: '\r\n' })}`;
  deps.audit.record({ objectType: 'crm_contact', details: { purpose: input.purpose, resultCount: rows.length } });
  return { fileName: `kontakter-${input.purpose}-${osloCalendarDate(deps.now)}.csv`, csv };
}

// ---------------------------------------------------------------------------------------------
// Activities and tasks (CRM-3)
// ---------------------------------------------------------------------------------------------

/**
 * CRM-3: a call, e-mail, meeting or note on a company or one of its contacts. With a contact, the
 * purpose must have an active basis (a note: some basis at all), else the refusal is logged (CRM-2).
 */
export async function logActivity(deps: Deps, user: SessionUser, input: In<typeof logActivitySchema>): Promise<{ id: string }> {
  const company = await reachableCompany(deps, user, input.companyId);
  if (Date.parse(input.occurredAt) > deps.now.getTime() + CLOCK_SLACK_MS) throw fieldError('occurredAt', 'validation.date_in_future');
  if (input.contactId !== null) {
    const contact = await contactOfCompany(deps, user, input.contactId, company.id);
    await requireProcessingAllowed(deps, user, contact, input.purpose);
    await refuseRestrictedContact(deps, user, contact);
  }
  const row = await deps.trx
    .insertInto('crm_activity')
    .values({
      organisation_id: user.organisationId,
      company_id: company.id,
      contact_id: input.contactId,
      kind: input.kind,
      purpose: input.purpose,
      summary: input.summary,
      occurred_at: new Date(input.occurredAt),
      created_by: user.userId,
      created_at: deps.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  deps.audit.record({ objectType: 'crm_activity', objectId: row.id, details: { companyId: company.id, contactId: input.contactId, kind: input.kind, purpose: input.purpose } });
  return { id: row.id };
}

export async function createTask(deps: Deps, user: SessionUser, input: In<typeof createTaskSchema>): Promise<{ id: string; version: number }> {
  const company = await reachableCompany(deps, user, input.companyId);
  if (input.contactId !== null) {
    const contact = await contactOfCompany(deps, user, input.contactId, company.id);
    // A task is future processing of the contact: not for one with no basis left at all.
    await requireProcessingAllowed(deps, user, contact, null);
    await refuseRestrictedContact(deps, user, contact);
  }
  const ownerId = input.ownerId ?? user.userId;
  if (ownerId !== user.userId) await requireOwner(deps, user, ownerId);
  const row = await deps.trx
    .insertInto('crm_task')
    .values({
      organisation_id: user.organisationId,
      company_id: company.id,
      contact_id: input.contactId,
      title: input.title,
      due_on: input.dueOn,
      owner_id: ownerId,
      created_by: user.userId,
      created_at: deps.now,
      updated_at: deps.now,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  deps.audit.record({ objectType: 'crm_task', objectId: row.id, details: { companyId: company.id, contactId: input.contactId, ownerId, dueOn: input.dueOn } });
  return { id: row.id, version: row.version };
}

async function reachableTask(deps: Deps, user: SessionUser, taskId: string, version: number): Promise<TaskRow> {
  const task = await taskById(deps.trx, user.organisationId, taskId, { lock: true });
  if (!task) throw notFoundDenial('crm_task', taskId);
  if (task.version !== version) throw recordChanged();
  return task;
}

export async function updateTask(deps: Deps, user: SessionUser, input: In<typeof updateTaskSchema>): Promise<{ id: string; version: number }> {
  const task = await reachableTask(deps, user, input.taskId, input.version);
  // Rescheduling or handing over a task about a restricted contact plans more processing of them.
  if (task.contact_id !== null) await refuseRestrictedContact(deps, user, await reachableContact(deps, user, task.contact_id));
  if (input.ownerId !== undefined && input.ownerId !== task.owner_id) await requireOwner(deps, user, input.ownerId);
  const next = { title: input.title ?? task.title, due_on: input.dueOn ?? task.due_on, owner_id: input.ownerId ?? task.owner_id };
  const updated = await deps.trx
    .updateTable('crm_task')
    .set({ ...next, version: task.version + 1, updated_at: deps.now })
    .where('id', '=', task.id)
    .returning('version')
    .executeTakeFirstOrThrow();
  deps.audit.record({ objectType: 'crm_task', objectId: task.id, details: { changedFields: changedFields(task, next) } });
  return { id: task.id, version: updated.version };
}

export async function completeTask(deps: Deps, user: SessionUser, input: In<typeof completeTaskSchema>): Promise<{ id: string; version: number }> {
  const task = await reachableTask(deps, user, input.taskId, input.version);
  if (task.done_at !== null) throw fieldError('taskId', 'validation.crm_task_done');
  const updated = await deps.trx
    .updateTable('crm_task')
    .set({ done_at: deps.now, done_by: user.userId, version: task.version + 1, updated_at: deps.now })
    .where('id', '=', task.id)
    .returning('version')
    .executeTakeFirstOrThrow();
  deps.audit.record({ objectType: 'crm_task', objectId: task.id, details: { companyId: task.company_id } });
  return { id: task.id, version: updated.version };
}

/** CRM-3: the caller's tasks, overdue first (by today's date in Oslo), then by due date; done ones of the last 30 days on request. */
export async function myTasks(deps: Deps, user: SessionUser, input: In<typeof myTasksSchema>): Promise<TaskView[]> {
  const today = osloCalendarDate(deps.now);
  const doneSince = input.includeDone ? new Date(deps.now.getTime() - RECENTLY_DONE_DAYS * DAY_MS) : null;
  const rows = await tasksOfOwner(deps.trx, user.organisationId, user.userId, today, doneSince);
  deps.audit.record({ objectType: 'crm_task', details: { resultCount: rows.length } });
  const names = new Map([[user.userId, user.displayName]]);
  return rows.map((row) => toTaskView(row, names, today));
}

// ---------------------------------------------------------------------------------------------
// Owners and the pipeline
// ---------------------------------------------------------------------------------------------

export async function salesUsers(deps: Deps, user: SessionUser): Promise<SalesUser[]> {
  const rows = await salesUsersOf(deps.trx, user.organisationId);
  return rows.map((row) => ({ id: row.id, displayName: row.display_name }));
}

/** The months (YYYY-MM, Oslo) of the last `months`, oldest first, ending with the current one. */
export function lastMonths(now: Date, months: number): string[] {
  const { year, month } = osloWallClock(now);
  return Array.from({ length: months }, (_, index) => {
    const date = new Date(Date.UTC(year, month - 1 - (months - 1 - index), 1));
    return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

const MOVE_FIELD: Record<CompanyStatus, keyof Omit<PipelineMonth, 'month'>> = { lead: 'toLead', prospect: 'toProspect', customer: 'toCustomer', former: 'toFormer' };

/**
 * The pipeline: companies per status now, and per Oslo month how many moved into each status
 * (every row of the status history, a company's first status included: a new lead is a move into
 * the pipeline).
 */
export async function pipeline(deps: Deps, user: SessionUser, input: In<typeof pipelineSchema>): Promise<Pipeline> {
  const months = lastMonths(deps.now, input.months);
  const from = new Date(osloInstant(`${months[0]}-01`, '00:00'));
  const [counts, moves] = await Promise.all([statusCounts(deps.trx, user.organisationId), movesPerMonth(deps.trx, user.organisationId, from)]);
  const byMonth = new Map<string, PipelineMonth>(months.map((month) => [month, { month, toLead: 0, toProspect: 0, toCustomer: 0, toFormer: 0 }]));
  for (const move of moves) {
    const entry = byMonth.get(move.month);
    if (entry) entry[MOVE_FIELD[move.to_status]] += move.count;
  }
  deps.audit.record({ objectType: 'company', details: { months: input.months } });
  return {
    counts: Object.fromEntries(COMPANY_STATUSES.map((status) => [status, counts.get(status) ?? 0])) as Record<CompanyStatus, number>,
    moves: [...byMonth.values()],
  };
}
