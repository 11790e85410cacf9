import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as databaseBoundary from '../../../migrations/2026-12-01T09-00_database_boundary';
import { applicationLoginProblems, DatabaseSetupError, provisionApplicationLogin } from '../../../src/server/db/boundary';
import { APPLICATION_ROLE } from '../../../src/server/db/database';
import { openApplicationDatabase } from '../../../src/server/db/open';
import { useTestDatabase } from '../support/test-database';

// The database boundary (docs/adr/0006). On PostgreSQL the application logs in as a login holding
// only journalkontor_app's rights, so no statement it sends can reach the owner's. PGlite has one
// user, a superuser: there the boundary is SET ROLE only, and the PostgreSQL-only tests below skip
// (they run in CI, whose second pass sets DATABASE_URL).
const isPostgres = Boolean(process.env.DATABASE_URL);
if (!isPostgres) console.info('database-boundary.int.test.ts: the login tests are PostgreSQL only (set DATABASE_URL); PGlite has one user');

/** The error a statement fails with, or a failure of the test when it succeeds. */
async function refusal(run: Promise<unknown>): Promise<{ message: string; code: string | undefined }> {
  try {
    await run;
  } catch (error) {
    return { message: (error as Error).message, code: (error as { code?: string }).code };
  }
  throw new Error('expected the statement to be refused, and it ran');
}

/** Appends one event as the application (it may insert), so there is a row to try to change. */
async function appendEvent(db: Kysely<any>): Promise<void> {
  await sql`insert into audit_event (occurred_at, action, outcome) values (now(), 'auth.logout', 'allowed')`.execute(db);
}

/** A connection of its own to the server of DATABASE_URL (as its superuser), for CREATE/DROP. */
function serverAdmin(): Kysely<any> {
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 }) }) });
}

describe('PLAT-3, AUD-4: the application role may read and append to the audit log, never change it (both databases)', () => {
  const database = useTestDatabase();

  it('AUD-4: as the application, UPDATE, DELETE and TRUNCATE of audit_event are refused by privilege, not only by the trigger', async () => {
    const { db } = database.current;
    await appendEvent(db);
    for (const statement of [sql`update audit_event set action = 'x'`, sql`delete from audit_event`, sql`truncate audit_event`]) {
      const error = await refusal(statement.execute(db));
      // The trigger raises the same SQLSTATE with another message; only the grant says this.
      expect(error.message).toMatch(/permission denied for table audit_event/);
    }
  });

  it('PLAT-3, AUD-4: the boundary migration fails when the application role may change the audit log, or cannot read a table', async () => {
    const { asOwner } = database.current;
    // Grants are per database: these change this test's database only.
    await asOwner((owner) => sql`grant update on audit_event to ${sql.id(APPLICATION_ROLE)}`.execute(owner));
    await expect(asOwner((owner) => databaseBoundary.up(owner))).rejects.toThrow(/journalkontor_app may change audit_event/);
    await asOwner((owner) => sql`revoke update on audit_event from ${sql.id(APPLICATION_ROLE)}`.execute(owner));
    await expect(asOwner((owner) => databaseBoundary.up(owner))).resolves.toBeUndefined();
    await asOwner((owner) => sql`revoke select on patient from ${sql.id(APPLICATION_ROLE)}`.execute(owner));
    await expect(asOwner((owner) => databaseBoundary.up(owner))).rejects.toThrow(/journalkontor_app cannot read: patient/);
  });
});

describe.skipIf(isPostgres)('PLAT-3: PGlite has one user, so there the boundary is SET ROLE only (docs/adr/0006)', () => {
  const database = useTestDatabase();

  it('PLAT-3: on PGlite RESET ROLE gives back the superuser — the written-down limit of the demo database', async () => {
    // If this ever fails, PGlite gained a second user: the demo could then get the PostgreSQL boundary.
    const { db } = database.current;
    try {
      await sql`reset role`.execute(db);
      const { rows } = await sql<{ is_superuser: boolean }>`select rolsuper as is_superuser from pg_roles where rolname = current_user`.execute(db);
      expect(rows[0]?.is_superuser).toBe(true);
    } finally {
      await sql`set role ${sql.id(APPLICATION_ROLE)}`.execute(db);
    }
  });
});

