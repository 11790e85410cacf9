import { type z, ZodError } from 'zod';
import { API_ERROR_MESSAGES, type ApiErrorMessage, type FieldError } from '../shared/api-errors';

/**
 * Errors of the domain, thrown by services, the access gates and the unit of work. They know
 * nothing of tRPC or HTTP: one place at the edge (`src/server/error-mapping.ts`) turns a kind into
 * a tRPC code or an HTTP status. The message is always a code from API_ERROR_MESSAGES (or a
 * field error's translation key), never prose or data.
 */
export type DomainErrorKind = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_many_requests';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: ApiErrorMessage | (string & {}),
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

/** Bad input found by a service (an e-mail already in use, a date in the future): shown beside the field. */
export class FieldValidationError extends DomainError {
  constructor(readonly fieldErrors: readonly FieldError[]) {
    super('bad_request', API_ERROR_MESSAGES.validation);
    this.name = 'FieldValidationError';
  }
}

/** The common field-level refusal: one field, one rule. */
export function fieldError(field: string, messageKey: string): FieldValidationError {
  return new FieldValidationError([{ field, messageKey, params: {} }]);
}

export const notFound = (): DomainError => new DomainError('not_found', API_ERROR_MESSAGES.notFound);

/**
 * Turns zod issues into field errors the client can translate. Only the rule and its limits leave
 * the server: zod's own messages and the rejected values stay here, since they may echo what the
 * user typed (a patient's name in a bad request is still a patient's name).
 */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => {
    const params: Record<string, number | string> = {};
    if (issue.code === 'too_small' || issue.code === 'too_big') {
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      params.limit = typeof limit === 'bigint' ? Number(limit) : limit;
      params.origin = issue.origin;
    }
    if (issue.code === 'invalid_type') params.expected = issue.expected;
    if (issue.code === 'invalid_format') params.format = issue.format;
    // A schema may name its own translation key as the message (e.g. validation.nationalIdentityNumber.checksum);
    // zod's own messages are English prose and never start so.
    const ownKey = issue.message.startsWith('validation.') ? issue.message : undefined;
    return {
      field: issue.path.map(String).join('.'),
      messageKey: ownKey ?? `validation.${issue.code}`,
      params,
    };
  });
}

/** The field errors an error carries: a schema's (zod) or a service's, wherever they sit in the cause chain. */
export function fieldErrorsOf(error: unknown): FieldError[] | undefined {
  // zod 4's ZodError need not be an Error subclass: walk any object's cause.
  for (let cause: unknown = error, depth = 0; typeof cause === 'object' && cause !== null && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (cause instanceof FieldValidationError) return [...cause.fieldErrors];
    if (cause instanceof ZodError) return toFieldErrors(cause.issues);
  }
  return undefined;
}

/** The domain error behind an error, if any: tRPC wraps what a resolver throws. */
export function domainErrorIn(error: unknown): DomainError | undefined {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof DomainError) return cause;
  }
  return undefined;
}
