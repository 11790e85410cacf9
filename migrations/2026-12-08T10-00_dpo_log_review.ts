import { type Kysely, sql } from 'kysely';

// Log review (DPO-1) and the integrity check from the workspace (DPO-8). Frozen in time: no application imports.
//
// The audit log is append-only and stays so: a DPO's "reviewed" mark is a row of its own, never an
// update of audit_event. A later review of the same event adds a row (the history is kept), so the
// application may only select and insert here.
//
// The integrity runs are not a table: a run is the background job that does it (background_job,
// kind 'dpo.integrity.verify'), whose progress column holds the counts while it runs and the result
// codes when it ends, and whose outcome is in the tamper-evident log as dpo.integrity.verified.
// A second copy would be a second truth to keep in step.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_review (
      id bigint generated always as identity primary key,
      organisation_id uuid not null references organisation (id),
      -- No foreign key to audit_event: the log may be partitioned by month (its key then includes
      -- the time), and a review must never hold the log back. The service checks the event is the
      -- organisation's own before writing.
      event_id bigint not null check (event_id > 0),
      reviewed_by uuid not null,
      reviewed_at timestamptz not null,
      comment text not null check (length(comment) between 1 and 2000),
      unique (organisation_id, id),
      foreign key (organisation_id, reviewed_by) references app_user (organisation_id, id)
    )`.execute(db);
  // The latest review of an event (the search's column and its reviewed / not reviewed filter).
  await sql`create index audit_review_event on audit_review (organisation_id, event_id, reviewed_at desc, id desc)`.execute(db);
  await sql`grant select, insert on audit_review to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
