import { z } from 'zod';

/**
 * The contact fields the CRM and the corporate portal share (CRM-1, CRM-4): a phone number as a
 * business keeps it and an e-mail address. One definition, so a contact and an employee refuse
 * the same input with the same message. Messages are translation keys.
 */

/**
 * Any Norwegian number (landline too) or an international one in E.164 form: spaces, dots, dashes
 * and parentheses dropped; 8 Norwegian digits become +47…; 00 becomes +. The result holds 11–16
 * characters (the tables' check is 8–16).
 */
export function normalizePhoneNumber(input: string): string | null {
  const compact = input.replace(/[\s.()-]/g, '');
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  const norwegian = /^(?:\+47)?([2-9]\d{7})$/.exec(international);
  if (norwegian) return `+47${norwegian[1]}`;
  if (/^\+(?!47)[1-9]\d{7,14}$/.test(international)) return international;
  return null;
}

/** Optional phone: empty, null or left out is null; anything else must be a number. */
export const optionalPhoneSchema = z
  .string('validation.phone')
  .max(32, 'validation.phone')
  .transform((value, ctx) => {
    if (value.trim() === '') return null;
    const normalized = normalizePhoneNumber(value);
    if (normalized === null) {
      ctx.addIssue({ code: 'custom', message: 'validation.phone', input: value });
      return z.NEVER;
    }
    return normalized;
  })
  .nullable()
  .default(null);

/** Made once: building a zod schema per value cost more than the rest of an import row's checks. */
const EMAIL = z.email();

/** Optional e-mail: empty, null or left out is null; stored lower case. */
export const optionalEmailSchema = z
  .string('validation.email')
  .trim()
  .toLowerCase()
  .max(254, 'validation.email')
  .refine((value) => value === '' || EMAIL.safeParse(value).success, 'validation.email')
  .transform((value) => (value === '' ? null : value))
  .nullable()
  .default(null);

/** A required e-mail address (the contact form: we must be able to answer). */
export const requiredEmailSchema = z
  .string('validation.required')
  .trim()
  .toLowerCase()
  .min(1, 'validation.required')
  .max(254, 'validation.email')
  .refine((value) => EMAIL.safeParse(value).success, 'validation.email');
