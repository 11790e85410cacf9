import { type Kysely, sql } from 'kysely';

// Note templates (JRN-7): per organisation and note type, the headings a new draft starts from,
// edited by the clinic's administrator. A type without a row starts from the application's default.
// Holds no patient data. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table note_template (
      organisation_id uuid not null references organisation (id),
      note_type text not null check (note_type in ('consultation', 'phone', 'home_visit', 'letter', 'other')),
      body text not null check (length(body) <= 10000),
      updated_by uuid not null,
      updated_at timestamptz not null,
      primary key (organisation_id, note_type),
      foreign key (organisation_id, updated_by) references app_user (organisation_id, id)
    )`.execute(db);
  // Edited in place (the audit event keeps who changed it when); never deleted by the application.
  await sql`grant select, insert, update on note_template to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
