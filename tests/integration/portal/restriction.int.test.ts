import { describe, expect, it } from 'vitest';
import { importJobHandlers } from '../../../src/server/import/jobs';
import { runDueJobs } from '../../../src/server/jobs/runner';
import { employeeImportDefinition, RESTRICTED_ROW_NOTE } from '../../../src/server/portal/employee-import';
import { API_ERROR_MESSAGES } from '../../../src/shared/api-errors';
import { errorOf } from '../audit/audit-helpers';
import { eventsOf } from '../support/identity';
import { restrictPerson } from '../support/restriction';
import { useTestDatabase } from '../support/test-database';
import { testSecretBox } from '../support/test-server';
import { nationalIdFor, portalSetting, type PortalSetting, withAgreement } from './portal-support';

// DPO-5 (GDPR art. 18): an employee who asked for restriction of processing is not added to a
// customer's list, changed on it or imported into it — matched by the keyed hash of the
// fødselsnummer (the portal never stores it readable), the e-mail or the phone. Each refusal is
// logged in its unit of work and says why; reading the list and removing the person stay allowed.

const KARI = { fullName: 'Kari Nordmann', phone: '912 34 567', email: 'kari@example.test', nationalId: nationalIdFor('1985-03-14', 3) };
const OLA = { fullName: 'Ola Nordmann', nationalId: nationalIdFor('1979-06-01', 5) };

const handlers = importJobHandlers([employeeImportDefinition({ allowSynthetic: false })], testSecretBox);

async function runJobs(setting: PortalSetting): Promise<void> {
  for (let round = 0; round < 10; round++) {
    if ((await runDueJobs(setting.db, handlers, setting.clock.now())).claimed === 0) return;
  }
}

async function validatedImport(setting: PortalSetting, lines: string[]) {
  const bytes = Buffer.from(['Navn;Fødselsnummer;Mobil;E-post', ...lines, ''].join('\r\n'), 'utf8');
  const { importId } = await setting.sales.portal.import.create({ companyId: setting.companyId, fileName: 'ansatte.csv', byteSize: bytes.length });
  await setting.sales.portal.import.uploadChunk({ importId, index: 0, data: bytes.toString('base64') });
  const inspection = await setting.sales.portal.import.inspect({ importId });
  await setting.sales.portal.import.validate({ importId, mapping: inspection.suggestedMapping });
  await runJobs(setting);
  return importId;
}

