import { z } from 'zod';
import { optionalEmailSchema, optionalPhoneSchema, requiredEmailSchema } from './contact-fields';
import { organisationNumberErrorKey, parseOrganisationNumber } from './organisation-number';
import { calendarDate, instant, optionalText, text } from './schema-primitives';

/**
 * Corporate CRM (CRM-1…3, CRM-5): the inputs of every crm.* procedure and of the public contact
 * form, shared with the renderer so a form refuses what the server would. Messages are translation
 * keys (validation.*). No union types in inputs: they answer with zod's untranslated invalid_union.
 */

// ---------------------------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------------------------

export const COMPANY_STATUSES = ['lead', 'prospect', 'customer', 'former'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];

/**
 * The status changes the server allows (CRM-1). A lead may skip straight to customer (a contact
 * form that ends in a signed agreement the same week) or be dropped (former: "not now"); a
 * prospect may cool back to a lead; a customer can only end (former); a former customer or dropped
 * lead can come back at any stage. Staying in the same status is not a change.
 */
export const COMPANY_STATUS_TRANSITIONS: Record<CompanyStatus, readonly CompanyStatus[]> = {
  lead: ['prospect', 'customer', 'former'],
  prospect: ['lead', 'customer', 'former'],
  customer: ['former'],
  former: ['lead', 'prospect', 'customer'],
};

export function isAllowedCompanyTransition(from: CompanyStatus, to: CompanyStatus): boolean {
  return COMPANY_STATUS_TRANSITIONS[from].includes(to);
}

export const COMPANY_SOURCES = ['contact_form', 'public_sources', 'manual'] as const;
export type CompanySource = (typeof COMPANY_SOURCES)[number];

export const CONTACT_SOURCES = ['contact_form', 'public_sources', 'customer', 'manual'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

/** What a contact's data is processed for (CRM-2); each has its own legal basis. */
export const CONTACT_PURPOSES = ['account_follow_up', 'direct_sales', 'newsletter', 'event_invitations'] as const;
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];

/** The purposes that are direct marketing (GDPR art. 21(2)-(3)): one objection covers them all. */
export const DIRECT_MARKETING_PURPOSES: readonly ContactPurpose[] = ['direct_sales', 'newsletter', 'event_invitations'];

export const LEGAL_BASES = ['consent', 'legitimate_interest', 'contract'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const LEGAL_BASIS_STATES = ['active', 'withdrawn', 'objected'] as const;
export type LegalBasisState = (typeof LEGAL_BASIS_STATES)[number];

export const LEGAL_BASIS_SOURCES = ['contact_form', 'public_sources', 'agreement', 'phone', 'email', 'meeting', 'other'] as const;
export type LegalBasisSource = (typeof LEGAL_BASIS_SOURCES)[number];

/**
 * Which basis may carry which purpose, from which source, and when it is due for review by
 * default (CRM-2; the lead's ADR notes repeat this):
 * - consent: any purpose; given on the contact form, by e-mail, phone, in a meeting or otherwise
 *   (the evidence says how, or is the consent text as shown); reviewed after 24 months.
 * - legitimate interest: direct sales and event invitations only, from public sources (or
 *   otherwise, with evidence); reviewed after 12 months. Not the newsletter: e-mail marketing to a
 *   person needs their consent (markedsføringsloven § 15).
 * - contract: customer follow-up only, from the agreement; no review date (it lasts as the agreement).
 */
export const LEGAL_BASIS_RULES: Record<LegalBasis, { purposes: readonly ContactPurpose[]; sources: readonly LegalBasisSource[]; reviewMonths: number | null }> = {
  consent: { purposes: CONTACT_PURPOSES, sources: ['contact_form', 'email', 'phone', 'meeting', 'other'], reviewMonths: 24 },
  legitimate_interest: { purposes: ['direct_sales', 'event_invitations'], sources: ['public_sources', 'other'], reviewMonths: 12 },
  contract: { purposes: ['account_follow_up'], sources: ['agreement'], reviewMonths: null },
};

export const ACTIVITY_KINDS = ['call', 'email', 'meeting', 'note'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
/** What the list shows: the kinds a user logs, and the contact form's message. */
export type ActivityKindShown = ActivityKind | 'web_form';

// ---------------------------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------------------------

const uuid = z.uuid('validation.id');
const expectedVersion = z.number('validation.required').int().min(1);

/** An optional organisation number (mod-11 checked), 9 digits; empty is null. */
export const optionalOrganisationNumberSchema = z
  .string(organisationNumberErrorKey('format'))
  .transform((value, ctx) => {
    if (value.trim() === '') return null;
    const result = parseOrganisationNumber(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: organisationNumberErrorKey(result.reason), params: { reason: result.reason }, input: value });
      return z.NEVER;
    }
    return result.value;
  })
  .nullable()
  .default(null);

const postcode = z
  .string('validation.postcode')
  .trim()
  .refine((value) => value === '' || /^\d{4}$/.test(value), 'validation.postcode')
  .transform((value) => (value === '' ? null : value))
  .nullable()
  .default(null);

