import { sql } from 'kysely';
import type { Database } from './database';

export type InstallationMode = 'demo' | 'production';

export class InstallationModeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallationModeError';
  }
}

/**
 * A database is a demo database or a real one for its whole life, decided the first time a server
 * starts on it. Demo mode refuses a real database, so the demo seed can never write into one that
 * holds real data (PLAT-5); a production server refuses a demo database, so demo accounts with
 * published TOTP secrets can never guard real patients.
 */
export async function claimInstallationMode(db: Database, wanted: InstallationMode): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Serialise two servers starting on the same empty database.
    await sql`select pg_advisory_xact_lock(hashtext('journalkontor.installation_mode'))`.execute(trx);
    const row = await trx.selectFrom('installation_setting').select('value').where('key', '=', 'mode').executeTakeFirst();
    if (row) {
      const current = row.value as InstallationMode;
      if (current !== wanted) {
        throw new InstallationModeError(
          current === 'production'
            ? 'Demo mode refused: this database holds real data. Use another JK_DATA_DIR or DATABASE_URL for the demo.'
            : 'This database was created by demo mode; a production server will not use it. Point DATABASE_URL at a new database.',
        );
      }
      return;
    }
    const realOrganisations = await trx
      .selectFrom('organisation')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('is_demo', '=', false)
      .executeTakeFirstOrThrow();
    if (wanted === 'demo' && Number(realOrganisations.count) > 0) {
      throw new InstallationModeError('Demo mode refused: this database holds real organisations.');
    }
    await trx.insertInto('installation_setting').values({ key: 'mode', value: JSON.stringify(wanted) }).execute();
  });
}
