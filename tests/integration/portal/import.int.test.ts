import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { importJobHandlers } from '../../../src/server/import/jobs';
import { runDueJobs } from '../../../src/server/jobs/runner';
import { employeeImportDefinition } from '../../../src/server/portal/employee-import';
import { IMPORT_CHUNK_BYTES } from '../../../src/shared/portal-schemas';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { testSecretBox } from '../support/test-server';
import { nationalIdFor, portalSetting, type PortalSetting, withAgreement } from './portal-support';

const [ASE, BJORN, EXISTING, UNCHANGED, FORMULA, BAD_EMAIL] = [
  nationalIdFor('1971-01-01', 1),
  nationalIdFor('1980-02-02', 2),
  nationalIdFor('1962-03-03', 3),
  nationalIdFor('1990-04-04', 4),
  nationalIdFor('1995-05-05', 5),
  nationalIdFor('1988-06-06', 6),
] as [string, string, string, string, string, string];
const BAD_CHECKSUM = `${ASE.slice(0, 10)}${(Number(ASE[10]) + 1) % 10}`;

/** An HR export as Excel in Norway saves it: Windows-1252, `;`, CRLF, æøå in names and header. */
function hrExport(): Buffer {
  return iconv.encode(
    [
      'Navn;Fødselsnummer;Mobil;E-post',
      `Åse Ødegård;${ASE};912 34 567;ase@example.test`,
      `Bjørn Ærø;${BJORN};;`,
      `Per Feil;${BAD_CHECKSUM};;`,
      `Åse Igjen;${ASE};;`,
      'Ingen Nummer;;;',
      `Endret Telefon;${EXISTING};+4791111111;`,
      `Uendret Ansatt;${UNCHANGED};;`,
      `=Formel Ansatt;${FORMULA};;`,
      `Feil Epost;${BAD_EMAIL};;ikke-en-adresse`,
      '',
    ].join('\r\n'),
    'win1252',
  );
}

const handlers = importJobHandlers([employeeImportDefinition({ allowSynthetic: false })], testSecretBox);

async function runJobs(setting: PortalSetting): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const report = await runDueJobs(setting.db, handlers, setting.clock.now());
    if (report.claimed === 0) return;
  }
}

/** Create → upload in chunks → inspect → validate (the job) through the procedures, as the app does. */
async function importFile(setting: PortalSetting, bytes: Buffer, chunkSize = 64) {
  const { importId } = await setting.sales.portal.import.create({ companyId: setting.companyId, fileName: 'ansatte.csv', byteSize: bytes.length });
  for (let offset = 0, index = 0; offset < bytes.length; offset += chunkSize, index++) {
    await setting.sales.portal.import.uploadChunk({ importId, index, data: bytes.subarray(offset, offset + chunkSize).toString('base64') });
  }
  const inspection = await setting.sales.portal.import.inspect({ importId });
  await setting.sales.portal.import.validate({ importId, mapping: inspection.suggestedMapping });
  await runJobs(setting);
  return { importId, inspection };
}

/** Two employees already registered: one whose phone the file changes, one the file repeats as it is. */
async function existingEmployees(setting: PortalSetting): Promise<void> {
  await setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: 'Endret Telefon', nationalId: EXISTING, phone: '+4790000000' });
  await setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: 'Uendret Ansatt', nationalId: UNCHANGED });
}

