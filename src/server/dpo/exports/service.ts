import { randomUUID } from 'node:crypto';
import type { Bundle, FhirResource } from 'fhir/r4';
import type { z } from 'zod';
import {
  type auditLogExportSchema,
  type caseRefSchema,
  type downloadPackageSchema,
  LOG_EXPORT_MAX_EVENTS,
  PACKAGE_SECTIONS,
  type PackageSection,
  type packageRefSchema,
  type RedactionReason,
  type redactSchema,
} from '../../../shared/dpo-export-schemas';
import { addDays, osloCalendarDate, osloInstant } from '../../../shared/oslo-time';
import { requireJournalAccess } from '../../access/gates';
import { AuditedDenial, auditedFieldDenial } from '../../audit/recorder';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import { collectionBundle, type StoredAuditEvent, toAuditEvent } from '../../fhir/audit-event';
import { type BundlePatient, journalBundle } from '../../fhir/journal-bundle';
import { nationalIdHmac } from '../../portal/national-id';
import { renderPackagePdf } from './package-pdf';
import { groupNotes, type JournalItem, journalVersions } from '../../journal/note-versions';
import type { PersonIdentifiers } from '../../retention/category';
import { PERSON_DATA_CATEGORIES } from '../../retention/categories';
import { collectPersonData } from '../../retention/collect';
import { auditEventsPage, type CaseRow, caseById, patientById } from './repository';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'secretBox'>;
type In<T extends z.ZodType> = z.output<T>;

/** Codes the renderer translates (dpoExports.error.*). */
export const EXPORT_ERRORS = {
  caseClosed: 'dpoExports.error.case_closed',
  wrongKind: 'dpoExports.error.wrong_kind',
  notReleased: 'dpoExports.error.not_released',
  alreadyReleased: 'dpoExports.error.already_released',
  noSuchItem: 'dpoExports.error.no_such_item',
  alreadyRedacted: 'dpoExports.error.already_redacted',
  noPatient: 'dpoExports.error.no_patient',
  tooManyEvents: 'validation.dpo_export_too_many_events',
} as const;

/**
 * An export (or a step towards one) refused for the state of its case or package: the caller gets
 * the coded error, and the log a denied event under the procedure's action with the reason code
 * (ACC-5), written by the unit of work after it rolls the attempt back.
 */
function refusal(reason: string, message: string, object: { objectType: 'dsr_case' | 'dsr_package'; objectId: string; patientId?: string | null; caseId?: string }): AuditedDenial {
  const { patientId, caseId, ...rest } = object;
  return new AuditedDenial({ reason, ...rest, ...(patientId ? { patientId } : {}), ...(caseId ? { details: { caseId } } : {}) }, 'conflict', message);
}

export interface ExportFile {
  fileName: string;
  mimeType: string;
  /** Text as is; a PDF as base64. */
  content: string;
  encoding: 'utf8' | 'base64';
}

// ---------------------------------------------------------------------------------------------
// The log (AUD-5)
// ---------------------------------------------------------------------------------------------

const LOG_PAGE_SIZE = 2_000;

/**
 * The organisation's events of a period (Oslo days, both ends included) as JSON lines — one event
 * per line, every column as stored — or as a FHIR R4 Bundle of BALP AuditEvents. Read a page at a
 * time by id; at most LOG_EXPORT_MAX_EVENTS (a busier period is refused with the field named, so
 * the DPO splits it) and 31 days (the schema).
 */
export async function exportAuditLog(deps: Deps, user: SessionUser, input: In<typeof auditLogExportSchema>): Promise<ExportFile & { eventCount: number }> {
  const from = new Date(osloInstant(input.from, '00:00'));
  const to = new Date(osloInstant(addDays(input.to, 1), '00:00'));
  const lines: string[] = [];
  const resources: ReturnType<typeof toAuditEvent>[] = [];
  let afterId = '0';
  let count = 0;
  for (;;) {
    const page = await auditEventsPage(deps.trx, user.organisationId, from, to, afterId, LOG_PAGE_SIZE);
    count += page.length;
    if (count > LOG_EXPORT_MAX_EVENTS) {
      // Refused beside the period's end, so the DPO splits the period; the attempt is logged.
      throw auditedFieldDenial({ reason: 'too_many_events', objectType: 'audit_log', details: { from: input.from, to: input.to, format: input.format } }, 'to', EXPORT_ERRORS.tooManyEvents);
    }
    for (const event of page) {
      if (input.format === 'jsonl') lines.push(JSON.stringify(jsonLineOf(event)));
      else resources.push(toAuditEvent(event));
    }
    if (page.length < LOG_PAGE_SIZE) break;
    afterId = page.at(-1)!.id;
  }
  deps.audit.record({ objectType: 'audit_log', details: { from: input.from, to: input.to, format: input.format, eventCount: count } });
  const name = `logg-${input.from}-${input.to}`;
  if (input.format === 'jsonl') {
    return { fileName: `${name}.jsonl`, mimeType: 'application/x-ndjson', content: lines.length > 0 ? `${lines.join('\n')}\n` : '', encoding: 'utf8', eventCount: count };
  }
  const bundle = collectionBundle(`auditlog-${input.from}-${input.to}`, deps.now, resources);
  return { fileName: `${name}.fhir.json`, mimeType: 'application/fhir+json', content: JSON.stringify(bundle), encoding: 'utf8', eventCount: count };
}

