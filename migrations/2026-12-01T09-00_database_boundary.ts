import { type Kysely, sql } from 'kysely';

// The database boundary (PLAT-3, AUD-4; docs/adr/0006). The server now logs in as a login of its
// own holding only journalkontor_app's rights, and migrations run as the owner. Frozen in time: no
// application imports.
//
// 2026-11-22T09-00 granted journalkontor_app to the migrating login inside
// `exception when others then null`, so a failed grant passed unseen. That migration has run and
// stays as it was; the grant it attempted is no longer needed (the owner no longer acts as the
// application: PostgreSQL's server has its own login, PGlite's one user is a superuser). What the
// boundary does depend on is checked here, and any gap fails this migration (and so the server's
// start) instead of being passed over.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    declare
      app oid := (select oid from pg_roles where rolname = 'journalkontor_app');
      tbl text;
      missing text;
    begin
      if app is null then
        raise exception 'role journalkontor_app does not exist (2026-11-22T09-00 creates it)';
      end if;
      -- Table rights only: none of the attributes that reach past them.
      if exists (select 1 from pg_roles where oid = app
                  and (rolsuper or rolcreaterole or rolcreatedb or rolreplication or rolbypassrls)) then
        raise exception 'role journalkontor_app must not be a superuser, create roles or databases, replicate or bypass row-level security';
      end if;
      -- A member of no role, so neither it nor a login holding it can SET ROLE to the owner.
      if exists (select 1 from pg_auth_members where member = app) then
        raise exception 'role journalkontor_app must not be a member of another role';
      end if;
      if exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'public' and c.relowner = app) then
        raise exception 'role journalkontor_app must not own tables (an owner may disable triggers)';
      end if;
      -- Append-only records: read and append, never change (AUD-4, JRN-4).
      foreach tbl in array array['audit_event', 'audit_seal', 'journal_deletion'] loop
        if not (has_table_privilege(app, tbl, 'SELECT') and has_table_privilege(app, tbl, 'INSERT')) then
          raise exception 'journalkontor_app lacks SELECT or INSERT on %', tbl;
        end if;
        if has_table_privilege(app, tbl, 'UPDATE') or has_table_privilege(app, tbl, 'DELETE')
           or has_table_privilege(app, tbl, 'TRUNCATE') then
          raise exception 'journalkontor_app may change %: it must only read and append', tbl;
        end if;
      end loop;
      -- Every table so far is one the application reads: a grant that did not happen is found here.
      select string_agg(c.relname, ', ') into missing
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') and not has_table_privilege(app, c.oid, 'SELECT');
      if missing is not null then
        raise exception 'journalkontor_app cannot read: %', missing;
      end if;
    end $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
