/**
 * What an error may contribute to the log: its type, codes and stack frames, never its message.
 * Messages can carry data (PostgreSQL's "Key (national_id)=(...) already exists", a zod message
 * quoting input), and application logs must hold no patient data.
 */
export function describeErrorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const withCodes = error as Error & { code?: unknown; constraint?: unknown; table?: unknown };
  return {
    type: error.name,
    code: typeof withCodes.code === 'string' ? withCodes.code : undefined,
    constraint: typeof withCodes.constraint === 'string' ? withCodes.constraint : undefined,
    table: typeof withCodes.table === 'string' ? withCodes.table : undefined,
    // Drop the first line of the stack: it repeats the message.
    stack: error.stack?.split('\n').slice(1, 8).join('\n'),
    cause: error.cause ? describeErrorForLog(error.cause) : undefined,
  };
}
