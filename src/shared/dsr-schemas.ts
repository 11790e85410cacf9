import { z } from 'zod';
import { optionalEmailSchema, optionalPhoneSchema } from './contact-fields';
import { nationalIdentityNumberErrorKey, parseNationalIdentityNumber } from './national-identity-number';
import { calendarDate, optionalText, text } from './schema-primitives';

/**
 * Data-subject requests (DPO-4, DPO-5): the inputs of every dpo.cases.* procedure and the codes
 * they use, shared with the renderer so a form refuses what the server would and offers only what
 * the server allows. Messages are translation keys (validation.*). No union types in inputs.
 */

// ---------------------------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------------------------

export const DSR_KINDS = ['access', 'rectification', 'erasure', 'restriction', 'objection', 'portability'] as const;
export type DsrKind = (typeof DSR_KINDS)[number];

export const DSR_CHANNELS = ['letter', 'email', 'phone', 'in_person', 'web_form', 'other'] as const;
export type DsrChannel = (typeof DSR_CHANNELS)[number];

export const DSR_STATUSES = ['received', 'identity_unverified', 'in_review', 'in_progress', 'on_hold', 'ready_for_release', 'completed', 'denied'] as const;
export type DsrStatus = (typeof DSR_STATUSES)[number];

/** A case in one of these is closed: no more changes, not counted as overdue. */
export const DSR_CLOSED_STATUSES: readonly DsrStatus[] = ['completed', 'denied'];

export const DSR_IDENTITY_METHODS = ['bankid', 'id_document', 'known_contact', 'signed_letter', 'other'] as const;
export type DsrIdentityMethod = (typeof DSR_IDENTITY_METHODS)[number];

/** Why a case waits (on_hold): coded, the detail goes in the note. */
export const DSR_HOLD_REASONS = ['legal_hold', 'awaiting_identity', 'awaiting_clarification', 'awaiting_third_party'] as const;
export type DsrHoldReason = (typeof DSR_HOLD_REASONS)[number];

/** Why a request is refused (art. 12(5), art. 11(2), art. 23 and national exemptions): coded. */
export const DSR_DENIAL_REASONS = ['manifestly_unfounded', 'excessive', 'identity_not_verified', 'no_data_held', 'legal_exemption'] as const;
export type DsrDenialReason = (typeof DSR_DENIAL_REASONS)[number];

/**
 * The status changes the server allows (DPO-4), the one table the status buttons are drawn from.
 * A received request is first checked for identity (identity_unverified) or taken into review;
 * work on it (in_progress), a package ready for release and an answer (completed) need the
 * identity verified (DSR_STATUSES_NEEDING_IDENTITY); a case may wait (on_hold, with a coded reason)
 * or be refused (denied, with a coded reason) until it is closed. Completed and denied are final.
 */
export const DSR_STATUS_TRANSITIONS: Record<DsrStatus, readonly DsrStatus[]> = {
  received: ['identity_unverified', 'in_review', 'on_hold', 'denied'],
  identity_unverified: ['in_review', 'on_hold', 'denied'],
  in_review: ['identity_unverified', 'in_progress', 'on_hold', 'denied'],
  in_progress: ['ready_for_release', 'completed', 'on_hold', 'denied'],
  on_hold: ['identity_unverified', 'in_review', 'in_progress', 'denied'],
  ready_for_release: ['in_progress', 'completed'],
  completed: [],
  denied: [],
};

/** Nothing is done for, or released to, a person whose identity has not been verified (art. 12(6)). */
export const DSR_STATUSES_NEEDING_IDENTITY: readonly DsrStatus[] = ['in_progress', 'ready_for_release', 'completed'];

export function isAllowedDsrTransition(from: DsrStatus, to: DsrStatus): boolean {
  return DSR_STATUS_TRANSITIONS[from].includes(to);
}

/**
 * The modules whose processing of a restricted person is refused (DPO-5, art. 18): a module is
 * listed here only once its processing path calls assertNotRestricted (src/server/dpo/cases/restriction.ts).
 */
export const RESTRICTION_MODULES = ['crm', 'journal_sharing', 'portal', 'home_visits'] as const;
export type RestrictionModule = (typeof RESTRICTION_MODULES)[number];

/**
 * A rectification request's correction of the journal (JRN-4, DPO-4): asked of a clinician, open
 * until they amend a note or record the refusal in the journal.
 */
export const DSR_CORRECTION_STATUSES = ['open', 'amended', 'refused'] as const;
export type DsrCorrectionStatus = (typeof DSR_CORRECTION_STATUSES)[number];
export const DSR_CORRECTION_TEXT_MAX = 5000;
/** At most this many CRM contacts in one objection (the person's contacts found by the case's search). */
export const DSR_OBJECTION_CONTACTS_MAX = 50;

/** Duplicate requests: other cases of the same person and kind, open or received this recently. */
export const DSR_DUPLICATE_WINDOW_DAYS = 90;
/** The list highlights cases due within this many days. */
export const DSR_SOON_DUE_DAYS = 7;

// ---------------------------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------------------------

const uuid = z.uuid('validation.id');
const expectedVersion = z.number('validation.required').int().min(1);

/** An optional fødselsnummer (mod-11 checked); empty is null. Synthetic test numbers pass, as for patients. */
export const optionalNationalIdSchema = z
  .string(nationalIdentityNumberErrorKey('format'))
  .max(20, nationalIdentityNumberErrorKey('format'))
  .transform((value, ctx) => {
    if (value.trim() === '') return null;
    const result = parseNationalIdentityNumber(value, { allowSynthetic: true });
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: nationalIdentityNumberErrorKey(result.reason), params: { reason: result.reason }, input: value });
      return z.NEVER;
    }
    return result.value;
  })
  .nullable()
  .default(null);

