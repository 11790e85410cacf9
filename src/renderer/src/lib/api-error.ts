import { TRPCClientError } from '@trpc/client';
import { API_ERROR_MESSAGES, type FieldError } from '../../../shared/api-errors';

/**
 * What the backend's errors mean to the renderer. The server sends codes, never prose
 * (`auth.session_locked`, `error.validation` with field errors …); the renderer translates them.
 */
export const SESSION_ERRORS = {
  required: API_ERROR_MESSAGES.sessionRequired,
  expired: API_ERROR_MESSAGES.sessionExpired,
  locked: API_ERROR_MESSAGES.sessionLocked,
  stepUpRequired: API_ERROR_MESSAGES.stepUpRequired,
} as const;

interface ErrorData {
  code?: string;
  httpStatus?: number;
  fieldErrors?: FieldError[];
}

function dataOf(error: unknown): ErrorData | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  return typeof data === 'object' && data !== null ? (data as ErrorData) : undefined;
}

/** The coded message of a tRPC error (`auth.login_failed` …), or undefined for anything else. */
export function apiErrorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError && typeof error.message === 'string' ? error.message : undefined;
}

/** The HTTP-ish tRPC code (UNAUTHORIZED, BAD_REQUEST …), if the server answered at all. */
export function apiErrorKind(error: unknown): string | undefined {
  return dataOf(error)?.code;
}

export function fieldErrorsOf(error: unknown): FieldError[] {
  const fieldErrors = dataOf(error)?.fieldErrors;
  return Array.isArray(fieldErrors) ? fieldErrors : [];
}

/** Errors a second try will not fix: the server understood and said no. */
export function isFinalError(error: unknown): boolean {
  const kind = apiErrorKind(error);
  return kind !== undefined && kind !== 'INTERNAL_SERVER_ERROR' && kind !== 'TIMEOUT';
}
