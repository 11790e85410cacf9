import { type Kysely, sql } from 'kysely';

// Attack limits (PLAT-9, AUTH-3, AUTH-4, issue 8): rate-limit counters shared by every backend
// instance, login failures counted per (account, source address), a failure counter per session
// (unlock and step-up), the second-channel code for re-enrolment after a reset, and outbox bodies
// that can be purged once delivered. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per rate-limit key (procedure and source address, or procedure overall). The key is
  // stored as a SHA-256: the table never holds a client address in clear (AUD-2's minimisation).
  // Not an organisation's data: a limit applies before anyone is known.
  await sql`
    create table rate_limit_counter (
      key_hash bytea primary key,
      hits integer not null,
      window_ends_at timestamptz not null
    )`.execute(db);
  await sql`create index rate_limit_counter_expiry on rate_limit_counter (window_ends_at)`.execute(db);

  // AUTH-4: failures of one account from one source (an address, an IPv6 /64). The short, growing
  // lock lives here, so an outsider locks out only their own address (docs/adr/0005).
  await sql`
    create table login_failure (
      organisation_id uuid not null,
      user_id uuid not null,
      source text not null check (length(source) between 1 and 64),
      failures integer not null default 0,
      lockout_count integer not null default 0,
      locked_until timestamptz,
      last_failure_at timestamptz not null,
      primary key (user_id, source),
      foreign key (organisation_id, user_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index login_failure_stale on login_failure (last_failure_at)`.execute(db);

  // The account-wide backstop counts failures in a window that starts with its first failure, so
  // old failures decay instead of adding up for ever (failed_attempts and locked_until keep their names).
  await sql`alter table app_user add column failure_window_started_at timestamptz`.execute(db);

  // Wrong unlock passwords and wrong step-up codes in one session: the fifth ends it (AUTH-4).
  await sql`alter table session add column failed_attempts integer not null default 0`.execute(db);

  // AUTH-3: after an admin reset, re-enrolment needs a code sent by SMS. Stored as a keyed hash
  // (HMAC under the key kept outside the database), like the invitation's code.
  await sql`alter table login_challenge add column sms_code_hash bytea`.execute(db);
  await sql`alter table login_challenge add column sms_code_attempts integer not null default 0`.execute(db);
  await sql`alter table login_challenge add column sms_verified_at timestamptz`.execute(db);

  // Issue 8 §5: a delivered message's body (an invitation link, a code) is purged, so neither the
  // database nor a backup lets a reader complete someone's invitation or sign-in.
  await sql`alter table outbox_message alter column body drop not null`.execute(db);
  await sql`alter table outbox_message add column purged_at timestamptz`.execute(db);
  await sql`update outbox_message set body = null, purged_at = now() where status in ('sent', 'failed')`.execute(db);
  await sql`alter table outbox_message add constraint outbox_message_body_until_purged
    check ((body is null) = (purged_at is not null))`.execute(db);

  await sql`grant select, insert, update, delete on rate_limit_counter, login_failure to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