const companyStatus = z.enum(COMPANY_STATUSES, 'validation.required');
const purpose = z.enum(CONTACT_PURPOSES, 'validation.required');
const purposeOrAll = z.enum([...CONTACT_PURPOSES, 'all'], 'validation.required');
const evidence = text({ min: 1, max: 2000, multiline: true });
/** Review dates lie ahead, at most five years: a basis is looked at again within that time. */
const reviewOn = calendarDate({ latest: { yearsAhead: 5 } });

// ---------------------------------------------------------------------------------------------
// Companies (CRM-1)
// ---------------------------------------------------------------------------------------------

/** 'me' or a user's id (a refine, not a union: see the top of this file). */
const ownerFilter = z
  .string('validation.id')
  .refine((value) => value === 'me' || uuid.safeParse(value).success, 'validation.id');

export const CRM_PAGE_SIZE_MAX = 100;

export const companiesSchema = z
  .object({
    /** Word prefixes over name, organisation number, city, and the company's contacts' names and e-mail. */
    search: text({ max: 200 }).optional(),
    statuses: z.array(companyStatus).max(COMPANY_STATUSES.length).optional(),
    ownerId: ownerFilter.optional(),
    page: z.number('validation.required').int().min(1).max(10_000).default(1),
    pageSize: z.number('validation.required').int().min(1).max(CRM_PAGE_SIZE_MAX).default(25),
  })
  .strict();
export type CompaniesInput = z.input<typeof companiesSchema>;

export const companyRefSchema = z.object({ companyId: uuid }).strict();

const companyFields = {
  name: text({ min: 1, max: 200 }),
  organisationNumber: optionalOrganisationNumberSchema,
  street: optionalText({ max: 200 }),
  postcode,
  city: optionalText({ max: 100 }),
  industry: optionalText({ max: 100 }),
  /** The responsible salesperson (sales or admin of the organisation); none when left out. */
  ownerId: uuid.nullable().default(null),
};

export const createCompanySchema = z
  .object({
    ...companyFields,
    status: companyStatus.default('lead'),
    source: z.enum(['public_sources', 'manual'], 'validation.required').default('manual'),
  })
  .strict();
export type CreateCompanyInput = z.input<typeof createCompanySchema>;

/** Every editable field, as the form shows them all; `version` is the one the user saw. */
export const updateCompanySchema = z.object({ companyId: uuid, version: expectedVersion, ...companyFields }).strict();
export type UpdateCompanyInput = z.input<typeof updateCompanySchema>;

export const setCompanyStatusSchema = z.object({ companyId: uuid, status: companyStatus, version: expectedVersion }).strict();

// ---------------------------------------------------------------------------------------------
// Contacts and legal bases (CRM-2)
// ---------------------------------------------------------------------------------------------

const basisFields = {
  purpose,
  basis: z.enum(LEGAL_BASES, 'validation.required'),
  source: z.enum(LEGAL_BASIS_SOURCES, 'validation.required'),
  evidence,
  /** Left out: the basis's default (LEGAL_BASIS_RULES.reviewMonths). */
  reviewOn: reviewOn.optional(),
};

type BasisShape = { purpose: ContactPurpose; basis: LegalBasis; source: LegalBasisSource };

/** The combination rules of LEGAL_BASIS_RULES, each naming its field. */
function refineBasis(value: BasisShape, ctx: z.RefinementCtx, path: (string | number)[] = []) {
  const rule = LEGAL_BASIS_RULES[value.basis];
  if (!rule.purposes.includes(value.purpose)) {
    ctx.addIssue({ code: 'custom', path: [...path, 'basis'], message: 'validation.crm_basis_not_for_purpose', input: value.basis });
  }
  if (!rule.sources.includes(value.source)) {
    ctx.addIssue({ code: 'custom', path: [...path, 'source'], message: 'validation.crm_basis_source', input: value.source });
  }
}

export const legalBasisInputSchema = z.object(basisFields).strict().superRefine((value, ctx) => refineBasis(value, ctx));
export type LegalBasisInput = z.input<typeof legalBasisInputSchema>;

const contactFields = {
  fullName: text({ min: 1, max: 200 }),
  jobTitle: optionalText({ max: 100 }),
  email: optionalEmailSchema,
  phone: optionalPhoneSchema,
};

export const createContactSchema = z
  .object({
    companyId: uuid,
    ...contactFields,
    source: z.enum(['public_sources', 'customer', 'manual'], 'validation.required').default('manual'),
    bases: z.array(legalBasisInputSchema).min(1, 'validation.crm_basis_required').max(CONTACT_PURPOSES.length),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<ContactPurpose>();
    value.bases.forEach((basis, index) => {
      if (seen.has(basis.purpose)) ctx.addIssue({ code: 'custom', path: ['bases', index, 'purpose'], message: 'validation.crm_purpose_twice', input: basis.purpose });
      seen.add(basis.purpose);
    });
  });
export type CreateContactInput = z.input<typeof createContactSchema>;

/** The contact's own fields; its legal bases change only by new records (recordBasis, withdraw, object). */
export const updateContactSchema = z.object({ contactId: uuid, version: expectedVersion, ...contactFields }).strict();
export type UpdateContactInput = z.input<typeof updateContactSchema>;