describe.skipIf(!isPostgres)('PLAT-3, AUD-4: on PostgreSQL the application logs in with only the application role\'s rights', () => {
  const database = useTestDatabase();

  /** Runs `fn` on one connection of the application's pool (RESET ROLE is per connection). */
  function onOneConnection<T>(fn: (connection: Kysely<any>) => Promise<T>): Promise<T> {
    return database.current.db.connection().execute(fn);
  }

  async function tableOwner(): Promise<string> {
    const { rows } = await sql<{ owner: string }>`select tableowner as owner from pg_tables where schemaname = 'public' and tablename = 'audit_event'`.execute(database.current.db);
    return rows[0]!.owner;
  }

  it('PLAT-3: the login is no superuser and is a member of journalkontor_app only; every statement runs as journalkontor_app', async () => {
    const { rows } = await sql<{ login: string; role: string; is_superuser: boolean }>`
      select session_user as login, current_user as role, (select rolsuper from pg_roles where rolname = session_user) as is_superuser`.execute(database.current.db);
    expect(rows[0]).toEqual({ login: 'journalkontor_test_server', role: APPLICATION_ROLE, is_superuser: false });
    expect(await applicationLoginProblems(database.current.db)).toEqual([]);
  });

  // Connections start in the role (`-c role=`), which makes it the session's default: RESET ROLE
  // returns to journalkontor_app, but SET ROLE NONE drops to the login itself. With the owner as the
  // login (the setup before issue 8) that was the owner's every right; now it is nothing more.
  for (const stepOut of ['reset role', 'set role none']) {
    it(`AUD-4: after ${stepOut.toUpperCase()} the login still cannot update or delete an audit event or seal`, async () => {
      await onOneConnection(async (connection) => {
        await appendEvent(connection);
        await sql.raw(stepOut).execute(connection);
        for (const statement of [sql`update audit_event set action = 'x'`, sql`delete from audit_event`, sql`update audit_seal set event_count = 0`]) {
          expect((await refusal(statement.execute(connection))).message).toMatch(/permission denied for table audit_(event|seal)/);
        }
        const { rows } = await sql<{ role: string }>`select current_user as role`.execute(connection);
        expect(rows[0]?.role).toBe(stepOut === 'reset role' ? APPLICATION_ROLE : 'journalkontor_test_server');
      });
    });
  }

  it('AUD-4: the login cannot disable the append-only trigger, in the role or out of it (SET ROLE NONE)', async () => {
    await onOneConnection(async (connection) => {
      const attempts: RawBuilder<unknown>[] = [
        sql`alter table audit_event disable trigger all`,
        sql`alter table audit_event disable trigger audit_event_append_only`,
        sql`alter table journal_note_version disable trigger user`,
      ];
      for (const statement of attempts) expect((await refusal(statement.execute(connection))).message).toMatch(/must be owner of table/);
      await sql`set role none`.execute(connection);
      for (const statement of attempts) expect((await refusal(statement.execute(connection))).message).toMatch(/must be owner of table/);
      // And so the trigger still stands: the owner's view of it.
      const enabled = await database.current.asOwner((owner) =>
        sql<{ tgenabled: string }>`select tgenabled from pg_trigger where tgname = 'audit_event_append_only'`.execute(owner));
      expect(enabled.rows[0]?.tgenabled).toBe('O');
    });
  });

  it('PLAT-3: the login cannot SET ROLE to the superuser or to the tables\' owner', async () => {
    const owner = await tableOwner();
    await onOneConnection(async (connection) => {
      for (const role of new Set(['postgres', owner])) {
        const error = await refusal(sql`set role ${sql.id(role)}`.execute(connection));
        expect(error.message).toMatch(/permission denied to set role/);
      }
      await sql`set role none`.execute(connection);
      expect((await refusal(sql`set role postgres`.execute(connection))).message).toMatch(/permission denied to set role/);
      expect((await refusal(sql`set session authorization postgres`.execute(connection))).message).toMatch(/permission denied/);
    });
  });

  it('PLAT-3: the server refuses to start as the owner or a superuser, naming DATABASE_URL', async () => {
    const attempt = openApplicationDatabase({ kind: 'postgres', url: database.current.ownerUrl!, poolSize: 1 });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseSetupError);
    await expect(attempt).rejects.toThrow(/DATABASE_URL must log in with only the rights of journalkontor_app.*superuser/);
  });

  it('PLAT-2, PLAT-3: on a new database the application login alone is refused until migrated; with the owner URL the server migrates and runs as the login', async () => {
    const name = `jk_boundary_${randomBytes(6).toString('hex')}`;
    const admin = serverAdmin();
    await sql`create database ${sql.id(name)}`.execute(admin);
    try {
      const ownerUrl = new URL(database.current.ownerUrl!);
      ownerUrl.pathname = `/${name}`;
      const applicationUrl = new URL(database.current.applicationUrl!);
      applicationUrl.pathname = `/${name}`;
      await expect(openApplicationDatabase({ kind: 'postgres', url: applicationUrl.toString(), poolSize: 1 })).rejects.toThrow(/not migrated.*npm run migrate/);
      const handle = await openApplicationDatabase({ kind: 'postgres', url: applicationUrl.toString(), ownerUrl: ownerUrl.toString(), poolSize: 2 });
      try {
        const { rows } = await sql<{ login: string; role: string; tables: number }>`
          select session_user as login, current_user as role,
                 (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = session_user) as tables`.execute(handle.db);
        expect(rows[0]).toEqual({ login: 'journalkontor_test_server', role: APPLICATION_ROLE, tables: 0 });
        // The migrations created the schema as the owner, not as the application's login.
        const owners = await sql<{ owner: string }>`select distinct tableowner as owner from pg_tables where schemaname = 'public'`.execute(handle.db);
        expect(owners.rows.map((row) => row.owner)).toEqual([ownerUrl.username]);
      } finally {
        await handle.close();
      }
    } finally {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    }
  });

  it('PLAT-3: db:provision creates a login with only the application role, is idempotent, and refuses to take over a privileged role', async () => {
    // A role of this test alone (random name), dropped at the end: no other run uses it.
    const name = `jk_provision_${randomBytes(5).toString('hex')}`;
    const admin = serverAdmin();
    try {
      expect(await provisionApplicationLogin(admin, { name, password: 'Et-langt-passord-42' })).toEqual({ created: true });
      expect(await provisionApplicationLogin(admin, { name, password: 'Et-annet-passord-43' })).toEqual({ created: false });
      const { rows } = await sql<{ can_login: boolean; is_superuser: boolean; has_password: boolean; roles: string[] }>`
        select r.rolcanlogin as can_login, r.rolsuper as is_superuser, a.rolpassword is not null as has_password,
               array(select g.rolname::text from pg_auth_members m join pg_roles g on g.oid = m.roleid where m.member = r.oid) as roles
          from pg_roles r join pg_authid a on a.oid = r.oid where r.rolname = ${name}`.execute(admin);
      expect(rows[0]).toEqual({ can_login: true, is_superuser: false, has_password: true, roles: [APPLICATION_ROLE] });
      await expect(provisionApplicationLogin(admin, { name: 'postgres' })).rejects.toThrow(/role "postgres" exists and is a superuser/);
      await expect(provisionApplicationLogin(admin, { name: APPLICATION_ROLE })).rejects.toBeInstanceOf(DatabaseSetupError);
      // A login that can become another role is no application login either.
      await sql`grant pg_read_all_data to ${sql.id(name)}`.execute(admin);
      await expect(provisionApplicationLogin(admin, { name })).rejects.toThrow(/is a member of pg_read_all_data/);
    } finally {
      await sql`drop role if exists ${sql.id(name)}`.execute(admin);
      await admin.destroy();
    }
  });
});
