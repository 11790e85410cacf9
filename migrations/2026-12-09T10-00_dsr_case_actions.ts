import { type Kysely, sql } from 'kysely';

// What a data-subject request can do beyond its own status (DPO-4, DPO-5). Frozen in time: no
// application imports.
//
// - Rectification of journal content goes through JRN-4: only a clinician writes the journal (a new
//   signed version with its reason, or the refusal recorded as a signed note). The DPO asks the
//   responsible clinician to do so: a correction request, with the case as its reference, that the
//   clinician answers by amending a note or recording the refusal. The request holds what the
//   person asks to have corrected (free text, never in an event) and, once answered, the note that
//   answered it. No foreign key to that note: a note may later be deleted by a documented decision
//   (§§ 43–44), and the request still says how it was answered.
// - An objection (GDPR art. 21) is recorded where the processing rests on legitimate interest: the
//   CRM's direct marketing. The legal-basis record an objection writes names the case it came from.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dsr_correction_request (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      case_id uuid not null,
      patient_id uuid not null,
      assigned_to uuid not null,
      requested_change text not null check (length(requested_change) between 3 and 5000),
      requested_by uuid not null,
      requested_at timestamptz not null,
      status text not null default 'open' check (status in ('open', 'amended', 'refused')),
      answered_by uuid,
      answered_at timestamptz,
      answer_note_id uuid,
      unique (organisation_id, id),
      foreign key (organisation_id, case_id) references dsr_case (organisation_id, id),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, assigned_to) references app_user (organisation_id, id),
      foreign key (organisation_id, requested_by) references app_user (organisation_id, id),
      foreign key (organisation_id, answered_by) references app_user (organisation_id, id),
      check ((status = 'open') = (answered_at is null)),
      check ((answered_at is null) = (answered_by is null)),
      check ((answered_at is null) = (answer_note_id is null))
    )`.execute(db);
  // The journal shows a patient's open requests; the case page lists its own.
  await sql`create index dsr_correction_request_open on dsr_correction_request (organisation_id, patient_id) where status = 'open'`.execute(db);
  await sql`create index dsr_correction_request_case on dsr_correction_request (case_id, requested_at)`.execute(db);
  await sql`grant select, insert, update on dsr_correction_request to journalkontor_app`.execute(db);

  await sql`alter table contact_legal_basis add column dsr_case_id uuid`.execute(db);
  await sql`alter table contact_legal_basis add foreign key (organisation_id, dsr_case_id) references dsr_case (organisation_id, id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
