import { formatCalendarDate, formatDate } from '../../../../../shared/oslo-time';
import type { RouterOutputs } from '../../../lib/api-types';
import { fieldErrorsOf } from '../../../lib/api-error';
import { errorText, translateCode } from '../../../lib/translate';

/** What the erasure panel shows, named from the router's outputs (DPO-5). */
export type FoundData = RouterOutputs['dpo']['erasure']['find'];
export type FoundCategory = FoundData['categories'][number];
export type FoundItem = FoundCategory['items'][number];
export type RetentionException = FoundData['exceptions'][number];
export type ErasurePlan = RouterOutputs['dpo']['erasure']['plan'];
export type ErasureReport = NonNullable<RouterOutputs['dpo']['erasure']['report']['report']>;
export type LegalHold = RouterOutputs['dpo']['erasure']['holds'][number];
export type CustomerConfirmation = FoundData['confirmations'][number];

/** A category's code as a catalogue key ('visit.booking' → 'visit_booking'). */
export const categoryKey = (name: string): string => name.replace(/\./g, '_');

export function categoryName(name: string): string {
  return translateCode(`dpoErasure.categoryName.${categoryKey(name)}`, {}, name);
}

/** A date the server sends: a calendar day (YYYY-MM-DD) or an instant, shown on Oslo's calendar. */
export function formatLabelDate(value: string | null): string {
  if (value === null) return '';
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatCalendarDate(value) : formatDate(value);
}

export function itemLabel(item: FoundItem): string {
  return translateCode(item.labelKey, { date: formatLabelDate(item.labelDate), count: item.count }, item.labelKey);
}

/** The register's entry for a ground: its name and law reference. */
export function groundText(code: string | null, exceptions: readonly RetentionException[]): string {
  if (code === null) return '';
  const exception = exceptions.find((candidate) => candidate.code === code);
  if (!exception) return code;
  return `${translateCode(exception.descriptionKey, {}, code)} (${exception.lawReference})`;
}

export function periodText(period: string | null): string {
  return translateCode(`dpoErasure.period.${period ?? 'none'}`, {}, period ?? '');
}

/** An error of an erasure call in words: its field errors (the erasure's own codes) or the shared text. */
export function erasureErrorText(error: unknown): string {
  const fieldErrors = fieldErrorsOf(error);
  if (fieldErrors.length > 0) return fieldErrors.map((fieldError) => translateCode(fieldError.messageKey, { ...fieldError.params, field: fieldError.field }, errorText(error))).join(' ');
  return errorText(error);
}