describe('DPO-5: restriction of processing in the corporate portal', () => {
  const database = useTestDatabase();

  it('DPO-5: adding and editing a restricted employee is refused and logged (matched by the number’s keyed hash); the list and removal are not', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const { employee } = await setting.sales.portal.addEmployee({ companyId: setting.companyId, ...KARI });
    const { restrictionId, caseId, lift } = await restrictPerson(database.current, setting.clock, setting.organisation.id, { nationalId: KARI.nationalId }, ['portal']);

    const edit = () => setting.sales.portal.updateEmployee({ employeeId: employee.id, version: employee.version, fullName: 'Kari Nordmann-Berg', phone: KARI.phone, email: KARI.email });
    expect(await errorOf(edit())).toMatchObject({ code: 'FORBIDDEN', message: API_ERROR_MESSAGES.processingRestricted });
    // Registered again at another customer's list (the same number): refused as well.
    const otherCompany = await setting.db
      .insertInto('company')
      .values({ organisation_id: setting.organisation.id, name: 'Annen Kunde AS', status: 'customer', status_changed_at: setting.clock.now(), source: 'manual', created_at: setting.clock.now(), updated_at: setting.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await withAgreement(setting, otherCompany.id);
    expect(await errorOf(setting.sales.portal.addEmployee({ companyId: otherCompany.id, ...KARI, email: '', phone: '' }))).toMatchObject({ code: 'FORBIDDEN', message: API_ERROR_MESSAGES.processingRestricted });
    expect(await setting.db.selectFrom('corporate_employee').select(['full_name', 'company_id']).execute()).toEqual([{ full_name: 'Kari Nordmann', company_id: setting.companyId }]);

    const denials = await eventsOf(setting.db, { action: 'dpo.processing.restricted' });
    expect(denials.map((event) => [event.outcome, event.object_type, event.object_id, event.details.module, event.details.restrictionId, event.details.caseId, event.details.procedure])).toEqual([
      ['denied', 'corporate_employee', employee.id, 'portal', restrictionId, caseId, 'portal.updateEmployee'],
      ['denied', 'corporate_employee', null, 'portal', restrictionId, caseId, 'portal.addEmployee'],
    ]);
    expect(JSON.stringify(denials)).not.toMatch(new RegExp(`${KARI.nationalId}|Kari|91234567|kari@`));

    // Another employee is not restricted; reading the list and removing Kari are allowed.
    await expect(setting.sales.portal.addEmployee({ companyId: setting.companyId, ...OLA })).resolves.toMatchObject({ employee: { fullName: 'Ola Nordmann' } });
    expect((await setting.sales.portal.employees({ companyId: setting.companyId, page: 1, pageSize: 10 })).rows.map((row) => row.fullName)).toContain('Kari Nordmann');

    await lift();
    await expect(edit()).resolves.toMatchObject({ employee: { fullName: 'Kari Nordmann-Berg' } });
    await setting.sales.portal.removeEmployee({ employeeId: employee.id, version: employee.version + 1 });
  });

  it('DPO-5: a restriction by e-mail catches an edit that types the e-mail in; another organisation’s restriction does not reach this portal', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const { employee } = await setting.sales.portal.addEmployee({ companyId: setting.companyId, ...OLA });
    await restrictPerson(database.current, setting.clock, setting.other.id, { nationalId: KARI.nationalId, email: KARI.email }, ['portal']);
    await expect(setting.sales.portal.addEmployee({ companyId: setting.companyId, ...KARI })).resolves.toMatchObject({ employee: { fullName: 'Kari Nordmann' } });
    expect(await eventsOf(setting.db, { action: 'dpo.processing.restricted' })).toEqual([]);

    await restrictPerson(database.current, setting.clock, setting.organisation.id, { email: 'ola@example.test' }, ['portal']);
    expect((await errorOf(setting.sales.portal.updateEmployee({ employeeId: employee.id, version: employee.version, fullName: OLA.fullName, email: 'OLA@example.test' }))).message).toBe(API_ERROR_MESSAGES.processingRestricted);
  });

  it('DPO-5: an import skips a restricted person’s row with a note (not in the customer’s problem file); a restriction set before the commit keeps its row out, logged with the batch', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    await restrictPerson(database.current, setting.clock, setting.organisation.id, { nationalId: KARI.nationalId }, ['portal']);
    const ANNE = nationalIdFor('1991-09-09', 7);
    const importId = await validatedImport(setting, [`Kari Nordmann;${KARI.nationalId};;`, `Ola Nordmann;${OLA.nationalId};;`, `Anne Hansen;${ANNE};;anne@example.test`]);
    const preview = await setting.sales.portal.import.preview({ importId, page: 1, pageSize: 10, onlyErrors: false });
    expect(preview.rows.map((row) => [row.rowNumber, row.outcome, row.errors.map((error) => `${error.field}:${error.messageKey}`)])).toEqual([
      [1, 'skip', [`nationalId:${RESTRICTED_ROW_NOTE}`]],
      [2, 'create', []],
      [3, 'create', []],
    ]);
    expect((await setting.sales.portal.import.preview({ importId, page: 1, pageSize: 10, onlyErrors: true })).total).toBe(0);

    // Anne asks for restriction between the validation and the commit.
    const anne = await restrictPerson(database.current, setting.clock, setting.organisation.id, { email: 'anne@example.test' }, ['portal']);
    await setting.sales.portal.import.commit({ importId });
    await runJobs(setting);
    expect((await setting.db.selectFrom('corporate_employee').select('full_name').orderBy('full_name').execute()).map((row) => row.full_name)).toEqual(['Ola Nordmann']);
    const [denial] = await eventsOf(setting.db, { action: 'dpo.processing.restricted' });
    expect(denial).toMatchObject({ outcome: 'denied', reason: 'processing_restricted', object_type: 'company', object_id: setting.companyId, details: expect.objectContaining({ module: 'portal', refusedRows: 1, restrictionIds: [anne.restrictionId] }) });
    expect((await eventsOf(setting.db, { action: 'portal.employees.imported' }))[0]?.details).toMatchObject({ created: 1 });
  });
});
