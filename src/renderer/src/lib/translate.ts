import i18next from 'i18next';
import type { FieldError } from '../../../shared/api-errors';
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

/** A general error in words: what the server coded, or that it could not be reached. */
export function errorText(error: unknown): string {
  const code = apiErrorCode(error);
  const kind = apiErrorKind(error);
  if (kind === undefined) return translateCode('error.network');
  switch (code) {
    case 'error.validation':
      return translateCode('error.validation');
    case 'error.internal':
      return translateCode('error.internal');
    case 'error.rate_limited':
      return translateCode('error.rateLimited');
    case 'error.batch_too_large':
      return translateCode('error.batchTooLarge');
    case 'error.not_found':
      return translateCode('error.notFound');
    case 'auth.forbidden':
      return translateCode('error.forbidden');
    case 'auth.login_failed':
      return translateCode('auth.login.failed');
    case 'auth.step_up_required':
      return translateCode('auth.stepUp.body');
    case 'auth.step_up_failed':
      return translateCode('auth.stepUp.failed');
    case 'access.no_basis':
      return translateCode('error.access.noBasis');
    case 'access.blocked':
      return translateCode('error.access.blocked');
    case 'access.read_only':
      return translateCode('error.access.readOnly');
    default:
      return translateCode('error.unknown');
  }
}
