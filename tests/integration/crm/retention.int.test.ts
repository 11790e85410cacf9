import { describe, expect, it } from 'vitest';
import { crmLeadContactRetentionCategory } from '../../../src/server/crm/retention-category';
import type { Database } from '../../../src/server/db/database';
import { RETENTION_CATEGORIES } from '../../../src/server/retention/categories';
import { runRetention } from '../../../src/server/retention/run';
import { createOrganisation, eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';

const SECOND = 1_000;
const DAY = 86_400_000;
const NOW = new Date('2026-12-06T09:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

async function company(db: Database, organisationId: string, status: 'lead' | 'prospect' | 'customer' | 'former') {
  const row = await db
    .insertInto('company')
    .values({ organisation_id: organisationId, name: `Bedrift ${status}`, status, status_changed_at: ago(900 * DAY), source: 'manual', created_at: ago(900 * DAY), updated_at: ago(900 * DAY) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A contact registered at `createdAt`, with a consent and (optionally) an activity at `activityAt`. */
async function contact(db: Database, organisationId: string, companyId: string, createdAt: Date, activityAt?: Date) {
  const row = await db
    .insertInto('crm_contact')
    .values({ organisation_id: organisationId, company_id: companyId, full_name: 'Kari Nordmann', email: 'kari@example.test', source: 'manual', created_at: createdAt, updated_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('contact_legal_basis')
    .values({ organisation_id: organisationId, contact_id: row.id, purpose: 'newsletter', basis: 'consent', state: 'active', source: 'email', evidence: 'Ja', recorded_at: createdAt })
    .execute();
  if (activityAt) {
    await db
      .insertInto('crm_activity')
      .values({ organisation_id: organisationId, company_id: companyId, contact_id: row.id, kind: 'call', purpose: 'newsletter', summary: 'Ringte', occurred_at: activityAt, created_at: activityAt })
      .execute();
  }
  return row.id;
}

const exists = async (db: Database, id: string) => (await db.selectFrom('crm_contact').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

describe('CRM-2, DPO-6: retention of lead contacts (crm.lead_contact)', () => {
  const database = useTestDatabase();

  it("is registered; a non-customer's contact goes when its last activity (or registration) is older than the organisation's days — one second before, it stays — with its bases and activities", async () => {
    const db = database.current.db;
    expect(RETENTION_CATEGORIES.map((category) => category.name)).toContain('crm.lead_contact');
    const organisation = await createOrganisation(db);
    await db.updateTable('organisation').set({ crm_lead_retention_days: 100 }).where('id', '=', organisation.id).execute();
    const lead = await company(db, organisation.id, 'lead');
    const former = await company(db, organisation.id, 'former');
    const prospect = await company(db, organisation.id, 'prospect');
    const customer = await company(db, organisation.id, 'customer');
    const silentLead = await contact(db, organisation.id, lead, ago(100 * DAY));
    const activeLead = await contact(db, organisation.id, lead, ago(400 * DAY), ago(99 * DAY));
    const staleActivity = await contact(db, organisation.id, former, ago(400 * DAY), ago(100 * DAY));
    const freshProspect = await contact(db, organisation.id, prospect, ago(50 * DAY));
    const customersContact = await contact(db, organisation.id, customer, ago(800 * DAY));
    // Another organisation with the default (365 days): not due.
    const other = await createOrganisation(db);
    const otherLead = await company(db, other.id, 'lead');
    const otherContact = await contact(db, other.id, otherLead, ago(200 * DAY));

    const dry = await runRetention(db, [crmLeadContactRetentionCategory], { now: NOW, dryRun: true });
    expect(dry).toMatchObject({ isDryRun: true, report: [{ name: 'crm.lead_contact', due: 2, oldestDueAt: ago(0).toISOString() }] });

    expect(await runRetention(db, [crmLeadContactRetentionCategory], { now: new Date(NOW.getTime() - SECOND) })).toMatchObject({ categories: [{ name: 'crm.lead_contact', anonymised: 0 }] });
    expect(await runRetention(db, [crmLeadContactRetentionCategory], { now: NOW })).toMatchObject({ categories: [{ name: 'crm.lead_contact', anonymised: 2, batches: 1 }] });
    expect(await exists(db, silentLead)).toBe(false);
    expect(await exists(db, staleActivity)).toBe(false);
    for (const kept of [activeLead, freshProspect, customersContact, otherContact]) expect(await exists(db, kept)).toBe(true);
    // Bases and activities went with the contacts; the companies stay.
    expect(await db.selectFrom('contact_legal_basis').select('contact_id').where('contact_id', 'in', [silentLead, staleActivity]).execute()).toEqual([]);
    expect(await db.selectFrom('crm_activity').select('id').where('contact_id', 'in', [silentLead, staleActivity]).execute()).toEqual([]);
    expect(await db.selectFrom('company').select('id').where('organisation_id', '=', organisation.id).execute()).toHaveLength(4);
    const [event] = (await eventsOf(db, { action: 'retention.run' })).filter((entry) => entry.organisation_id === organisation.id);
    expect(event).toMatchObject({ object_id: 'crm.lead_contact', details: { category: 'crm.lead_contact', anonymised: 2 } });
    expect(JSON.stringify(event)).not.toContain('Kari');
  });
});
