import { sql } from 'kysely';
import type { DueItem, PersonIdentifiers, PersonItem, RetentionCategory } from '../retention/category';
import { organisationCutoffs } from '../retention/cutoffs';
import { normalisePhone, notHeld } from '../retention/holds';

/**
 * CRM-2, DPO-6: contact persons of companies that are not customers (lead, prospect, former) are
 * deleted `organisation.crm_lead_retention_days` (default 365) after the last sign of them: their
 * latest activity, or their registration when they have none. Their legal-basis records,
 * activities and tasks go with them (the foreign keys cascade). The company itself stays: it is a
 * business, not a person. A customer's contacts stay while it is a customer (the agreement's
 * follow-up); when it becomes former, their clock is the same as a lead's.
 */

const DAY_MS = 86_400_000;

/** The last sign of a contact: its latest activity, else its registration. */
const lastSeen = sql`greatest(k.created_at, coalesce((select max(a.occurred_at) from crm_activity a where a.contact_id = k.id), k.created_at))`;

const CATEGORY = 'crm.lead_contact';

/** A legal hold (DPO-5) on the contact, its e-mail or its phone. */
const isNotLegallyHeld = notHeld(CATEGORY, { organisationId: sql.ref('k.organisation_id'), id: sql.ref('k.id'), email: sql.ref('k.email'), phone: sql.ref('k.phone') });

/** Due: a non-customer's contact registered before the cut-off, with no activity after it, not held. */
const isDue = (organisationId: string, cutoff: Date) => sql`
  k.organisation_id = ${organisationId} and k.created_at <= ${cutoff} and ${isNotLegallyHeld}
  and exists (select 1 from company c where c.id = k.company_id and c.status in ('lead', 'prospect', 'former'))
  and not exists (select 1 from crm_activity a where a.contact_id = k.id and a.occurred_at > ${cutoff})`;

/** A contact of the person (table alias k): by e-mail or phone (a name alone is not enough); null when neither is known. */
function personMatch(person: PersonIdentifiers) {
  const match = [];
  if (person.email) match.push(sql`lower(k.email) = ${person.email.toLowerCase()}`);
  if (person.phone) match.push(sql`regexp_replace(k.phone, '[^0-9+]', '', 'g') = ${normalisePhone(person.phone)}`);
  return match.length === 0 ? null : sql<boolean>`(${sql.join(match, sql` or `)})`;
}

export const crmLeadContactRetentionCategory: RetentionCategory = {
  name: CATEGORY,
  descriptionKey: 'retention.category.crmLeadContact.description',
  keeps: ['retention.category.crmLeadContact.keepsCompany', 'retention.category.crmLeadContact.keepsHistory'],
  erasureMethod: 'erased',

  /**
   * DPO-5: in a request, a contact person is erased whatever the company's status (lead or
   * customer): a business contact is no reason to keep a person who asks to go. The contact's
   * legal-basis records (consents, objections) go with it: keeping an objection's evidence would
   * keep the person; the erasure receipt in the audit log proves the erasure instead. Found by
   * e-mail or phone (a name alone is not enough to erase someone).
   */
  async findForPerson(trx, { organisationId, person }) {
    const match = personMatch(person);
    if (!match) return [];
    const { rows } = await sql<{ id: string; createdAt: Date }>`
      select id, created_at as "createdAt" from crm_contact k
       where organisation_id = ${organisationId} and ${match}
       order by created_at, id`.execute(trx);
    return rows.map((row): PersonItem => ({ id: row.id, labelKey: 'dpoErasure.item.crmContact', labelDate: row.createdAt.toISOString(), count: 1, action: 'erase', groundCode: null }));
  },

  eraseForPerson(trx, ids, now) {
    return crmLeadContactRetentionCategory.anonymise(trx, ids, now);
  },

  packageSection: 'crmContacts',

  /** DPO-5: the contact person as registered, with the company and every legal-basis record (consents, objections). */
  async collectForPerson(trx, { organisationId, person }) {
    const match = personMatch(person);
    if (!match) return [];
    const { rows } = await sql<{ id: string; fullName: string; jobTitle: string | null; email: string | null; phone: string | null; source: string; createdAt: Date; companyName: string }>`
      select k.id, k.full_name as "fullName", k.job_title as "jobTitle", k.email, k.phone, k.source, k.created_at as "createdAt", c.name as "companyName"
        from crm_contact k
        join company c on c.id = k.company_id and c.organisation_id = k.organisation_id
       where k.organisation_id = ${organisationId} and ${match}
       order by k.created_at, k.id`.execute(trx);
    if (rows.length === 0) return [];
    const { rows: bases } = await sql<{ id: string; contactId: string; purpose: string; basis: string; state: string; source: string; recordedAt: Date }>`
      select id, contact_id as "contactId", purpose, basis, state, source, recorded_at as "recordedAt" from contact_legal_basis
       where organisation_id = ${organisationId} and contact_id = any(${rows.map((row) => row.id)}::uuid[])
       order by recorded_at, id`.execute(trx);
    return rows.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      legalBases: bases.filter((basis) => basis.contactId === row.id).map(({ contactId: _contactId, ...basis }) => ({ ...basis, recordedAt: basis.recordedAt.toISOString() })),
    }));
  },

  async ownsObject(trx, organisationId, id) {
    return (await trx.selectFrom('crm_contact').select('id').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()) !== undefined;
  },

  async findDue(trx, { now, limit, organisationId }) {
    // No keyset needed: a deleted contact leaves the due set at once.
    const found: DueItem[] = [];
    for (const organisation of await organisationCutoffs(trx, now, 'crm_lead_retention_days', organisationId)) {
      if (found.length >= limit) break;
      // SKIP LOCKED: a contact a salesperson is changing right now waits for the next run.
      const { rows } = await sql<{ id: string }>`
        select k.id from crm_contact k
         where ${isDue(organisation.id, organisation.cutoff)}
         order by k.created_at, k.id
         limit ${limit - found.length}
         for update of k skip locked`.execute(trx);
      for (const row of rows) found.push({ id: row.id, organisationId: organisation.id });
    }
    return found;
  },

  async anonymise(trx, ids) {
    if (ids.length === 0) return 0;
    const { rows } = await sql<{ id: string }>`delete from crm_contact where id = any(${[...ids]}::uuid[]) returning id`.execute(trx);
    return rows.length;
  },

  async countDue(trx, { now, organisationId }) {
    let count = 0;
    let oldest: Date | null = null;
    for (const organisation of await organisationCutoffs(trx, now, 'crm_lead_retention_days', organisationId)) {
      const { rows } = await sql<{ count: string; lastSeen: Date | null }>`
        select count(*)::text as count, min(${lastSeen}) as "lastSeen"
          from crm_contact k where ${isDue(organisation.id, organisation.cutoff)}`.execute(trx);
      const row = rows[0];
      count += Number(row?.count ?? 0);
      if (row?.lastSeen) {
        const dueAt = new Date(row.lastSeen.getTime() + organisation.days * DAY_MS);
        if (!oldest || dueAt < oldest) oldest = dueAt;
      }
    }
    return { count, oldestDueAt: oldest };
  },
};
