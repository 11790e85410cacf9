import { z } from 'zod';
import { addDays } from './oslo-time';
import { patientSearchSchema } from './patient-schemas';
import { calendarDate, optionalText, text } from './schema-primitives';

/**
 * The DPO's patient access report (DPO-3), the registers (DPO-7) and the retention schedule
 * (DPO-6): the inputs of their procedures, shared with the renderer's forms. Messages are
 * translation keys; no union types (the fuzz test derives inputs from these schemas).
 */

const uuid = z.uuid('validation.id');
const expectedVersion = z.number('validation.required').int().min(1);

// ---------------------------------------------------------------------------------------------
// DPO-3: the patient access report
// ---------------------------------------------------------------------------------------------

/** Fødselsnummer (exact) or a name, as the clinicians' patient search takes it. */
export const findPatientForReportSchema = patientSearchSchema;

/** The report covers at most this many days (a little over two years: the log's retention is ten, the question is "lately"). */
export const ACCESS_REPORT_MAX_DAYS = 800;
/** Without a period, the last twelve months (Oslo days, today included). */
export function defaultAccessReportPeriod(today: string): { from: string; to: string } {
  const from = `${String(Number(today.slice(0, 4)) - 1).padStart(4, '0')}${today.slice(4)}`;
  // 29 February has no twin a year earlier: the day after 28 February.
  return { from: /-02-29$/.test(from) ? addDays(from.replace(/-29$/, '-28'), 1) : addDays(from, 1), to: today };
}

export const accessReportSchema = z
  .object({
    patientId: uuid,
    // Not after today: the service checks that against its own clock.
    from: calendarDate({ earliest: '2000-01-01', latest: { yearsAhead: 1 } }).optional(),
    to: calendarDate({ earliest: '2000-01-01', latest: { yearsAhead: 1 } }).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.from !== undefined && value.to !== undefined) {
      if (value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'validation.period_reversed', input: value.to });
      else if (addDays(value.from, ACCESS_REPORT_MAX_DAYS) < value.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'validation.period_too_long', input: value.from });
    }
  });

// ---------------------------------------------------------------------------------------------
// DPO-7: the registers
// ---------------------------------------------------------------------------------------------

export const LEGAL_BASIS_CODES = [
  'gdpr_6_1_a',
  'gdpr_6_1_b',
  'gdpr_6_1_c',
  'gdpr_6_1_d',
  'gdpr_6_1_e',
  'gdpr_6_1_f',
  'gdpr_9_2_a',
  'gdpr_9_2_b',
  'gdpr_9_2_c',
  'gdpr_9_2_f',
  'gdpr_9_2_g',
  'gdpr_9_2_h',
  'gdpr_9_2_i',
  'gdpr_9_2_j',
] as const;
export type LegalBasisCode = (typeof LEGAL_BASIS_CODES)[number];

export const TRANSFER_BASES = ['adequacy_decision', 'standard_contractual_clauses', 'binding_corporate_rules', 'derogation'] as const;
export type TransferBasisCode = (typeof TRANSFER_BASES)[number];

/** The EEA (EU 27 + Iceland, Liechtenstein, Norway): processing elsewhere needs a transfer basis (GDPR chapter V). */
export const EEA_COUNTRIES = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
  'IS', 'LI', 'NO',
] as const;

export function isInsideEea(country: string): boolean {
  return (EEA_COUNTRIES as readonly string[]).includes(country);
}

const country = z
  .string('validation.country')
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'validation.country');

export const processorFields = {
  name: text({ min: 1, max: 200 }),
  service: text({ min: 1, max: 2000, multiline: true }),
  country,
  transferBasis: z.enum(TRANSFER_BASES, 'validation.invalid_value').nullable().default(null),
  agreementDate: calendarDate({ earliest: '1990-01-01', latest: 'today' }).nullable().default(null),
  contact: optionalText({ max: 500 }),
};

function requireTransferBasis(value: { country: string; transferBasis: string | null }, ctx: z.RefinementCtx): void {
  if (!isInsideEea(value.country) && value.transferBasis === null) ctx.addIssue({ code: 'custom', path: ['transferBasis'], message: 'validation.transfer_basis_required', input: value.transferBasis });
}

export const createProcessorSchema = z.object(processorFields).strict().superRefine(requireTransferBasis);
export const updateProcessorSchema = z
  .object({ processorId: uuid, version: expectedVersion, ...processorFields })
  .strict()
  .superRefine(requireTransferBasis);
export const removeProcessorSchema = z.object({ processorId: uuid, version: expectedVersion }).strict();

export const activityFields = {
  name: text({ min: 1, max: 200 }),
  purpose: text({ min: 1, max: 2000, multiline: true }),
  legalBases: z
    .array(z.enum(LEGAL_BASIS_CODES, 'validation.invalid_value'), 'validation.required')
    .min(1, 'validation.legal_basis_required')
    .max(10, 'validation.too_many')
    .transform((codes) => [...new Set(codes)]),
  legalBasisLaw: optionalText({ max: 500 }),
  dataCategories: text({ min: 1, max: 2000, multiline: true }),
  dataSubjects: text({ min: 1, max: 1000, multiline: true }),
  retention: text({ min: 1, max: 1000, multiline: true }),
  recipients: optionalText({ max: 1000, multiline: true }),
  securityMeasures: optionalText({ max: 2000, multiline: true }),
  processorIds: z.array(uuid, 'validation.required').max(50, 'validation.too_many').default([]),
};

export const createActivitySchema = z.object(activityFields).strict();
export const updateActivitySchema = z.object({ activityId: uuid, version: expectedVersion, ...activityFields }).strict();
export const removeActivitySchema = z.object({ activityId: uuid, version: expectedVersion }).strict();

export const REGISTERS = ['activities', 'processors'] as const;
export const REGISTER_EXPORT_FORMATS = ['csv', 'pdf'] as const;
export const exportRegisterSchema = z.object({ register: z.enum(REGISTERS, 'validation.invalid_value'), format: z.enum(REGISTER_EXPORT_FORMATS, 'validation.invalid_value') }).strict();

// ---------------------------------------------------------------------------------------------
// DPO-6: the retention schedule (the organisation's editable days)
// ---------------------------------------------------------------------------------------------

/** The bounds the organisation table's checks hold too: the form and the server refuse the same. */
export const RETENTION_DAY_BOUNDS = {
  bookingRetentionDays: { min: 1, max: 365 },
  crmLeadRetentionDays: { min: 30, max: 3650 },
  crmEmployeeRetentionDays: { min: 0, max: 365 },
} as const;
export type RetentionDaysField = keyof typeof RETENTION_DAY_BOUNDS;

const days = (bounds: { min: number; max: number }) =>
  z.number('validation.required').int('validation.days_out_of_range').min(bounds.min, 'validation.days_out_of_range').max(bounds.max, 'validation.days_out_of_range');

export const updateRetentionScheduleSchema = z
  .object({
    bookingRetentionDays: days(RETENTION_DAY_BOUNDS.bookingRetentionDays),
    crmLeadRetentionDays: days(RETENTION_DAY_BOUNDS.crmLeadRetentionDays),
    crmEmployeeRetentionDays: days(RETENTION_DAY_BOUNDS.crmEmployeeRetentionDays),
  })
  .strict();
