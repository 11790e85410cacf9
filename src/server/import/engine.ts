import type { SecretBox } from '../auth/secret-box';
import type { Executor } from '../db/database';
import { DomainError, fieldError, FieldValidationError, notFound } from '../errors';
import { enqueueJob } from '../jobs/queue';
import { CSV_FAILURE, openCsv } from './csv-reader';
import type { ImportDefinition } from './definition';
import type { ImportEncoding } from './encoding';
import { checkMapping, type ColumnMapping, suggestMapping } from './mapping';
import { ProblemRowsCsv } from './problem-rows';
import {
  countChunkIn,
  deleteChunks,
  deleteRows,
  findChunk,
  findErrorRowsAfter,
  findImport,
  findImportJobProgress,
  findStagedRowsPage,
  type ImportRecord,
  type ImportStatus,
  insertChunk,
  insertImport,
  type StagedRowNote,
  updateImport,
} from './repository';
import type { CsvSeparator } from './separator';
import { validateRow } from './validate-row';

/**
 * The generic importer (CRM-4): upload in chunks → inspect (encoding, separator, header, suggested
 * mapping) → validate every row in a background job → preview → commit in batches in a background
 * job → problem-rows file. It knows nothing of what it imports: an ImportDefinition does. These
 * functions take the caller's executor (the procedure's audited unit) and record no events: the
 * procedure declares and records import.created / import.cancelled / import.problem_rows_exported,
 * the jobs (jobs.ts) record import.validated and import.committed.
 */

/** One chunk of the upload at most (the client slices the file so). */
export const MAX_CHUNK_BYTES = 512 * 1024;
/** The whole file at most: ~100,000 rows of a customer's employee list is far beyond any real one. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
export const MAX_PREVIEW_PAGE_SIZE = 100;
export const MAX_CHUNKS = 10_000;
export const MAX_FILE_NAME_CHARS = 255;
const SAMPLE_ROW_COUNT = 5;

export const IMPORT_VALIDATE_JOB = 'import.validate';
export const IMPORT_COMMIT_JOB = 'import.commit';

/** The job keys of an import: one validation and one commit at a time (distinct: a commit may be asked for while the validation job is still finishing). */
export const validateJobKey = (importId: string) => `import:${importId}`;
export const commitJobKey = (importId: string) => `import:${importId}:commit`;

/** Codes the importer refuses with (DomainError messages; the renderer translates them). */
export const IMPORT_ERRORS = {
  wrongStatus: 'import.wrong_status',
  chunkOutOfOrder: 'import.chunk_out_of_order',
  notInspected: 'import.not_inspected',
  kindMismatch: 'import.kind_mismatch',
  chunkTooLarge: 'validation.import.chunk_too_large',
  fileTooLarge: 'validation.import.file_too_large',
  chunkEmpty: 'validation.import.chunk_empty',
  pageSize: 'validation.import.page_size',
  tooManyChunks: 'validation.import.too_many_chunks',
  fileName: 'validation.import.file_name',
} as const;

/** The additional authenticated data a sealed chunk or row is bound to: copied elsewhere it does not open. */
export const chunkSealContext = (importId: string, index: number) => `import:${importId}:${index}`;
export const rowSealContext = (importId: string, rowNumber: number) => `import:${importId}:row:${rowNumber}`;

async function requireImport(trx: Executor, organisationId: string, importId: string, options: { forUpdate?: boolean } = {}): Promise<ImportRecord> {
  const record = await findImport(trx, organisationId, importId, options);
  if (!record) throw notFound();
  return record;
}

function requireStatus(record: ImportRecord, allowed: readonly ImportStatus[]): void {
  if (!allowed.includes(record.status)) throw new DomainError('conflict', IMPORT_ERRORS.wrongStatus);
}

export async function createImport(
  trx: Executor,
  values: { organisationId: string; kind: string; targetId: string | null; createdBy: string; fileName: string; byteSize: number; now: Date },
): Promise<{ importId: string }> {
  if (!Number.isInteger(values.byteSize) || values.byteSize < 0 || values.byteSize > MAX_IMPORT_BYTES) throw fieldError('byteSize', IMPORT_ERRORS.fileTooLarge);
  if (values.fileName.length < 1 || values.fileName.length > MAX_FILE_NAME_CHARS) throw fieldError('fileName', IMPORT_ERRORS.fileName);
  return { importId: await insertImport(trx, values) };
}

