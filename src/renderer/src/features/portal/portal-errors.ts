import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';
import { PORTAL_MESSAGES } from '../../../../shared/portal-schemas';
import { apiErrorCode, apiErrorKind } from '../../lib/api-error';
import { errorText, translateCode } from '../../lib/translate';

const SHARED_CODES: ReadonlySet<string> = new Set(Object.values(API_ERROR_MESSAGES));

/**
 * A portal or import error in words: the shared codes as everywhere; a code of this domain
 * (`validation.agreement_required`, `import.csv_malformed` …) by its own text when the catalogue
 * has one, else the general wording.
 */
export function portalErrorText(error: unknown): string {
  const code = apiErrorCode(error);
  if (code === undefined || SHARED_CODES.has(code)) return errorText(error);
  return translateCode(code, {}, errorText(error));
}

/** The server's answer when the record changed since it was shown (a stale version). */
export function isChangedMeanwhile(error: unknown): boolean {
  return apiErrorCode(error) === PORTAL_MESSAGES.changed || apiErrorKind(error) === 'CONFLICT';
}
