import type { z } from 'zod';
import type {
  companyRefSchema,
  createImportSchema,
  EmployeeImportFieldKey,
  importPreviewSchema,
  importRefSchema,
  uploadChunkSchema,
  validateImportSchema,
} from '../../shared/portal-schemas';
import { osloCalendarDate } from '../../shared/oslo-time';
import { EMPLOYEE_IMPORT_FIELD_KEYS, PORTAL_MESSAGES } from '../../shared/portal-schemas';
import { AuditedDenial } from '../audit/recorder';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import type { Executor } from '../db/database';
import { fieldError, FieldValidationError } from '../errors';
import { appendChunk, cancelImport, createImport, importPreview, importStatus, inspectImport, problemRowsCsv, startCommit, startValidation } from '../import/engine';
import { EMPLOYEE_IMPORT_KIND, employeeImportDefinition } from './employee-import';
import { describeImportError, PROBLEM_ROWS_ERRORS_COLUMN } from './import-messages';
import { agreementOfCompany } from './repository';
import { reachableCompany } from './service';
import type { ImportInspection, ImportPreviewPage, PortalImportStatus, ProblemRowsFile } from './types';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'isDemo' | 'secretBox'>;
type In<T extends z.ZodType> = z.output<T>;

/** Synthetic test numbers only in the demo: one definition for each mode, made once. */
const DEFINITIONS = { demo: employeeImportDefinition({ allowSynthetic: true }), production: employeeImportDefinition({ allowSynthetic: false }) };
const definitionFor = (deps: Pick<Deps, 'isDemo'>) => (deps.isDemo ? DEFINITIONS.demo : DEFINITIONS.production);

/** An import stays "of interest" (a reload resumes it) while it runs, and for a day after it ended so its result can be read. */
const FINISHED_IMPORT_SHOWN_MS = 24 * 3_600_000;

interface EmployeeImportHead {
  id: string;
  companyId: string;
  fileName: string;
  createdAt: Date;
}

function importHead(db: Executor, organisationId: string, where: { importId: string } | { companyId: string }) {
  let query = db
    .selectFrom('data_import')
    .select(['id', 'target_id', 'file_name', 'created_at', 'status', 'finished_at'])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', EMPLOYEE_IMPORT_KIND);
  query = 'importId' in where ? query.where('id', '=', where.importId) : query.where('target_id', '=', where.companyId).orderBy('created_at', 'desc').limit(1);
  return query.executeTakeFirst();
}

/**
 * An employee import of the caller's organisation; any other id (another organisation's, another
 * kind of import) answers as one that exists nowhere, and is logged.
 */
async function reachableImport(deps: Pick<Deps, 'trx'>, user: SessionUser, importId: string): Promise<EmployeeImportHead> {
  const row = await importHead(deps.trx, user.organisationId, { importId });
  if (!row || row.target_id === null) throw new AuditedDenial({ reason: 'not_found', objectType: 'data_import', objectId: importId }, 'not_found');
  return { id: row.id, companyId: row.target_id, fileName: row.file_name, createdAt: row.created_at };
}

async function statusOf(deps: Pick<Deps, 'trx'>, user: SessionUser, head: EmployeeImportHead): Promise<PortalImportStatus> {
  const view = await importStatus(deps.trx, { organisationId: user.organisationId, importId: head.id });
  return {
    importId: head.id,
    companyId: head.companyId,
    status: view.status,
    fileName: head.fileName,
    byteSize: view.byteSize,
    receivedChunks: view.chunkCount,
    encoding: view.encoding as PortalImportStatus['encoding'],
    separator: view.separator as PortalImportStatus['separator'],
    header: view.header,
    mapping: view.mapping,
    totalRows: view.totalRows,
    processedRows: view.processedRows,
    committedRows: view.committedRows,
    progress: view.progress,
    errorRows: view.errorRows,
    createRows: view.createRows,
    updateRows: view.updateRows,
    skipRows: view.skipRows,
    failureCode: view.failureCode,
    createdAt: head.createdAt.toISOString(),
    finishedAt: view.finishedAt ? view.finishedAt.toISOString() : null,
  };
}

/** Employees are imported under an agreement that has not ended (as one added by hand). */
async function requireOpenAgreement(deps: Deps, user: SessionUser, companyId: string): Promise<void> {
  const agreement = await agreementOfCompany(deps.trx, user.organisationId, companyId);
  if (!agreement || (agreement.ends_on !== null && agreement.ends_on < osloCalendarDate(deps.now))) throw fieldError('companyId', PORTAL_MESSAGES.agreementRequired);
}

const auditImport = (deps: Deps, head: { id: string; companyId: string }, details: Record<string, string | number | boolean> = {}) =>
  deps.audit.record({ objectType: 'data_import', objectId: head.id, details: { companyId: head.companyId, ...details } });

export async function createEmployeeImport(deps: Deps, user: SessionUser, input: In<typeof createImportSchema>): Promise<{ importId: string }> {
  await reachableCompany(deps, user, input.companyId);
  await requireOpenAgreement(deps, user, input.companyId);
  const { importId } = await createImport(deps.trx, {
    organisationId: user.organisationId,
    kind: EMPLOYEE_IMPORT_KIND,
    targetId: input.companyId,
    createdBy: user.userId,
    fileName: input.fileName,
    byteSize: input.byteSize,
    now: deps.now,
  });
  // The file's name may name people ("ansatte-kari.csv"): its size only.
  auditImport(deps, { id: importId, companyId: input.companyId }, { byteSize: input.byteSize });
  return { importId };
}