/** One event as a JSON line: every AUD-2 field under its stored name, details as stored. */
function jsonLineOf(event: StoredAuditEvent) {
  return { ...event, occurred_at: event.occurred_at.toISOString() };
}

// ---------------------------------------------------------------------------------------------
// The case's journal (DPO-5: the DPO sees journal content only inside a case)
// ---------------------------------------------------------------------------------------------

/** The case, if it is this organisation's (else refused as not found, logged), open and of a kind that gives access. */
async function openAccessCase(deps: Deps, user: SessionUser, caseId: string): Promise<CaseRow> {
  const found = await caseById(deps.trx, user.organisationId, caseId);
  if (!found) throw new AuditedDenial({ reason: 'not_found', objectType: 'dsr_case', objectId: caseId }, 'not_found');
  const object = { objectType: 'dsr_case', objectId: found.id, patientId: found.patient_id } as const;
  if (found.kind !== 'access' && found.kind !== 'portability') throw refusal('case_kind', EXPORT_ERRORS.wrongKind, object);
  if (found.status === 'completed' || found.status === 'denied') throw refusal('case_closed', EXPORT_ERRORS.caseClosed, object);
  return found;
}

/**
 * The one access decision, for the case's patient: it answers dsr_case for the DPO while the case
 * is open (src/server/access/decide.ts), and a block still holds (ACC-4).
 */
async function journalDecision(deps: Deps, user: SessionUser, found: CaseRow) {
  if (!found.patient_id) return null;
  const decision = await requireJournalAccess(deps, user, found.patient_id);
  return { patientId: found.patient_id, decision };
}

export async function caseJournal(deps: Deps, user: SessionUser, input: In<typeof caseRefSchema>) {
  const found = await openAccessCase(deps, user, input.caseId);
  const access = await journalDecision(deps, user, found);
  if (!access) throw refusal('no_patient', EXPORT_ERRORS.noPatient, { objectType: 'dsr_case', objectId: found.id });
  const notes = groupNotes(await journalVersions(deps.trx, user.organisationId, access.patientId, access.decision.blockedNoteIds));
  deps.audit.record({
    patientId: access.patientId,
    objectType: 'dsr_case',
    objectId: found.id,
    basis: access.decision.basis,
    details: { noteIds: notes.map((note) => note.id), grantId: access.decision.grantId },
  });
  return { caseId: found.id, patientId: access.patientId, hasBlockedNotes: access.decision.blockedNoteIds.length > 0, notes };
}

// ---------------------------------------------------------------------------------------------
// The access package (DPO-5)
// ---------------------------------------------------------------------------------------------

type Item = { id: string } & Record<string, unknown>;

export interface PackageContent {
  kind: 'journalkontor.access-package';
  case: { id: string; reference: string; kind: string; receivedOn: string };
  preparedAt: string;
  patient: BundlePatient | null;
  /** A block hid notes from the DPO who prepared it (ACC-4): another DPO must prepare the package. */
  hasBlockedNotes: boolean;
  sections: Record<PackageSection, Item[]>;
}

const sealContext = (packageId: string) => `dsr_package:${packageId}`;

/**
 * Everything found for the person of the case, gathered, sealed and stored as a draft (replacing an
 * earlier draft). Gathered through the retention registry: every category's collectForPerson
 * (retention/collect.ts), so a module that registers a category is in the package; the journal's
 * categories only through the access decision made here (the case as basis, a block's notes left out).
 */