describe('corporate portal: employee import (CRM-4)', () => {
  const database = useTestDatabase();

  it('CRM-4: a Windows-1252 ; file end to end — inspect, preview with onlyErrors, create/update/skip, commit keeps the good rows, problem rows as CSV, re-import skips all', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    await existingEmployees(setting);
    const bytes = hrExport();
    const { importId, inspection } = await importFile(setting, bytes);

    expect(inspection).toMatchObject({ encoding: 'windows-1252', separator: ';', header: ['Navn', 'Fødselsnummer', 'Mobil', 'E-post'] });
    expect(inspection.suggestedMapping).toEqual({ fullName: 0, nationalId: 1, phone: 2, email: 3 });
    expect(inspection.fields).toEqual([
      { key: 'fullName', required: true },
      { key: 'nationalId', required: true },
      { key: 'phone', required: false },
      { key: 'email', required: false },
    ]);
    expect(inspection.sampleRows[0]).toEqual({ fullName: 'Åse Ødegård', nationalId: `${ASE.slice(0, 6)}*****`, phone: '+4791234567', email: 'ase@example.test' });

    // Stored sealed: neither the uploaded bytes nor the staged rows hold a number readable.
    const staged = await setting.db.selectFrom('data_import_row').select(['sealed', 'display']).where('import_id', '=', importId).execute();
    expect(staged).toHaveLength(9);
    expect(JSON.stringify(staged)).not.toContain(ASE);

    const status = await setting.sales.portal.import.status({ importId });
    expect(status).toMatchObject({ status: 'ready', fileName: 'ansatte.csv', totalRows: 9, processedRows: 9, errorRows: 3, createRows: 3, updateRows: 1, skipRows: 2, companyId: setting.companyId });
    expect(await setting.sales.portal.import.latest({ companyId: setting.companyId })).toMatchObject({ importId, status: 'ready' });

    const firstPage = await setting.sales.portal.import.preview({ importId, page: 1, pageSize: 4, onlyErrors: false });
    expect(firstPage.total).toBe(9);
    expect(firstPage.rows.map((row) => [row.rowNumber, row.outcome])).toEqual([[1, 'create'], [2, 'create'], [3, 'error'], [4, 'skip']]);
    // The repeated number is noted on the row that repeats it.
    expect(firstPage.rows[3]?.errors.map((error) => error.messageKey)).toEqual(['validation.import.duplicate_row']);
    const errors = await setting.sales.portal.import.preview({ importId, page: 1, pageSize: 50, onlyErrors: true });
    expect(errors.total).toBe(3);
    expect(errors.rows.map((row) => [row.rowNumber, row.errors.map((error) => `${error.field}:${error.messageKey}`)])).toEqual([
      [3, ['nationalId:validation.nationalIdentityNumber.checksum']],
      [5, ['nationalId:validation.required']],
      [9, ['email:validation.email']],
    ]);
    const fullPreview = await setting.sales.portal.import.preview({ importId, page: 1, pageSize: 100, onlyErrors: false });
    expect(JSON.stringify(fullPreview)).not.toContain(ASE);
    // Formula characters are stripped from a name on the way in.
    expect(fullPreview.rows.find((row) => row.rowNumber === 8)?.display.fullName).toBe('Formel Ansatt');
    expect(await eventsOf(setting.db, { action: 'import.read' })).toHaveLength(3);

    await setting.sales.portal.import.commit({ importId });
    await runJobs(setting);
    expect(await setting.sales.portal.import.status({ importId })).toMatchObject({ status: 'done', committedRows: 4 });
    const list = await setting.sales.portal.employees({ companyId: setting.companyId, page: 1, pageSize: 100 });
    expect(list.rows.map((row) => [row.fullName, row.phone])).toEqual([
      ['Bjørn Ærø', null],
      ['Endret Telefon', '+4791111111'],
      ['Formel Ansatt', null],
      ['Uendret Ansatt', null],
      ['Åse Ødegård', '+4791234567'],
    ]);
    // Imported numbers are sealed to their rows and open again.
    const ase = list.rows.find((row) => row.fullName === 'Åse Ødegård')!;
    expect(await setting.sales.portal.revealNationalId({ employeeId: ase.id, reason: 'verify_identity' })).toEqual({ nationalId: ASE });
    const imported = await eventsOf(setting.db, { action: 'portal.employees.imported' });
    expect(imported).toHaveLength(1);
    expect(imported[0]?.details).toMatchObject({ companyId: setting.companyId, created: 3, updated: 1 });
    expect(JSON.stringify(await setting.db.selectFrom('audit_event').selectAll().where('action', 'like', 'import.%').execute())).not.toMatch(/Ødegård|Bjørn|91234567|ase@example/);

    // The problem rows: a fresh second factor, the address logged, the rows as written with a Norwegian error column.
    const sales = await setting.as(setting.salesUser, { clientIp: '203.0.113.7' });
    const problem = await sales.portal.import.problemRows({ importId });
    expect(problem.fileName).toBe('ansatte-feil.csv');
    expect(problem.csv.startsWith('\uFEFF')).toBe(true);
    const records = parse(problem.csv.slice(1), { delimiter: ';' }) as string[][];
    expect(records[0]).toEqual(['Navn', 'Fødselsnummer', 'Mobil', 'E-post', 'Feil']);
    expect(records.slice(1).map((record) => record.slice(0, 2))).toEqual([
      ['Per Feil', BAD_CHECKSUM],
      ['Ingen Nummer', ''],
      ['Feil Epost', BAD_EMAIL],
    ]);
    expect(records[1]?.[4]).toBe('Fødselsnummer: har feil kontrollsiffer');
    expect(records[3]?.[4]).toBe('E-post: er ikke en gyldig e-postadresse');
    const exported = await eventsOf(setting.db, { action: 'import.problem_rows_exported' });
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ object_id: importId, client_ip: '203.0.113.7', user_id: setting.salesUser.id });

    // The same file again: everything good is there already.
    const again = await importFile(setting, bytes, IMPORT_CHUNK_BYTES);
    expect(await setting.sales.portal.import.status({ importId: again.importId })).toMatchObject({ status: 'ready', totalRows: 9, createRows: 0, updateRows: 0, skipRows: 6, errorRows: 3 });
    await setting.sales.portal.import.commit({ importId: again.importId });
    await runJobs(setting);
    expect(await setting.sales.portal.import.status({ importId: again.importId })).toMatchObject({ status: 'done', committedRows: 0 });
    expect((await setting.sales.portal.employees({ companyId: setting.companyId, page: 1, pageSize: 100 })).total).toBe(5);
  });

  it('CRM-4: a mapping without the number column is refused on that field; a cancelled import leaves nothing behind', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const bytes = hrExport();
    const { importId } = await setting.sales.portal.import.create({ companyId: setting.companyId, fileName: 'ansatte.csv', byteSize: bytes.length });
    await setting.sales.portal.import.uploadChunk({ importId, index: 0, data: bytes.toString('base64') });
    // Out of order: the next chunk must be index 1.
    expect((await errorOf(setting.sales.portal.import.uploadChunk({ importId, index: 5, data: bytes.toString('base64') }))).code).toBe('CONFLICT');
    const notBase64 = await errorOf(setting.sales.portal.import.uploadChunk({ importId, index: 1, data: 'ikke base64!' }));
    expect(fieldErrorsFrom(notBase64).map((error) => error.field)).toEqual(['data']);
    await setting.sales.portal.import.inspect({ importId });
    const refused = await errorOf(setting.sales.portal.import.validate({ importId, mapping: { fullName: 0, nationalId: null, phone: 2, email: 3 } }));
    expect(fieldErrorsFrom(refused)).toEqual([expect.objectContaining({ field: 'mapping.nationalId', messageKey: 'validation.import.column_required' })]);
    const twice = await errorOf(setting.sales.portal.import.validate({ importId, mapping: { fullName: 0, nationalId: 0 } }));
    expect(fieldErrorsFrom(twice).map((error) => error.field)).toEqual(['mapping.nationalId']);

    await setting.sales.portal.import.cancel({ importId });
    expect(await setting.sales.portal.import.status({ importId })).toMatchObject({ status: 'cancelled' });
    expect(await setting.db.selectFrom('data_import_chunk').select('chunk_index').where('import_id', '=', importId).execute()).toHaveLength(0);
    expect(await setting.sales.portal.import.latest({ companyId: setting.companyId })).toBeNull();
  });

  it('CRM-4: only sales and administrators import; another organisation’s import is not found', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const { importId } = await importFile(setting, hrExport());
    expect((await errorOf(setting.clinician.portal.import.create({ companyId: setting.companyId, fileName: 'a.csv', byteSize: 10 }))).code).toBe('FORBIDDEN');
    expect((await errorOf(setting.coordinator.portal.import.preview({ importId, page: 1, pageSize: 10, onlyErrors: false }))).code).toBe('FORBIDDEN');
    // One call at a time (thunks): calls made all at once would reject before the loop awaits them (unhandled).
    for (const call of [
      () => setting.otherSales.portal.import.status({ importId }),
      () => setting.otherSales.portal.import.preview({ importId, page: 1, pageSize: 10, onlyErrors: true }),
      () => setting.otherSales.portal.import.commit({ importId }),
      () => setting.otherSales.portal.import.cancel({ importId }),
      () => setting.otherSales.portal.import.latest({ companyId: setting.companyId }),
      () => setting.otherSales.portal.import.create({ companyId: setting.companyId, fileName: 'a.csv', byteSize: 10 }),
    ]) {
      expect((await errorOf(call())).code).toBe('NOT_FOUND');
    }
    // The administrator may: the same organisation.
    await expect(setting.admin.portal.import.status({ importId })).resolves.toMatchObject({ status: 'ready' });
  });
});
