import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';
import { apiErrorCode } from '../../lib/api-error';
import { errorText, translateCode } from '../../lib/translate';

/** The server's answer when the booking changed since it was shown (a stale version). */
export function isBookingChanged(error: unknown): boolean {
  return apiErrorCode(error) === API_ERROR_MESSAGES.bookingChanged;
}

const SHARED_CODES: ReadonlySet<string> = new Set(Object.values(API_ERROR_MESSAGES));

/**
 * A dispatch error in words: the shared codes as everywhere, a dispatch code (a refused
 * transition, a booking changed by someone else) by its own text when the catalogue has one.
 */
export function visitErrorText(error: unknown): string {
  const code = apiErrorCode(error);
  if (code === undefined || SHARED_CODES.has(code)) return errorText(error);
  return translateCode(code, {}, errorText(error));
}
