import { type Kysely, sql } from 'kysely';

// Home-visit dispatch (VIS-1…4) and the product's one job runner. A booking is intake data, kept
// apart from the patient register until a coordinator or the visiting doctor links it to a patient
// (a web form must never create a patient by itself). Its personal fields are nullable because the
// retention job anonymises them (VIS-4) while the visit's operational facts (times, status, doctor,
// zone) stay for statistics. The timeline and exceptions hold codes only, never personal data.
// Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  // Zones by postcode prefix: dispatch without map tiles (postcode → zone → doctors on shift there).
  await sql`
    create table visit_zone (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      name text not null check (length(name) between 1 and 100),
      postcode_prefixes text[] not null check (cardinality(postcode_prefixes) between 1 and 100),
      unique (organisation_id, id),
      unique (organisation_id, name)
    )`.execute(db);

  // A doctor's shift: when, in which zone, and how many visits it can take (the board's load cap).
  await sql`
    create table doctor_shift (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      doctor_id uuid not null,
      zone_id uuid,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      visit_cap integer not null default 8 check (visit_cap between 1 and 50),
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      check (ends_at > starts_at and ends_at - starts_at <= interval '24 hours'),
      foreign key (organisation_id, doctor_id) references app_user (organisation_id, id),
      foreign key (organisation_id, zone_id) references visit_zone (organisation_id, id)
    )`.execute(db);
  await sql`create index doctor_shift_time on doctor_shift (organisation_id, ends_at, starts_at)`.execute(db);

  await sql`
    create table home_visit_booking (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      source text not null check (source in ('web', 'phone')),
      -- A retried submission with the same key is the same booking (VIS-1); kept after anonymisation.
      idempotency_key text check (length(idempotency_key) between 8 and 100),
      -- What the person typed: null once anonymised (VIS-4).
      full_name text check (length(full_name) between 1 and 200),
      street text check (length(street) between 1 and 200),
      postcode char(4) check (postcode ~ '^[0-9]{4}$'),
      city text check (length(city) between 1 and 100),
      gender text check (gender in ('female', 'male', 'other', 'unknown')),
      date_of_birth date,
      national_id char(11) check (national_id ~ '^[0-9]{11}$'),
      phone text check (length(phone) between 8 and 16),
      email text check (length(email) <= 254),
      reason text check (length(reason) between 1 and 1000),
      -- Operational facts: kept for statistics after anonymisation.
      urgency text not null check (urgency in ('normal', 'urgent')),
      earliest_at timestamptz not null,
      latest_at timestamptz not null,
      zone_id uuid,
      status text not null default 'requested'
        check (status in ('requested', 'assigned', 'en_route', 'arrived', 'completed', 'cancelled')),
      doctor_id uuid,
      assigned_at timestamptz,
      accepted_at timestamptz,
      eta timestamptz,
      en_route_at timestamptz,
      arrived_at timestamptz,
      completed_at timestamptz,
      cancelled_at timestamptz,
      cancel_reason text check (cancel_reason in ('patient_cancelled', 'duplicate', 'patient_not_home', 'referred_elsewhere', 'no_capacity', 'other')),
      -- The journal note that documents the visit (completed needs it) and the patient it was linked to.
      patient_id uuid,
      documentation_note_id uuid,
      appointment_id uuid,
      -- A hold (complaint, incident) stops anonymisation of this booking until lifted (VIS-4).
      retention_hold text check (retention_hold in ('complaint', 'incident', 'dsr', 'other')),
      retention_hold_by uuid,
      retention_hold_at timestamptz,
      anonymised_at timestamptz,
      -- Optimistic concurrency: two coordinators changing one booking at once, one wins (VIS-3).
      version integer not null default 1,
      created_at timestamptz not null,
      created_by uuid,
      updated_at timestamptz not null,
      unique (organisation_id, id),
      check (latest_at > earliest_at),
      check (status in ('requested', 'cancelled') or doctor_id is not null),
      check (status <> 'cancelled' or cancel_reason is not null),
      check (status <> 'completed' or documentation_note_id is not null),
      check (status <> 'en_route' or eta is not null),
      check (anonymised_at is null or (full_name is null and street is null and postcode is null and city is null
        and date_of_birth is null and national_id is null and phone is null and email is null and reason is null and gender is null)),
      foreign key (organisation_id, doctor_id) references app_user (organisation_id, id),
      foreign key (organisation_id, zone_id) references visit_zone (organisation_id, id),
      -- No foreign key to journal_note: a documenting note may later be deleted by a documented
      -- decision (JRN-4, § 43), and the visit's reference must then name the note the decision covers.
      foreign key (organisation_id, patient_id) references patient (organisation_id, id)
    )`.execute(db);
  await sql`create unique index home_visit_booking_idempotency on home_visit_booking (organisation_id, idempotency_key) where idempotency_key is not null`.execute(db);
  // The board: open bookings of an organisation. The doctor's list: their own, by wanted time.
  await sql`create index home_visit_booking_board on home_visit_booking (organisation_id, status, latest_at)`.execute(db);
  await sql`create index home_visit_booking_doctor on home_visit_booking (doctor_id, earliest_at) where doctor_id is not null`.execute(db);
  // The retention job's scan: finished, not yet anonymised, by when the visit ended.
  await sql`create index home_visit_booking_retention on home_visit_booking (organisation_id, coalesce(completed_at, cancelled_at))
    where anonymised_at is null and status in ('completed', 'cancelled')`.execute(db);

  // The timeline (VIS-3): every status change, who, when, why, automatic or not. Codes only.
  await sql`
    create table booking_status_change (
      id bigint generated always as identity primary key,
      organisation_id uuid not null,
      booking_id uuid not null,
      from_status text,
      to_status text not null,
      doctor_id uuid,
      changed_by uuid,
      is_automatic boolean not null default false,
      reason text check (length(reason) <= 64),
      changed_at timestamptz not null,
      foreign key (organisation_id, booking_id) references home_visit_booking (organisation_id, id)
    )`.execute(db);
  await sql`create index booking_status_change_booking on booking_status_change (booking_id, id)`.execute(db);

  // Exceptions on a visit (late start, patient not home …): recorded and listed. Codes only.
  await sql`
    create table visit_exception (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      booking_id uuid not null,
      kind text not null check (kind in ('late_start', 'patient_not_home', 'access_problem', 'other')),
      recorded_by uuid,
      recorded_at timestamptz not null,
      foreign key (organisation_id, booking_id) references home_visit_booking (organisation_id, id)
    )`.execute(db);
  await sql`create index visit_exception_booking on visit_exception (organisation_id, recorded_at)`.execute(db);

  // Per organisation: days after the visit before booking data is anonymised (VIS-4), minutes a
  // doctor has to accept an assignment before it returns to the coordinators, and the public form's key.
  await sql`alter table organisation add column booking_retention_days integer not null default 7 check (booking_retention_days between 1 and 365)`.execute(db);
  await sql`alter table organisation add column assignment_ack_minutes integer not null default 10 check (assignment_ack_minutes between 1 and 240)`.execute(db);
  await sql`alter table organisation add column booking_form_key text unique check (booking_form_key ~ '^[a-z0-9-]{3,40}$')`.execute(db);

  // "A new visit is waiting" goes to doctors through a notifier channel that never carries personal data (VIS-2).
  await sql`alter table outbox_message drop constraint outbox_message_channel_check`.execute(db);
  await sql`alter table outbox_message add constraint outbox_message_channel_check check (channel in ('sms', 'email', 'notifier'))`.execute(db);

  // The one job runner (ADR 0011): due jobs are claimed with FOR UPDATE SKIP LOCKED, so several
  // backend instances share the work. A job's payload holds ids and counts only.
  await sql`
    create table background_job (
      id bigint generated always as identity primary key,
      organisation_id uuid references organisation (id),
      kind text not null check (length(kind) between 1 and 64),
      -- At most one queued or running job per key (a reminder per assignment, one retention run).
      dedupe_key text check (length(dedupe_key) <= 200),
      payload jsonb not null default '{}',
      run_at timestamptz not null,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'cancelled')),
      attempts integer not null default 0,
      max_attempts integer not null default 5 check (max_attempts between 1 and 100),
      locked_by text,
      locked_until timestamptz,
      progress jsonb,
      last_error text check (length(last_error) <= 200),
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index background_job_due on background_job (run_at) where status in ('queued', 'running')`.execute(db);
  await sql`create unique index background_job_dedupe on background_job (dedupe_key) where dedupe_key is not null and status in ('queued', 'running')`.execute(db);

  await sql`grant select, insert, update on visit_zone, doctor_shift, home_visit_booking, visit_exception to journalkontor_app`.execute(db);
  // The timeline is append-only for the application; DELETE on bookings only for erasure on request (VIS-4, DSR).
  await sql`grant select, insert on booking_status_change to journalkontor_app`.execute(db);
  await sql`grant delete on home_visit_booking, booking_status_change, visit_exception to journalkontor_app`.execute(db);
  await sql`grant select, insert, update, delete on background_job to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
