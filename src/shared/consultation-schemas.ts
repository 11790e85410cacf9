import { z } from 'zod';
import { calendarDate, instant } from './schema-primitives';

/**
 * Inputs of the consultation procedures (JRN-6), shared with the booking form so the form refuses
 * what the server would. Messages are translation keys.
 */
export const CONSULTATION_MODES = ['in_person', 'video', 'phone'] as const;
export type ConsultationModeCode = (typeof CONSULTATION_MODES)[number];

export const CONSULTATION_MINUTES = { min: 5, max: 240, default: 30 } as const;

const uuid = z.uuid('validation.id');

/** A consultation starts at most two years ahead; the service refuses one in the past (its own clock). */
const startsAt = instant({ latest: { years: 2 } });
const durationMinutes = z
  .number('validation.required')
  .int('validation.consultation_length')
  .min(CONSULTATION_MINUTES.min, 'validation.consultation_length')
  .max(CONSULTATION_MINUTES.max, 'validation.consultation_length');

export const bookConsultationSchema = z
  .object({
    patientId: uuid,
    /** Another clinician of the clinic; the caller when left out. */
    clinicianId: uuid.optional(),
    startsAt,
    durationMinutes,
    mode: z.enum(CONSULTATION_MODES, 'validation.required'),
  })
  .strict();

export const moveConsultationSchema = z.object({ consultationId: uuid, startsAt, durationMinutes }).strict();

export const cancelConsultationSchema = z.object({ consultationId: uuid }).strict();

export const CALENDAR_VIEWS = ['day', 'week'] as const;

export const consultationCalendarSchema = z
  .object({
    /** Whose calendar; the caller's when left out. */
    clinicianId: uuid.optional(),
    /** The day shown, or any day of the week shown (the week runs Monday to Sunday). */
    date: calendarDate(),
    view: z.enum(CALENDAR_VIEWS),
  })
  .strict();