/**
 * Stores one chunk, sealed (the file holds national identity numbers; the key is outside the
 * database). Chunks come in order, each at most 512 KiB, 32 MiB in all, only while uploading.
 */
export async function appendChunk(
  trx: Executor,
  secretBox: SecretBox,
  values: { organisationId: string; importId: string; index: number; bytes: Buffer },
): Promise<{ received: number }> {
  if (values.bytes.length === 0) throw fieldError('bytes', IMPORT_ERRORS.chunkEmpty);
  if (values.bytes.length > MAX_CHUNK_BYTES) throw fieldError('bytes', IMPORT_ERRORS.chunkTooLarge);
  // The table holds indices 0…9,999 (a client slicing absurdly small would otherwise hit the constraint: a 500).
  if (!Number.isInteger(values.index) || values.index < 0 || values.index >= MAX_CHUNKS) throw fieldError('index', IMPORT_ERRORS.tooManyChunks);
  const isCounted = await countChunkIn(trx, { organisationId: values.organisationId, importId: values.importId, index: values.index, size: values.bytes.length, maxTotal: MAX_IMPORT_BYTES });
  if (!isCounted) {
    // Say why: the guard statement refused for one of these.
    const record = await requireImport(trx, values.organisationId, values.importId);
    requireStatus(record, ['uploading']);
    if (record.chunkCount !== values.index) throw new DomainError('conflict', IMPORT_ERRORS.chunkOutOfOrder);
    throw fieldError('bytes', IMPORT_ERRORS.fileTooLarge);
  }
  const sealed = secretBox.seal(values.bytes.toString('base64'), chunkSealContext(values.importId, values.index));
  await insertChunk(trx, { organisationId: values.organisationId, importId: values.importId, index: values.index, sealed });
  return { received: values.index + 1 };
}

/** The uploaded file's chunks, opened one at a time as they are read (never the whole file in memory). */
export async function* importChunks(trx: Executor, secretBox: SecretBox, record: Pick<ImportRecord, 'organisationId' | 'id' | 'chunkCount'>): AsyncGenerator<Buffer> {
  for (let index = 0; index < record.chunkCount; index++) {
    const sealed = await findChunk(trx, record.organisationId, record.id, index);
    if (sealed === undefined) throw new DomainError('conflict', IMPORT_ERRORS.chunkOutOfOrder);
    yield Buffer.from(secretBox.open(sealed, chunkSealContext(record.id, index)), 'base64');
  }
}

export interface ImportInspection {
  encoding: ImportEncoding;
  separator: CsvSeparator;
  header: string[];
  suggestedMapping: ColumnMapping;
  /** The first rows as the preview would show them (display(), masked); a row that does not validate shows ''. */
  sampleRows: Record<string, string>[];
}

/** Reads the start of the upload: encoding, separator, header (stored), suggested mapping, a few sample rows. */
export async function inspectImport<Row>(
  trx: Executor,
  secretBox: SecretBox,
  definition: ImportDefinition<Row>,
  values: { organisationId: string; importId: string },
): Promise<ImportInspection> {
  const record = await requireImport(trx, values.organisationId, values.importId);
  if (record.kind !== definition.kind) throw new DomainError('bad_request', IMPORT_ERRORS.kindMismatch);
  requireStatus(record, ['uploading']);
  // Chunks are read as the parser asks for them: the header and a few rows need the first one or two.
  const reader = await openCsv(importChunks(trx, secretBox, record));
  if (reader.header.length === 0) {
    await reader.rows.return(undefined);
    throw new DomainError('bad_request', CSV_FAILURE.empty);
  }
  const suggestedMapping = suggestMapping(reader.header, definition.fields);
  const sampleRows: Record<string, string>[] = [];
  try {
    for await (const row of reader.rows) {
      const result = validateRow(row.cells, suggestedMapping, definition);
      sampleRows.push(result.ok ? definition.display(result.value) : Object.fromEntries(definition.fields.map((field) => [field.key, ''])));
      if (sampleRows.length >= SAMPLE_ROW_COUNT) break;
    }
  } finally {
    await reader.rows.return(undefined);
  }
  const encoding = reader.encoding();
  await updateImport(trx, values.organisationId, values.importId, { encoding, separator: reader.separator, header: reader.header });
  return { encoding, separator: reader.separator, header: reader.header, suggestedMapping, sampleRows };
}

