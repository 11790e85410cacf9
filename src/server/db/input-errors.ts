/**
 * PostgreSQL codes that mean the input itself was unusable (a NUL character, text the encoding cannot
 * hold): the client's fault, so 400 with nothing written, never a 500 (PLAT-6). The one list both
 * edges (tRPC and plain HTTP routes) use as the backstop behind schema validation.
 */
const DATABASE_INPUT_ERRORS = new Set(['22021', '22P05']);

function databaseErrorCode(error: unknown): string | undefined {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Did PostgreSQL refuse the data itself (somewhere in the cause chain)? */
export function isDatabaseInputError(error: unknown): boolean {
  const code = databaseErrorCode(error);
  return code !== undefined && DATABASE_INPUT_ERRORS.has(code);
}
