// `npm run migrate`: run pending migrations as the owner (DATABASE_OWNER_URL, or PGlite's one user in
// its data folder) and exit.
import { ConfigError, loadConfig } from '../config';
import { describeErrorForLog } from '../log';
import { openDatabase } from './database';
import { DatabaseSetupError } from './boundary';
import { ownerTargetOf } from './open';
import { appliedMigrations, migrateToLatest } from './migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  // As the owner, never as the application login: migrations change the schema (docs/adr/0006).
  const database = await openDatabase(ownerTargetOf(config));
  try {
    const ran = await migrateToLatest(database.db);
    const all = await appliedMigrations(database.db);
    process.stdout.write(
      `${ran.length === 0 ? 'Database is up to date' : `Applied ${ran.length}: ${ran.join(', ')}`} ` +
        `(${database.kind}, ${all.length} migrations in all)\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError || error instanceof DatabaseSetupError ? `${error.message}\n` : `Migration failed: ${JSON.stringify(describeErrorForLog(error))}\n`,
  );
  process.exit(1);
});
