import { describe, expect, it } from 'vitest';
import { claimInstallationMode } from '../../../../src/server/db/installation';
import { seedDemo } from '../../../../src/server/demo/seed';
import { useTestDatabase } from '../../support/test-database';
import { testSecretBox } from '../../support/test-server';

describe("the demo's registers (PLAT-5, DPO-7)", () => {
  const database = useTestDatabase();

  it('DPO-7: every activity the product performs is in the register, each with a coded basis and its processors; a restart seeds nothing twice', async () => {
    await claimInstallationMode(database.current.db, 'demo');
    const demo = await seedDemo(database.current.db, testSecretBox);
    const db = database.current.db;
    const activities = await db.selectFrom('processing_activity').selectAll().where('organisation_id', '=', demo.organisationId).execute();
    const names = activities.map((activity) => activity.name).join(' | ');
    for (const word of ['journal', 'konsultasjon', 'hjemmebesøk', 'bedriftskunder', 'bedriftsportal', 'brukerkontoer', 'logg', 'begjæringer']) expect(names.toLowerCase()).toContain(word);
    for (const activity of activities) expect(activity.legal_bases.length).toBeGreaterThan(0);
    const links = await db.selectFrom('processing_activity_processor').select('activity_id').where('organisation_id', '=', demo.organisationId).execute();
    expect(new Set(links.map((link) => link.activity_id)).size).toBe(activities.length);
    const processors = await db.selectFrom('data_processor').select('id').where('organisation_id', '=', demo.organisationId).execute();
    expect(processors.length).toBeGreaterThanOrEqual(3);
    await seedDemo(db, testSecretBox);
    expect(await db.selectFrom('processing_activity').select('id').where('organisation_id', '=', demo.organisationId).execute()).toHaveLength(activities.length);
  });
});
