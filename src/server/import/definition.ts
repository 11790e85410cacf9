import type { z } from 'zod';
import type { AuditAction } from '../audit/actions';
import type { AuditRecorder } from '../audit/recorder';
import type { SecretBox } from '../auth/secret-box';
import type { Executor } from '../db/database';
import type { ImportField } from './mapping';

/** What an import's definition works in: whose data, into what (a customer company …), with which key, when. */
export interface ImportContext {
  organisationId: string;
  /** The record the import fills (e.g. the customer company whose employees these are), if the kind has one. */
  targetId: string | null;
  secretBox: SecretBox;
  now: Date;
}

export type ImportOutcome = 'create' | 'update' | 'skip' | 'error';

export interface ClassifiedRow {
  outcome: 'create' | 'update' | 'skip';
  targetId: string | null;
  /** A row repeating an earlier row of the same file: that row's number. */
  duplicateOfRow?: number;
  /** Why a row is skipped when the kind refuses it (a translation key, on a field): shown in the preview, never in the problem file. */
  skipNote?: { field: string; messageKey: string };
}

export interface RowToCommit<Row> {
  row: Row;
  outcome: 'create' | 'update';
  targetId: string | null;
  rowNumber: number;
}

/**
 * One kind of import (CRM-4: the employees of a customer company; later ones reuse the engine):
 * which fields, how a row is checked, what the preview may show, and how rows are matched and
 * written. The engine knows nothing else about the kind.
 */
export interface ImportDefinition<Row> {
  /** Stored on the import, e.g. 'crm.employees'. */
  kind: string;
  fields: readonly ImportField[];
  /** Input: Record<fieldKey, string> (missing columns are ''); messages are translation keys; path[0] is the field key. */
  rowSchema: z.ZodType<Row>;
  /** What the preview shows of a valid row, sensitive values masked (stored unsealed). */
  display(row: Row): Record<string, string>;
  /**
   * Decide create/update/skip for a batch, one answer per row in order (match against the DB and
   * within the file: the definition keeps a row's key → its row number in `seen`, which lives for
   * the whole file). `rowNumbers[i]` is the file's row number of `rows[i]`, for duplicateOfRow.
   */
  classify(trx: Executor, context: ImportContext, rows: readonly Row[], seen: Map<string, number>, rowNumbers: readonly number[]): Promise<ClassifiedRow[]>;
  /** Write one batch; records its own audit events through `audit`. */
  commit(trx: Executor, context: ImportContext & { audit: AuditRecorder }, rows: readonly RowToCommit<Row>[]): Promise<void>;
  /** Audit actions the commit batches record (the job's unit declares them). */
  commitActions: readonly AuditAction[];
}
