import { sql } from 'kysely';
import { osloCalendarDate, osloInstant } from '../../shared/oslo-time';
import type { DueItem, RetentionCategory } from '../retention/category';

/**
 * CRM-4: a customer's employees are on file for its agreement only. When the agreement has ended,
 * they are deleted `organisation.crm_employee_retention_days` (default 30) days after its last
 * day — the time to settle the last invoices and questions. The agreement itself stays (the
 * customer relationship's history); the employees' sealed numbers go with their rows.
 *
 * Due on Oslo's calendar: an agreement ending on the 1st with 30 days is due from the 2nd of the
 * next month (the last day counts as covered).
 */
const isDue = (today: string) => sql<boolean>`
  a.ends_on is not null and a.ends_on + o.crm_employee_retention_days < ${today}::date`;

export const employeeRetentionCategory: RetentionCategory = {
  name: 'portal.employee',
  descriptionKey: 'retention.category.portalEmployee.description',
  keeps: ['retention.category.portalEmployee.keepsAgreement'],

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
