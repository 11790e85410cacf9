import { sql } from 'kysely';
import type { Executor } from '../db/database';
import type { ImportStatus } from '../db/schema';
import type { ImportOutcome } from './definition';
import type { ImportEncoding } from './encoding';
import type { ColumnMapping } from './mapping';
import type { CsvSeparator } from './separator';

export type { ImportStatus };

/**
 * The importer's tables (CRM-4): data_import (one upload and its state), data_import_chunk (the
 * uploaded bytes, sealed, until the import ends) and data_import_row (each staged row, sealed, with
 * what the preview may show). Every query names the organisation.
 */

export interface ImportRecord {
  id: string;
  organisationId: string;
  kind: string;
  targetId: string | null;
  createdBy: string;
  status: ImportStatus;
  byteSize: number;
  chunkCount: number;
  encoding: ImportEncoding | null;
  separator: CsvSeparator | null;
  header: string[] | null;
  mapping: ColumnMapping | null;
  totalRows: number | null;
  errorRows: number | null;
  createRows: number | null;
  updateRows: number | null;
  skipRows: number | null;
  processedRows: number;
  committedRows: number;
  failureCode: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  version: number;
}

/** jsonb comes back parsed from pg and PGlite alike; a string only if a driver hands it over raw. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export async function insertImport(
  trx: Executor,
  values: { organisationId: string; kind: string; targetId: string | null; createdBy: string; fileName: string; byteSize: number; now: Date },
): Promise<string> {
  const row = await trx
    .insertInto('data_import')
    .values({
      organisation_id: values.organisationId,
      kind: values.kind,
      target_id: values.targetId,
      created_by: values.createdBy,
      created_at: values.now,
      status: 'uploading',
      file_name: values.fileName,
      // What the client announced; appendChunk counts what really arrives.
      byte_size: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findImport(trx: Executor, organisationId: string, importId: string, options: { forUpdate?: boolean } = {}): Promise<ImportRecord | undefined> {
  let query = trx.selectFrom('data_import').selectAll().where('id', '=', importId).where('organisation_id', '=', organisationId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    kind: row.kind,
    targetId: row.target_id,
    createdBy: row.created_by,
    status: row.status,
    byteSize: Number(row.byte_size),
    chunkCount: row.chunk_count,
    encoding: row.encoding,
    separator: row.separator,
    header: row.header === null ? null : json<string[]>(row.header),
    mapping: row.mapping === null ? null : json<ColumnMapping>(row.mapping),
    totalRows: row.total_rows,
    errorRows: row.error_rows,
    createRows: row.create_rows,
    updateRows: row.update_rows,
    skipRows: row.skip_rows,
    processedRows: row.processed_rows,
    committedRows: row.committed_rows,
    failureCode: row.failure_code,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    version: row.version,
  };
}

/**
 * Counts a chunk in, in one statement that is also the guard: only while uploading, only the next
 * index, only within the size limit. Returns false when any of these fails (the caller says which).
 */
