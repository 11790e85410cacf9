import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { type EmployeeFields, employeeImportRowSchema } from '../../shared/portal-schemas';
import type { Executor } from '../db/database';
import { restrictionsOfEach } from '../dpo/cases/restriction';
import { DomainError } from '../errors';
import type { ClassifiedRow, ImportDefinition } from '../import/definition';
import { maskNationalId, nationalIdHmac, protectNationalId } from './national-id';

/** The preview's note on a row skipped because the person asked for restriction of processing (DPO-5). */
export const RESTRICTED_ROW_NOTE = 'validation.import.processing_restricted';

/** The kind stored on the import: the portal's procedures only ever open imports of this kind. */
export const EMPLOYEE_IMPORT_KIND = 'portal.employees';

/** The header texts a customer's HR export uses for each field (compared without case, accents or punctuation). */
export const EMPLOYEE_IMPORT_FIELDS = [
  { key: 'fullName', required: true, aliases: ['navn', 'name', 'fullt navn', 'ansatt', 'full name'], text: true },
  { key: 'nationalId', required: true, aliases: ['fødselsnummer', 'fnr', 'personnummer', 'f.nr', 'fodselsnummer'] },
  { key: 'phone', required: false, aliases: ['telefon', 'mobil', 'tlf', 'phone', 'mobilnummer', 'telefonnummer'] },
  { key: 'email', required: false, aliases: ['e-post', 'epost', 'email', 'e-mail', 'mail'] },
] as const;

interface StoredEmployee {
  id: string;
  full_name: string;
  phone: string | null;
  email: string | null;
  hmac: string;
}

/** Whether a validated row would change the stored employee (name and contact details; the number matched already). */
function differs(row: EmployeeFields, stored: StoredEmployee): boolean {
  return row.fullName !== stored.full_name || row.phone !== stored.phone || row.email !== stored.email;
}

/**
 * CRM-4: a customer's employees from a CSV file. A row is matched by the keyed hash of its
 * fødselsnummer within the company (the target): unknown → create, known and identical → skip,
 * known and different → update; a number a file repeats is the engine's duplicate (skipped, noted).
 * The rows are written with one statement per batch and outcome, the numbers sealed to their
 * rows' ids; each batch logs its counts (no personal data).
 * Synthetic test numbers are accepted only in the demo (`allowSynthetic`).
 */
