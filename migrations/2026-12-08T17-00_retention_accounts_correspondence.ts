import { type Kysely, sql } from 'kysely';

// Two retention categories the schedule lacked (DPO-6). Frozen in time: no application imports.
//
// - Inactive user accounts: an account with no login for four years is first warned, and
//   anonymised six months after the warning if nobody has logged in since. The warning's time is
//   the account's (`inactivity_warned_at`, cleared by the next login); `anonymised_at` says the
//   account has been anonymised (by the schedule or a data-subject request), so neither looks at it
//   again. Accounts a request anonymised before this migration are known by their address.
// - Correspondence: a CRM e-mail or contact-form message is kept a year (longer while the company
//   is a customer); then its text goes and the fact that it happened, and when, stays. A row whose
//   text has gone has `anonymised_at` and no summary.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table app_user add column inactivity_warned_at timestamptz, add column anonymised_at timestamptz`.execute(db);
  await sql`update app_user set anonymised_at = now() where email like '%@anonymisert.invalid'`.execute(db);

  await sql`alter table crm_activity add column anonymised_at timestamptz`.execute(db);
  await sql`alter table crm_activity alter column summary drop not null`.execute(db);
  await sql`alter table crm_activity add constraint crm_activity_summary_kept check (summary is not null or anonymised_at is not null)`.execute(db);
  // The schedule's scan: an organisation's correspondence whose text is still there, oldest first.
  await sql`
    create index crm_activity_correspondence_retention on crm_activity (organisation_id, occurred_at)
     where anonymised_at is null and kind in ('email', 'web_form')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
