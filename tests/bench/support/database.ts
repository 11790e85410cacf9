import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { APPLICATION_ROLE, type DatabaseHandle, openDatabase } from '../../../src/server/db/database';
import { migrateToLatest } from '../../../src/server/db/migrate';

/**
 * The PostgreSQL server the benchmarks create their throw-away databases on: BENCH_DATABASE_URL,
 * else DATABASE_URL, else the local server with trust auth. Its path names only the database to
 * connect to for CREATE/DROP DATABASE.
 */
export function serverUrl(): string {
  return process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface BenchDatabase {
  name: string;
  /** A URL naming the throw-away database (connecting as the owner login). */
  url: string;
  /** The owner (the migrating login): for bulk set-up the application role may not do. */
  owner: DatabaseHandle;
  /** A pool whose connections run as APPLICATION_ROLE, like the server's. */
  openAsApplication(poolSize: number): Promise<DatabaseHandle>;
  /** Closes every handle opened here and drops the database. */
  drop(): Promise<void>;
  /** Closes every handle opened here and keeps the database (a kept large data set, to measure again). */
  close(): Promise<void>;
}

async function withServer<T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const admin = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: serverUrl(), max: 1 }) }) });
  try {
    return await fn(admin);
  } finally {
    await admin.destroy();
  }
}

const live = new Set<BenchDatabase>();

/** Drops every bench database still open (an interrupted run). */
export async function dropLiveBenchDatabases(): Promise<void> {
  for (const database of [...live]) await database.drop().catch(() => {});
}

/**
 * A fresh database `jk_bench_<label>_<random>`, migrated as the owner with migrateToLatest. With
 * `existing`, a database a kept earlier run left (its name): opened and migrated, not created. With
 * `isMigrated: false` it is left empty, for a server of another checkout to migrate with its own
 * migrations (the `http` benchmark).
 */
export async function createBenchDatabase(label: string, existing?: string, options: { isMigrated?: boolean } = {}): Promise<BenchDatabase> {
  const name = existing ?? `jk_bench_${label}_${randomBytes(4).toString('hex')}`;
  if (!/^jk_bench_[a-z0-9_]+$/.test(name)) throw new Error(`not a bench database name: ${name}`);
  if (!existing) await withServer((admin) => sql`create database ${sql.id(name)}`.execute(admin));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const handles: DatabaseHandle[] = [];
  let owner: DatabaseHandle | undefined;
  try {
    owner = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
    handles.push(owner);
    if (options.isMigrated !== false) await migrateToLatest(owner.db);
  } catch (error) {
    for (const handle of handles) await handle.close().catch(() => {});
    if (!existing) await dropDatabase(name);
    throw error;
  }
  const database: BenchDatabase = {
    name,
    url: url.toString(),
    owner,
    async openAsApplication(poolSize) {
      const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize, role: APPLICATION_ROLE });
      handles.push(handle);
      return handle;
    },
    async drop() {
      live.delete(database);
      for (const handle of handles.splice(0)) await handle.close().catch(() => {});
      await dropDatabase(name);
    },
    async close() {
      live.delete(database);
      for (const handle of handles.splice(0)) await handle.close().catch(() => {});
    },
  };
  live.add(database);
  return database;
}

async function dropDatabase(name: string): Promise<void> {
  await withServer((admin) => sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin));
}