export function employeeImportDefinition(options: { allowSynthetic: boolean }): ImportDefinition<EmployeeFields> {
  return {
    kind: EMPLOYEE_IMPORT_KIND,
    fields: EMPLOYEE_IMPORT_FIELDS,
    rowSchema: employeeImportRowSchema(options),
    display: (row) => ({ fullName: row.fullName, nationalId: maskNationalId(row.nationalId), phone: row.phone ?? '', email: row.email ?? '' }),

    async classify(trx, context, rows, seen, rowNumbers): Promise<ClassifiedRow[]> {
      const companyId = requireCompany(context.targetId);
      const hmacs = rows.map((row) => nationalIdHmac(context.secretBox, row.nationalId));
      const stored = await storedByHmac(trx, context.organisationId, companyId, hmacs);
      const restricted = await restrictionsOf(trx, context.organisationId, rows, hmacs, stored);
      return rows.map((row, index) => {
        const key = hmacs[index]!.toString('hex');
        const earlier = seen.get(key);
        if (earlier !== undefined) return { outcome: 'skip', targetId: null, duplicateOfRow: earlier };
        seen.set(key, rowNumbers[index]!);
        const match = stored.get(key);
        // DPO-5: a person who asked for restriction of processing is neither added nor changed; noted for the salesperson, not for the customer's file.
        if (restricted[index]) return { outcome: 'skip', targetId: match?.id ?? null, skipNote: { field: 'nationalId', messageKey: RESTRICTED_ROW_NOTE } };
        if (!match) return { outcome: 'create', targetId: null };
        return { outcome: differs(row, match) ? 'update' : 'skip', targetId: match.id };
      });
    },

    async commit(trx, context, rows) {
      const companyId = requireCompany(context.targetId);
      const agreement = await trx
        .selectFrom('corporate_agreement')
        .select(['id'])
        .where('company_id', '=', companyId)
        .where('organisation_id', '=', context.organisationId)
        .executeTakeFirst();
      // The agreement was deleted (with its company) after the validation: nothing to attach the employees to.
      if (!agreement) throw new DomainError('bad_request', 'import.agreement_missing');
      // A restriction set between the validation and the commit: those rows are not written, and the refusal is logged with the batch.
      const hmacs = rows.map(({ row }) => nationalIdHmac(context.secretBox, row.nationalId));
      const stored = await storedByHmac(trx, context.organisationId, companyId, hmacs);
      const restricted = await restrictionsOf(trx, context.organisationId, rows.map(({ row }) => row), hmacs, stored);
      const refused = rows.filter((_, index) => restricted[index] !== undefined);
      if (refused.length > 0) {
        context.audit.record({
          action: 'dpo.processing.restricted',
          outcome: 'denied',
          reason: 'processing_restricted',
          objectType: 'company',
          objectId: companyId,
          details: {
            module: 'portal',
            companyId,
            refusedRows: refused.length,
            restrictionIds: [...new Set(restricted.flatMap((restriction) => (restriction ? [restriction.id] : [])))],
            caseIds: [...new Set(restricted.flatMap((restriction) => (restriction ? [restriction.caseId] : [])))],
          },
        });
      }
      const allowed = rows.filter((_, index) => restricted[index] === undefined);
      const creates = allowed.filter((entry) => entry.outcome === 'create');
      const updates = allowed.filter((entry) => entry.outcome === 'update' && entry.targetId !== null);
      if (creates.length > 0) {
        const ids: string[] = [];
        const sealed: string[] = [];
        const hmacs: string[] = [];
        const masked: string[] = [];
        for (const { row } of creates) {
          const id = randomUUID();
          const number = protectNationalId(context.secretBox, id, row.nationalId);
          ids.push(id);
          sealed.push(number.national_id_sealed);
          hmacs.push(number.national_id_hmac.toString('hex'));
          masked.push(number.national_id_masked);
        }
        // One statement with a column per array (unnest): a batch is parsed and planned once, with
        // nine parameters instead of thirteen per row. Registered by hand between validation and
        // commit: the file's details win, the stored number (the same) stays.
        await sql`
          insert into corporate_employee (id, organisation_id, company_id, agreement_id, full_name, phone, email,
                                          national_id_sealed, national_id_hmac, national_id_masked, created_at, created_by, updated_at)
          select v.id, ${context.organisationId}::uuid, ${companyId}::uuid, ${agreement.id}::uuid, v.full_name, v.phone, v.email,
                 v.sealed, decode(v.hmac, 'hex'), v.masked, ${context.now}::timestamptz, null, ${context.now}::timestamptz
            from unnest(${ids}::uuid[], ${creates.map(({ row }) => row.fullName)}::text[], ${creates.map(({ row }) => row.phone)}::text[],
                        ${creates.map(({ row }) => row.email)}::text[], ${sealed}::text[], ${hmacs}::text[], ${masked}::text[])
                 as v(id, full_name, phone, email, sealed, hmac, masked)
          on conflict (company_id, national_id_hmac) do update
             set full_name = excluded.full_name, phone = excluded.phone, email = excluded.email,
                 version = corporate_employee.version + 1, updated_at = excluded.updated_at`.execute(trx);
      }
      if (updates.length > 0) {
        await sql`
          update corporate_employee e
             set full_name = v.full_name, phone = v.phone, email = v.email, version = e.version + 1, updated_at = ${context.now}
            from unnest(${updates.map(({ targetId }) => targetId)}::uuid[], ${updates.map(({ row }) => row.fullName)}::text[],
                        ${updates.map(({ row }) => row.phone)}::text[], ${updates.map(({ row }) => row.email)}::text[])
                 as v(id, full_name, phone, email)
           where e.id = v.id and e.organisation_id = ${context.organisationId} and e.company_id = ${companyId}`.execute(trx);
      }
      context.audit.record({
        action: 'portal.employees.imported',
        objectType: 'company',
        objectId: companyId,
        details: { companyId, created: creates.length, updated: updates.length },
      });
    },

    commitActions: ['portal.employees.imported', 'dpo.processing.restricted'],
  };
}

/** Per row: the restriction in force in the portal on the person (the file's number, e-mail or phone, or the stored employee's). */
async function restrictionsOf(trx: Executor, organisationId: string, rows: readonly EmployeeFields[], hmacs: readonly Buffer[], stored: Map<string, StoredEmployee>) {
  const subjects = rows.map((row, index) => ({ nationalIdHmac: hmacs[index]!, email: row.email, phone: row.phone }));
  const byRow = await restrictionsOfEach(trx, organisationId, subjects, 'portal');
  const byStored = await restrictionsOfEach(
    trx,
    organisationId,
    hmacs.map((hmac) => {
      const match = stored.get(hmac.toString('hex'));
      return { email: match?.email ?? null, phone: match?.phone ?? null };
    }),
    'portal',
  );
  return byRow.map((restriction, index) => restriction ?? byStored[index]);
}

function requireCompany(targetId: string | null): string {
  if (targetId === null) throw new DomainError('bad_request', 'import.target_missing');
  return targetId;
}

async function storedByHmac(trx: Executor, organisationId: string, companyId: string, hmacs: readonly Buffer[]): Promise<Map<string, StoredEmployee>> {
  if (hmacs.length === 0) return new Map();
  const rows = await trx
    .selectFrom('corporate_employee')
    .select(['id', 'full_name', 'phone', 'email', 'national_id_hmac'])
    .where('organisation_id', '=', organisationId)
    .where('company_id', '=', companyId)
    .where('national_id_hmac', 'in', [...hmacs])
    .execute();
  return new Map(
    rows.map((row) => {
      // PGlite hands bytea back as a plain Uint8Array (its toString is not hex); pg as a Buffer.
      const hmac = Buffer.from(row.national_id_hmac).toString('hex');
      return [hmac, { id: row.id, full_name: row.full_name, phone: row.phone, email: row.email, hmac }];
    }),
  );
}
