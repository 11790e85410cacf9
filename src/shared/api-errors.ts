/**
 * The shape of a field error the backend sends and the renderer translates. The backend never sends
 * prose for bad input: it sends which field and which rule, and the client says it in the user's
 * language (PLAT-4, PLAT-6). Values the user typed are never echoed back.
 */
export interface FieldError {
  /** Dotted path of the field in the procedure's input, e.g. "patient.name"; "" for the whole input. */
  field: string;
  /** A translation key under `validation.` in the renderer's catalogues. */
  messageKey: string;
  /** Numbers the message needs (minimum length, maximum size …), never user input. */
  params: Record<string, number | string>;
}

/**
 * Every coded error message the backend sends, in one place for both sides: the server throws
 * with these, the renderer compares with these and translates them (its catalogues hold a text
 * for each; a unit test checks that). Never prose, never data.
 */
export const API_ERROR_MESSAGES = {
  validation: 'error.validation',
  internal: 'error.internal',
  /** PLAT-9: too many attempts from here (or overall) in a short time: HTTP 429, try again later. */
  rateLimited: 'error.rate_limited',
  /** PLAT-9: a tRPC batch with more calls than the server takes at once. */
  batchTooLarge: 'error.batch_too_large',
  notFound: 'error.not_found',
  sessionRequired: 'auth.session_required',
  sessionLocked: 'auth.session_locked',
  sessionExpired: 'auth.session_expired',
  forbidden: 'auth.forbidden',
  stepUpRequired: 'auth.step_up_required',
  stepUpFailed: 'auth.step_up_failed',
  loginFailed: 'auth.login_failed',
  invitationInvalid: 'auth.invitation_invalid',
  accessBlocked: 'access.blocked',
  accessNoBasis: 'access.no_basis',
  accessReadOnly: 'access.read_only',
  /** The number belongs to a patient this user may not open: reachable only through break-glass (ADR 0010). */
  patientMayExist: 'patient.may_exist',
  /** VIS-3: the booking changed since the caller saw it (another coordinator, the doctor): reload and decide again. */
  bookingChanged: 'error.booking_changed',
  /** A record changed since the caller saw it (its version): reload and decide again. */
  recordChanged: 'error.record_changed',
  /** CRM-2: the contact's consent was withdrawn, they objected, or no active basis covers the purpose. */
  crmProcessingBlocked: 'crm.processing_blocked',
  /** DPO-5: the person asked for restriction of processing (art. 18); this module may not process them now. */
  processingRestricted: 'dpo.processing_restricted',
} as const;

export type ApiErrorMessage = (typeof API_ERROR_MESSAGES)[keyof typeof API_ERROR_MESSAGES];