export async function preparePackage(deps: Deps, user: SessionUser, input: In<typeof caseRefSchema>) {
  const found = await openAccessCase(deps, user, input.caseId);
  const access = await journalDecision(deps, user, found);
  const patientRow = access ? await patientById(deps.trx, user.organisationId, access.patientId) : undefined;
  const patient: BundlePatient | null = patientRow
    ? {
        id: patientRow.id,
        nationalId: patientRow.national_id,
        givenName: patientRow.given_name,
        familyName: patientRow.family_name,
        dateOfBirth: patientRow.date_of_birth,
        gender: patientRow.gender,
        address: patientRow.address,
        phone: patientRow.phone,
        email: patientRow.email,
      }
    : null;
  const caseNationalId = found.national_id_sealed ? deps.secretBox.open(found.national_id_sealed, found.id) : null;
  // The person as the request describes them, and as the journal knows them (their own e-mail and phone there).
  const persons: PersonIdentifiers[] = [
    {
      patientId: access?.patientId ?? null,
      nationalId: caseNationalId ?? patientRow?.national_id ?? null,
      nationalIdHmac: found.national_id_hmac ?? (patientRow ? nationalIdHmac(deps.secretBox, patientRow.national_id) : null),
      email: found.email?.toLowerCase() ?? null,
      phone: found.phone,
    },
    ...(patientRow ? [{ patientId: patientRow.id, nationalId: patientRow.national_id, nationalIdHmac: nationalIdHmac(deps.secretBox, patientRow.national_id), email: patientRow.email?.toLowerCase() ?? null, phone: patientRow.phone }] : []),
  ];
  const collected = await collectPersonData(deps.trx, PERSON_DATA_CATEGORIES, {
    organisationId: user.organisationId,
    now: deps.now,
    journalAccess: access ? { patientId: access.patientId, hiddenNoteIds: access.decision.blockedNoteIds } : null,
    persons,
  });
  const sections: Record<PackageSection, Item[]> = { ...collected, patient: patient ? [{ ...patient }] : [] };
  const content: PackageContent = {
    kind: 'journalkontor.access-package',
    case: { id: found.id, reference: found.reference, kind: found.kind, receivedOn: found.received_on },
    preparedAt: deps.now.toISOString(),
    patient,
    hasBlockedNotes: (access?.decision.blockedNoteIds.length ?? 0) > 0,
    sections,
  };
  const itemCount = PACKAGE_SECTIONS.reduce((sum, section) => sum + sections[section].length, 0);

  // Preparing again replaces the draft (and its redactions); a released package stays as released.
  await deps.trx.deleteFrom('dsr_package').where('organisation_id', '=', user.organisationId).where('case_id', '=', found.id).where('status', '=', 'draft').execute();
  const id = randomUUID();
  await deps.trx
    .insertInto('dsr_package')
    .values({
      id,
      organisation_id: user.organisationId,
      case_id: found.id,
      content_sealed: deps.secretBox.seal(JSON.stringify(content), sealContext(id)),
      item_count: itemCount,
      prepared_at: deps.now,
      prepared_by: user.userId,
    })
    .execute();
  deps.audit.record({
    ...(access ? { patientId: access.patientId, basis: access.decision.basis } : {}),
    objectType: 'dsr_package',
    objectId: id,
    details: { caseId: found.id, itemCount, ...Object.fromEntries(PACKAGE_SECTIONS.map((section) => [`${section}Count`, sections[section].length])) },
  });
  return packageView(await loadPackage(deps, user, id));
}

interface LoadedPackage {
  id: string;
  caseId: string;
  status: 'draft' | 'released';
  preparedAt: Date;
  preparedBy: string;
  releasedAt: Date | null;
  content: PackageContent;
  redactions: { section: PackageSection; itemId: string; reasonCode: RedactionReason; redactedAt: Date }[];
}

