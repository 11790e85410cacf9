import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { claimInstallationMode } from '../../../src/server/db/installation';
import { SAMPLE_FILE_OUTCOMES, sampleEmployeeCsvText } from '../../../src/server/demo/employee-csv';
import { DEMO_CUSTOMER, DEMO_EMPLOYEE_COUNT } from '../../../src/server/demo/portal-seed';
import { DEMO_PASSWORD, seedDemo } from '../../../src/server/demo/seed';
import { importJobHandlers } from '../../../src/server/import/jobs';
import { runDueJobs } from '../../../src/server/jobs/runner';
import { employeeImportDefinition } from '../../../src/server/portal/employee-import';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller, testSecretBox } from '../support/test-server';

const SAMPLE_FILE = new URL('../../../resources/demo/ansatte-eksempel.csv', import.meta.url);

describe('the demo’s corporate portal (CRM-4, PLAT-5)', () => {
  const database = useTestDatabase();

  it('CRM-4: the sample CSV is Windows-1252 with ; as Excel writes it, and is what the script makes', async () => {
    const bytes = await readFile(SAMPLE_FILE);
    expect(bytes.equals(iconv.encode(sampleEmployeeCsvText(), 'win1252'))).toBe(true);
    // "ø" as the single byte 0xF8, not UTF-8's two.
    expect(bytes.includes(Buffer.from([0xf8]))).toBe(true);
    expect(bytes.includes(Buffer.from('ø', 'utf8'))).toBe(false);
  });

  it('PLAT-5, CRM-4: the demo customer has an agreement and a few hundred employees with sealed synthetic numbers; the sample file imports with every outcome', async () => {
    const db = database.current.db;
    await claimInstallationMode(db, 'demo');
    const demo = await seedDemo(db, testSecretBox);
    const company = await db.selectFrom('company').select(['id', 'status']).where('name', '=', DEMO_CUSTOMER.name).executeTakeFirstOrThrow();
    expect(company.status).toBe('customer');

    const salg = demo.logins.find((login) => login.roles.includes('sales'))!;
    const anonymous = createTestCaller(database.current, { config: { isDemo: true } });
    const first = await anonymous.auth.login.password({ email: salg.email, password: DEMO_PASSWORD, deviceId: null });
    if (first.step !== 'second_factor') throw new Error('expected a second factor');
    const { token } = await anonymous.auth.login.secondFactor({ ticket: first.ticket, code: await totpCodeAt(salg.totpSecret, new Date()) });
    const sales = createTestCaller(database.current, { config: { isDemo: true } }, { bearerToken: token });

    expect(await sales.portal.agreement({ companyId: company.id })).toMatchObject({ isActive: true, endsOn: null });
    const list = await sales.portal.employees({ companyId: company.id, page: 1, pageSize: 100 });
    expect(list.total).toBe(DEMO_EMPLOYEE_COUNT);
    expect(list.rows[0]?.nationalIdMasked).toMatch(/^\d{6}\*{5}$/);
    const { nationalId } = await sales.portal.revealNationalId({ employeeId: list.rows[0]!.id, reason: 'verify_identity' });
    expect(nationalId).toMatch(/^\d{11}$/);
    expect(Number(nationalId.slice(2, 4))).toBeGreaterThan(80);

    const bytes = await readFile(SAMPLE_FILE);
    const { importId } = await sales.portal.import.create({ companyId: company.id, fileName: 'ansatte-eksempel.csv', byteSize: bytes.length });
    await sales.portal.import.uploadChunk({ importId, index: 0, data: bytes.toString('base64') });
    const inspection = await sales.portal.import.inspect({ importId });
    expect(inspection).toMatchObject({ encoding: 'windows-1252', separator: ';' });
    // "Avdeling" is no field: left unmapped.
    expect(inspection.suggestedMapping).toEqual({ fullName: 0, nationalId: 1, phone: 2, email: 3 });
    await sales.portal.import.validate({ importId, mapping: inspection.suggestedMapping });
    const handlers = importJobHandlers([employeeImportDefinition({ allowSynthetic: true })], testSecretBox);
    while ((await runDueJobs(db, handlers, new Date())).claimed > 0);
    expect(await sales.portal.import.status({ importId })).toMatchObject({
      status: 'ready',
      totalRows: SAMPLE_FILE_OUTCOMES.total,
      createRows: SAMPLE_FILE_OUTCOMES.create,
      updateRows: SAMPLE_FILE_OUTCOMES.update,
      skipRows: SAMPLE_FILE_OUTCOMES.skip,
      errorRows: SAMPLE_FILE_OUTCOMES.error,
    });
  });
});
