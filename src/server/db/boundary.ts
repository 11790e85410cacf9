import { type Kysely, sql } from 'kysely';
import { APPLICATION_ROLE } from './database';

/**
 * The database boundary on PostgreSQL (PLAT-3, AUD-4; docs/adr/0006): the server logs in as a
 * login role whose only rights are those of APPLICATION_ROLE, so nothing the application sends —
 * `RESET ROLE` included — can reach the owner's rights (change the schema, disable a trigger,
 * rewrite the audit log). Migrations use a second, owner connection.
 */

export class DatabaseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseSetupError';
  }
}

/** SQLSTATEs of a concurrent CREATE ROLE / GRANT of the same thing (roles are cluster-wide). */
const DUPLICATE_OBJECT = '42710';
const UNIQUE_VIOLATION = '23505';
const sqlState = (error: unknown) => (error as { code?: unknown } | undefined)?.code;

/**
 * Why the connected login (session_user) holds more than APPLICATION_ROLE's rights, one sentence
 * per problem; empty when the boundary holds. Reads catalogues only, so it runs as the login itself.
 */
export async function applicationLoginProblems(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{
    login: string;
    is_privileged: boolean;
    other_roles: string[];
    app_is_privileged: boolean;
    app_roles: string[];
    owns_database: boolean;
    owns_objects: boolean;
    owns_schema: boolean;
    direct_grants: boolean;
    can_change_audit: boolean;
  }>`
    with login as (select * from pg_roles where rolname = session_user),
         app as (select * from pg_roles where rolname = ${APPLICATION_ROLE})
    select login.rolname as login,
           (login.rolsuper or login.rolcreaterole or login.rolcreatedb or login.rolreplication or login.rolbypassrls) as is_privileged,
           array(select r.rolname::text from pg_auth_members m join pg_roles r on r.oid = m.roleid
                  where m.member = login.oid and r.rolname <> ${APPLICATION_ROLE} order by 1) as other_roles,
           coalesce((select rolsuper or rolcreaterole or rolcreatedb or rolreplication or rolbypassrls from app), true) as app_is_privileged,
           array(select r.rolname::text from pg_auth_members m join pg_roles r on r.oid = m.roleid
                  where m.member = (select oid from app) order by 1) as app_roles,
           exists (select 1 from pg_database where datname = current_database() and datdba = login.oid) as owns_database,
           exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = 'public' and c.relowner in (login.oid, (select oid from app))) as owns_objects,
           exists (select 1 from pg_namespace where nspname = 'public' and nspowner = login.oid) as owns_schema,
           exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace, aclexplode(c.relacl) a
                    where n.nspname = 'public' and a.grantee = login.oid) as direct_grants,
           (to_regclass('public.audit_event') is not null and (
              has_table_privilege(login.oid, 'public.audit_event', 'UPDATE')
              or has_table_privilege(login.oid, 'public.audit_event', 'DELETE')
              or has_table_privilege(login.oid, 'public.audit_event', 'TRUNCATE'))) as can_change_audit
      from login`.execute(db);
  const row = rows[0];
  if (!row) return ['the connected login is not a role (session_user not found in pg_roles)'];
  const problems: string[] = [];
  const who = `login "${row.login}"`;
  if (row.is_privileged) problems.push(`${who} is a superuser or may create roles or databases, replicate or bypass row-level security`);
  if (row.other_roles.length > 0) problems.push(`${who} is a member of ${row.other_roles.join(', ')}, not only of ${APPLICATION_ROLE}`);
  if (row.app_is_privileged) problems.push(`role ${APPLICATION_ROLE} is missing or holds attributes beyond table rights`);
  if (row.app_roles.length > 0) problems.push(`role ${APPLICATION_ROLE} is a member of ${row.app_roles.join(', ')}`);
  if (row.owns_database) problems.push(`${who} owns the database`);
  if (row.owns_schema) problems.push(`${who} owns the schema public`);
  if (row.owns_objects) problems.push(`${who} or ${APPLICATION_ROLE} owns tables in the schema public`);
  if (row.direct_grants) problems.push(`${who} holds table rights of its own, not only through ${APPLICATION_ROLE}`);
  if (row.can_change_audit) problems.push(`${who} may update, delete or truncate audit events`);
  return problems;
}

/** Refuses a login that can do more than the application role (see applicationLoginProblems). */
export async function assertApplicationLogin(db: Kysely<any>, variable = 'DATABASE_URL'): Promise<void> {
  const problems = await applicationLoginProblems(db);
  if (problems.length > 0) {
    throw new DatabaseSetupError(
      `${variable} must log in with only the rights of ${APPLICATION_ROLE}, but: ${problems.join('; ')}. ` +
        'Create such a login with `npm run db:provision` (DATABASE_OWNER_URL names the owner) and run migrations with DATABASE_OWNER_URL.',
    );
  }
}

