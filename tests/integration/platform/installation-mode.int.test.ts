import { describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations';
import { claimInstallationMode, InstallationModeError } from '../../../src/server/db/installation';
import { seedDemo } from '../../../src/server/demo/seed';
import { insertOrganisation } from '../../../src/server/organisation/repository';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller, testSecretBox } from '../support/test-server';

describe('demo mode never touches real data (PLAT-5)', () => {
  const database = useTestDatabase();

  it('PLAT-5: demo mode on an empty database claims it and seeds the demo organisation once', async () => {
    const { db } = database.current;
    await claimInstallationMode(db, 'demo');
    const first = await seedDemo(db, testSecretBox);
    const second = await seedDemo(db, testSecretBox);
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ organisationId: first.organisationId, created: false });
    // The same logins are printed on every start: the TOTP secrets survive a restart.
    expect(second.logins).toEqual(first.logins);
    expect(first.logins.map((login) => login.roles).flat().sort()).toEqual(['admin', 'clinician', 'clinician', 'coordinator', 'dpo', 'sales']);
    const organisations = await db.selectFrom('organisation').select(['name', 'is_demo']).execute();
    expect(organisations).toEqual([{ name: 'Demoklinikken AS', is_demo: true }]);
  });

  it('PLAT-5: demo mode refuses a database a production server has used', async () => {
    const { db } = database.current;
    await claimInstallationMode(db, 'production');
    await expect(claimInstallationMode(db, 'demo')).rejects.toBeInstanceOf(InstallationModeError);
    expect(await db.selectFrom('organisation').selectAll().execute()).toEqual([]);
  });

  it('PLAT-5: demo mode refuses a database that already holds a real organisation', async () => {
    const { db } = database.current;
    await insertOrganisation(db, { name: 'Ekte Klinikk AS', organisationNumber: null, isDemo: false });
    await expect(claimInstallationMode(db, 'demo')).rejects.toThrow(/real organisations/);
    expect(await db.selectFrom('installation_setting').selectAll().execute()).toEqual([]);
  });

  it('PLAT-5: a production server refuses a demo database', async () => {
    const { db } = database.current;
    await claimInstallationMode(db, 'demo');
    await expect(claimInstallationMode(db, 'production')).rejects.toThrow(/created by demo mode/);
  });

  it('system.info reports the database, schema and mode', async () => {
    const caller = createTestCaller(database.current, { config: { isDemo: true }, now: () => new Date('2026-07-01T10:00:00Z') });
    const info = await caller.system.info();
    expect(info).toMatchObject({
      databaseKind: database.current.kind,
      isDemo: true,
      serverTime: '2026-07-01T10:00:00.000Z',
      // Every migration in the list, whichever was added last.
      migrationCount: Object.keys(migrations).length,
    });
    expect(info.schemaVersion).toBe(Object.keys(migrations).at(-1));
  });
});
