import { TRPCError } from '@trpc/server';
import { type z, ZodError, ZodRealError } from 'zod';
import type { FieldError } from '../shared/api-errors';

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

export function fieldErrorsOf(error: TRPCError): FieldError[] | undefined {
  return error.cause instanceof ZodError ? toFieldErrors(error.cause.issues) : undefined;
}

/**
 * A field-level refusal found by a service (an e-mail already in use, a password on the common
 * list): the same BAD_REQUEST and field-error shape as schema validation, so the client shows it
 * beside the field.
 */
export function fieldError(field: string, messageKey: string): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    // ZodRealError, not ZodError: zod 4's ZodError is no Error subclass, so tRPC would wrap it as an
    // unknown cause and the field errors would be lost (the client got zod's JSON as the message).
    cause: new ZodRealError([{ code: 'custom', path: field.split('.'), message: messageKey, input: undefined }]),
  });
}
