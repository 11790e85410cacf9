import type { AuditAction } from '../audit/actions';
import { runAuditedUnit, runSystemJob, systemActor } from '../audit/unit-of-work';
import type { SecretBox } from '../auth/secret-box';
import type { Database, Executor } from '../db/database';
import { DomainError } from '../errors';
import type { BatchedJobHandler, ClaimedJob, JobProgress } from '../jobs/queue';
import { jobErrorCode } from '../jobs/runner';
import { type CsvRow, openCsv } from './csv-reader';
import type { ImportContext, ImportDefinition, RowToCommit } from './definition';
import { IMPORT_COMMIT_JOB, IMPORT_JOB_MAX_ATTEMPTS, IMPORT_VALIDATE_JOB, importChunks, rowSealContext } from './engine';
import {
  addCommittedRows,
  deleteChunks,
  deleteRows,
  findImport,
  findRowsToCommit,
  type ImportRecord,
  insertStagedRows,
  markRowsCommitted,
  type StagedRowInsert,
  updateImport,
} from './repository';
import { validateRow } from './validate-row';

/** Rows per transaction: one classify call, one multi-row insert, one commit (≈ 9,000 parameters, well under PostgreSQL's 65,535). */
export const IMPORT_BATCH_SIZE = 1_000;

export const DUPLICATE_ROW_NOTE = 'validation.import.duplicate_row';

/**
 * A unit of the validation that records nothing: staging rows is no change to anyone's data (the
 * rows are sealed, and only the commit writes them where they belong); one import.validated event
 * at the end says what was found. runSystemJob would write an event per batch.
 */
function stagingUnit<T>(db: Database, organisationId: string, now: Date, work: (trx: Executor) => Promise<T>): Promise<T> {
  return runAuditedUnit(
    {
      db,
      actor: systemActor(organisationId, IMPORT_VALIDATE_JOB),
      actions: ['import.validated'],
      mode: 'write',
      now,
      clientIp: undefined,
      origin: `job:${IMPORT_VALIDATE_JOB}`,
      isEventRequired: false,
    },
    ({ trx }) => work(trx),
  );
}

interface JobRunContext {
  db: Database;
  now: Date;
  job: ClaimedJob;
  heartbeat(progress: JobProgress, executor?: Executor): Promise<void>;
}

function importIdOf(job: ClaimedJob): string {
  const importId = job.payload.importId;
  if (typeof importId !== 'string' || job.organisationId === null) throw new DomainError('bad_request', 'import.job_payload');
  return importId;
}

/**
 * A failure that will not pass by retrying (a broken file), or the last attempt: the import ends
 * as failed with a code (never a message: it may quote the file), its bytes and rows deleted.
 */
async function failImport(db: Database, record: ImportRecord, job: ClaimedJob, now: Date, action: AuditAction, code: string): Promise<void> {
  await runSystemJob(db, { name: job.kind, organisationId: record.organisationId, actions: [action], now }, async ({ trx, audit }) => {
    const isFailed = await updateImport(trx, record.organisationId, record.id, { status: 'failed', failureCode: code, finishedAt: now }, { status: [record.status] });
    if (!isFailed) return;
    await deleteChunks(trx, record.organisationId, record.id);
    // Rows already written by a commit stay written; the staged copies go.
    await deleteRows(trx, record.organisationId, record.id);
    audit.record({ action, outcome: 'allowed', objectType: 'data_import', objectId: record.id, reason: code, details: { kind: record.kind, failureCode: code } });
  });
}

function isPermanent(error: unknown): boolean {
  return error instanceof DomainError && error.kind === 'bad_request';
}

async function withFailureHandling(db: Database, record: ImportRecord, context: JobRunContext, action: AuditAction, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!isPermanent(error) && context.job.attempts < IMPORT_JOB_MAX_ATTEMPTS) throw error;
    await failImport(db, record, context.job, context.now, action, jobErrorCode(error));
  }
}

interface Tally {
  total: number;
  error: number;
  create: number;
  update: number;
  skip: number;
}

