import { z } from 'zod';
import { calendarDate } from './schema-primitives';

/**
 * Inputs of the DPO's exports (AUD-5, DPO-5), shared by the forms and the server. Errors are codes
 * the renderer translates and show under the field they name.
 */
const uuid = z.uuid('validation.id');

/** AUD-5: at most this many days (Oslo calendar days, both ends included) in one log export. */
export const LOG_EXPORT_MAX_DAYS = 31;
/** AUD-5: at most this many events in one log export; a busier period is exported in parts. */
export const LOG_EXPORT_MAX_EVENTS = 100_000;

export const LOG_EXPORT_FORMATS = ['jsonl', 'fhir'] as const;
export type LogExportFormat = (typeof LOG_EXPORT_FORMATS)[number];

export const auditLogExportSchema = z
  .object({
    from: calendarDate({ latest: 'today' }),
    to: calendarDate({ latest: 'today' }),
    format: z.enum(LOG_EXPORT_FORMATS, 'validation.required'),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.to < value.from) context.addIssue({ code: 'custom', path: ['to'], message: 'validation.period_reversed' });
    else if (daysBetween(value.from, value.to) + 1 > LOG_EXPORT_MAX_DAYS) context.addIssue({ code: 'custom', path: ['to'], message: 'validation.dpo_export_period_too_long' });
  });

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const caseRefSchema = z.object({ caseId: uuid }).strict();
export const packageRefSchema = z.object({ packageId: uuid }).strict();

/**
 * The sections of an access package, each a module the person's data was found in: the person in
 * the journal, then one per section a category of the retention registry names (PersonDataCategory
 * .packageSection). A module whose data needs a section of its own adds it here with its words
 * (dpo-package-labels.ts); its category's items then reach the package without more code.
 */
export const PACKAGE_SECTIONS = ['patient', 'journal', 'bookings', 'appointments', 'crmContacts', 'portalEmployees', 'accounts', 'consents', 'accessLog', 'accounting'] as const;
export type PackageSection = (typeof PACKAGE_SECTIONS)[number];

/**
 * Why an item is withheld from the person (DPO-5): the rights of others (GDPR art. 15(4);
 * pasientjournalloven § 18 with pasient- og brukerrettighetsloven § 5-1 on third-party
 * information), or harm to the patient's life or health (helsepersonelloven § 41 /
 * pasient- og brukerrettighetsloven § 5-1 second paragraph).
 */
export const REDACTION_REASONS = ['gdpr_15_4_third_party', 'pasjl_18_third_party', 'hpl_41_harm', 'pasrl_5_1_harm', 'other_legal_ground'] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];

export const redactSchema = z
  .object({
    packageId: uuid,
    section: z.enum(PACKAGE_SECTIONS, 'validation.required'),
    itemId: z.string('validation.required').trim().min(1, 'validation.required').max(100, 'validation.too_long'),
    reasonCode: z.enum(REDACTION_REASONS, 'validation.required'),
  })
  .strict();

export const PACKAGE_FORMATS = ['json', 'fhir', 'pdf'] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];
export const downloadPackageSchema = z.object({ packageId: uuid, format: z.enum(PACKAGE_FORMATS, 'validation.required') }).strict();