const personFields = {
  requesterName: text({ min: 1, max: 200 }),
  email: optionalEmailSchema,
  phone: optionalPhoneSchema,
  note: optionalText({ max: 4000, multiline: true }),
};

// ---------------------------------------------------------------------------------------------
// Procedures
// ---------------------------------------------------------------------------------------------

export const createDsrCaseSchema = z
  .object({
    kind: z.enum(DSR_KINDS, 'validation.required'),
    receivedOn: calendarDate({ latest: 'today' }),
    channel: z.enum(DSR_CHANNELS, 'validation.required'),
    ...personFields,
    nationalId: optionalNationalIdSchema,
    /** The DPO has seen the possible duplicates the server listed and says this is a new request. */
    confirmNotDuplicate: z.boolean('validation.required').default(false),
  })
  .strict();
export type CreateDsrCaseInput = z.input<typeof createDsrCaseSchema>;

export const dsrCaseRefSchema = z.object({ caseId: uuid }).strict();

export const listDsrCasesSchema = z
  .object({
    statuses: z.array(z.enum(DSR_STATUSES, 'validation.required')).max(DSR_STATUSES.length).optional(),
    kinds: z.array(z.enum(DSR_KINDS, 'validation.required')).max(DSR_KINDS.length).optional(),
    overdueOnly: z.boolean('validation.required').default(false),
    /** Completed and denied cases too (default: open ones only). */
    includeClosed: z.boolean('validation.required').default(false),
  })
  .strict();
export type ListDsrCasesInput = z.input<typeof listDsrCasesSchema>;

export const updateDsrCaseSchema = z.object({ caseId: uuid, version: expectedVersion, channel: z.enum(DSR_CHANNELS, 'validation.required'), ...personFields }).strict();
export type UpdateDsrCaseInput = z.input<typeof updateDsrCaseSchema>;

export const linkDsrPatientSchema = z.object({ caseId: uuid, version: expectedVersion }).strict();

export const verifyDsrIdentitySchema = z.object({ caseId: uuid, version: expectedVersion, method: z.enum(DSR_IDENTITY_METHODS, 'validation.required') }).strict();
export type VerifyDsrIdentityInput = z.input<typeof verifyDsrIdentitySchema>;

export const setDsrStatusSchema = z
  .object({
    caseId: uuid,
    version: expectedVersion,
    status: z.enum(DSR_STATUSES, 'validation.required'),
    holdReason: z.enum(DSR_HOLD_REASONS, 'validation.required').nullable().default(null),
    denialReason: z.enum(DSR_DENIAL_REASONS, 'validation.required').nullable().default(null),
    /** The answer given to the person: required to complete a case. */
    response: optionalText({ max: 20_000, multiline: true }),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.status === 'on_hold' && value.holdReason === null) ctx.addIssue({ code: 'custom', path: ['holdReason'], message: 'validation.required', input: value.holdReason });
    if (value.status === 'denied' && value.denialReason === null) ctx.addIssue({ code: 'custom', path: ['denialReason'], message: 'validation.required', input: value.denialReason });
    if (value.status === 'completed' && value.response === null) ctx.addIssue({ code: 'custom', path: ['response'], message: 'validation.required', input: value.response });
  });
export type SetDsrStatusInput = z.input<typeof setDsrStatusSchema>;

export const extendDsrDeadlineSchema = z
  .object({
    caseId: uuid,
    version: expectedVersion,
    months: z.number('validation.required').int('validation.dsr_extension_months').min(1, 'validation.dsr_extension_months').max(2, 'validation.dsr_extension_months'),
    reason: text({ min: 1, max: 2000, multiline: true }),
    /** The day the person was told of the extension and why (art. 12(3)): within the first month. */
    notifiedOn: calendarDate({ latest: 'today' }),
  })
  .strict();
export type ExtendDsrDeadlineInput = z.input<typeof extendDsrDeadlineSchema>;

export const setRestrictionSchema = z
  .object({
    caseId: uuid,
    modules: z
      .array(z.enum(RESTRICTION_MODULES, 'validation.required'))
      .min(1, 'validation.required')
      .max(RESTRICTION_MODULES.length)
      .refine((values) => new Set(values).size === values.length, 'validation.dsr_module_twice'),
  })
  .strict();
export type SetRestrictionInput = z.input<typeof setRestrictionSchema>;

export const liftRestrictionSchema = z.object({ restrictionId: uuid }).strict();

/**
 * DPO-4, JRN-4: the DPO asks a clinician to correct the journal as a rectification request wants;
 * the DPO never writes journal content. What is asked stays on the request (never in an event).
 */
export const requestCorrectionSchema = z
  .object({
    caseId: uuid,
    assigneeId: uuid,
    requestedChange: text({ min: 3, max: DSR_CORRECTION_TEXT_MAX, multiline: true }),
  })
  .strict();
export type RequestCorrectionInput = z.input<typeof requestCorrectionSchema>;

/** DPO-4 (art. 21): an objection registered for the person's CRM contacts the case found. */
export const registerObjectionSchema = z
  .object({
    caseId: uuid,
    contactIds: z
      .array(uuid)
      .min(1, 'validation.required')
      .max(DSR_OBJECTION_CONTACTS_MAX, 'validation.invalid_value')
      .refine((ids) => new Set(ids).size === ids.length, 'validation.invalid_value'),
  })
  .strict();
export type RegisterObjectionInput = z.input<typeof registerObjectionSchema>;
