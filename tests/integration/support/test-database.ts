import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, inject } from 'vitest';
import { APPLICATION_ROLE, type DatabaseHandle, openDatabase, PGLITE_OPTIONS } from '../../../src/server/db/database';

let pgliteTemplate: Blob | undefined;

export interface TestDatabase extends DatabaseHandle {
  /** PostgreSQL: the URL `db` connects with (the application login); undefined on PGlite. */
  applicationUrl: string | undefined;
  /** PostgreSQL: the owner's URL of this database (the superuser of DATABASE_URL); undefined on PGlite. */
  ownerUrl: string | undefined;
  /**
   * Runs `fn` as the database owner (superuser here), outside the application role: for tests that
   * tamper with what the application itself may not touch (the audit log).
   */
  asOwner<T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T>;
}

/**
 * A fresh, migrated database of its own: PGlite in memory, or a new PostgreSQL database. Its `db`
 * connects as the server does (docs/adr/0006): on PostgreSQL as a login holding only the
 * application role's rights (provisioned by the global set-up), each connection starting in that
 * role; on PGlite its one user after SET ROLE.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (inject('testDatabaseKind') === 'postgres') {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) throw new Error('DATABASE_URL vanished between global setup and the test');
    const template = inject('postgresTemplateName');
    const name = `${template}_${randomBytes(6).toString('hex')}`;
    const admin = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }) });
    try {
      await sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(admin);
    } finally {
      await admin.destroy();
    }
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const applicationUrl = new URL(url);
    applicationUrl.username = inject('postgresApplicationLogin');
    applicationUrl.password = '';
    const handle = await openDatabase({ kind: 'postgres', url: applicationUrl.toString(), poolSize: 5, role: APPLICATION_ROLE });
    return {
      ...handle,
      applicationUrl: applicationUrl.toString(),
      ownerUrl: url.toString(),
      asOwner: async (fn) => {
        const owner = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 1 });
        try {
          return await fn(owner.db);
        } finally {
          await owner.close();
        }
      },
      close: async () => {
        await handle.close();
        const dropper = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }) });
        try {
          await sql`drop database if exists ${sql.id(name)} with (force)`.execute(dropper);
        } finally {
          await dropper.destroy();
        }
      },
    };
  }
  pgliteTemplate ??= new Blob([new Uint8Array(await readFile(inject('pgliteTemplatePath')))]);
  const handle = await openDatabase({ kind: 'pglite', instance: new PGlite({ ...PGLITE_OPTIONS, loadDataDir: pgliteTemplate }) });
  await sql`set role ${sql.id(APPLICATION_ROLE)}`.execute(handle.db);
  return {
    ...handle,
    applicationUrl: undefined,
    ownerUrl: undefined,
    // One connection: step out of the application role and back.
    asOwner: async (fn) => {
      await sql`reset role`.execute(handle.db);
      try {
        return await fn(handle.db);
      } finally {
        await sql`set role ${sql.id(APPLICATION_ROLE)}`.execute(handle.db);
      }
    },
  };
}

/**
 * Gives every test in the file its own fresh database (PLAT-1: the same tests on PGlite and on
 * PostgreSQL). Call at the top of a describe block; read `.current` inside a test.
 */
export function useTestDatabase(): { readonly current: TestDatabase } {
  let handle: TestDatabase | undefined;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });
  return {
    get current() {
      if (!handle) throw new Error('useTestDatabase: no database outside a test');
      return handle;
    },
  };
}
