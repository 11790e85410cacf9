import { sql } from 'kysely';
import type { ServerConfig } from '../config';
import { assertApplicationLogin, DatabaseSetupError } from './boundary';
import { APPLICATION_ROLE, type DatabaseHandle, type DatabaseTarget, openDatabase } from './database';
import { migrateToLatest, pendingMigrations } from './migrate';

/**
 * Where the application's database is: PostgreSQL as the application login (DATABASE_URL), with the
 * owner's connection for migrations when one is given (DATABASE_OWNER_URL); or a PGlite folder.
 */
export type ApplicationDatabaseTarget =
  | { kind: 'postgres'; url: string; ownerUrl?: string | undefined; poolSize?: number }
  | Exclude<DatabaseTarget, { kind: 'postgres' }>;

/**
 * Opens the database for the application (docs/adr/0006).
 * - PostgreSQL: migrations run first on a short-lived owner connection when an owner URL is given;
 *   without one the database must already be migrated (`npm run migrate`). The application's pool
 *   then logs in as DATABASE_URL's login, each connection starting in APPLICATION_ROLE, and the login
 *   is checked to hold nothing more than that role's rights: a server started as the owner or a
 *   superuser is refused, since `RESET ROLE` would give it back everything the role takes away.
 * - PGlite has one user, a superuser: migrations, then `SET ROLE` on its one connection. There the
 *   boundary is SET ROLE only (anything the application sends could `RESET ROLE`); it is the demo's.
 */
export async function openApplicationDatabase(target: ApplicationDatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind !== 'postgres') {
    const single = await openDatabase(target);
    try {
      await migrateToLatest(single.db);
      await sql`set role ${sql.id(APPLICATION_ROLE)}`.execute(single.db);
      return single;
    } catch (error) {
      await single.close();
      throw error;
    }
  }
  if (target.ownerUrl) {
    const owner = await openDatabase({ kind: 'postgres', url: target.ownerUrl, poolSize: 1 });
    try {
      await migrateToLatest(owner.db);
    } finally {
      await owner.close();
    }
  }
  const application = await openDatabase({ kind: 'postgres', url: target.url, poolSize: target.poolSize, role: APPLICATION_ROLE });
  try {
    await assertApplicationLogin(application.db);
    const pending = await pendingMigrations(application.db);
    if (pending.length > 0) {
      throw new DatabaseSetupError(
        `The database is not migrated (${pending.length} pending, first ${pending[0]}): run \`npm run migrate\` with DATABASE_OWNER_URL, or start the server with DATABASE_OWNER_URL set`,
      );
    }
    return application;
  } catch (error) {
    await application.close();
    throw error;
  }
}

/** The database the configuration names: PostgreSQL with DATABASE_URL, else the PGlite folder. */
export function databaseTargetOf(config: ServerConfig, options: { poolSize?: number } = {}): ApplicationDatabaseTarget {
  return config.database.kind === 'postgres'
    ? { kind: 'postgres', url: config.database.url, ownerUrl: config.database.ownerUrl, poolSize: options.poolSize ?? config.database.poolSize }
    : { kind: 'pglite', dataDir: config.database.dataDir };
}

/**
 * The connection migrations run on: the owner (DATABASE_OWNER_URL) on PostgreSQL, PGlite's one
 * user otherwise. DATABASE_URL alone is refused: it names the application's login, which may not
 * change the schema, and using it as the owner would be the very mix-up the boundary is for.
 */
export function ownerTargetOf(config: ServerConfig): DatabaseTarget {
  if (config.database.kind === 'pglite') return { kind: 'pglite', dataDir: config.database.dataDir };
  if (!config.database.ownerUrl) throw new DatabaseSetupError('DATABASE_OWNER_URL: required here (the owner login that runs migrations; DATABASE_URL is the application login)');
  return { kind: 'postgres', url: config.database.ownerUrl, poolSize: 1 };
}