async function loadPackage(deps: Deps, user: SessionUser, packageId: string): Promise<LoadedPackage> {
  const row = await deps.trx
    .selectFrom('dsr_package')
    .innerJoin('app_user', 'app_user.id', 'dsr_package.prepared_by')
    .select(['dsr_package.id', 'dsr_package.case_id', 'dsr_package.status', 'dsr_package.prepared_at', 'app_user.display_name as prepared_by', 'dsr_package.released_at', 'dsr_package.content_sealed'])
    .where('dsr_package.organisation_id', '=', user.organisationId)
    .where('dsr_package.id', '=', packageId)
    .executeTakeFirst();
  if (!row) throw new AuditedDenial({ reason: 'not_found', objectType: 'dsr_package', objectId: packageId }, 'not_found');
  const redactions = await deps.trx
    .selectFrom('dsr_package_redaction')
    .select(['section', 'item_id', 'reason_code', 'redacted_at'])
    .where('organisation_id', '=', user.organisationId)
    .where('package_id', '=', packageId)
    .orderBy('redacted_at')
    .execute();
  return {
    id: row.id,
    caseId: row.case_id,
    status: row.status,
    preparedAt: row.prepared_at,
    preparedBy: row.prepared_by,
    releasedAt: row.released_at,
    content: JSON.parse(deps.secretBox.open(row.content_sealed, sealContext(row.id))) as PackageContent,
    redactions: redactions.map((redaction) => ({ section: redaction.section, itemId: redaction.item_id, reasonCode: redaction.reason_code, redactedAt: redaction.redacted_at })),
  };
}

/** The package, the case open and the journal decision checked again (reading it is reading the journal). */
async function reachablePackage(deps: Deps, user: SessionUser, packageId: string) {
  const loaded = await loadPackage(deps, user, packageId);
  const found = await openAccessCase(deps, user, loaded.caseId);
  const access = await journalDecision(deps, user, found);
  return { loaded, access };
}

/** A field's value as the review shows it: text as is, a list of codes joined; nothing for an empty value or nested records. */
function reviewedValue(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.length > 0 && value.every((entry) => typeof entry === 'string') ? [value.join(', ')] : [];
  return typeof value === 'object' ? [] : [String(value)];
}

/** What the DPO reviews: each section's items with their fields, and the redactions made. */
function packageView(loaded: LoadedPackage) {
  const redactedOf = new Map(loaded.redactions.map((redaction) => [`${redaction.section}/${redaction.itemId}`, redaction.reasonCode]));
  return {
    id: loaded.id,
    caseId: loaded.caseId,
    status: loaded.status,
    preparedAt: loaded.preparedAt.toISOString(),
    preparedBy: loaded.preparedBy,
    releasedAt: loaded.releasedAt?.toISOString() ?? null,
    hasBlockedNotes: loaded.content.hasBlockedNotes,
    sections: PACKAGE_SECTIONS.map((section) => ({
      section,
      // A package prepared before a section existed has none: shown empty.
      items: (loaded.content.sections[section] ?? []).map((item) => ({
        id: item.id,
        // The fields by their codes (the screen names each one in words); nested records (a note's versions, a contact's bases) stay in the files.
        fields: Object.entries(item).flatMap(([key, value]) => (key === 'id' ? [] : reviewedValue(value).map((text) => ({ key, value: text })))),
        redactedFor: redactedOf.get(`${section}/${item.id}`) ?? null,
      })),
    })),
    redactions: loaded.redactions.map((redaction) => ({ ...redaction, redactedAt: redaction.redactedAt.toISOString() })),
  };
}
export type PackageView = ReturnType<typeof packageView>;

function eventFor(loaded: LoadedPackage, access: Awaited<ReturnType<typeof journalDecision>>) {
  return { ...(access ? { patientId: access.patientId, basis: access.decision.basis } : {}), objectType: 'dsr_package', objectId: loaded.id };
}

function packageObject(loaded: LoadedPackage, access: Awaited<ReturnType<typeof journalDecision>>) {
  return { objectType: 'dsr_package', objectId: loaded.id, patientId: access?.patientId ?? null, caseId: loaded.caseId } as const;
}

/** The case's latest package, or null before one is prepared. */
export async function packageOfCase(deps: Deps, user: SessionUser, input: In<typeof caseRefSchema>): Promise<PackageView | null> {
  const found = await openAccessCase(deps, user, input.caseId);
  const latest = await deps.trx
    .selectFrom('dsr_package')
    .select('id')
    .where('organisation_id', '=', user.organisationId)
    .where('case_id', '=', found.id)
    .orderBy('prepared_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) {
    deps.audit.record({ objectType: 'dsr_case', objectId: found.id, details: { packageFound: false } });
    return null;
  }
  const { loaded, access } = await reachablePackage(deps, user, latest.id);
  deps.audit.record({ ...eventFor(loaded, access), details: { caseId: found.id } });
  return packageView(loaded);
}

