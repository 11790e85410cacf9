import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Which database the integration tests run on this time. */
    testDatabaseKind: 'pglite' | 'postgres';
    /** PGlite: a migrated data folder, dumped once; each test loads its own copy. */
    pgliteTemplatePath: string;
    /** PostgreSQL: a migrated template database; each test gets CREATE DATABASE … TEMPLATE it. */
    postgresTemplateName: string;
  }
}

/**
 * Migrates one template database for the whole run, so each test can start from a fresh copy in
 * a fraction of the time a migration (or PGlite's initdb) takes. With DATABASE_URL the tests run on
 * that PostgreSQL server; without it, on PGlite.
 */
export default async function setup(project: TestProject) {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const templateName = `jk_template_${randomBytes(4).toString('hex')}`;
    const admin = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }) });
    await sql`create database ${sql.id(templateName)}`.execute(admin);
    const templateUrl = new URL(databaseUrl);
    templateUrl.pathname = `/${templateName}`;
    const template = await openDatabase({ kind: 'postgres', url: templateUrl.toString(), poolSize: 1 });
    await migrateToLatest(template.db);
    await template.close();
    project.provide('testDatabaseKind', 'postgres');
    project.provide('postgresTemplateName', templateName);
    project.provide('pgliteTemplatePath', '');
    return async () => {
      // Test databases made from the template are dropped by each test; drop any left by a crash too.
      const leftovers = await sql<{ datname: string }>`select datname from pg_database where datname like ${`${templateName}_%`}`.execute(admin);
      for (const row of leftovers.rows) await sql`drop database if exists ${sql.id(row.datname)} with (force)`.execute(admin);
      await sql`drop database if exists ${sql.id(templateName)} with (force)`.execute(admin);
      await admin.destroy();
    };
  }

  const folder = await mkdtemp(join(tmpdir(), 'jk-pglite-template-'));
  const pglite = new PGlite();
  const template = await openDatabase({ kind: 'pglite', instance: pglite });
  await migrateToLatest(template.db);
  const dump = await pglite.dumpDataDir('none');
  await template.close();
  const path = join(folder, 'template.tar');
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDatabaseKind', 'pglite');
  project.provide('pgliteTemplatePath', path);
  project.provide('postgresTemplateName', '');
  return async () => {
    await rm(folder, { recursive: true, force: true });
  };
}
