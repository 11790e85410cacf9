import { sql, type Selectable } from 'kysely';
import type { CorporateAgreementTable, CorporateEmployeeTable } from '../db/schema';
import type { Executor } from '../db/database';

export type AgreementRow = Selectable<CorporateAgreementTable>;
export type EmployeeRow = Selectable<CorporateEmployeeTable>;

/** A company of the organisation: only what the portal needs to know of it (H2's table). */
export function companyById(db: Executor, organisationId: string, companyId: string) {
  return db.selectFrom('company').select(['id', 'status']).where('id', '=', companyId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

export function agreementOfCompany(db: Executor, organisationId: string, companyId: string, options: { lock?: boolean } = {}): Promise<AgreementRow | undefined> {
  return db
    .selectFrom('corporate_agreement')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('organisation_id', '=', organisationId)
    .$if(options.lock === true, (query) => query.forUpdate())
    .executeTakeFirst();
}

/** One employee of the organisation; locked when it is about to change (a concurrent change waits and then sees the new version). */
export function employeeById(db: Executor, organisationId: string, employeeId: string, options: { lock?: boolean } = {}): Promise<EmployeeRow | undefined> {
  return db
    .selectFrom('corporate_employee')
    .selectAll()
    .where('id', '=', employeeId)
    .where('organisation_id', '=', organisationId)
    .$if(options.lock === true, (query) => query.forUpdate())
    .executeTakeFirst();
}

/** The employee of the company holding this number (by its keyed hash), if any. */
export function employeeByNationalIdHmac(db: Executor, companyId: string, hmac: Buffer) {
  return db.selectFrom('corporate_employee').select(['id']).where('company_id', '=', companyId).where('national_id_hmac', '=', hmac).executeTakeFirst();
}

/** LIKE's own characters taken literally. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * A page of a company's employees by name; `search` matches the start of the name or of any word
 * in it, or the start of the e-mail (never the number: it is sealed).
 */
export async function employeePage(db: Executor, organisationId: string, companyId: string, options: { search: string; limit: number; offset: number }) {
  const term = likeLiteral(options.search.trim().toLowerCase());
  const base = db
    .selectFrom('corporate_employee')
    .where('organisation_id', '=', organisationId)
    .where('company_id', '=', companyId)
    .$if(term !== '', (query) =>
      query.where((eb) =>
        eb.or([
          eb(sql`lower(full_name)`, 'like', `${term}%`),
          eb(sql`lower(full_name)`, 'like', `% ${term}%`),
          eb(sql`lower(coalesce(email, ''))`, 'like', `${term}%`),
        ]),
      ),
    );
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'full_name', 'phone', 'email', 'national_id_masked', 'version'])
      .orderBy(sql`lower(full_name)`)
      .orderBy('id')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
