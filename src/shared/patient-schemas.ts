import { z } from 'zod';
import { nationalIdentityNumberSchema } from './national-identity-number';

/**
 * Inputs of the patient and journal procedures, shared with the renderer's forms. Messages are
 * translation keys. Synthetic test numbers pass the schema; the server refuses them outside demo
 * mode (JRN-1), since only it knows the mode.
 */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'validation.too_long')
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .default(null);

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

export const patientDetailsSchema = z
  .object({
    nationalId: nationalIdentityNumberSchema({ allowSynthetic: true }),
    givenName: z.string().trim().min(1, 'validation.required').max(100, 'validation.too_long'),
    familyName: z.string().trim().min(1, 'validation.required').max(100, 'validation.too_long'),
    dateOfBirth: z.iso.date('validation.date'),
    gender: z.enum(GENDERS, 'validation.required'),
    address: optionalText(300),
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
    nextOfKin: optionalText(500),
  })
  .strict();
export type PatientDetailsInput = z.input<typeof patientDetailsSchema>;

export const patientSearchSchema = z
  .object({
    /** A name (prefix of family or given name), an 11-digit number, or a date of birth dd.mm.yyyy. */
    query: z.string().trim().min(2, 'validation.search_too_short').max(100, 'validation.too_long'),
  })
  .strict();

export const NOTE_TYPES = ['consultation', 'phone', 'home_visit', 'letter', 'other'] as const;

export const BREAK_GLASS_REASONS = ['emergency_treatment', 'patient_unconscious', 'urgent_referral', 'other_urgent'] as const;
