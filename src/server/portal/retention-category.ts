import { sql } from 'kysely';
import { osloCalendarDate, osloInstant } from '../../shared/oslo-time';
import type { DueItem, PersonIdentifiers, PersonItem, ScheduledPersonDataCategory } from '../retention/category';
import { normalisePhone, notHeld } from '../retention/holds';

/**
 * CRM-4: a customer's employees are on file for its agreement only. When the agreement has ended,
 * they are deleted `organisation.crm_employee_retention_days` (default 30) days after its last
 * day — the time to settle the last invoices and questions. The agreement itself stays (the
 * customer relationship's history); the employees' sealed numbers go with their rows.
 *
 * Due on Oslo's calendar: an agreement ending on the 1st with 30 days is due from the 2nd of the
 * next month (the last day counts as covered).
 */
const CATEGORY = 'portal.employee';

/** A legal hold (DPO-5) on the employee, the number's keyed hash, the e-mail or the phone. */
const isNotLegallyHeld = notHeld(CATEGORY, {
  organisationId: sql.ref('e.organisation_id'),
  id: sql.ref('e.id'),
  email: sql.ref('e.email'),
  phone: sql.ref('e.phone'),
  nationalIdHmac: sql.ref('e.national_id_hmac'),
});

const isDue = (today: string) => sql<boolean>`
  a.ends_on is not null and a.ends_on + o.crm_employee_retention_days < ${today}::date and ${isNotLegallyHeld}`;

/** An employee of the person (table alias e): by the number's keyed hash, e-mail or phone; null when none is known. */
function personMatch(person: PersonIdentifiers) {
  const match = [];
  if (person.nationalIdHmac) match.push(sql`e.national_id_hmac = ${person.nationalIdHmac}`);
  if (person.email) match.push(sql`lower(e.email) = ${person.email.toLowerCase()}`);
  if (person.phone) match.push(sql`regexp_replace(e.phone, '[^0-9+]', '', 'g') = ${normalisePhone(person.phone)}`);
  return match.length === 0 ? null : sql<boolean>`(${sql.join(match, sql` or `)})`;
}

export const employeeRetentionCategory: ScheduledPersonDataCategory = {
  name: CATEGORY,
  descriptionKey: 'retention.category.portalEmployee.description',
  keeps: ['retention.category.portalEmployee.keepsAgreement'],
  erasureMethod: 'erased',

  /**
   * DPO-5: an employee is on file because the customer's agreement says so. In a request the
   * record is erased once the agreement has ended (its last day is past, on Oslo's calendar).
   * While the agreement runs, the employer decides about its employee list: the record is kept on
   * the agreement's ground and marked as awaiting the customer's confirmation, which the DPO
   * records and which then erases it (dpo/erasure/customer-confirmation.ts). Found by the
   * number's keyed hash, e-mail or phone.
   */
  async findForPerson(trx, { organisationId, person, now }) {
    const match = personMatch(person);
    if (!match) return [];
    const { rows } = await sql<{ id: string; createdAt: Date; hasEnded: boolean; companyId: string; companyName: string }>`
      select e.id, e.created_at as "createdAt", (a.ends_on is not null and a.ends_on < ${osloCalendarDate(now)}::date) as "hasEnded",
             c.id as "companyId", c.name as "companyName"
        from corporate_employee e
        join corporate_agreement a on a.id = e.agreement_id and a.organisation_id = e.organisation_id
        join company c on c.id = e.company_id and c.organisation_id = e.organisation_id
       where e.organisation_id = ${organisationId} and ${match}
       order by e.created_at, e.id`.execute(trx);
    return rows.map(
      (row): PersonItem => ({
        id: row.id,
        labelKey: 'dpoErasure.item.portalEmployee',
        labelDate: row.createdAt.toISOString(),
        count: 1,
        action: row.hasEnded ? 'erase' : 'keep',
        groundCode: row.hasEnded ? null : 'portal.employee.agreement',
        ...(row.hasEnded ? {} : { awaits: { kind: 'customer_confirmation' as const, companyId: row.companyId, companyName: row.companyName } }),
      }),
    );
  },

  eraseForPerson(trx, ids, now) {
    return employeeRetentionCategory.anonymise(trx, ids, now);
  },

  packageSection: 'portalEmployees',

  /** DPO-5: the employee as the customer's list has them, the number masked (the portal keeps it sealed; the person knows it). */
  async collectForPerson(trx, { organisationId, person }) {
    const match = personMatch(person);
    if (!match) return [];
    const { rows } = await sql<{ id: string; fullName: string; phone: string | null; email: string | null; nationalIdMasked: string; createdAt: Date; companyName: string }>`
      select e.id, e.full_name as "fullName", e.phone, e.email, e.national_id_masked as "nationalIdMasked", e.created_at as "createdAt", c.name as "companyName"
        from corporate_employee e
        join company c on c.id = e.company_id and c.organisation_id = e.organisation_id
       where e.organisation_id = ${organisationId} and ${match}
       order by e.created_at, e.id`.execute(trx);
    return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  },

  async ownsObject(trx, organisationId, id) {
    return (await trx.selectFrom('corporate_employee').select('id').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()) !== undefined;
  },

  async findDue(trx, { now, limit, organisationId }) {
    // A deleted employee leaves the due set at once: no keyset needed. SKIP LOCKED: an employee
    // someone is editing right now waits for the next run.
    const { rows } = await sql<{ id: string; organisationId: string }>`
      select e.id, e.organisation_id as "organisationId"
        from corporate_employee e
        join corporate_agreement a on a.id = e.agreement_id and a.organisation_id = e.organisation_id
        join organisation o on o.id = e.organisation_id
       where ${organisationId === undefined ? sql`true` : sql`e.organisation_id = ${organisationId}`}
         and ${isDue(osloCalendarDate(now))}
       order by a.ends_on, e.id
       limit ${limit}
       for update of e skip locked`.execute(trx);
    return rows as DueItem[];
  },

  async anonymise(trx, ids) {
    if (ids.length === 0) return 0;
    const result = await sql`delete from corporate_employee where id = any(${ids}::uuid[])`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  },

  async countDue(trx, { now, organisationId }) {
    const { rows } = await sql<{ count: string; dueOn: string | null }>`
      select count(*)::text as count, to_char(min(a.ends_on + o.crm_employee_retention_days + 1), 'YYYY-MM-DD') as "dueOn"
        from corporate_employee e
        join corporate_agreement a on a.id = e.agreement_id and a.organisation_id = e.organisation_id
        join organisation o on o.id = e.organisation_id
       where ${organisationId === undefined ? sql`true` : sql`e.organisation_id = ${organisationId}`}
         and ${isDue(osloCalendarDate(now))}`.execute(trx);
    const row = rows[0];
    // Due from the start of that Oslo day.
    return { count: Number(row?.count ?? 0), oldestDueAt: row?.dueOn ? new Date(osloInstant(row.dueOn, '00:00')) : null };
  },
};
