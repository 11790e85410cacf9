import { type Kysely, sql } from 'kysely';

// Identity (users, roles, invitations, sessions, second factor), the message outbox, and the
// append-only, sealed audit log (AUTH-1…7, AUD-1…7). Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  // The tenant root gets a composite key so an organisation's rows can reference each other with
  // (organisation_id, id) foreign keys that the database checks (docs/adr/0002).
  await sql`alter table organisation add constraint organisation_id_self unique (id)`.execute(db);

  await sql`
    create table app_user (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      email text not null check (email = lower(email) and length(email) between 3 and 254),
      display_name text not null check (length(display_name) between 1 and 200),
      phone text not null check (length(phone) between 3 and 32),
      profession text check (profession in ('lege', 'psykolog', 'psykolog_i_spesialisering', 'sykepleier', 'annet')),
      hpr_number text check (hpr_number ~ '^[0-9]{4,9}$'),
      status text not null default 'invited' check (status in ('invited', 'active', 'disabled')),
      password_hash text,
      -- AES-256-GCM with a key kept outside the database (AUTH-5); null until enrolment starts.
      totp_secret_encrypted text,
      totp_enrolled_at timestamptz,
      -- Replay protection: a code is accepted only for a time step above this (AUTH-3).
      totp_last_used_step bigint,
      failed_attempts integer not null default 0,
      lockout_count integer not null default 0,
      locked_until timestamptz,
      -- An admin's lock holds until an admin unlocks; a brute-force lock expires by itself.
      is_locked_by_admin boolean not null default false,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      unique (organisation_id, id)
    )`.execute(db);
  // One login name across the installation: login does not ask for the organisation.
  await sql`create unique index app_user_email_unique on app_user (email)`.execute(db);

  // Role grants with their history (ACC-6: what a user holds and held, with dates).
  await sql`
    create table role_grant (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      user_id uuid not null,
      role text not null check (role in ('clinician', 'coordinator', 'sales', 'dpo', 'admin')),
      granted_at timestamptz not null default now(),
      granted_by uuid,
      revoked_at timestamptz,
      revoked_by uuid,
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create unique index role_grant_active on role_grant (user_id, role) where revoked_at is null`.execute(db);

  await sql`
    create table invitation (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      user_id uuid not null,
      token_hash bytea not null unique,
      sms_code_hash bytea not null,
      sms_code_attempts integer not null default 0,
      sms_verified_at timestamptz,
      created_by uuid,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      revoked_at timestamptz,
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);

  await sql`
    create table recovery_code (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      user_id uuid not null,
      code_hash bytea not null,
      created_at timestamptz not null default now(),
      used_at timestamptz,
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index recovery_code_user on recovery_code (user_id) where used_at is null`.execute(db);

  // A password accepted, waiting for the second factor: short-lived, single use.
  await sql`
    create table login_challenge (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      user_id uuid not null,
      ticket_hash bytea not null unique,
      device_id text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);

  await sql`
    create table user_device (
      organisation_id uuid not null,
      user_id uuid not null,
      device_id text not null,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      primary key (user_id, device_id),
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);

  await sql`
    create table session (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      user_id uuid not null,
      token_hash bytea not null unique,
      auth_method text not null,
      device_id text,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      -- When a second factor was last entered in this session (step-up, AUTH-5).
      second_factor_at timestamptz not null,
      expires_at timestamptz not null,
      ended_at timestamptz,
      end_reason text check (end_reason in ('logout', 'revoked', 'expired', 'second_factor_reset', 'locked')),
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index session_user_open on session (user_id) where ended_at is null`.execute(db);

  // Messages leave through an outbox written in the same transaction as their cause (PLAT-7).
  await sql`
    create table outbox_message (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid references organisation (id),
      channel text not null check (channel in ('sms', 'email')),
      recipient text not null,
      template text not null,
      subject text,
      body text not null,
      created_at timestamptz not null default now(),
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      sent_at timestamptz,
      provider text
    )`.execute(db);
  await sql`create index outbox_pending on outbox_message (created_at) where status = 'pending'`.execute(db);

  // The audit log (AUD-2). organisation_id is null only for events no organisation owns (a login
  // attempt with an unknown username). txid orders events for sealing: every event of a finished
  // transaction below the sealer's snapshot horizon is final, so seals never miss a late commit.
  await sql`
    create table audit_event (
      id bigint generated always as identity primary key,
      txid bigint not null default (pg_current_xact_id()::text::bigint),
      organisation_id uuid references organisation (id),
      occurred_at timestamptz not null,
      user_id uuid,
      user_display_name text,
      user_roles text[] not null default '{}',
      profession text,
      session_id uuid,
      auth_method text,
      device_id text,
      action text not null,
      outcome text not null check (outcome in ('allowed', 'denied')),
      reason text,
      patient_id uuid,
      object_type text,
      object_id text,
      basis text,
      client_ip inet,
      details jsonb not null default '{}'::jsonb
    )`.execute(db);
  // Every index is paid for by every audited action. The sealer and the verifier read by txid range
  // (a b-tree: a BRIN index here made verification twice as slow, measured); the DPO's time ranges
  // over the whole organisation are served by a BRIN index, which costs almost nothing to maintain
  // since events arrive in time order; b-trees where a person waits on a narrow lookup (own
  // activity, one patient's access report). Measured in `npm run bench`.
  await sql`create index audit_event_txid on audit_event (txid, id)`.execute(db);
  await sql`create index audit_event_time on audit_event using brin (occurred_at)`.execute(db);
  await sql`create index audit_event_org_user_time on audit_event (organisation_id, user_id, occurred_at desc, id desc)`.execute(db);
  await sql`create index audit_event_org_patient_time on audit_event (organisation_id, patient_id, occurred_at desc) where patient_id is not null`.execute(db);

  // Seals: each covers every event of the transactions in [txid_from, txid_to), lists their ids and
  // content hashes, and chains to the previous seal (AUD-4).
  await sql`
    create table audit_seal (
      seq bigint primary key,
      sealed_at timestamptz not null default now(),
      txid_from bigint not null,
      txid_to bigint not null,
      event_count integer not null,
      event_ids bigint[] not null,
      event_hashes bytea not null,
      previous_hash bytea not null,
      hash bytea not null
    )`.execute(db);

  // Append-only for everyone (AUD-4): no UPDATE, DELETE or TRUNCATE on events or seals, whoever asks.
  // A superuser can still disable the trigger; that is what the hash chain is for.
  await sql`
    create function refuse_audit_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit records are append-only (% on %)', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  for (const table of ['audit_event', 'audit_seal']) {
    await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.id(table)}
      for each row execute function refuse_audit_change()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.id(table)}
      for each statement execute function refuse_audit_change()`.execute(db);
  }

  // The role the application runs as: it may read and append to the audit log, never change it.
  // Roles are cluster-wide, so create it only if another database has not already.
  await sql`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'journalkontor_app') then
        create role journalkontor_app nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);
  // The migrating login must be able to act as the application role (SET ROLE, or role= at connect).
  // (This swallows a failed grant; it has run and stays as it was. No longer needed, and what the
  // boundary depends on is checked, failing loudly, by 2026-12-01T09-00_database_boundary.)
  await sql`
    do $$ begin
      if not pg_has_role(current_user, 'journalkontor_app', 'member') then
        execute format('grant journalkontor_app to %I', current_user);
      end if;
    exception when others then null;
    end $$`.execute(db);
  await sql`grant usage on schema public to journalkontor_app`.execute(db);
  await sql`grant select, insert, update, delete on organisation, installation_setting, app_user, role_grant, invitation,
    recovery_code, login_challenge, user_device, session, outbox_message to journalkontor_app`.execute(db);
  await sql`grant select, insert on audit_event, audit_seal to journalkontor_app`.execute(db);
  await sql`grant select on kysely_migration, kysely_migration_lock to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
