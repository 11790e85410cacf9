import { sql } from 'kysely';
import type { Executor } from '../db/database';
import type { DueItem, PersonIdentifiers, PersonItem, RetentionCategory, ScheduledPersonDataCategory } from '../retention/category';
import { organisationCutoffs, shiftCalendarMonths } from '../retention/cutoffs';
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

export const crmLeadContactRetentionCategory: ScheduledPersonDataCategory = {
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

/**
 * DPO-6: correspondence — the CRM's e-mails and the messages people sent through the public contact
 * form — is kept one year, and while the company is a customer, until one year after the customer
 * relationship ended (the privacy statement, seed 003: "så lenge du er en aktiv kunde … og i ett år
 * etter avsluttet kundeforhold"). Then the text goes (`summary` null) and the fact stays: which
 * kind, when, with which company and contact, by whom. The fact is kept because it holds nothing
 * the person wrote, keeps the company's timeline whole, and leaves the contact's own clock (its
 * last activity, crm.lead_contact) where it was; the contact itself goes by that category.
 * Calls, meetings and notes are the salesperson's own records, not correspondence: not touched here.
 *
 * A legal hold (the activity, the category, or a person hold on its contact's e-mail or phone) and
 * a restriction of processing in force for the CRM on the contact (GDPR art. 18: kept, not
 * processed — and deleting is processing) both stop it.
 */
const CORRESPONDENCE = 'crm.correspondence';
const CORRESPONDENCE_MONTHS = 12;

/** When the company last stopped being a customer: its history's last step away from 'customer', or a former customer's own status change. */
const relationshipEndedAt = sql`greatest(
  (select max(h.changed_at) from company_status_change h where h.company_id = c.id and h.from_status = 'customer'),
  case when c.status = 'former' then c.status_changed_at end)`;

/** From when the correspondence counts its year: the later of when it happened and when the relationship ended. */
const keptFrom = sql`greatest(a.occurred_at, ${relationshipEndedAt})`;

const isCorrespondenceNotHeld = notHeld(CORRESPONDENCE, { organisationId: sql.ref('a.organisation_id'), id: sql.ref('a.id'), email: sql.ref('k.email'), phone: sql.ref('k.phone') });

const isContactNotRestricted = sql`not exists (
  select 1 from processing_restriction r
   where r.organisation_id = a.organisation_id and r.lifted_at is null and 'crm' = any(r.modules)
     and (lower(r.email) = lower(k.email) or regexp_replace(r.phone, '[^0-9+]', '', 'g') = regexp_replace(k.phone, '[^0-9+]', '', 'g')))`;

const correspondenceFrom = sql`crm_activity a join company c on c.id = a.company_id left join crm_contact k on k.id = a.contact_id`;

/** Due: text still there, older than the cut-off, the company not a customer and its relationship (if any) ended before the cut-off, not held or restricted. */
const isCorrespondenceDue = (organisationId: string, cutoff: Date) => sql`
  a.organisation_id = ${organisationId} and a.anonymised_at is null and a.kind in ('email', 'web_form') and a.occurred_at <= ${cutoff}
  and c.status <> 'customer' and coalesce(${relationshipEndedAt}, '-infinity'::timestamptz) <= ${cutoff}
  and ${isCorrespondenceNotHeld} and ${isContactNotRestricted}`;

async function organisationIds(trx: Executor, organisationId: string | undefined): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`select id from organisation where ${organisationId === undefined ? sql`true` : sql`id = ${organisationId}`} order by id`.execute(trx);
  return rows.map((row) => row.id);
}

export const crmCorrespondenceRetentionCategory: RetentionCategory = {
  name: CORRESPONDENCE,
  descriptionKey: 'retention.category.crmCorrespondence.description',
  keeps: ['retention.category.crmCorrespondence.keepsFact', 'retention.category.crmCorrespondence.keepsCustomer'],

  async findDue(trx, { now, limit, organisationId }) {
    // A row whose text has gone leaves the due set (and the partial index) at once: no keyset needed.
    const cutoff = shiftCalendarMonths(now, -CORRESPONDENCE_MONTHS);
    const found: DueItem[] = [];
    for (const id of await organisationIds(trx, organisationId)) {
      if (found.length >= limit) break;
      // Oldest first in the partial index's order; SKIP LOCKED: a row someone is changing waits for the next run.
      const { rows } = await sql<{ id: string }>`
        select a.id from ${correspondenceFrom}
         where ${isCorrespondenceDue(id, cutoff)}
         order by a.occurred_at, a.id
         limit ${limit - found.length}
         for update of a skip locked`.execute(trx);
      for (const row of rows) found.push({ id: row.id, organisationId: id });
    }
    return found;
  },

  async anonymise(trx, ids, now) {
    if (ids.length === 0) return 0;
    const { rows } = await sql<{ id: string }>`
      update crm_activity set summary = null, anonymised_at = ${now}
       where id = any(${[...ids]}::uuid[]) and anonymised_at is null
      returning id`.execute(trx);
    return rows.length;
  },

  async countDue(trx, { now, organisationId }) {
    const cutoff = shiftCalendarMonths(now, -CORRESPONDENCE_MONTHS);
    let count = 0;
    let oldest: Date | null = null;
    for (const id of await organisationIds(trx, organisationId)) {
      const { rows } = await sql<{ count: string; keptFrom: Date | null }>`
        select count(*)::text as count, min(${keptFrom}) as "keptFrom" from ${correspondenceFrom} where ${isCorrespondenceDue(id, cutoff)}`.execute(trx);
      const row = rows[0];
      count += Number(row?.count ?? 0);
      if (row?.keptFrom) {
        const dueAt = shiftCalendarMonths(row.keptFrom, CORRESPONDENCE_MONTHS);
        if (!oldest || dueAt < oldest) oldest = dueAt;
      }
    }
    return { count, oldestDueAt: oldest };
  },

  async ownsObject(trx, organisationId, id) {
    return (await trx.selectFrom('crm_activity').select('id').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()) !== undefined;
  },
};
