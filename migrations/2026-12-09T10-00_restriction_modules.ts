import { type Kysely, sql } from 'kysely';

// Restriction of processing reaches every module that processes a person (DPO-5, GDPR art. 18):
// besides the CRM (activities and tasks) and the journal's sharing, the corporate portal's employee
// records and the home-visit bookings and their dispatch. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table processing_restriction drop constraint processing_restriction_modules_check`.execute(db);
  await sql`
    alter table processing_restriction add constraint processing_restriction_modules_check
      check (cardinality(modules) >= 1 and modules <@ array['crm', 'journal_sharing', 'portal', 'home_visits']::text[])`.execute(db);
  // The portal matches an employee by the keyed hash of the number: looked up per person as the others are.
  await sql`create index processing_restriction_national_id on processing_restriction (organisation_id, national_id_hmac) where lifted_at is null and national_id_hmac is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
