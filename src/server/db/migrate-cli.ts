// `npm run migrate`: run pending migrations against DATABASE_URL (or the PGlite data folder) and exit.
import { ConfigError, loadConfig } from '../config';
import { describeErrorForLog } from '../log';
import { openDatabase } from './database';
import { databaseTargetOf } from './open';
import { appliedMigrations, migrateToLatest } from './migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  // As the connecting login (the owner), not the application role: migrations change the schema.
  const database = await openDatabase(databaseTargetOf(config, { poolSize: 1 }));
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
    error instanceof ConfigError ? `${error.message}\n` : `Migration failed: ${JSON.stringify(describeErrorForLog(error))}\n`,
  );
  process.exit(1);
});