export async function countChunkIn(trx: Executor, values: { organisationId: string; importId: string; index: number; size: number; maxTotal: number }): Promise<boolean> {
  const result = await trx
    .updateTable('data_import')
    .set({ chunk_count: sql`chunk_count + 1`, byte_size: sql`byte_size + ${values.size}` })
    .where('id', '=', values.importId)
    .where('organisation_id', '=', values.organisationId)
    .where('status', '=', 'uploading')
    .where('chunk_count', '=', values.index)
    .where(sql<boolean>`byte_size + ${values.size} <= ${values.maxTotal}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertChunk(trx: Executor, values: { organisationId: string; importId: string; index: number; sealed: string }): Promise<void> {
  await trx.insertInto('data_import_chunk').values({ import_id: values.importId, organisation_id: values.organisationId, chunk_index: values.index, sealed: values.sealed }).execute();
}

export async function findChunk(trx: Executor, organisationId: string, importId: string, index: number): Promise<string | undefined> {
  const row = await trx
    .selectFrom('data_import_chunk')
    .select('sealed')
    .where('import_id', '=', importId)
    .where('organisation_id', '=', organisationId)
    .where('chunk_index', '=', index)
    .executeTakeFirst();
  return row?.sealed;
}

export async function updateImport(
  trx: Executor,
  organisationId: string,
  importId: string,
  changes: {
    status?: ImportStatus;
    encoding?: ImportEncoding;
    separator?: CsvSeparator;
    header?: readonly string[];
    mapping?: ColumnMapping;
    totalRows?: number;
    errorRows?: number;
    createRows?: number;
    updateRows?: number;
    skipRows?: number;
    processedRows?: number;
    failureCode?: string | null;
    finishedAt?: Date | null;
  },
  guard: { status?: readonly ImportStatus[] } = {},
): Promise<boolean> {
  let query = trx
    .updateTable('data_import')
    .set({
      ...(changes.status === undefined ? {} : { status: changes.status, version: sql`version + 1` }),
      ...(changes.encoding === undefined ? {} : { encoding: changes.encoding }),
      ...(changes.separator === undefined ? {} : { separator: changes.separator }),
      ...(changes.header === undefined ? {} : { header: JSON.stringify(changes.header) }),
      ...(changes.mapping === undefined ? {} : { mapping: JSON.stringify(changes.mapping) }),
      ...(changes.totalRows === undefined ? {} : { total_rows: changes.totalRows }),
      ...(changes.errorRows === undefined ? {} : { error_rows: changes.errorRows }),
      ...(changes.createRows === undefined ? {} : { create_rows: changes.createRows }),
      ...(changes.updateRows === undefined ? {} : { update_rows: changes.updateRows }),
      ...(changes.skipRows === undefined ? {} : { skip_rows: changes.skipRows }),
      ...(changes.processedRows === undefined ? {} : { processed_rows: changes.processedRows }),
      ...(changes.failureCode === undefined ? {} : { failure_code: changes.failureCode }),
      ...(changes.finishedAt === undefined ? {} : { finished_at: changes.finishedAt }),
    })
    .where('id', '=', importId)
    .where('organisation_id', '=', organisationId);
  if (guard.status) query = query.where('status', 'in', [...guard.status]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function addCommittedRows(trx: Executor, organisationId: string, importId: string, count: number): Promise<void> {
  await trx
    .updateTable('data_import')
    .set({ committed_rows: sql`committed_rows + ${count}` })
    .where('id', '=', importId)
    .where('organisation_id', '=', organisationId)
    .execute();
}

export async function deleteChunks(trx: Executor, organisationId: string, importId: string): Promise<void> {
  await trx.deleteFrom('data_import_chunk').where('import_id', '=', importId).where('organisation_id', '=', organisationId).execute();
}

export async function deleteRows(trx: Executor, organisationId: string, importId: string): Promise<void> {
  await trx.deleteFrom('data_import_row').where('import_id', '=', importId).where('organisation_id', '=', organisationId).execute();
}

export interface StagedRowInsert {
  rowNumber: number;
  outcome: ImportOutcome;
  errors: readonly StagedRowNote[] | null;
  display: Record<string, string>;
  sealed: string;
  targetId: string | null;
}

/** A row's error, or why it is skipped (a duplicate of an earlier row): field, translation key, numbers only. */
export interface StagedRowNote {
  field: string;
  messageKey: string;
  params?: Record<string, number>;
}

/** One multi-row INSERT per batch: no round trip per row (50,000 rows at ≥ 5,000 rows/s). */
export async function insertStagedRows(trx: Executor, organisationId: string, importId: string, rows: readonly StagedRowInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('data_import_row')
    .values(
      rows.map((row) => ({
        import_id: importId,
        organisation_id: organisationId,
        row_number: row.rowNumber,
        outcome: row.outcome,
        errors: row.errors === null ? null : JSON.stringify(row.errors),
        display: JSON.stringify(row.display),
        sealed: row.sealed,
        target_id: row.targetId,
      })),
    )
    .execute();
}

export interface StagedRow {
  rowNumber: number;
  outcome: ImportOutcome;
  errors: StagedRowNote[] | null;
  display: Record<string, string>;
  sealed: string;
  targetId: string | null;
}

/** The next rows to write, in file order, locked (a second commit run waits, then finds them committed). */
/**
 * The next batch to write, after `afterRowNumber` (keyset: each batch starts where the last one
 * ended, so batch k does not walk past the k × 1,000 rows already committed).
 */
export async function findRowsToCommit(trx: Executor, organisationId: string, importId: string, limit: number, afterRowNumber = 0): Promise<StagedRow[]> {
  const rows = await trx
    .selectFrom('data_import_row')
    .select(['row_number', 'outcome', 'errors', 'display', 'sealed', 'target_id'])
    .where('import_id', '=', importId)
    .where('organisation_id', '=', organisationId)
    .where('row_number', '>', afterRowNumber)
    .where('committed', '=', false)
    .where('outcome', 'in', ['create', 'update'])
    .orderBy('row_number')
    .limit(limit)
    .forUpdate()
    .execute();
  return rows.map(toStagedRow);
}

function toStagedRow(row: { row_number: number; outcome: string; errors: unknown; display: unknown; sealed: string; target_id: string | null }): StagedRow {
  return {
    rowNumber: row.row_number,
    outcome: row.outcome as ImportOutcome,
    errors: row.errors === null ? null : json<StagedRowNote[]>(row.errors),
    display: json<Record<string, string>>(row.display),
    sealed: row.sealed,
    targetId: row.target_id,
  };
}

/** Marks a batch written; its sealed values are no longer needed (the data now lives in its own table). */
export async function markRowsCommitted(trx: Executor, organisationId: string, importId: string, rowNumbers: readonly number[]): Promise<void> {
  if (rowNumbers.length === 0) return;
  await trx
    .updateTable('data_import_row')
    .set({ committed: true, sealed: '' })
    .where('import_id', '=', importId)
    .where('organisation_id', '=', organisationId)
    // One array parameter, not a thousand.
    .where('row_number', '=', sql<number>`any(${[...rowNumbers]}::int[])`)
    .execute();
}

export async function findStagedRowsPage(
  trx: Executor,
  values: { organisationId: string; importId: string; offset: number; limit: number; onlyErrors: boolean },
): Promise<{ rows: StagedRow[]; total: number }> {
  let base = trx.selectFrom('data_import_row').where('import_id', '=', values.importId).where('organisation_id', '=', values.organisationId);
  if (values.onlyErrors) base = base.where('outcome', '=', 'error');
  const [rows, count] = await Promise.all([
    base.select(['row_number', 'outcome', 'errors', 'display', 'target_id']).select(sql<string>`''`.as('sealed')).orderBy('row_number').offset(values.offset).limit(values.limit).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toStagedRow), total: Number(count.total) };
}

/** Error rows after `afterRowNumber`, in file order (keyset paging: the problem file is built a page at a time). */
export async function findErrorRowsAfter(trx: Executor, organisationId: string, importId: string, afterRowNumber: number, limit: number): Promise<StagedRow[]> {
  const rows = await trx
    .selectFrom('data_import_row')
    .select(['row_number', 'outcome', 'errors', 'display', 'sealed', 'target_id'])
    .where('import_id', '=', importId)
    .where('organisation_id', '=', organisationId)
    .where('outcome', '=', 'error')
    .where('row_number', '>', afterRowNumber)
    .orderBy('row_number')
    .limit(limit)
    .execute();
  return rows.map(toStagedRow);
}

/** The running job's progress for an import (job state, PLAT-10), if a job is queued or running. */
export async function findImportJobProgress(trx: Executor, dedupeKeys: readonly string[]): Promise<Record<string, unknown> | null> {
  const row = await trx
    .selectFrom('background_job')
    .select('progress')
    .where('dedupe_key', 'in', [...dedupeKeys])
    .where('status', 'in', ['queued', 'running'])
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.progress ?? null;
}
