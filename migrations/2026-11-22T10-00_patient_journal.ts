import { type Kysely, sql } from 'kysely';

// Patients, the journal (notes with immutable signed versions), the bases of access (treatment
// relationships, appointments, read-shares with consent, break-glass) and blocks ("sperring").
// JRN-1…5, ACC-2…6, SHR-1…3. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table patient (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      national_id char(11) not null check (national_id ~ '^[0-9]{11}$'),
      given_name text not null check (length(given_name) between 1 and 100),
      family_name text not null check (length(family_name) between 1 and 100),
      date_of_birth date not null,
      gender text not null check (gender in ('female', 'male', 'other', 'unknown')),
      address text check (length(address) <= 300),
      phone text check (length(phone) <= 32),
      email text check (length(email) <= 254),
      next_of_kin text check (length(next_of_kin) <= 500),
      created_at timestamptz not null default now(),
      created_by uuid,
      updated_at timestamptz not null default now(),
      unique (organisation_id, id),
      unique (organisation_id, national_id)
    )`.execute(db);
  // Search by name (prefix, case-insensitive) and by date of birth, within one organisation.
  await sql`create index patient_name on patient (organisation_id, lower(family_name) text_pattern_ops, lower(given_name) text_pattern_ops)`.execute(db);
  await sql`create index patient_birth on patient (organisation_id, date_of_birth)`.execute(db);

  // Treatment relationships (ACC-2): assigned clinician and explicit care-team membership.
  await sql`
    create table care_relationship (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      patient_id uuid not null,
      user_id uuid not null,
      kind text not null check (kind in ('assigned_clinician', 'care_team')),
      starts_at timestamptz not null,
      ends_at timestamptz,
      created_by uuid,
      created_at timestamptz not null default now(),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index care_relationship_lookup on care_relationship (patient_id, user_id)`.execute(db);

  // A booked or recent consultation or home visit is a treatment relationship too (ACC-2).
  await sql`
    create table appointment (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      patient_id uuid not null,
      clinician_id uuid not null,
      kind text not null check (kind in ('consultation', 'home_visit')),
      starts_at timestamptz not null,
      status text not null default 'booked' check (status in ('booked', 'completed', 'cancelled')),
      created_at timestamptz not null default now(),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, clinician_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index appointment_lookup on appointment (patient_id, clinician_id, starts_at)`.execute(db);

  await sql`
    create table journal_note (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      patient_id uuid not null,
      author_id uuid not null,
      note_type text not null check (note_type in ('consultation', 'phone', 'home_visit', 'letter', 'correction_refused', 'other')),
      consultation_date date not null,
      status text not null default 'draft' check (status in ('draft', 'signed', 'amended')),
      current_version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, author_id) references app_user (organisation_id, id)
    )`.execute(db);
  // The journal view: a patient's notes, newest first, keyset-paged.
  await sql`create index journal_note_patient on journal_note (patient_id, consultation_date desc, created_at desc, id desc)`.execute(db);

  // Every version of a note's text. Version 1 starts as the draft; signing freezes it; an amendment
  // adds a version with its reason (JRN-3, JRN-4). Signed versions never change (trigger below).
  await sql`
    create table journal_note_version (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      note_id uuid not null,
      version integer not null check (version >= 1),
      body text not null check (length(body) <= 100000),
      amendment_reason text check (length(amendment_reason) <= 2000),
      created_by uuid not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      signed_by uuid,
      signed_at timestamptz,
      signed_auth_method text,
      content_hash bytea,
      unique (note_id, version),
      foreign key (organisation_id, note_id) references journal_note (organisation_id, id),
      check ((signed_at is null) = (content_hash is null) and (signed_at is null) = (signed_by is null))
    )`.execute(db);

  // JRN-3: once signed, a version's text and signature can never change, for any role — enforced
  // here, not only in the application. Deletion of journal content goes through a documented
  // deletion decision (JRN-4, a later migration), never through DELETE.
  await sql`
    create function refuse_signed_version_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'journal versions cannot be deleted' using errcode = 'insufficient_privilege';
      end if;
      if old.signed_at is not null then
        raise exception 'a signed journal version cannot change' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger journal_note_version_immutable before update or delete on journal_note_version
    for each row execute function refuse_signed_version_change()`.execute(db);

  // A signed note's identity (patient, author, type, date) is part of what was signed: frozen too.
  await sql`
    create function refuse_signed_note_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'journal notes cannot be deleted' using errcode = 'insufficient_privilege';
      end if;
      if old.status <> 'draft' and (new.patient_id, new.author_id, new.note_type, new.consultation_date, new.organisation_id)
          is distinct from (old.patient_id, old.author_id, old.note_type, old.consultation_date, old.organisation_id) then
        raise exception 'a signed journal note cannot change' using errcode = 'insufficient_privilege';
      end if;
      if old.status <> 'draft' and new.status = 'draft' then
        raise exception 'a signed journal note cannot become a draft again' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger journal_note_immutable before update or delete on journal_note
    for each row execute function refuse_signed_note_change()`.execute(db);

  // SHR-2: the patient's consent, recorded before a read-share can be active.
  await sql`
    create table patient_consent (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      patient_id uuid not null,
      given_by text not null check (given_by in ('patient', 'guardian', 'representative')),
      method text not null check (method in ('verbal', 'written', 'digital')),
      given_at timestamptz not null,
      recorded_by uuid not null,
      recorded_at timestamptz not null default now(),
      scope text not null check (scope in ('whole_journal', 'selected_notes')),
      purpose text not null check (length(purpose) between 1 and 500),
      withdrawn_at timestamptz,
      withdrawn_by uuid,
      unique (organisation_id, id),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id)
    )`.execute(db);

  // SHR-1: read access for a named colleague, for a purpose, until an end date, under a consent.
  await sql`
    create table read_share (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      patient_id uuid not null,
      grantee_id uuid not null,
      granted_by uuid not null,
      consent_id uuid not null,
      scope text not null check (scope in ('whole_journal', 'selected_notes')),
      note_ids uuid[] not null default '{}',
      purpose text not null check (length(purpose) between 1 and 500),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      revoked_at timestamptz,
      revoked_by uuid,
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, grantee_id) references app_user (organisation_id, id),
      foreign key (organisation_id, consent_id) references patient_consent (organisation_id, id),
      check (ends_at > starts_at)
    )`.execute(db);
  await sql`create index read_share_lookup on read_share (patient_id, grantee_id)`.execute(db);

  // ACC-3: break-glass, time-limited, with a coded reason, flagged for the DPO.
  await sql`
    create table break_glass_access (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      patient_id uuid not null,
      user_id uuid not null,
      reason_code text not null,
      reason_text text check (length(reason_text) <= 1000),
      started_at timestamptz not null,
      expires_at timestamptz not null,
      ended_at timestamptz,
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index break_glass_lookup on break_glass_access (patient_id, user_id, expires_at)`.execute(db);

  // ACC-4: the patient bars named personnel from all or part of the journal ("sperring").
  await sql`
    create table patient_block (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      patient_id uuid not null,
      blocked_user_id uuid not null,
      scope text not null check (scope in ('whole_journal', 'selected_notes')),
      note_ids uuid[] not null default '{}',
      requested_at timestamptz not null,
      recorded_by uuid not null,
      recorded_at timestamptz not null default now(),
      lifted_at timestamptz,
      lifted_by uuid,
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, blocked_user_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index patient_block_lookup on patient_block (patient_id, blocked_user_id)`.execute(db);

  await sql`grant select, insert, update on patient, care_relationship, appointment, journal_note, journal_note_version,
    patient_consent, read_share, break_glass_access, patient_block to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
