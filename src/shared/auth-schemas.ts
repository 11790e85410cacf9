import { z } from 'zod';
import { ROLES } from './roles';
import { isWellFormedText, PRIMITIVE_MESSAGES, text } from './schema-primitives';

/**
 * Inputs of the login, invitation and user-administration procedures, shared so the renderer's
 * forms validate exactly as the server does. Messages are translation keys (validation.*).
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'validation.email')
  .pipe(z.email('validation.email'));

/**
 * A password as typed: length is checked by the policy on the server (AUTH-2), not here. Any
 * character may be in it (it is only ever hashed), but it must be well-formed: a lone surrogate
 * would be hashed as U+FFFD, so two different passwords would be one.
 */
export const passwordInputSchema = z
  .string()
  .refine(isWellFormedText, { message: PRIMITIVE_MESSAGES.textMalformed, abort: true })
  .min(1, 'validation.required')
  .max(1000, 'validation.password.too_long');

export const totpCodeSchema = z.string().trim().regex(/^\d{6}$/, 'validation.totpCode');
export const recoveryCodeSchema = z.string().trim().min(12, 'validation.recoveryCode').max(20, 'validation.recoveryCode');
export const deviceIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'validation.deviceId');
export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, 'validation.token');
export const smsCodeSchema = z.string().trim().regex(/^\d{6}$/, 'validation.smsCode');

export const PROFESSIONS = ['lege', 'psykolog', 'psykolog_i_spesialisering', 'sykepleier', 'annet'] as const;
export type Profession = (typeof PROFESSIONS)[number];

export const roleSchema = z.enum(ROLES);

export const inviteUserSchema = z
  .object({
    // No control characters: a NUL cannot be stored in a PostgreSQL text column (it failed with 500).
    displayName: text({ min: 1, max: 200 }),
    email: emailSchema,
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ]{8,20}$/, 'validation.phone'),
    roles: z.array(roleSchema).min(1, 'validation.roles').max(ROLES.length),
    profession: z.enum(PROFESSIONS).nullable().default(null),
    hprNumber: z
      .string()
      .trim()
      .regex(/^[0-9]{4,9}$/, 'validation.hprNumber')
      .nullable()
      .default(null),
  })
  .strict()
  .superRefine((value, context) => {
    // A clinician's profession and HPR number are recorded (SPEC: users and roles).
    if (value.roles.includes('clinician')) {
      if (!value.profession) context.addIssue({ code: 'custom', path: ['profession'], message: 'validation.required' });
      if (!value.hprNumber) context.addIssue({ code: 'custom', path: ['hprNumber'], message: 'validation.required' });
    }
  });
export type InviteUserInput = z.input<typeof inviteUserSchema>;

export const userIdSchema = z.object({ userId: z.uuid('validation.id') }).strict();
