import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { assertApplicationLogin, provisionApplicationLogin } from '../../src/server/db/boundary';
import { APPLICATION_ROLE, openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Which database the integration tests run on this time. */
    testDatabaseKind: 'pglite' | 'postgres';
    /** PGlite: a migrated data folder, dumped once; each test loads its own copy. */
    pgliteTemplatePath: string;
    /** PostgreSQL: a migrated template database; each test gets CREATE DATABASE … TEMPLATE it. */
    postgresTemplateName: string;
    /** PostgreSQL: the login each test's `db` connects as, holding only the application role's rights. */
    postgresApplicationLogin: string;
  }
}

/**
 * The login the tests' `db` uses on PostgreSQL, as the server uses its own (docs/adr/0006). Roles are
 * cluster-wide and other runs share the cluster: it is provisioned idempotently and never dropped.
 * Its own name, so no test touches the password of a developer's `journalkontor_server`.
 */
const TEST_APPLICATION_LOGIN = 'journalkontor_test_server';

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
    try {
      const template = await openDatabase({ kind: 'postgres', url: templateUrl.toString(), poolSize: 1 });
      try {
        await migrateToLatest(template.db);
      } finally {
        await template.close();
      }
      // On the server's own database (`admin`), so concurrent runs serialise on one advisory lock.
      await provisionApplicationLogin(admin, { name: TEST_APPLICATION_LOGIN });
      const applicationUrl = new URL(templateUrl);
      applicationUrl.username = TEST_APPLICATION_LOGIN;
      applicationUrl.password = '';
      const application = await openDatabase({ kind: 'postgres', url: applicationUrl.toString(), poolSize: 1, role: APPLICATION_ROLE });
      try {
        // Every test database is a copy of this one: checked once, here, as the login itself.
        await assertApplicationLogin(application.db);
      } finally {
        await application.close();
      }
    } catch (error) {
      // No teardown runs when set-up fails: drop the template here, or it stays on the shared server.
      await sql`drop database if exists ${sql.id(templateName)} with (force)`.execute(admin);
      await admin.destroy();
      throw error;
    }
    project.provide('testDatabaseKind', 'postgres');
    project.provide('postgresTemplateName', templateName);
    project.provide('postgresApplicationLogin', TEST_APPLICATION_LOGIN);
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
  project.provide('postgresApplicationLogin', '');
  return async () => {
    await rm(folder, { recursive: true, force: true });
  };
}
