/**
 * The backstop of PLAT-6: PostgreSQL errors that mean the input itself was unusable (SQLSTATE
 * class 22, "data exception"), so the client's fault: 400 with nothing written, never a 500. The
 * input schemas (src/shared/schema-primitives.ts) are meant to refuse all of these first, naming
 * the field; reaching this mapping means a schema let something through, which the server logs.
 *
 * Only the data exceptions a client's value can cause are listed. Those that mean a bug in the
 * server's own SQL (division by zero, a bad argument to a function the server calls, an invalid
 * regular expression the server wrote) stay 500s, so they are seen and fixed.
 */
export const DATABASE_INPUT_ERRORS: ReadonlyMap<string, string> = new Map([
  ['22001', 'string_data_right_truncation'], // text longer than a varchar(n) column
  ['22003', 'numeric_value_out_of_range'], // a number or id beyond bigint, integer, numeric(p, s)
  ['22007', 'invalid_datetime_format'], // a date or time PostgreSQL cannot read
  ['22008', 'datetime_field_overflow'], // a date it cannot hold: year 0, month 13
  ['22009', 'invalid_time_zone_displacement_value'], // an offset beyond ±15:59
  ['22019', 'invalid_escape_character'], // a LIKE pattern's escape
  ['22021', 'character_not_in_repertoire'], // a NUL character in text
  ['22025', 'invalid_escape_sequence'], // a LIKE pattern ending in its escape character
  ['22P02', 'invalid_text_representation'], // "abc" for a uuid, an integer, a boolean
  ['22P05', 'untranslatable_character'], // text the database encoding cannot hold
]);

/** The SQLSTATE of a database error, looked for along the error's causes (tRPC and Kysely wrap it). */
export function databaseErrorCode(error: unknown): string | undefined {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The SQLSTATE when the error is a data exception the client's input caused; otherwise undefined. */
export function databaseInputErrorCode(error: unknown): string | undefined {
  const code = databaseErrorCode(error);
  return code !== undefined && DATABASE_INPUT_ERRORS.has(code) ? code : undefined;
}

/** Did PostgreSQL refuse the data itself (somewhere in the cause chain)? */
export function isDatabaseInputError(error: unknown): boolean {
  return databaseInputErrorCode(error) !== undefined;
}