export async function redactItem(deps: Deps, user: SessionUser, input: In<typeof redactSchema>): Promise<PackageView> {
  const { loaded, access } = await reachablePackage(deps, user, input.packageId);
  const object = packageObject(loaded, access);
  if (loaded.status !== 'draft') throw refusal('already_released', EXPORT_ERRORS.alreadyReleased, object);
  if (!(loaded.content.sections[input.section] ?? []).some((item) => item.id === input.itemId)) {
    throw auditedFieldDenial({ reason: 'no_such_item', ...eventFor(loaded, access), details: { caseId: loaded.caseId, section: input.section } }, 'itemId', EXPORT_ERRORS.noSuchItem);
  }
  if (loaded.redactions.some((redaction) => redaction.section === input.section && redaction.itemId === input.itemId)) throw refusal('already_redacted', EXPORT_ERRORS.alreadyRedacted, object);
  await deps.trx
    .insertInto('dsr_package_redaction')
    .values({ organisation_id: user.organisationId, package_id: loaded.id, section: input.section, item_id: input.itemId, reason_code: input.reasonCode, redacted_by: user.userId, redacted_at: deps.now })
    .execute();
  deps.audit.record({ ...eventFor(loaded, access), details: { caseId: loaded.caseId, section: input.section, itemId: input.itemId, reasonCode: input.reasonCode } });
  return packageView(await loadPackage(deps, user, loaded.id));
}

export async function releasePackage(deps: Deps, user: SessionUser, input: In<typeof packageRefSchema>): Promise<PackageView> {
  const { loaded, access } = await reachablePackage(deps, user, input.packageId);
  if (loaded.status !== 'draft') throw refusal('already_released', EXPORT_ERRORS.alreadyReleased, packageObject(loaded, access));
  await deps.trx
    .updateTable('dsr_package')
    .set({ status: 'released', released_at: deps.now, released_by: user.userId, version: (eb) => eb('version', '+', 1) })
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', loaded.id)
    .where('status', '=', 'draft')
    .execute();
  deps.audit.record({ ...eventFor(loaded, access), details: { caseId: loaded.caseId, redactionCount: loaded.redactions.length } });
  return packageView(await loadPackage(deps, user, loaded.id));
}

/** The content as the person gets it: redacted items gone from every section, the redactions' sections and legal grounds listed. */
export function releasedContent(loaded: Pick<LoadedPackage, 'content' | 'redactions'>) {
  const withheld = new Set(loaded.redactions.map((redaction) => `${redaction.section}/${redaction.itemId}`));
  const sections = Object.fromEntries(PACKAGE_SECTIONS.map((section) => [section, (loaded.content.sections[section] ?? []).filter((item) => !withheld.has(`${section}/${item.id}`))])) as Record<PackageSection, Item[]>;
  const isPatientWithheld = loaded.content.patient !== null && withheld.has(`patient/${loaded.content.patient.id}`);
  return {
    ...loaded.content,
    patient: isPatientWithheld ? null : loaded.content.patient,
    sections,
    withheld: loaded.redactions.map((redaction) => ({ section: redaction.section, legalGround: redaction.reasonCode })),
  };
}
export type ReleasedContent = ReturnType<typeof releasedContent>;

/** The journal part of a released package as a FHIR R4 Bundle (Patient + a DocumentReference per signed version). */
export function packageFhirBundle(content: ReleasedContent, packageId: string, at: Date): Bundle<FhirResource> {
  const versions = (content.sections.journal as unknown as JournalItem[]).flatMap((note) => note.versions);
  return journalBundle(`package-${packageId}`, at, content.patient, content.patient ? versions : []);
}

export async function downloadPackage(deps: Deps, user: SessionUser, input: In<typeof downloadPackageSchema>): Promise<ExportFile> {
  const { loaded, access } = await reachablePackage(deps, user, input.packageId);
  if (loaded.status !== 'released') throw refusal('not_released', EXPORT_ERRORS.notReleased, packageObject(loaded, access));
  const content = releasedContent(loaded);
  const name = `innsyn-${content.case.reference}-${osloCalendarDate(deps.now)}`;
  deps.audit.record({ ...eventFor(loaded, access), details: { caseId: loaded.caseId, format: input.format, redactionCount: loaded.redactions.length } });
  if (input.format === 'json') return { fileName: `${name}.json`, mimeType: 'application/json', content: JSON.stringify(content, null, 2), encoding: 'utf8' };
  if (input.format === 'fhir') return { fileName: `${name}.fhir.json`, mimeType: 'application/fhir+json', content: JSON.stringify(packageFhirBundle(content, loaded.id, deps.now)), encoding: 'utf8' };
  const pdf = await renderPackagePdf(content, { displayName: user.displayName, at: deps.now });
  return { fileName: `${name}.pdf`, mimeType: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64' };
}
