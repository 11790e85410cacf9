import type { ImportDefinition } from './definition';
import { neutraliseImportedText } from './formula';
import type { ColumnMapping } from './mapping';

/** A row's problem: which field, which rule (a translation key); never the value. */
export interface RowError {
  field: string;
  messageKey: string;
}

export type RowValidation<Row> = { ok: true; value: Row } | { ok: false; errors: RowError[] };

/** The field values a row gives under a mapping: a missing column is '', free text loses its formula characters. */
export function rowInput(cells: readonly string[], mapping: ColumnMapping, definition: Pick<ImportDefinition<unknown>, 'fields'>): Record<string, string> {
  const input: Record<string, string> = {};
  for (const field of definition.fields) {
    const column = mapping[field.key];
    const value = column === null || column === undefined ? '' : (cells[column] ?? '');
    input[field.key] = field.text ? neutraliseImportedText(value) : value;
  }
  return input;
}

/** One row through the definition's schema (the same one the hand-entry form uses). */
export function validateRow<Row>(cells: readonly string[], mapping: ColumnMapping, definition: Pick<ImportDefinition<Row>, 'fields' | 'rowSchema'>): RowValidation<Row> {
  const result = definition.rowSchema.safeParse(rowInput(cells, mapping, definition));
  if (result.success) return { ok: true, value: result.data };
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '';
    // zod's own messages are English prose: only a schema's translation key leaves the server.
    const messageKey = issue.message.startsWith('validation.') ? issue.message : `validation.${issue.code}`;
    const key = `${field}\u0000${messageKey}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ field, messageKey });
  }
  return { ok: false, errors };
}
