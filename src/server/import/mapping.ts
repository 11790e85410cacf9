/** A field an import definition fills from a column (CRM-4). */
export interface ImportField {
  key: string;
  required: boolean;
  /** Header texts that mean this field, compared without case, accents or punctuation. */
  aliases: readonly string[];
  /** Free text: formula characters at its start are removed on import (a phone's "+47" is not text). */
  text?: boolean;
}

/** Which column (0-based) fills each field; null when none does. */
export type ColumnMapping = Record<string, number | null>;

/** A mapping problem, like a FieldError without params: the field is `mapping.<fieldKey>`. */
export interface MappingError {
  field: string;
  messageKey: string;
}

export const MAPPING_ERRORS = {
  required: 'validation.import.column_required',
  duplicate: 'validation.import.column_used_twice',
  outOfRange: 'validation.import.column_unknown',
  unknownField: 'validation.import.field_unknown',
} as const;

/**
 * A header text reduced to what identifies it: lower case, without diacritics or punctuation. "ø"
 * and "æ" have no decomposition in Unicode, so they are spelled out (Fødselsnummer → fodselsnummer).
 */
export function normaliseHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');
}

/** The columns whose header matches a field's key or one of its aliases; the first match wins and a column is used once. */
export function suggestMapping(header: readonly string[], fields: readonly ImportField[]): ColumnMapping {
  const normalisedHeader = header.map(normaliseHeader);
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  for (const field of fields) {
    const names = new Set([field.key, ...field.aliases].map(normaliseHeader).filter((name) => name.length > 0));
    const column = normalisedHeader.findIndex((name, index) => !used.has(index) && names.has(name));
    mapping[field.key] = column < 0 ? null : column;
    if (column >= 0) used.add(column);
  }
  return mapping;
}

/** Checks a mapping the user chose: every required field has a column, no column fills two fields, columns exist. */
export function checkMapping(mapping: ColumnMapping, fields: readonly ImportField[], columnCount: number): MappingError[] {
  const errors: MappingError[] = [];
  const known = new Set(fields.map((field) => field.key));
  for (const key of Object.keys(mapping)) {
    if (!known.has(key)) errors.push({ field: `mapping.${key}`, messageKey: MAPPING_ERRORS.unknownField });
  }
  const fieldByColumn = new Map<number, string>();
  for (const field of fields) {
    const column = mapping[field.key] ?? null;
    if (column === null) {
      if (field.required) errors.push({ field: `mapping.${field.key}`, messageKey: MAPPING_ERRORS.required });
      continue;
    }
    if (!Number.isInteger(column) || column < 0 || column >= columnCount) {
      errors.push({ field: `mapping.${field.key}`, messageKey: MAPPING_ERRORS.outOfRange });
      continue;
    }
    if (fieldByColumn.has(column)) errors.push({ field: `mapping.${field.key}`, messageKey: MAPPING_ERRORS.duplicate });
    else fieldByColumn.set(column, field.key);
  }
  return errors;
}
