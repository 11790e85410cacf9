import { z } from 'zod';
import { optionalText } from './schema-primitives';

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