export interface ApplicationLogin {
  name: string;
  /** Set (or changed) when given; left as it is otherwise (trust or certificate authentication). */
  password?: string | undefined;
}

/** The login DATABASE_URL names: its user name and password, percent-decoded. */
export function loginOfUrl(url: string): ApplicationLogin {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.username);
  if (!name) throw new DatabaseSetupError('DATABASE_URL names no user: the application login must be named in the URL (postgres://journalkontor_server:…@host/db)');
  return { name, password: parsed.password ? decodeURIComponent(parsed.password) : undefined };
}

/**
 * Creates (or checks and updates) the application's login role, as a login that may create roles
 * (the owner, or an administrator): LOGIN, none of the privileged attributes, a member of
 * APPLICATION_ROLE and of nothing else. An existing role that is more than that (a superuser, the
 * owner, a member of another role) is refused, never quietly demoted: it may be someone's.
 * Idempotent, and safe when several runs provision the same name at once (tests share a cluster).
 */
export async function provisionApplicationLogin(owner: Kysely<any>, login: ApplicationLogin): Promise<{ created: boolean }> {
  if (login.name === APPLICATION_ROLE) throw new DatabaseSetupError(`the application login must be a role of its own, not ${APPLICATION_ROLE}`);
  return owner.transaction().execute(async (trx) => {
    // Serialises provisioning runs that connect to the same database (CI and test set-ups do).
    await sql`select pg_advisory_xact_lock(hashtext('journalkontor.provision_login'))`.execute(trx);
    const app = await sql<{ exists: boolean }>`select exists (select 1 from pg_roles where rolname = ${APPLICATION_ROLE}) as exists`.execute(trx);
    if (!app.rows[0]?.exists) throw new DatabaseSetupError(`role ${APPLICATION_ROLE} does not exist: run the migrations first`);
    const existing = await sql<{ can_login: boolean; is_privileged: boolean; owns: boolean; other_roles: string[] }>`
      select r.rolcanlogin as can_login,
             (r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolreplication or r.rolbypassrls) as is_privileged,
             r.rolname = current_user or pg_has_role(r.oid, current_user, 'MEMBER') as owns,
             array(select g.rolname::text from pg_auth_members m join pg_roles g on g.oid = m.roleid
                    where m.member = r.oid and g.rolname <> ${APPLICATION_ROLE} order by 1) as other_roles
        from pg_roles r where r.rolname = ${login.name}`.execute(trx);
    const found = existing.rows[0];
    let created = false;
    if (found) {
      const problems = [
        found.is_privileged ? 'is a superuser or holds privileged attributes' : '',
        found.owns ? 'is (or can act as) the owner that provisions it' : '',
        found.other_roles.length > 0 ? `is a member of ${found.other_roles.join(', ')}` : '',
      ].filter(Boolean);
      if (problems.length > 0) throw new DatabaseSetupError(`role "${login.name}" exists and ${problems.join(', ')}: choose another login name for DATABASE_URL`);
      // Altered only when needed: concurrent ALTER ROLEs of one role can fail ("tuple concurrently updated").
      if (!found.can_login) await sql`alter role ${sql.id(login.name)} with login`.execute(trx);
    } else {
      try {
        await sql`savepoint create_login`.execute(trx);
        await sql`create role ${sql.id(login.name)} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls inherit`.execute(trx);
        created = true;
      } catch (error) {
        // Created at this very moment by a concurrent run on another database (the advisory lock
        // is per database); that run creates it with the same attributes, so it is used as it is.
        if (sqlState(error) !== DUPLICATE_OBJECT && sqlState(error) !== UNIQUE_VIOLATION) throw error;
        await sql`rollback to savepoint create_login`.execute(trx);
      }
    }
    if (login.password !== undefined) {
      // A password is a literal in CREATE/ALTER ROLE (no parameters there): quoted by the server.
      const quoted = await sql<{ literal: string }>`select quote_literal(${login.password}) as literal`.execute(trx);
      await sql`alter role ${sql.id(login.name)} with password ${sql.raw(quoted.rows[0]!.literal)}`.execute(trx);
    }
    const member = await sql<{ is_member: boolean }>`
      select exists (select 1 from pg_auth_members m where m.member = (select oid from pg_roles where rolname = ${login.name})
                       and m.roleid = (select oid from pg_roles where rolname = ${APPLICATION_ROLE})) as is_member`.execute(trx);
    if (!member.rows[0]?.is_member) {
      try {
        await sql`savepoint grant_app`.execute(trx);
        await sql`grant ${sql.id(APPLICATION_ROLE)} to ${sql.id(login.name)}`.execute(trx);
      } catch (error) {
        // The same membership granted by a concurrent run; anything else is a real failure.
        if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
        await sql`rollback to savepoint grant_app`.execute(trx);
      }
    }
    return { created };
  });
}
