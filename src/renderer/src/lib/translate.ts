import i18next from 'i18next';
import { API_ERROR_MESSAGES, type ApiErrorMessage, type FieldError } from '../../../shared/api-errors';
import { apiErrorCode, apiErrorKind, fieldErrorsOf } from './api-error';

/**
 * Translations for keys known only at run time: codes the server sends (validation.*, audit action
 * names, reasons). The typed `t` checks literal keys; these are checked for existence instead,
 * and an unknown code is shown as itself rather than as nothing.
 */
export function translateCode(key: string, options: Record<string, unknown> = {}, fallback: string = key): string {
  if (!i18next.exists(key)) return fallback;
  const translate = i18next.t as unknown as (key: string, options: Record<string, unknown>) => string;
  return translate(key, options);
}

/** An audit action (`auth.login.success`) in words; catalogue keys replace dots with underscores. */
export function translateAuditAction(action: string): string {
  return translateCode(`auditAction.${action.replace(/\./g, '_')}`, {}, action);
}

export function translateAuditReason(reason: string): string {
  return translateCode(`auditReason.${reason}`, {}, reason);
}

/** A field error as a sentence, naming the field by its visible label (PLAT-6). */
export function translateFieldError(error: FieldError, label: string): string {
  return translateCode(error.messageKey, { ...error.params, field: label }, translateCode('validation.custom', { field: label }));
}

/**
 * Field errors keyed by field, for the form's inputs; errors of fields the form does not show
 * (or of the whole input) come back under '' so the form can show them above its button.
 */
export function fieldErrorMessages(error: unknown, labels: Record<string, string>): Record<string, string> {
  return messagesOf(fieldErrorsOf(error), labels);
}

/** The same for issues found before sending, by the shared schema the server also uses. */
export function issueMessages(issues: readonly { path: readonly PropertyKey[]; message: string; code: string }[], labels: Record<string, string>) {
  return messagesOf(
    issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      messageKey: issue.message.startsWith('validation.') ? issue.message : `validation.${issue.code}`,
      params: {},
    })),
    labels,
  );
}

function messagesOf(fieldErrors: readonly FieldError[], labels: Record<string, string>): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const fieldError of fieldErrors) {
    const label = labels[fieldError.field];
    const key = label === undefined ? '' : fieldError.field;
    const message = translateFieldError(fieldError, label ?? translateCode('validation.field', { field: fieldError.field }));
    messages[key] = messages[key] ? `${messages[key]} ${message}` : message;
  }
  return messages;
}

/**
 * The catalogue key that says each coded error the backend sends in words. A Record over every
 * shared code: a code added in src/shared/api-errors.ts does not compile until it has its text here.
 */
export const ERROR_TEXT_KEYS: Record<ApiErrorMessage, string> = {
  [API_ERROR_MESSAGES.validation]: 'error.validation',
  [API_ERROR_MESSAGES.internal]: 'error.internal',
  [API_ERROR_MESSAGES.rateLimited]: 'error.rateLimited',
  [API_ERROR_MESSAGES.batchTooLarge]: 'error.batchTooLarge',
  [API_ERROR_MESSAGES.notFound]: 'error.notFound',
  [API_ERROR_MESSAGES.sessionRequired]: 'auth.notice.required',
  [API_ERROR_MESSAGES.sessionLocked]: 'auth.lock.title',
  [API_ERROR_MESSAGES.sessionExpired]: 'auth.notice.expired',
  [API_ERROR_MESSAGES.forbidden]: 'error.forbidden',
  [API_ERROR_MESSAGES.stepUpRequired]: 'auth.stepUp.body',
  [API_ERROR_MESSAGES.stepUpFailed]: 'auth.stepUp.failed',
  [API_ERROR_MESSAGES.loginFailed]: 'auth.login.failed',
  [API_ERROR_MESSAGES.invitationInvalid]: 'auth.invitation.invalid',
  [API_ERROR_MESSAGES.accessBlocked]: 'error.access.blocked',
  [API_ERROR_MESSAGES.accessNoBasis]: 'error.access.noBasis',
  [API_ERROR_MESSAGES.accessReadOnly]: 'error.access.readOnly',
  [API_ERROR_MESSAGES.patientMayExist]: 'error.patientMayExist',
  [API_ERROR_MESSAGES.bookingChanged]: 'error.bookingChanged',
  [API_ERROR_MESSAGES.recordChanged]: 'error.recordChanged',
  [API_ERROR_MESSAGES.crmProcessingBlocked]: 'error.crmProcessingBlocked',
  [API_ERROR_MESSAGES.processingRestricted]: 'error.processingRestricted',
};

function isApiErrorMessage(code: string | undefined): code is ApiErrorMessage {
  return code !== undefined && Object.hasOwn(ERROR_TEXT_KEYS, code);
}

/** A general error in words: what the server coded, or that it could not be reached. */
export function errorText(error: unknown): string {
  const code = apiErrorCode(error);
  if (apiErrorKind(error) === undefined) return translateCode('error.network');
  return translateCode(isApiErrorMessage(code) ? ERROR_TEXT_KEYS[code] : 'error.unknown');
}