export const recordBasisSchema = z
  .object({ contactId: uuid, ...basisFields })
  .strict()
  .superRefine((value, ctx) => refineBasis(value, ctx));
export type RecordBasisInput = z.input<typeof recordBasisSchema>;

/** How a withdrawal or an objection reached us. */
export const STATEMENT_SOURCES = ['email', 'phone', 'meeting', 'contact_form', 'other'] as const satisfies readonly LegalBasisSource[];
const statementSource = z.enum(STATEMENT_SOURCES, 'validation.required').default('other');

/** Withdraws consent for one purpose or every consented purpose ('all'). Evidence: how and when it was said. */
export const withdrawConsentSchema = z.object({ contactId: uuid, purpose: purposeOrAll, evidence, source: statementSource }).strict();
export type WithdrawConsentInput = z.input<typeof withdrawConsentSchema>;

/**
 * An objection to processing on legitimate interest (GDPR art. 21). One to any direct-marketing
 * purpose covers every direct-marketing purpose (art. 21(3)); 'all' covers account follow-up too.
 */
export const recordObjectionSchema = z.object({ contactId: uuid, purpose: purposeOrAll, evidence, source: statementSource }).strict();
export type RecordObjectionInput = z.input<typeof recordObjectionSchema>;

export const contactListSchema = z.object({ purpose }).strict();
export const exportContactsSchema = z.object({ purpose }).strict();

// ---------------------------------------------------------------------------------------------
// Activities and tasks (CRM-3)
// ---------------------------------------------------------------------------------------------

export const logActivitySchema = z
  .object({
    companyId: uuid,
    contactId: uuid.nullable().default(null),
    kind: z.enum(ACTIVITY_KINDS, 'validation.required'),
    /** What the contact's data was used for: required with a contact, unless it is a note. */
    purpose: purpose.nullable().default(null),
    summary: text({ min: 1, max: 4000, multiline: true }),
    occurredAt: instant({ latest: 'now' }),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.contactId !== null && value.kind !== 'note' && value.purpose === null) {
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'validation.required', input: value.purpose });
    }
    if (value.contactId === null && value.purpose !== null) {
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'validation.crm_purpose_needs_contact', input: value.purpose });
    }
  });
export type LogActivityInput = z.input<typeof logActivitySchema>;

const dueOn = calendarDate({ latest: { yearsAhead: 5 } });

export const createTaskSchema = z
  .object({
    companyId: uuid,
    contactId: uuid.nullable().default(null),
    title: text({ min: 1, max: 200 }),
    dueOn,
    /** Default: the caller. */
    ownerId: uuid.optional(),
  })
  .strict();
export type CreateTaskInput = z.input<typeof createTaskSchema>;

export const updateTaskSchema = z
  .object({ taskId: uuid, version: expectedVersion, title: text({ min: 1, max: 200 }).optional(), dueOn: dueOn.optional(), ownerId: uuid.optional() })
  .strict();
export type UpdateTaskInput = z.input<typeof updateTaskSchema>;

export const completeTaskSchema = z.object({ taskId: uuid, version: expectedVersion }).strict();

export const myTasksSchema = z.object({ includeDone: z.boolean().default(false) }).strict();

// ---------------------------------------------------------------------------------------------
// Pipeline
// ---------------------------------------------------------------------------------------------

export const pipelineSchema = z.object({ months: z.number('validation.required').int().min(1).max(24).default(12) }).strict();

// ---------------------------------------------------------------------------------------------
// The public contact form (CRM-2, PLAT-9)
// ---------------------------------------------------------------------------------------------

/** What a person may consent to on the corporate contact form: follow-up of their enquiry, and mailings. */
export const CONTACT_FORM_PURPOSES = ['account_follow_up', 'newsletter', 'event_invitations'] as const satisfies readonly ContactPurpose[];

/** `Idempotency-Key` of the public route: a retried submission with the same key is the same enquiry (PLAT-9). */
export const contactIdempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'validation.idempotency_key');

export const publicContactSchema = z
  .object({
    organisation: z.string('validation.required').regex(/^[a-z0-9-]{3,40}$/, 'validation.organisation_key'),
    companyName: text({ min: 1, max: 200 }),
    organisationNumber: optionalOrganisationNumberSchema,
    fullName: text({ min: 1, max: 200 }),
    jobTitle: optionalText({ max: 100 }),
    email: requiredEmailSchema,
    phone: optionalPhoneSchema,
    message: text({ min: 1, max: 4000, multiline: true }),
    /** The consent text exactly as the form showed it: the evidence of the consent. */
    consentText: text({ min: 1, max: 2000, multiline: true }),
    purposes: z
      .array(z.enum(CONTACT_FORM_PURPOSES, 'validation.crm_purpose'))
      .min(1, 'validation.crm_consent_required')
      .max(CONTACT_FORM_PURPOSES.length)
      .refine((values) => new Set(values).size === values.length, 'validation.crm_purpose_twice'),
  })
  .strict();
export type PublicContactInput = z.input<typeof publicContactSchema>;
