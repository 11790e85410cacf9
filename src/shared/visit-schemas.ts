import { z } from 'zod';
import { fieldsContradictingNationalIdentityNumber, nationalIdentityNumberSchema } from './national-identity-number';
import { calendarDate, instant, text } from './schema-primitives';

/**
 * Home-visit dispatch (VIS-1…4): the inputs of the public booking form, the coordinator's intake
 * form and every dispatch procedure, shared with the renderer so a form refuses what the server
 * would. Messages are translation keys (validation.*).
 */

export const BOOKING_STATUS_CODES = ['requested', 'assigned', 'en_route', 'arrived', 'completed', 'cancelled'] as const;
export type BookingStatusCode = (typeof BOOKING_STATUS_CODES)[number];

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** The latest acceptable arrival after the earliest, when the booking does not say (VIS-1). */
export const LATEST_ARRIVAL_HOURS: Record<Urgency, number> = { urgent: 2, normal: 8 };

/** A booking's wanted time lies at most this far ahead. */
export const BOOKING_HORIZON_DAYS = 14;

export const CANCEL_REASONS = ['patient_cancelled', 'duplicate', 'patient_not_home', 'referred_elsewhere', 'no_capacity', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Why a doctor turns an assignment down (the booking goes back to the coordinators). */
export const REJECT_REASONS = ['out_of_zone', 'at_capacity', 'conflict', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const EXCEPTION_KINDS = ['late_start', 'patient_not_home', 'access_problem', 'other'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export const RETENTION_HOLDS = ['complaint', 'incident', 'dsr', 'other'] as const;
export type RetentionHold = (typeof RETENTION_HOLDS)[number];

/**
 * The transitions the server allows (VIS-3), each with what it needs. assigned → assigned is a
 * reassignment; assigned → requested is a rejection, an unassignment or the automatic return of an
 * assignment nobody accepted in time.
 */
export const BOOKING_TRANSITIONS: Record<BookingStatusCode, readonly BookingStatusCode[]> = {
  requested: ['assigned', 'cancelled'],
  assigned: ['assigned', 'requested', 'en_route', 'cancelled'],
  en_route: ['arrived', 'cancelled'],
  arrived: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function isAllowedTransition(from: BookingStatusCode, to: BookingStatusCode): boolean {
  return BOOKING_TRANSITIONS[from].includes(to);
}

const uuid = z.uuid('validation.id');

/**
 * A phone number an SMS can reach: a Norwegian mobile (8 digits starting with 4 or 9, with or
 * without +47 / 0047) or an international number in E.164 form. Spaces, dots and dashes are
 * dropped; the result is E.164 (+4791234567).
 */
export function normalizeMobileNumber(input: string): string | null {
  const compact = input.replace(/[\s.-]/g, '');
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  const norwegian = /^(?:\+47)?([49]\d{7})$/.exec(international);
  if (norwegian) return `+47${norwegian[1]}`;
  if (/^\+(?!47)[1-9]\d{7,14}$/.test(international)) return international;
  return null;
}

export const mobileNumberSchema = z
  .string('validation.required')
  .max(32, 'validation.phone')
  .transform((value, ctx) => {
    const normalized = normalizeMobileNumber(value);
    if (normalized === null) {
      ctx.addIssue({ code: 'custom', message: value.trim() === '' ? 'validation.required' : 'validation.mobile_phone', input: value });
      return z.NEVER;
    }
    return normalized;
  });

/** A Norwegian postcode: four digits. */
export const postcodeSchema = z.string('validation.required').trim().regex(/^\d{4}$/, 'validation.postcode');

const optionalEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'validation.email')
  .refine((value) => value === '' || z.email().safeParse(value).success, 'validation.email')
  .transform((value) => (value === '' ? null : value))
  .nullable()
  .default(null);

/** The booking's person and visit, as the public form and the coordinator's form both take them (VIS-1). */
const bookingFields = {
  fullName: text({ min: 1, max: 200 }),
  street: text({ min: 1, max: 200 }),
  postcode: postcodeSchema,
  city: text({ min: 1, max: 100 }),
  /** Optional on the form; when given it must be a valid number that agrees with the date of birth and gender. */
  nationalId: nationalIdentityNumberSchema({ allowSynthetic: true }).nullable().default(null),
  gender: z.enum(['female', 'male', 'other', 'unknown'], 'validation.required'),
  dateOfBirth: calendarDate({ latest: 'today' }),
  phone: mobileNumberSchema,
  email: optionalEmail,
  reason: text({ min: 1, max: 1000, multiline: true }),
  urgency: z.enum(URGENCIES, 'validation.required'),
  /** The wanted window; the service refuses one that starts in the past or beyond the horizon (its own clock). */
  earliestAt: instant({ latest: { years: 1 } }),
  /** The latest acceptable arrival; from the urgency when left out (LATEST_ARRIVAL_HOURS). */
  latestAt: instant({ latest: { years: 1 } }).nullable().default(null),
};

type BookingShape = { nationalId: string | null; dateOfBirth: string; gender: string; earliestAt: string; latestAt: string | null };

function refineBooking(booking: BookingShape, ctx: z.RefinementCtx) {
  if (booking.latestAt !== null && Date.parse(booking.latestAt) <= Date.parse(booking.earliestAt)) {
    ctx.addIssue({ code: 'custom', path: ['latestAt'], message: 'validation.latest_before_earliest', input: booking.latestAt });
  }
  if (booking.nationalId !== null) {
    for (const field of fieldsContradictingNationalIdentityNumber(booking.nationalId, booking as never, { allowSynthetic: true })) {
      ctx.addIssue({ code: 'custom', path: [field], message: `validation.${field}_contradicts_number`, input: (booking as Record<string, unknown>)[field] });
    }
  }
}

/** The coordinator's form in the app (a phone booking). */
export const bookingIntakeSchema = z.object(bookingFields).strict().superRefine(refineBooking);
export type BookingIntakeInput = z.input<typeof bookingIntakeSchema>;

/** The public booking form's body: the same fields and the clinic's public form key. */
export const publicBookingSchema = z
  .object({ ...bookingFields, clinic: z.string('validation.required').regex(/^[a-z0-9-]{3,40}$/, 'validation.clinic') })
  .strict()
  .superRefine(refineBooking);
export type PublicBookingInput = z.input<typeof publicBookingSchema>;

/** `Idempotency-Key` of the public route; the app's form sends one with each new booking. */
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'validation.idempotency_key');

export const coordinatorIntakeSchema = z
  .object({ booking: bookingIntakeSchema, idempotencyKey: idempotencyKeySchema })
  .strict();

/** The board: one day's bookings (Oslo), every status, plus any open booking from before. */
export const dispatchBoardSchema = z.object({ date: calendarDate() }).strict();

const expectedVersion = z.number('validation.required').int().min(1);

export const bookingRefSchema = z.object({ bookingId: uuid }).strict();

/** Assign or reassign (assigned → assigned). `version` is the one the coordinator saw: a stale one is a conflict. */
export const assignBookingSchema = z.object({ bookingId: uuid, doctorId: uuid, version: expectedVersion }).strict();

/** Bulk assignment: all in one transaction, all or nothing. */
export const bulkAssignSchema = z
  .object({ assignments: z.array(z.object({ bookingId: uuid, doctorId: uuid, version: expectedVersion }).strict()).min(1).max(50) })
  .strict();

export const unassignBookingSchema = z.object({ bookingId: uuid, version: expectedVersion }).strict();

export const cancelBookingSchema = z.object({ bookingId: uuid, version: expectedVersion, reason: z.enum(CANCEL_REASONS, 'validation.required') }).strict();

export const rejectAssignmentSchema = z.object({ bookingId: uuid, reason: z.enum(REJECT_REASONS, 'validation.required') }).strict();

export const setEnRouteSchema = z.object({ bookingId: uuid, eta: instant({ latest: { years: 1 } }) }).strict();

export const completeVisitSchema = z.object({ bookingId: uuid, documentationNoteId: uuid }).strict();

export const recordExceptionSchema = z.object({ bookingId: uuid, kind: z.enum(EXCEPTION_KINDS, 'validation.required') }).strict();

/**
 * Link a booking to the patient register (an audited step): an existing patient by id, or the
 * patient with this fødselsnummer (found, or created from the booking's details when there is none).
 */
export const linkPatientSchema = z
  .object({ bookingId: uuid, patientId: uuid.optional(), nationalId: nationalIdentityNumberSchema({ allowSynthetic: true }).optional() })
  .strict()
  // One or the other (as access.breakGlass takes them): a union would answer with zod's untranslated invalid_union.
  .refine((value) => (value.patientId === undefined) !== (value.nationalId === undefined), { message: 'validation.patient_or_number', path: ['patientId'] });

export const setRetentionHoldSchema = z.object({ bookingId: uuid, hold: z.enum(RETENTION_HOLDS, 'validation.required').nullable() }).strict();

export const doctorVisitsSchema = z.object({ date: calendarDate() }).strict();

/** The exceptions recorded on one day's visits (Oslo). */
export const visitExceptionsSchema = z.object({ date: calendarDate() }).strict();

/** A doctor's shift: when, in which zone (none: anywhere), and how many visits it takes (the board's cap). */
export const createShiftSchema = z
  .object({
    doctorId: uuid,
    zoneId: uuid.nullable().default(null),
    startsAt: instant({ latest: { years: 1 } }),
    endsAt: instant({ latest: { years: 1 } }),
    visitCap: z.number('validation.required').int('validation.visit_cap').min(1, 'validation.visit_cap').max(50, 'validation.visit_cap').default(8),
  })
  .strict()
  .superRefine((shift, ctx) => {
    const length = Date.parse(shift.endsAt) - Date.parse(shift.startsAt);
    if (length <= 0) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'validation.shift_ends_before_start', input: shift.endsAt });
    else if (length > 24 * 3_600_000) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'validation.shift_too_long', input: shift.endsAt });
  });
