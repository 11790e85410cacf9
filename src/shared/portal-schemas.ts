import { z } from 'zod';
import { optionalEmailSchema, optionalPhoneSchema } from './contact-fields';
import { nationalIdentityNumberSchema } from './national-identity-number';
import { calendarDate, optionalText, text } from './schema-primitives';

/**
 * The corporate portal (CRM-4): a customer's agreement, the employees it covers and their CSV
 * import. Inputs of every `portal.*` procedure, shared with the renderer so a form refuses what the
 * server would. Messages are translation keys (validation.*). Nothing here knows of patients (CRM-5).
 */

/** What an agreement may cover (the database's check lists the same). */
export const AGREEMENT_SERVICES = ['occupational_health', 'gp_consultations', 'psychologist', 'physiotherapy', 'home_visits', 'vaccination'] as const;
export type AgreementService = (typeof AGREEMENT_SERVICES)[number];

/** Why someone unmasks an employee's fødselsnummer: logged with the view (CRM-4). */
export const REVEAL_REASONS = ['verify_identity', 'correct_registration', 'employee_request', 'other'] as const;
export type RevealReason = (typeof REVEAL_REASONS)[number];

/**
 * The size the app cuts a file into for `portal.import.uploadChunk`. The server takes chunks up to
 * IMPORT_CHUNK_MAX_BYTES, but a chunk travels as base64 (4/3 larger) in a JSON body under the
 * server's body limit (JK_BODY_LIMIT_BYTES, 1 MiB by default), and tRPC may batch two calls into
 * one request: 256 KiB (≈ 350 KB of base64) keeps even a batch of two under the limit.
 */
export const IMPORT_CHUNK_BYTES = 256 * 1024;
/** The largest chunk the importer accepts (raw bytes). */
export const IMPORT_CHUNK_MAX_BYTES = 512 * 1024;
/** The largest file the importer accepts. */
export const IMPORT_MAX_FILE_BYTES = 32 * 1024 * 1024;
/** An import's preview page: at most this many rows. */
export const IMPORT_PREVIEW_MAX_PAGE_SIZE = 100;
/** The employee list: at most this many rows per page. */
export const EMPLOYEE_MAX_PAGE_SIZE = 100;

/** The fields an employee import fills, in the order the mapping step shows them. */
export const EMPLOYEE_IMPORT_FIELD_KEYS = ['fullName', 'nationalId', 'phone', 'email'] as const;
export type EmployeeImportFieldKey = (typeof EMPLOYEE_IMPORT_FIELD_KEYS)[number];

export const IMPORT_STATUSES = ['uploading', 'validating', 'ready', 'committing', 'done', 'failed', 'cancelled'] as const;
export type PortalImportStatusCode = (typeof IMPORT_STATUSES)[number];

/** Translation keys this domain's services and import add to the shared ones. */
export const PORTAL_MESSAGES = {
  /** The number is already registered on another employee of the same company. */
  nationalIdTaken: 'validation.employee_national_id_taken',
  /** A second row of the same file with the same number. */
  duplicateInFile: 'validation.duplicate_in_file',
  /** Employees are added only under an agreement that has not ended. */
  agreementRequired: 'validation.agreement_required',
  /** An agreement is only for a customer. */
  companyNotCustomer: 'validation.company_not_customer',
  /** The agreement or employee changed since the caller read it (a conflict, not a field error; the CRM's code, API_ERROR_MESSAGES.recordChanged on h2). */
  changed: 'error.record_changed',
  /** End before start. */
  periodOrder: 'validation.period_order',
  /** The same service listed twice. */
  servicesDuplicate: 'validation.services_duplicate',
} as const;

const uuid = z.uuid('validation.id');
const expectedVersion = z.number('validation.required').int('validation.required').min(1, 'validation.required');

/**
 * An employee's fields, as the form and each row of an import file give them. Synthetic numbers
 * (test persons) pass the schema; the service and the import accept them only in demo mode.
 */
export function employeeFieldsSchema(options: { allowSynthetic: boolean } = { allowSynthetic: true }) {
  return z.object({
    fullName: text({ min: 1, max: 200 }),
    // An empty cell says "missing", not "malformed".
    nationalId: z.string('validation.required').trim().min(1, 'validation.required').pipe(nationalIdentityNumberSchema({ allowSynthetic: options.allowSynthetic })),
    phone: optionalPhoneSchema,
    email: optionalEmailSchema,
  });
}

/** One row of an employee import file (after column mapping: every field a string, '' when empty). */
export function employeeImportRowSchema(options: { allowSynthetic: boolean }) {
  return employeeFieldsSchema(options).strip();
}
export type EmployeeFields = z.output<ReturnType<typeof employeeFieldsSchema>>;

export const companyRefSchema = z.object({ companyId: uuid }).strict();

