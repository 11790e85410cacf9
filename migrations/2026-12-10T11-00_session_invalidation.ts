import { type Kysely, sql } from 'kysely';

/**
 * PLAT-10, AUTH-5 (docs/adr/0018): every change that must end or alter a session some backend
 * process holds in its session cache is announced on the `jk_session` channel by the database
 * itself, in the changing transaction, whoever makes the change (a procedure, a job, retention, a
 * person with psql). Payloads carry ids only: `s:<session id>` or `u:<user id>`.
 *
 * Not announced: last_seen_at moving forward (the 15-second touch, and the unlock). A cache holding
 * an older last_seen_at than the database only ever judges a session idler than it is, and the
 * cache re-reads the database before it calls a session locked, so a stale value changes no
 * decision. last_seen_at moving backwards would be the one looser case; nothing does that, but if
 * anything ever does, it is announced.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function session_cache_notify_session() returns trigger language plpgsql as $$
    begin
      perform pg_notify('jk_session', 's:' || (case when tg_op = 'DELETE' then old.id else new.id end)::text);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger session_cache_session_changed after update on session for each row
      when (old.ended_at is distinct from new.ended_at
         or old.second_factor_at is distinct from new.second_factor_at
         or old.expires_at is distinct from new.expires_at
         or old.token_hash is distinct from new.token_hash
         or old.user_id is distinct from new.user_id
         or old.organisation_id is distinct from new.organisation_id
         or old.auth_method is distinct from new.auth_method
         or old.device_id is distinct from new.device_id
         or new.last_seen_at < old.last_seen_at)
      execute function session_cache_notify_session()`.execute(db);
  await sql`
    create trigger session_cache_session_deleted after delete on session for each row
      execute function session_cache_notify_session()`.execute(db);

  // An account disabled or locked by an admin, or renamed (the name goes into every audit event).
  await sql`
    create function session_cache_notify_app_user() returns trigger language plpgsql as $$
    begin
      perform pg_notify('jk_session', 'u:' || old.id::text);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger session_cache_app_user_changed after update on app_user for each row
      when (old.status is distinct from new.status
         or old.is_locked_by_admin is distinct from new.is_locked_by_admin
         or old.display_name is distinct from new.display_name
         or old.email is distinct from new.email
         or old.profession is distinct from new.profession
         or old.organisation_id is distinct from new.organisation_id)
      execute function session_cache_notify_app_user()`.execute(db);
  await sql`
    create trigger session_cache_app_user_deleted after delete on app_user for each row
      execute function session_cache_notify_app_user()`.execute(db);

  // A role granted, revoked or removed: the session's roles are part of what the cache holds.
  await sql`
    create function session_cache_notify_role_grant() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        perform pg_notify('jk_session', 'u:' || old.user_id::text);
      end if;
      if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.user_id is distinct from old.user_id) then
        perform pg_notify('jk_session', 'u:' || new.user_id::text);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger session_cache_role_grant_changed after insert or update or delete on role_grant for each row
      execute function session_cache_notify_role_grant()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
