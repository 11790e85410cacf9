import { sql } from 'kysely';
import type { ServerConfig } from '../config';
import { APPLICATION_ROLE, type DatabaseHandle, type DatabaseTarget, openDatabase } from './database';
import { migrateToLatest } from './migrate';

/**
 * Opens the database for the application: migrations first, as the connecting login (the owner),
 * then every application query as APPLICATION_ROLE. PostgreSQL gets a fresh pool whose connections
 * start in that role; PGlite has one connection, switched with SET ROLE.
 */
export async function openApplicationDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  const owner = await openDatabase(target);
  try {
    await migrateToLatest(owner.db);
    if (owner.kind === 'pglite') {
      await sql`set role ${sql.id(APPLICATION_ROLE)}`.execute(owner.db);
      return owner;
    }
  } catch (error) {
    await owner.close();
    throw error;
  }
  await owner.close();
  if (target.kind !== 'postgres') throw new Error('unreachable');
  return openDatabase({ ...target, role: APPLICATION_ROLE });
}

/** The database the configuration names: PostgreSQL with DATABASE_URL, else the PGlite folder. */
export function databaseTargetOf(config: ServerConfig, options: { poolSize?: number } = {}): DatabaseTarget {
  return config.database.kind === 'postgres'
    ? { kind: 'postgres', url: config.database.url, poolSize: options.poolSize ?? config.database.poolSize }
    : { kind: 'pglite', dataDir: config.database.dataDir };
}
