/**
 * The pure parts of the CSV import wizard (CRM-4): slicing the chosen file into the chunks the server
 * takes, encoding each as base64 for the JSON call, and the column mapping the user edits. No React
 * here, so they are unit-tested on their own (tests/unit/renderer/portal-import.test.ts).
 */

export interface ChunkRange {
  index: number;
  start: number;
  end: number;
}

/** The byte ranges [start, end) of a file of `byteSize` bytes in chunks of at most `chunkBytes`, in order. */
export function chunkRanges(byteSize: number, chunkBytes: number): ChunkRange[] {
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) throw new RangeError('chunkBytes must be a positive integer');
  const ranges: ChunkRange[] = [];
  for (let start = 0, index = 0; start < byteSize; start += chunkBytes, index++) {
    ranges.push({ index, start, end: Math.min(byteSize, start + chunkBytes) });
  }
  return ranges;
}

// String.fromCharCode takes its arguments on the stack: a whole 256 KiB chunk at once overflows it.
const BASE64_SLICE = 0x8000;

/** Bytes → base64, as the server's uploadChunk expects (btoa needs one "binary" character per byte). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += BASE64_SLICE) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + BASE64_SLICE));
  }
  return btoa(binary);
}

/**
 * Sends a file chunk by chunk, one at a time and in order (the server refuses an index out of turn),
 * reading only the current slice into memory. `onProgress` gets the bytes sent so far. Stops
 * between chunks when `signal` aborts (the wizard was closed).
 */
export async function uploadInChunks(
  file: Blob,
  chunkBytes: number,
  sendChunk: (index: number, base64: string) => Promise<unknown>,
  onProgress: (sentBytes: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  for (const range of chunkRanges(file.size, chunkBytes)) {
    signal?.throwIfAborted();
    const bytes = new Uint8Array(await file.slice(range.start, range.end).arrayBuffer());
    await sendChunk(range.index, bytesToBase64(bytes));
    onProgress(range.end);
  }
}

/** Which file column (0-based) feeds each field, or null for none; the server's ColumnMapping. */
export type ColumnMapping = Record<string, number | null>;

export interface MappedField {
  key: string;
  required: boolean;
}

/** The mapping to start from: the server's suggestion where it names a column of this header, else none. */
export function initialMapping(fields: readonly MappedField[], suggested: Partial<ColumnMapping>, columnCount: number): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const field of fields) {
    const column = suggested[field.key];
    mapping[field.key] = typeof column === 'number' && Number.isInteger(column) && column >= 0 && column < columnCount ? column : null;
  }
  return mapping;
}

/**
 * Points a field at a column (or at none). A column feeds one field only: a field that used it
 * before is cleared, so the user sees the move instead of an error after sending.
 */
export function assignColumn(mapping: ColumnMapping, fieldKey: string, column: number | null): ColumnMapping {
  const next: ColumnMapping = {};
  for (const [key, current] of Object.entries(mapping)) next[key] = column !== null && current === column ? null : current;
  next[fieldKey] = column;
  return next;
}

/** The same message keys the server's mapping check gives (src/server/import/mapping.ts). */
export const MAPPING_MESSAGES = {
  required: 'validation.import.column_required',
  duplicate: 'validation.import.column_used_twice',
} as const;

/** What the server would refuse in a mapping, as field errors under `mapping.<field>`: a required field without a column, a column used twice. */
export function mappingIssues(mapping: ColumnMapping, fields: readonly MappedField[]): { field: string; messageKey: string }[] {
  const issues: { field: string; messageKey: string }[] = [];
  const fieldByColumn = new Map<number, string>();
  for (const field of fields) {
    const column = mapping[field.key] ?? null;
    if (column === null) {
      if (field.required) issues.push({ field: `mapping.${field.key}`, messageKey: MAPPING_MESSAGES.required });
      continue;
    }
    if (fieldByColumn.has(column)) issues.push({ field: `mapping.${field.key}`, messageKey: MAPPING_MESSAGES.duplicate });
    else fieldByColumn.set(column, field.key);
  }
  return issues;
}

/** The import states in which the wizard has something to come back to after a reload. */
export type ImportStep = 'file' | 'mapping' | 'validation' | 'commit';

/** The step that shows an import in this state (a reload resumes there). */
export function stepOfStatus(status: string): ImportStep {
  switch (status) {
    case 'validating':
    case 'ready':
      return 'validation';
    case 'committing':
    case 'done':
      return 'commit';
    default:
      return 'file';
  }
}

/** A whole percentage for a progress bar, 0…100, from a part of a whole (0 when the whole is unknown). */
export function percent(part: number, whole: number | null | undefined): number {
  if (!whole || whole <= 0 || !Number.isFinite(part)) return 0;
  return Math.max(0, Math.min(100, Math.round((part / whole) * 100)));
}
