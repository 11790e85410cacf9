import { type Kysely, sql } from 'kysely';

// Data-subject requests (DPO-4): a case per request, from receipt to answer. The person is described
// by what they gave us (name, and any of national identity number, e-mail, phone); the national
// identity number is stored sealed (AES-GCM, key outside the database) with a keyed hash to find the
// person's data in every module, as the portal's employees are (CRM-4). The deadline is kept as a
// date (Oslo calendar): one calendar month from receipt, extended once by up to two months with a
// reason. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dsr_case (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      -- Shown to the person and in letters: 'DSR-2026-0001', counted per organisation and year.
      reference text not null check (reference ~ '^DSR-[0-9]{4}-[0-9]{4,}$'),
      kind text not null check (kind in ('access', 'rectification', 'erasure', 'restriction', 'objection', 'portability')),
      received_on date not null,
      channel text not null check (channel in ('letter', 'email', 'phone', 'in_person', 'web_form', 'other')),
      requester_name text not null check (length(requester_name) between 1 and 200),
      national_id_sealed text,
      national_id_hmac bytea check (length(national_id_hmac) = 32),
      national_id_masked text check (national_id_masked ~ '^[0-9]{6}\\*{5}$'),
      email text check (length(email) between 3 and 254),
      phone text check (length(phone) between 3 and 20),
      -- The patient the case is about, once the DPO has matched the person in the journal.
      patient_id uuid,
      identity_method text check (identity_method in ('bankid', 'id_document', 'known_contact', 'signed_letter', 'other')),
      identity_verified_by uuid,
      identity_verified_at timestamptz,
      status text not null default 'received' check (status in (
        'received', 'identity_unverified', 'in_review', 'in_progress', 'on_hold', 'ready_for_release', 'completed', 'denied')),
      -- Coded reasons only ('legal_hold', 'awaiting_identity' …): free text lives in the note.
      hold_reason text check (hold_reason in ('legal_hold', 'awaiting_identity', 'awaiting_clarification', 'awaiting_third_party')),
      denial_reason text check (denial_reason in ('manifestly_unfounded', 'excessive', 'identity_not_verified', 'no_data_held', 'legal_exemption')),
      deadline date not null,
      extended_deadline date,
      extension_reason text check (length(extension_reason) between 1 and 2000),
      extension_notified_on date,
      note text check (length(note) <= 4000),
      response text check (length(response) <= 20000),
      completed_at timestamptz,
      handled_by uuid,
      created_by uuid not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      unique (organisation_id, id),
      unique (organisation_id, reference),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, created_by) references app_user (organisation_id, id),
      foreign key (organisation_id, handled_by) references app_user (organisation_id, id),
      foreign key (organisation_id, identity_verified_by) references app_user (organisation_id, id),
      check (extended_deadline is null or (extended_deadline > deadline and extension_reason is not null)),
      check ((status = 'on_hold') = (hold_reason is not null)),
      check (status <> 'denied' or denial_reason is not null),
      check (extended_deadline is null or extension_notified_on is not null),
      check (status <> 'completed' or (response is not null and completed_at is not null)),
      check ((identity_method is null) = (identity_verified_at is null) and (identity_verified_at is null) = (identity_verified_by is null))
    )`.execute(db);
  await sql`create index dsr_case_open on dsr_case (organisation_id, coalesce(extended_deadline, deadline)) where status not in ('completed', 'denied')`.execute(db);
  await sql`create index dsr_case_person_hmac on dsr_case (organisation_id, national_id_hmac) where national_id_hmac is not null`.execute(db);
  await sql`create index dsr_case_person_email on dsr_case (organisation_id, lower(email)) where email is not null`.execute(db);
  // The case's history: every status change, with who and when (the audit log has it too; this is the case's own view).
  await sql`
    create table dsr_case_step (
      id bigint generated always as identity primary key,
      case_id uuid not null references dsr_case (id),
      organisation_id uuid not null references organisation (id),
      status text not null,
      reason text,
      changed_by uuid not null,
      changed_at timestamptz not null,
      foreign key (organisation_id, case_id) references dsr_case (organisation_id, id),
      foreign key (organisation_id, changed_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index dsr_case_step_case on dsr_case_step (case_id, id)`.execute(db);
  await sql`create index dsr_case_person_phone on dsr_case (organisation_id, phone) where phone is not null`.execute(db);
  // The reference's running number per organisation and year: one row, taken under its row lock
  // (INSERT … ON CONFLICT DO UPDATE), so two requests registered at once never get the same number.
  await sql`
    create table dsr_case_counter (
      organisation_id uuid not null references organisation (id),
      year integer not null check (year between 2000 and 9999),
      last_number integer not null check (last_number >= 1),
      primary key (organisation_id, year)
    )`.execute(db);
  // Restriction of processing (art. 18, DPO-5): the person as the case describes them, and the
  // modules whose processing of them is refused until the restriction is lifted.
  await sql`
    create table processing_restriction (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      case_id uuid not null,
      patient_id uuid,
      national_id_hmac bytea check (length(national_id_hmac) = 32),
      email text check (length(email) between 3 and 254),
      phone text check (length(phone) between 3 and 20),
      modules text[] not null check (cardinality(modules) >= 1 and modules <@ array['crm', 'journal_sharing']::text[]),
      set_at timestamptz not null,
      set_by uuid not null,
      lifted_at timestamptz,
      lifted_by uuid,
      unique (organisation_id, id),
      foreign key (organisation_id, case_id) references dsr_case (organisation_id, id),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, set_by) references app_user (organisation_id, id),
      foreign key (organisation_id, lifted_by) references app_user (organisation_id, id),
      check (patient_id is not null or national_id_hmac is not null or email is not null or phone is not null),
      check ((lifted_at is null) = (lifted_by is null))
    )`.execute(db);
  // One restriction in force per case; the enforcement looks a person up by each identifier.
  await sql`create unique index processing_restriction_active_case on processing_restriction (case_id) where lifted_at is null`.execute(db);
  await sql`create index processing_restriction_patient on processing_restriction (organisation_id, patient_id) where lifted_at is null and patient_id is not null`.execute(db);
  await sql`create index processing_restriction_email on processing_restriction (organisation_id, email) where lifted_at is null and email is not null`.execute(db);
  await sql`create index processing_restriction_phone on processing_restriction (organisation_id, phone) where lifted_at is null and phone is not null`.execute(db);
  await sql`grant select, insert, update on dsr_case to journalkontor_app`.execute(db);
  await sql`grant select, insert on dsr_case_step to journalkontor_app`.execute(db);
  await sql`grant select, insert, update on dsr_case_counter to journalkontor_app`.execute(db);
  await sql`grant select, insert, update on processing_restriction to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
