import type { z } from 'zod';
import { issueMessages } from '../../lib/translate';

/**
 * A `validate` for @mantine/form that runs the shared zod schema the server also runs (so a limit is
 * written once), with each message translated and naming the field by its label (PLAT-6). Issues
 * of fields the form does not show come back under '' for the form's footer.
 */
export function schemaValidator<Values>(schema: z.ZodType, labels: Record<string, string>, toInput: (values: Values) => unknown) {
  return (values: Values): Record<string, string> => {
    const parsed = schema.safeParse(toInput(values));
    return parsed.success ? {} : issueMessages(parsed.error.issues, labels);
  };
}

/** An optional text field: blank means "not given". */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
