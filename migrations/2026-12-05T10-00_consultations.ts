import { type Kysely, sql } from 'kysely';

// Consultations (JRN-6) and the clinician's start page. A consultation is a row of the existing
// `appointment` table, which the access decision already reads as a treatment relationship (ACC-2):
// one table, so a booking, a move and a cancellation change the relationship with no second
// source to keep in step. Adds its length, how it is held, who booked it and when it was moved or
// cancelled, and the clinic's limit for an unsigned draft's age. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  // Existing rows (home visits, the demo's consultation) get the usual half hour, in person.
  await sql`alter table appointment add column duration_minutes integer not null default 30
    check (duration_minutes between 5 and 240)`.execute(db);
  await sql`alter table appointment add column mode text not null default 'in_person'
    check (mode in ('in_person', 'video', 'phone'))`.execute(db);
  await sql`alter table appointment add column created_by uuid`.execute(db);
  await sql`alter table appointment add column updated_at timestamptz`.execute(db);
  await sql`alter table appointment add column updated_by uuid`.execute(db);
  await sql`alter table appointment add column cancelled_at timestamptz`.execute(db);
  await sql`alter table appointment add column cancelled_by uuid`.execute(db);
  // Rows cancelled before this migration have no time of cancellation; a time means cancelled.
  await sql`alter table appointment add constraint appointment_cancelled_at_only_when_cancelled
    check (cancelled_at is null or status = 'cancelled')`.execute(db);
  // A clinician's calendar (day and week view, the start page, the overlap check).
  await sql`create index appointment_calendar on appointment (clinician_id, starts_at)`.execute(db);

  // The start page's unsigned drafts of one clinician: without it that query read every note of the
  // organisation (npm run bench -- --only=journal: 83 ms of a 88 ms page at 200,000 notes; 0.12 ms with it).
  await sql`create index journal_note_author_drafts on journal_note (author_id, created_at) where status = 'draft'`.execute(db);

  // JRN-6: drafts older than this many days are highlighted on the start page.
  await sql`alter table organisation add column draft_age_limit_days integer not null default 3
    check (draft_age_limit_days between 1 and 60)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
