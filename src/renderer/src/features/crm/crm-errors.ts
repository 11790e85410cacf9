import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';
import { apiErrorCode } from '../../lib/api-error';
import { errorText, translateCode } from '../../lib/translate';

const SHARED_CODES: ReadonlySet<string> = new Set(Object.values(API_ERROR_MESSAGES));

/**
 * A CRM error in words: the shared codes as everywhere; a CRM code (`crm.processing_blocked`, a
 * refused status change, a record changed by someone else) by its own text under the same key.
 */
export function crmErrorText(error: unknown): string {
  const code = apiErrorCode(error);
  if (code === undefined || SHARED_CODES.has(code)) return errorText(error);
  return translateCode(code, {}, errorText(error));
}

/** The server's answer when what was shown is no longer current (a stale version): reload and decide again. */
export function isChangedByOthers(error: unknown): boolean {
  return apiErrorCode(error) === API_ERROR_MESSAGES.recordChanged;
}
