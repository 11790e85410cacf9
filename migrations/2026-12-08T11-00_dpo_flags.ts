import { type Kysely, sql } from 'kysely';

// Automatic flags for retrospective control (DPO-2). A job reads SEALED audit events after its
// watermark and raises a flag per rule and event (unique (rule, event_id): a re-run never raises one
// twice). The flag row is where the DPO's free text lives; the events say only ids and codes.
// The organisation gets its working hours (the outside_hours rule, judged in Oslo time), and a user
// may carry the keyed hash of their national identity number (the own_record rule; the same key and
// purpose as the portal's hashes; never the number itself). Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  // Minutes after midnight, Oslo wall clock; ISO weekdays (1 Monday … 7 Sunday).
  await sql`
    alter table organisation
      add column working_hours_start_minute smallint not null default 420 check (working_hours_start_minute between 0 and 1439),
      add column working_hours_end_minute smallint not null default 1020 check (working_hours_end_minute between 1 and 1440),
      add column working_days smallint[] not null default '{1,2,3,4,5}' check (working_days <@ '{1,2,3,4,5,6,7}'::smallint[]),
      add constraint organisation_working_hours_order check (working_hours_start_minute < working_hours_end_minute)`.execute(db);

  await sql`alter table app_user add column national_id_hmac bytea check (octet_length(national_id_hmac) between 16 and 64)`.execute(db);
  await sql`create index app_user_national_id_hmac on app_user (organisation_id, national_id_hmac) where national_id_hmac is not null`.execute(db);

  await sql`
    create table audit_flag (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      rule text not null check (rule in ('break_glass', 'no_relationship', 'own_record', 'same_surname', 'outside_hours', 'unusual_volume', 'after_relationship_ended')),
      -- The audit event the flag is about (no foreign key: the log is append-only and may be partitioned).
      event_id bigint not null,
      user_id uuid not null,
      patient_id uuid not null,
      occurred_at timestamptz not null,
      raised_at timestamptz not null,
      status text not null default 'open' check (status in ('open', 'closed')),
      outcome text check (outcome in ('justified', 'followed_up')),
      closed_by uuid,
      closed_at timestamptz,
      comment text check (length(comment) between 1 and 2000),
      version integer not null default 1,
      unique (organisation_id, id),
      unique (rule, event_id),
      -- A closed flag says how, by whom, when and why; a reopened one keeps its last closing.
      check (status = 'open' or (outcome is not null and closed_by is not null and closed_at is not null and comment is not null)),
      foreign key (organisation_id, user_id) references app_user (organisation_id, id),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, closed_by) references app_user (organisation_id, id)
    )`.execute(db);
  // The open list (by rule or all, newest first) and the weekly trend.
  await sql`create index audit_flag_status on audit_flag (organisation_id, status, occurred_at desc, id desc)`.execute(db);
  await sql`create index audit_flag_rule on audit_flag (organisation_id, rule, occurred_at desc, id desc)`.execute(db);
  await sql`create index audit_flag_user_hour on audit_flag (organisation_id, user_id, occurred_at) where rule = 'unusual_volume'`.execute(db);

  // One row for the installation: the last (txid, id) of the sealed log the job has judged.
  await sql`
    create table audit_flag_watermark (
      id boolean primary key default true check (id),
      last_txid bigint not null default 0,
      last_event_id bigint not null default 0,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into audit_flag_watermark (id) values (true)`.execute(db);

  await sql`grant select, insert, update on audit_flag to journalkontor_app`.execute(db);
  await sql`grant select, update on audit_flag_watermark to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
