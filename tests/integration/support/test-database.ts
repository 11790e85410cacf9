import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../../src/server/db/database';

let pgliteTemplate: Blob | undefined;

/** A fresh, migrated database of its own: PGlite in memory, or a new PostgreSQL database. */
export async function createTestDatabase(): Promise<DatabaseHandle> {
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
    const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 });
    return {
      ...handle,
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
  return openDatabase({ kind: 'pglite', instance: new PGlite({ loadDataDir: pgliteTemplate }) });
}

/**
 * Gives every test in the file its own fresh database (PLAT-1: the same tests on PGlite and on
 * PostgreSQL). Call at the top of a describe block; read `.current` inside a test.
 */
export function useTestDatabase(): { readonly current: DatabaseHandle } {
  let handle: DatabaseHandle | undefined;
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
