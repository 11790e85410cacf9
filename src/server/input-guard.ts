import { malformedTextPaths, PRIMITIVE_MESSAGES } from '../shared/schema-primitives';
import { FieldValidationError } from './errors';

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
  throw new FieldValidationError(paths.map((path) => ({ field: path, messageKey: PRIMITIVE_MESSAGES.textMalformed, params: {} })));
}
