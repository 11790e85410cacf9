import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { PreparedStatementClient } from './prepared-statements';
import type { DB } from './schema';

export type Database = Kysely<DB>;
/** The executor a repository function takes first: the database, or a transaction in progress. */
export type Executor = Database | Transaction<DB>;

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  close(): Promise<void>;
}

/**
 * The role the application's queries run as (created by the migrations): it may read and append to
 * the audit log but never change it (AUD-4). Migrations run as the connecting login itself.
 */
export const APPLICATION_ROLE = 'journalkontor_app';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number; role?: string }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite'; instance: PGlite };

// PostgreSQL's timestamptz and date come back as JS Dates by default; dates (no time) are kept as
// 'yyyy-mm-dd' strings so that a date of birth never shifts with the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
/** The same for PGlite, whose parsers are set per instance: pass these to every `new PGlite`. */
export const PGLITE_OPTIONS = { parsers: { [pg.types.builtins.DATE]: (value: string) => value } } as const;

/**
 * Opens the database the configuration names: PostgreSQL through `pg` when DATABASE_URL is set
 * (production), otherwise an embedded PGlite in a local data folder (demo and development, PLAT-1).
 * PGlite has one connection: inside a transaction, use the transaction, never the outer `db`.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      // Each statement parsed and planned once per connection, not on every call (measured).
      Client: PreparedStatementClient,
      connectionString: target.url,
      max: target.poolSize ?? 10,
      // Set at connection start, so no query can run before it: a failure fails the connection.
      ...(target.role ? { options: `-c role=${target.role}` } : {}),
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let pglite: PGlite;
  if ('instance' in target) {
    pglite = target.instance;
  } else {
    // PGlite does not create parent folders itself.
    await mkdir(target.dataDir, { recursive: true });
    pglite = new PGlite(target.dataDir, PGLITE_OPTIONS);
  }
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
