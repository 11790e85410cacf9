// `npm run db:provision`: on PostgreSQL, as the owner (DATABASE_OWNER_URL, a login that may create
// roles), run pending migrations, then create or update the application's login that DATABASE_URL
// names (its user name and password), a member of journalkontor_app only; then log in as it and
// check that it holds nothing more (docs/adr/0006). For development, CI and first installs; an
// operator may instead create the login by hand (README) and let this check it.
import { ConfigError, loadConfig } from '../config';
import { describeErrorForLog } from '../log';
import { assertApplicationLogin, DatabaseSetupError, loginOfUrl, provisionApplicationLogin } from './boundary';
import { APPLICATION_ROLE, openDatabase } from './database';
import { migrateToLatest } from './migrate';
import { ownerTargetOf } from './open';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.database.kind !== 'postgres') {
    throw new DatabaseSetupError('db:provision is for PostgreSQL (set DATABASE_URL and DATABASE_OWNER_URL); PGlite has one user and nothing to provision');
  }
  const login = loginOfUrl(config.database.url);
  const owner = await openDatabase(ownerTargetOf(config));
  let created: boolean;
  try {
    const ran = await migrateToLatest(owner.db);
    if (ran.length > 0) process.stdout.write(`Applied ${ran.length} migrations: ${ran.join(', ')}\n`);
    ({ created } = await provisionApplicationLogin(owner.db, login));
  } finally {
    await owner.close();
  }
  const application = await openDatabase({ kind: 'postgres', url: config.database.url, poolSize: 1, role: APPLICATION_ROLE });
  try {
    await assertApplicationLogin(application.db);
  } finally {
    await application.close();
  }
  process.stdout.write(
    `Login "${login.name}" ${created ? 'created' : 'checked'}${login.password === undefined ? ' (no password in DATABASE_URL: left as it was)' : ', password set'}: ` +
      `a member of ${APPLICATION_ROLE} only, checked by logging in as it\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError || error instanceof DatabaseSetupError
      ? `${error.message}\n`
      : `Provisioning failed: ${JSON.stringify(describeErrorForLog(error))}\n`,
  );
  process.exit(1);
});
