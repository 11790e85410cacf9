import { describe, expect, it } from 'vitest';
import { claimInstallationMode } from '../../../src/server/db/installation';
import { DEMO_DSR_CASE_IDS } from '../../../src/server/demo/dpo-cases-seed';
import { seedDemo } from '../../../src/server/demo/seed';
import { dsrDeadline } from '../../../src/shared/dsr-deadline';
import { useTestDatabase } from '../support/test-database';
import { testSecretBox } from '../support/test-server';

describe("the demo's data-subject requests (PLAT-5, DPO-4)", () => {
  const database = useTestDatabase();

  it('PLAT-5, DPO-4: an access request from a journal patient, an erasure and a restriction request, each due one calendar month after receipt, the national id sealed', async () => {
    await claimInstallationMode(database.current.db, 'demo');
    const demo = await seedDemo(database.current.db, testSecretBox);
    const cases = await database.current.db.selectFrom('dsr_case').selectAll().where('organisation_id', '=', demo.organisationId).orderBy('reference').execute();
    expect(cases.map((row) => [row.id, row.kind])).toEqual([
      [DEMO_DSR_CASE_IDS.access, 'access'],
      [DEMO_DSR_CASE_IDS.erasure, 'erasure'],
      [DEMO_DSR_CASE_IDS.restriction, 'restriction'],
    ]);
    for (const row of cases) expect(row.deadline).toBe(dsrDeadline(row.received_on));
    const access = cases[0]!;
    const patient = await database.current.db.selectFrom('patient').select('national_id').where('id', '=', access.patient_id!).executeTakeFirstOrThrow();
    expect(access.national_id_sealed).not.toContain(patient.national_id);
    expect(testSecretBox.open(access.national_id_sealed!, access.id)).toBe(patient.national_id);
    expect(access.national_id_masked).toBe(`${patient.national_id.slice(0, 6)}*****`);
    // A restart seeds nothing twice.
    await seedDemo(database.current.db, testSecretBox);
    expect(await database.current.db.selectFrom('dsr_case').select('id').where('organisation_id', '=', demo.organisationId).execute()).toHaveLength(3);
  });
});
