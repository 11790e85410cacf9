import { z } from 'zod';
import { calendarDate, optionalText, text } from './schema-primitives';

/** Erasure in a data-subject request and legal holds (DPO-5, DPO-6): the form's and the server's one set of rules. */

const uuid = z.uuid('validation.id');

/** Days between the dry run that showed a plan and its irreversible run, unless cut short with a reason. */
export const ERASURE_WAITING_DAYS = 7;

export const LEGAL_HOLD_SCOPES = ['person', 'category', 'object'] as const;
export type LegalHoldScope = (typeof LEGAL_HOLD_SCOPES)[number];
export const LEGAL_HOLD_REASONS = ['complaint', 'incident', 'litigation', 'supervisory_authority', 'police', 'other'] as const;
export type LegalHoldReason = (typeof LEGAL_HOLD_REASONS)[number];
/** The categories a hold may name: those the schedule or an erasure can change ('account.user' holds inactive accounts too). */
export const HOLDABLE_CATEGORIES = ['visit.booking', 'crm.lead_contact', 'crm.correspondence', 'portal.employee', 'account.user'] as const;
export type HoldableCategory = (typeof HOLDABLE_CATEGORIES)[number];

export const erasureCaseSchema = z.object({ caseId: uuid }).strict();

export const executeErasureSchema = z
  .object({
    caseId: uuid,
    planHash: z.string().regex(/^[0-9a-f]{64}$/),
    cutWaitingShort: z.boolean().default(false),
    reason: optionalText({ max: 1000, multiline: true }),
  })
  .strict();

export const setLegalHoldSchema = z
  .object({
    scope: z.enum(LEGAL_HOLD_SCOPES),
    reason: z.enum(LEGAL_HOLD_REASONS),
    /** Person scope: the case's person. Any scope: the case the hold was set for. */
    caseId: uuid.optional(),
    /** Category and object scope. */
    category: z.enum(HOLDABLE_CATEGORIES).optional(),
    /** Object scope: the item of the category. */
    objectId: uuid.optional(),
  })
  .strict();

export const liftLegalHoldSchema = z.object({ holdId: uuid }).strict();

export const legalHoldsSchema = z.object({ caseId: uuid.optional() }).strict();

/** How the customer confirmed that its employee may be erased while its agreement runs (DPO-5). */
export const CUSTOMER_CONFIRMATION_CHANNELS = ['email', 'letter', 'phone', 'meeting', 'customer_portal', 'other'] as const;
export type CustomerConfirmationChannel = (typeof CUSTOMER_CONFIRMATION_CHANNELS)[number];

/**
 * DPO-5: the employer decides about its employee list, so a customer's employee is erased while the
 * agreement runs only once the customer has confirmed it: who at the customer, on which day, how.
 */
export const confirmCustomerErasureSchema = z
  .object({
    caseId: uuid,
    employeeId: uuid,
    confirmedByName: text({ min: 1, max: 200 }),
    /** Their role at the customer (HR manager …). */
    confirmedByRole: optionalText({ max: 200 }),
    confirmedOn: calendarDate({ latest: 'today' }),
    channel: z.enum(CUSTOMER_CONFIRMATION_CHANNELS, 'validation.required'),
    /** Where the confirmation is kept (the e-mail's subject, the letter's reference …). */
    note: optionalText({ max: 1000, multiline: true }),
  })
  .strict();
export type ConfirmCustomerErasureInput = z.input<typeof confirmCustomerErasureSchema>;