export async function uploadEmployeeImportChunk(deps: Deps, user: SessionUser, input: In<typeof uploadChunkSchema>): Promise<{ received: number }> {
  const head = await reachableImport(deps, user, input.importId);
  const bytes = Buffer.from(input.data, 'base64');
  const result = await appendChunk(deps.trx, deps.secretBox, { organisationId: user.organisationId, importId: head.id, index: input.index, bytes }).catch((error: unknown) => {
    // The engine names its own argument; the caller sent `data`.
    const [first] = error instanceof FieldValidationError ? error.fieldErrors : [];
    if (first?.field === 'bytes') throw fieldError('data', first.messageKey);
    throw error;
  });
  auditImport(deps, head, { index: input.index, bytes: bytes.length });
  return result;
}

export async function inspectEmployeeImport(deps: Deps, user: SessionUser, input: In<typeof importRefSchema>): Promise<ImportInspection> {
  const head = await reachableImport(deps, user, input.importId);
  const definition = definitionFor(deps);
  const inspection = await inspectImport(deps.trx, deps.secretBox, definition, { organisationId: user.organisationId, importId: head.id });
  auditImport(deps, head, { encoding: inspection.encoding, columns: inspection.header.length });
  const suggestedMapping = Object.fromEntries(EMPLOYEE_IMPORT_FIELD_KEYS.map((key) => [key, inspection.suggestedMapping[key] ?? null])) as Record<EmployeeImportFieldKey, number | null>;
  return {
    encoding: inspection.encoding,
    separator: inspection.separator,
    header: inspection.header,
    suggestedMapping,
    sampleRows: inspection.sampleRows,
    fields: definition.fields.map((field) => ({ key: field.key as EmployeeImportFieldKey, required: field.required })),
  };
}

export async function validateEmployeeImport(deps: Deps, user: SessionUser, input: In<typeof validateImportSchema>): Promise<PortalImportStatus> {
  const head = await reachableImport(deps, user, input.importId);
  await startValidation(deps.trx, definitionFor(deps), { organisationId: user.organisationId, importId: head.id, mapping: input.mapping, now: deps.now });
  auditImport(deps, head);
  return statusOf(deps, user, head);
}

export async function employeeImportStatus(deps: Deps, user: SessionUser, input: In<typeof importRefSchema>): Promise<PortalImportStatus> {
  return statusOf(deps, user, await reachableImport(deps, user, input.importId));
}

/** A page of the staged rows (numbers masked), or of the refused ones only; the log holds the page, not the people. */
export async function employeeImportPreview(deps: Deps, user: SessionUser, input: In<typeof importPreviewSchema>): Promise<ImportPreviewPage> {
  const head = await reachableImport(deps, user, input.importId);
  const page = await importPreview(deps.trx, { organisationId: user.organisationId, importId: head.id, page: input.page, pageSize: input.pageSize, onlyErrors: input.onlyErrors });
  auditImport(deps, head, { page: input.page, onlyErrors: input.onlyErrors, resultCount: page.rows.length });
  return {
    rows: page.rows.map((row) => ({ rowNumber: row.rowNumber, outcome: row.outcome, errors: (row.errors ?? []).map((error) => ({ field: error.field, messageKey: error.messageKey })), display: row.display })),
    total: page.total,
  };
}

export async function commitEmployeeImport(deps: Deps, user: SessionUser, input: In<typeof importRefSchema>): Promise<PortalImportStatus> {
  const head = await reachableImport(deps, user, input.importId);
  await requireOpenAgreement(deps, user, head.companyId);
  await startCommit(deps.trx, { organisationId: user.organisationId, importId: head.id, now: deps.now });
  auditImport(deps, head);
  return statusOf(deps, user, head);
}

export async function cancelEmployeeImport(deps: Deps, user: SessionUser, input: In<typeof importRefSchema>): Promise<PortalImportStatus> {
  const head = await reachableImport(deps, user, input.importId);
  await cancelImport(deps.trx, { organisationId: user.organisationId, importId: head.id, now: deps.now });
  auditImport(deps, head);
  return statusOf(deps, user, head);
}

/** The company's newest import while it still matters (running, or ended within a day): a reload resumes the wizard there. */
export async function latestEmployeeImport(deps: Deps, user: SessionUser, input: In<typeof companyRefSchema>): Promise<PortalImportStatus | null> {
  await reachableCompany(deps, user, input.companyId);
  const row = await importHead(deps.trx, user.organisationId, { companyId: input.companyId });
  if (!row || row.target_id === null || row.status === 'cancelled') return null;
  if (row.finished_at !== null && deps.now.getTime() - row.finished_at.getTime() > FINISHED_IMPORT_SHOWN_MS) return null;
  return statusOf(deps, user, { id: row.id, companyId: row.target_id, fileName: row.file_name, createdAt: row.created_at });
}

/** The refused rows as written in the file, with a Norwegian error column: personal data leaving the app (step-up, logged with the address). */
export async function employeeImportProblemRows(deps: Deps, user: SessionUser, input: In<typeof importRefSchema>): Promise<ProblemRowsFile> {
  const head = await reachableImport(deps, user, input.importId);
  const csv = await problemRowsCsv(deps.trx, deps.secretBox, { organisationId: user.organisationId, importId: head.id, describeError: describeImportError, errorsColumn: PROBLEM_ROWS_ERRORS_COLUMN });
  auditImport(deps, head);
  const base = head.fileName.replace(/\.(csv|txt)$/i, '');
  return { fileName: `${base}-feil.csv`, csv };
}
