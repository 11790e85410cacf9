import { z } from 'zod';
import { fieldsContradictingNationalIdentityNumber, nationalIdentityNumberErrorKey, nationalIdentityNumberSchema, parseNationalIdentityNumber } from './national-identity-number';
import { calendarDate, optionalText, text } from './schema-primitives';

/**
 * Inputs of the patient and journal procedures, shared with the renderer's forms. Messages are
 * translation keys. Synthetic test numbers pass the schema; the server refuses them outside demo
 * mode (JRN-1), since only it knows the mode.
 */
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

export const patientDetailsSchema = z
  .object({
    nationalId: nationalIdentityNumberSchema({ allowSynthetic: true }),
    givenName: text({ min: 1, max: 100 }),
    familyName: text({ min: 1, max: 100 }),
    dateOfBirth: calendarDate({ latest: 'today' }),
    gender: z.enum(GENDERS, 'validation.required'),
    address: optionalText({ max: 300, multiline: true }),
    phone: z
      .string()
      .trim()
      .regex(/^(\+?[0-9 ]{8,20})?$/, 'validation.phone')
      .transform((value) => (value === '' ? null : value.replace(/\s/g, '')))
      .nullable()
      .default(null),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(254)
      .refine((value) => value === '' || z.email().safeParse(value).success, 'validation.email')
      .transform((value) => (value === '' ? null : value))
      .nullable()
      .default(null),
    nextOfKin: optionalText({ max: 500, multiline: true }),
  })
  .strict()
  // JRN-1: the date of birth and legal gender the number states are the record's too (a man's
  // number must not register a woman born 01.01.1901). Checked wherever the schema is.
  .superRefine((details, ctx) => {
    for (const field of fieldsContradictingNationalIdentityNumber(details.nationalId, details, { allowSynthetic: true })) {
      ctx.addIssue({ code: 'custom', path: [field], message: `validation.${field}_contradicts_number`, input: details[field] });
    }
  });
export type PatientDetailsInput = z.input<typeof patientDetailsSchema>;

/** The fødselsnummer a search is for: 11 digits once spaces are dropped, or null (a name or a date). */
export function searchedNationalIdentityNumber(query: string): string | null {
  const digits = query.replace(/\s/g, '');
  return /^\d{11}$/.test(digits) ? digits : null;
}

/**
 * Why a search for a fødselsnummer cannot find anyone (wrong check digits, no such date), as its
 * translation key, or null. Synthetic numbers pass here; the server refuses them outside demo mode.
 */
export function invalidSearchedNumberKey(query: string, options: { allowSynthetic: boolean } = { allowSynthetic: true }): string | null {
  const nationalId = searchedNationalIdentityNumber(query);
  if (nationalId === null) return null;
  const parsed = parseNationalIdentityNumber(nationalId, options);
  return parsed.ok ? null : nationalIdentityNumberErrorKey(parsed.reason);
}

export const patientSearchSchema = z
  .object({
    /** A name (prefix of family or given name), an 11-digit number, or a date of birth dd.mm.yyyy. */
    query: text({ min: 2, minMessage: 'validation.search_too_short', max: 100 }),
  })
  .strict()
  // JRN-1: a number with wrong check digits is said to be invalid, not searched (nor offered for break-glass).
  .superRefine(({ query }, ctx) => {
    const key = invalidSearchedNumberKey(query);
    if (key) ctx.addIssue({ code: 'custom', path: ['query'], message: key, input: query });
  });

/**
 * The date of a consultation: as far back as journals go, and up to a year ahead (a note prepared
 * for a planned consultation). Also the date in the journal's page cursor.
 */
export const consultationDateSchema = calendarDate({ latest: { yearsAhead: 1 } });

export const NOTE_TYPES = ['consultation', 'phone', 'home_visit', 'letter', 'other'] as const;
/** Every type a journal note can have: the written ones, and the recorded refusal of a correction (JRN-4). */
export const JOURNAL_NOTE_TYPES = [...NOTE_TYPES, 'correction_refused'] as const;

export const BREAK_GLASS_REASONS = ['emergency_treatment', 'patient_unconscious', 'urgent_referral', 'other_urgent'] as const;