/** Checks the mapping the user chose and queues the validation of every row (the file is complete now). */
export async function startValidation<Row>(
  trx: Executor,
  definition: ImportDefinition<Row>,
  values: { organisationId: string; importId: string; mapping: ColumnMapping; now: Date },
): Promise<void> {
  const record = await requireImport(trx, values.organisationId, values.importId, { forUpdate: true });
  if (record.kind !== definition.kind) throw new DomainError('bad_request', IMPORT_ERRORS.kindMismatch);
  requireStatus(record, ['uploading']);
  if (record.header === null || record.chunkCount === 0) throw new DomainError('conflict', IMPORT_ERRORS.notInspected);
  const errors = checkMapping(values.mapping, definition.fields, record.header.length);
  if (errors.length > 0) throw new FieldValidationError(errors.map((error) => ({ ...error, params: {} })));
  await updateImport(trx, values.organisationId, values.importId, { status: 'validating', mapping: values.mapping, processedRows: 0 }, { status: ['uploading'] });
  await enqueueJob(trx, {
    kind: IMPORT_VALIDATE_JOB,
    organisationId: values.organisationId,
    runAt: values.now,
    dedupeKey: validateJobKey(values.importId),
    payload: { importId: values.importId },
    maxAttempts: IMPORT_JOB_MAX_ATTEMPTS,
  });
}

/** A job that fails this often gives up, and the import is marked failed (never left "validating" for ever). */
export const IMPORT_JOB_MAX_ATTEMPTS = 3;

export interface ImportStatusView {
  importId: string;
  kind: string;
  status: ImportStatus;
  encoding: ImportEncoding | null;
  separator: CsvSeparator | null;
  header: string[] | null;
  mapping: ColumnMapping | null;
  byteSize: number;
  chunkCount: number;
  totalRows: number | null;
  errorRows: number | null;
  createRows: number | null;
  updateRows: number | null;
  skipRows: number | null;
  processedRows: number;
  committedRows: number;
  /** 0…1 for the progress bar while a job works (validating: how far into the file; committing: rows written); null otherwise. */
  progress: number | null;
  failureCode: string | null;
  finishedAt: Date | null;
  version: number;
}

/** The import's state as the app shows it; progress comes from the job's state, so a reload loses nothing. */
export async function importStatus(trx: Executor, values: { organisationId: string; importId: string }): Promise<ImportStatusView> {
  const record = await requireImport(trx, values.organisationId, values.importId);
  let progress: number | null = null;
  if (record.status === 'validating') {
    const job = await findImportJobProgress(trx, [validateJobKey(record.id)]);
    const position = Number(job?.position ?? 0);
    // The position counts decoded text (a cp1252 "ø" is one byte in the file, two in UTF-8): short of 1 until the job is done.
    progress = record.byteSize === 0 ? 0 : Math.min(0.99, position / record.byteSize);
  } else if (record.status === 'committing') {
    const toWrite = (record.createRows ?? 0) + (record.updateRows ?? 0);
    progress = toWrite === 0 ? 1 : Math.min(1, record.committedRows / toWrite);
  }
  return {
    importId: record.id,
    kind: record.kind,
    status: record.status,
    encoding: record.encoding,
    separator: record.separator,
    header: record.header,
    mapping: record.mapping,
    byteSize: record.byteSize,
    chunkCount: record.chunkCount,
    totalRows: record.totalRows,
    errorRows: record.errorRows,
    createRows: record.createRows,
    updateRows: record.updateRows,
    skipRows: record.skipRows,
    processedRows: record.processedRows,
    committedRows: record.committedRows,
    progress,
    failureCode: record.failureCode,
    finishedAt: record.finishedAt,
    version: record.version,
  };
}