/** Create (the company must be a customer) or update (with the version read) the company's one agreement. */
export const saveAgreementSchema = z
  .object({
    companyId: uuid,
    startsOn: calendarDate(),
    endsOn: calendarDate().nullable().default(null),
    services: z
      .array(z.enum(AGREEMENT_SERVICES, 'validation.required'), 'validation.required')
      .min(1, 'validation.required')
      .max(AGREEMENT_SERVICES.length, 'validation.services_duplicate')
      .refine((services) => new Set(services).size === services.length, PORTAL_MESSAGES.servicesDuplicate),
    reference: optionalText({ max: 100 }),
    /** Left out: create. Given: update the agreement of this version (a stale one is a conflict). */
    version: expectedVersion.optional(),
  })
  .strict()
  .superRefine((agreement, ctx) => {
    if (agreement.endsOn !== null && agreement.endsOn < agreement.startsOn) {
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: PORTAL_MESSAGES.periodOrder, input: agreement.endsOn });
    }
  });
export type SaveAgreementInput = z.input<typeof saveAgreementSchema>;

export const employeesSchema = z
  .object({
    companyId: uuid,
    /** Matches the start of a word of the name, or the e-mail (never the number). */
    search: text({ max: 100 }).default(''),
    page: z.number('validation.required').int('validation.required').min(1, 'validation.required').max(100_000, 'validation.too_long').default(1),
    pageSize: z.number('validation.required').int('validation.required').min(1, 'validation.required').max(EMPLOYEE_MAX_PAGE_SIZE, 'validation.too_long').default(25),
  })
  .strict();
export type EmployeesInput = z.input<typeof employeesSchema>;

export const addEmployeeSchema = employeeFieldsSchema().extend({ companyId: uuid }).strict();
export type AddEmployeeInput = z.input<typeof addEmployeeSchema>;

/**
 * Update name and contact details (all of them: a contact detail left out is cleared); the number
 * only when given (the form shows it masked).
 */
export const updateEmployeeSchema = employeeFieldsSchema()
  .extend({ employeeId: uuid, version: expectedVersion, nationalId: nationalIdentityNumberSchema({ allowSynthetic: true }).optional() })
  .strict();
export type UpdateEmployeeInput = z.input<typeof updateEmployeeSchema>;

export const removeEmployeeSchema = z.object({ employeeId: uuid, version: expectedVersion }).strict();

export const revealNationalIdSchema = z.object({ employeeId: uuid, reason: z.enum(REVEAL_REASONS, 'validation.required') }).strict();

// ---------------------------------------------------------------------------------------------
// Import (portal.import.*)
// ---------------------------------------------------------------------------------------------

export const createImportSchema = z
  .object({
    companyId: uuid,
    fileName: text({ min: 1, max: 255 }),
    byteSize: z.number('validation.required').int('validation.required').min(1, 'validation.import.file_empty').max(IMPORT_MAX_FILE_BYTES, 'validation.import.file_too_large'),
  })
  .strict();

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const uploadChunkSchema = z
  .object({
    importId: uuid,
    /** 0, 1, 2 … in order. */
    index: z.number('validation.required').int('validation.required').min(0, 'validation.required').max(9999, 'validation.import.file_too_large'),
    /** The chunk's bytes as base64 (IMPORT_CHUNK_BYTES each, the last one shorter). */
    data: z
      .string('validation.required')
      .min(4, 'validation.required')
      .max(Math.ceil(IMPORT_CHUNK_MAX_BYTES / 3) * 4, 'validation.import.chunk_too_large')
      .refine((value) => value.length % 4 === 0 && BASE64.test(value), 'validation.import.chunk_encoding'),
  })
  .strict();

export const importRefSchema = z.object({ importId: uuid }).strict();

const column = z.number('validation.required').int('validation.required').min(0, 'validation.import.column_unknown').max(999, 'validation.import.column_unknown');

/** Which column (0-based) fills each field; null (or left out) when none. */
export const employeeColumnMappingSchema = z
  .object({
    fullName: column.nullable().default(null),
    nationalId: column.nullable().default(null),
    phone: column.nullable().default(null),
    email: column.nullable().default(null),
  })
  .strict();
export type EmployeeColumnMapping = z.output<typeof employeeColumnMappingSchema>;

export const validateImportSchema = z.object({ importId: uuid, mapping: employeeColumnMappingSchema }).strict();

export const importPreviewSchema = z
  .object({
    importId: uuid,
    page: z.number('validation.required').int('validation.required').min(1, 'validation.required').max(100_000, 'validation.too_long').default(1),
    pageSize: z.number('validation.required').int('validation.required').min(1, 'validation.required').max(IMPORT_PREVIEW_MAX_PAGE_SIZE, 'validation.too_long').default(50),
    onlyErrors: z.boolean('validation.required').default(false),
  })
  .strict();