/**
 * Validates every row: streams the sealed chunks (one in memory at a time), checks each row with the
 * definition's schema, classifies each batch (create / update / skip against the database and the
 * rows before it), and stages the batch sealed, in one short transaction per batch with the job's
 * progress. Starts over from the first row when run again (after a crash): the staged rows of an
 * earlier attempt are deleted first.
 */
async function runValidation<Row>(definition: ImportDefinition<Row>, secretBox: SecretBox, record: ImportRecord, context: JobRunContext): Promise<void> {
  const { db, now } = context;
  const { organisationId, id: importId } = record;
  const mapping = record.mapping ?? {};
  const importContext: ImportContext = { organisationId, targetId: record.targetId, secretBox, now };
  await stagingUnit(db, organisationId, now, async (trx) => {
    await deleteRows(trx, organisationId, importId);
    await updateImport(trx, organisationId, importId, { processedRows: 0 });
  });
  const reader = await openCsv(importChunks(db, secretBox, record), record.separator ? { separator: record.separator } : {});
  const tally: Tally = { total: 0, error: 0, create: 0, update: 0, skip: 0 };
  const seen = new Map<string, number>();
  const stageBatch = async (batch: readonly CsvRow[]) => {
    const staged: StagedRowInsert[] = [];
    const valid: { rowNumber: number; value: Row }[] = [];
    const results = batch.map((row) => ({ row, result: validateRow(row.cells, mapping, definition) }));
    await stagingUnit(db, organisationId, now, async (trx) => {
      for (const { row, result } of results) {
        if (result.ok) valid.push({ rowNumber: row.rowNumber, value: result.value });
        else {
          tally.error++;
          staged.push({
            rowNumber: row.rowNumber,
            outcome: 'error',
            errors: result.errors,
            display: {},
            // The raw cells: the problem-rows file gives them back as they were.
            sealed: secretBox.seal(JSON.stringify(row.cells), rowSealContext(importId, row.rowNumber)),
            targetId: null,
          });
        }
      }
      const classified = valid.length === 0 ? [] : await definition.classify(
              trx,
              importContext,
              valid.map((entry) => entry.value),
              seen,
              valid.map((entry) => entry.rowNumber),
            );
      if (classified.length !== valid.length) throw new Error('classify returned a different number of rows');
      valid.forEach((entry, index) => {
        const decision = classified[index]!;
        tally[decision.outcome]++;
        staged.push({
          rowNumber: entry.rowNumber,
          outcome: decision.outcome,
          errors:
            decision.duplicateOfRow !== undefined
              ? [{ field: '', messageKey: DUPLICATE_ROW_NOTE, params: { row: decision.duplicateOfRow } }]
              : decision.skipNote
                ? [{ ...decision.skipNote, params: {} }]
                : null,
          display: definition.display(entry.value),
          sealed: secretBox.seal(JSON.stringify(entry.value), rowSealContext(importId, entry.rowNumber)),
          targetId: decision.targetId,
        });
      });
      staged.sort((a, b) => a.rowNumber - b.rowNumber);
      await insertStagedRows(trx, organisationId, importId, staged);
      tally.total += batch.length;
      await updateImport(trx, organisationId, importId, { processedRows: tally.total }, { status: ['validating'] });
      // Progress is job state (read by importStatus): a reload of the app finds it where it was.
      await context.heartbeat({ phase: 'validating', position: batch[batch.length - 1]?.position ?? 0, byteSize: record.byteSize, processedRows: tally.total }, trx);
    });
  };
  let batch: CsvRow[] = [];
  for await (const row of reader.rows) {
    batch.push(row);
    if (batch.length >= IMPORT_BATCH_SIZE) {
      await stageBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await stageBatch(batch);
  await runSystemJob(db, { name: IMPORT_VALIDATE_JOB, organisationId, actions: ['import.validated'], now }, async ({ trx, audit }) => {
    const isReady = await updateImport(
      trx,
      organisationId,
      importId,
      {
        status: 'ready',
        encoding: reader.encoding(),
        totalRows: tally.total,
        errorRows: tally.error,
        createRows: tally.create,
        updateRows: tally.update,
        skipRows: tally.skip,
        processedRows: tally.total,
      },
      { status: ['validating'] },
    );
    // Cancelled meanwhile (not possible from 'validating' today, but the guard costs nothing): nothing to announce.
    if (!isReady) return;
    audit.record({
      action: 'import.validated',
      objectType: 'data_import',
      objectId: importId,
      details: { kind: record.kind, total: tally.total, errors: tally.error, creates: tally.create, updates: tally.update, skips: tally.skip },
    });
  });
}

/**
 * Writes the validated rows in file order, a batch per transaction with the definition's events and
 * one import.committed event (ids and counts). Idempotent: a batch marks its rows committed in its
 * own transaction, so a run after a crash continues with the rows not yet written.
 */
async function runCommit<Row>(definition: ImportDefinition<Row>, secretBox: SecretBox, record: ImportRecord, context: JobRunContext): Promise<void> {
  const { db, now } = context;
  const { organisationId, id: importId } = record;
  const actions: AuditAction[] = ['import.committed', ...definition.commitActions.filter((action) => action !== 'import.committed')];
  let committed = record.committedRows;
  let batchNumber = 0;
  // Where the last batch of this run ended; a run after a crash starts from the top and skips what is committed.
  let afterRowNumber = 0;
  for (let isDrained = false; !isDrained; ) {
    await runSystemJob(db, { name: IMPORT_COMMIT_JOB, organisationId, actions, now }, async ({ trx, audit }) => {
      const staged = await findRowsToCommit(trx, organisationId, importId, IMPORT_BATCH_SIZE, afterRowNumber);
      if (staged.length > 0) {
        afterRowNumber = staged[staged.length - 1]?.rowNumber ?? afterRowNumber;
        batchNumber++;
        const rows: RowToCommit<Row>[] = staged.map((row) => ({
          row: JSON.parse(secretBox.open(row.sealed, rowSealContext(importId, row.rowNumber))) as Row,
          outcome: row.outcome as 'create' | 'update',
          targetId: row.targetId,
          rowNumber: row.rowNumber,
        }));
        await definition.commit(trx, { organisationId, targetId: record.targetId, secretBox, now, audit }, rows);
        await markRowsCommitted(trx, organisationId, importId, staged.map((row) => row.rowNumber));
        await addCommittedRows(trx, organisationId, importId, staged.length);
        committed += staged.length;
        audit.record({
          action: 'import.committed',
          objectType: 'data_import',
          objectId: importId,
          details: { kind: record.kind, batch: batchNumber, rows: staged.length, creates: rows.filter((row) => row.outcome === 'create').length, committed },
        });
      }
      isDrained = staged.length < IMPORT_BATCH_SIZE;
      if (isDrained) {
        await updateImport(trx, organisationId, importId, { status: 'done', finishedAt: now }, { status: ['committing'] });
        await deleteChunks(trx, organisationId, importId);
        audit.record({ action: 'import.committed', objectType: 'data_import', objectId: importId, details: { kind: record.kind, committed, isComplete: true } });
      }
      await context.heartbeat({ phase: 'committing', committedRows: committed }, trx);
    });
  }
}

/**
 * The importer's two jobs (validation and commit), for every kind of import the product has.
 * Registered by the composition root with the server's SecretBox (the sealed chunks and rows open
 * only with its key).
 */
export function importJobHandlers(definitions: readonly ImportDefinition<any>[], secretBox: SecretBox): BatchedJobHandler[] {
  const byKind = new Map(definitions.map((definition) => [definition.kind, definition]));
  const handler = (kind: string, status: 'validating' | 'committing', action: AuditAction, run: typeof runValidation): BatchedJobHandler => ({
    kind,
    mode: 'batched',
    run: async (context) => {
      const importId = importIdOf(context.job);
      const record = await findImport(context.db, context.job.organisationId!, importId);
      // Cancelled, already done, or never started: nothing to do.
      if (!record || record.status !== status) return;
      const definition = byKind.get(record.kind);
      await withFailureHandling(context.db, record, context, action, async () => {
        if (!definition) throw new DomainError('bad_request', 'import.unknown_kind');
        await run(definition, secretBox, record, context);
      });
    },
  });
  return [handler(IMPORT_VALIDATE_JOB, 'validating', 'import.validated', runValidation), handler(IMPORT_COMMIT_JOB, 'committing', 'import.committed', runCommit)];
}
