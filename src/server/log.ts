const MAX_CAUSE_DEPTH = 5;

/**
 * What an error may contribute to the log: its type, codes and stack frames, never its message.
 * Messages can carry data (PostgreSQL's "Key (national_id)=(...) already exists", a zod message
 * quoting input), and application logs must hold no patient data.
 */
export function describeErrorForLog(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const withCodes = error as Error & { code?: unknown; constraint?: unknown; table?: unknown };
  return {
    type: error.name,
    code: typeof withCodes.code === 'string' ? withCodes.code : undefined,
    constraint: typeof withCodes.constraint === 'string' ? withCodes.constraint : undefined,
    table: typeof withCodes.table === 'string' ? withCodes.table : undefined,
    stack: stackFrames(error),
    // Bounded: a cause chain may loop (error.cause = error).
    cause: error.cause && depth < MAX_CAUSE_DEPTH ? describeErrorForLog(error.cause, depth + 1) : undefined,
  };
}

/**
 * The stack's frames only. The stack opens with "Name: message", and a message may span several
 * lines (a ZodError's is its issues as JSON), so cutting one line is not enough.
 */
function stackFrames(error: Error): string | undefined {
  if (typeof error.stack !== 'string') return undefined;
  const header = String(error);
  const rest = error.stack.startsWith(header) ? error.stack.slice(header.length) : error.stack;
  return rest
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 7)
    .join('\n');
}
