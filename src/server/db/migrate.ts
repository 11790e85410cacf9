import { type Kysely, type Migration, Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../migrations';

export class MigrationError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    options: { cause: unknown },
  ) {
    super(`Migration ${migrationName ?? '(unknown)'} failed; the database was left as it was`, options);
    this.name = 'MigrationError';
  }
}

type MigrationList = Record<string, Migration>;

function createMigrator(db: Kysely<any>, list: MigrationList): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => list },
    // Forward-only (PLAT-2): every deployed migration must still be in the list, in order.
    allowUnorderedMigrations: false,
  });
}

/**
 * Runs every pending migration. On PostgreSQL (and PGlite) Kysely runs them all in one transaction
 * under an advisory lock, so a failure leaves the database exactly as it was, and two server
 * instances starting together do not race.
 */
export async function migrateToLatest(db: Kysely<any>, list: MigrationList = migrations): Promise<string[]> {
  const { error, results }: MigrationResultSet = await createMigrator(db, list).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new MigrationError(failed?.migrationName, { cause: error });
  }
  return (results ?? []).map((result) => result.migrationName);
}

/** Names of the migrations already applied, oldest first. */
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  const all = await createMigrator(db, migrations).getMigrations();
  return all.filter((migration) => migration.executedAt !== undefined).map((migration) => migration.name);
}

/** Names of the migrations not yet applied, oldest first (readable by the application role). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const all = await createMigrator(db, migrations).getMigrations();
  return all.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}