export interface PreviewRow {
  rowNumber: number;
  outcome: 'create' | 'update' | 'skip' | 'error';
  errors: StagedRowNote[] | null;
  display: Record<string, string>;
}

/** A page (1-based) of the staged rows, or of the error rows only: what the preview table shows, masked. */
export async function importPreview(
  trx: Executor,
  values: { organisationId: string; importId: string; page: number; pageSize: number; onlyErrors: boolean },
): Promise<{ rows: PreviewRow[]; total: number }> {
  if (!Number.isInteger(values.pageSize) || values.pageSize < 1 || values.pageSize > MAX_PREVIEW_PAGE_SIZE) throw fieldError('pageSize', IMPORT_ERRORS.pageSize);
  if (!Number.isInteger(values.page) || values.page < 1) throw fieldError('page', IMPORT_ERRORS.pageSize);
  await requireImport(trx, values.organisationId, values.importId);
  const page = await findStagedRowsPage(trx, {
    organisationId: values.organisationId,
    importId: values.importId,
    offset: (values.page - 1) * values.pageSize,
    limit: values.pageSize,
    onlyErrors: values.onlyErrors,
  });
  return { rows: page.rows.map(({ rowNumber, outcome, errors, display }) => ({ rowNumber, outcome, errors, display })), total: page.total };
}

/** Queues the commit of the validated rows; only from 'ready'. */
export async function startCommit(trx: Executor, values: { organisationId: string; importId: string; now: Date }): Promise<void> {
  const isStarted = await updateImport(trx, values.organisationId, values.importId, { status: 'committing' }, { status: ['ready'] });
  if (!isStarted) {
    await requireImport(trx, values.organisationId, values.importId);
    throw new DomainError('conflict', IMPORT_ERRORS.wrongStatus);
  }
  await enqueueJob(trx, {
    kind: IMPORT_COMMIT_JOB,
    organisationId: values.organisationId,
    runAt: values.now,
    dedupeKey: commitJobKey(values.importId),
    payload: { importId: values.importId },
    maxAttempts: IMPORT_JOB_MAX_ATTEMPTS,
  });
}

/** Drops an import before it is committed: its uploaded bytes and staged rows are deleted at once. */
export async function cancelImport(trx: Executor, values: { organisationId: string; importId: string; now: Date }): Promise<void> {
  const isCancelled = await updateImport(trx, values.organisationId, values.importId, { status: 'cancelled', finishedAt: values.now }, { status: ['uploading', 'ready'] });
  if (!isCancelled) {
    await requireImport(trx, values.organisationId, values.importId);
    throw new DomainError('conflict', IMPORT_ERRORS.wrongStatus);
  }
  await deleteChunks(trx, values.organisationId, values.importId);
  await deleteRows(trx, values.organisationId, values.importId);
}

const PROBLEM_ROWS_PAGE = 1_000;

/**
 * The refused rows as a CSV the user fixes and imports again: the original header and cells, and
 * an errors column worded by `describeError` (in the user's language). The caller records
 * import.problem_rows_exported (the file holds personal data).
 */
export async function problemRowsCsv(
  trx: Executor,
  secretBox: SecretBox,
  values: { organisationId: string; importId: string; describeError: (field: string, messageKey: string) => string; errorsColumn?: string },
): Promise<string> {
  const record = await requireImport(trx, values.organisationId, values.importId);
  requireStatus(record, ['ready', 'committing', 'done']);
  const csv = new ProblemRowsCsv(record.header ?? [], values.describeError, values.errorsColumn);
  for (let after = 0; ; ) {
    const rows = await findErrorRowsAfter(trx, values.organisationId, values.importId, after, PROBLEM_ROWS_PAGE);
    csv.add(rows.map((row) => ({ cells: JSON.parse(secretBox.open(row.sealed, rowSealContext(values.importId, row.rowNumber))) as string[], errors: row.errors ?? [] })));
    if (rows.length < PROBLEM_ROWS_PAGE) break;
    after = rows[rows.length - 1]!.rowNumber;
  }
  return csv.toString();
}
