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

/** Coded reasons that replace server messages the client should not see verbatim. */
export const API_ERROR_MESSAGES = {
  validation: 'error.validation',
  internal: 'error.internal',
  /** PLAT-9: too many attempts from here (or overall) in a short time: HTTP 429, try again later. */
  rateLimited: 'error.rate_limited',
  /** PLAT-9: a tRPC batch with more calls than the server takes at once. */
  batchTooLarge: 'error.batch_too_large',
} as const;
