import { TRPCError } from '@trpc/server';
import { ZodRealError } from 'zod';
import { malformedTextPaths, PRIMITIVE_MESSAGES } from '../shared/schema-primitives';

/**
 * PLAT-6: text that is not well-formed Unicode (a lone UTF-16 surrogate) is refused in every
 * procedure, whatever its schema, with a field error naming each such field. Stored, it would
 * silently become U+FFFD, so a signed note would no longer match its hash (JRN-3); hashed (a
 * password), two different values would become one. Checked on the raw input, before the schema
 * runs, so no procedure can forget it; the shared text schema checks the same for the forms.
 */
export function refuseMalformedText(rawInput: unknown): void {
  const paths = malformedTextPaths(rawInput);
  if (paths.length === 0) return;
  throw new TRPCError({
    code: 'BAD_REQUEST',
    // The same shape as a schema's refusal, so the client shows it beside the field (see errors.ts).
    cause: new ZodRealError(
      paths.map((path) => ({ code: 'custom' as const, path: path === '' ? [] : path.split('.'), message: PRIMITIVE_MESSAGES.textMalformed, input: undefined })),
    ),
  });
}
