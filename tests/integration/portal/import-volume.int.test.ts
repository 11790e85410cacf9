import { describe, expect, it } from 'vitest';
import { appendChunk, createImport, inspectImport, MAX_CHUNK_BYTES, startCommit, startValidation } from '../../../src/server/import/engine';
import { importJobHandlers } from '../../../src/server/import/jobs';
import { runDueJobs } from '../../../src/server/jobs/runner';
import { EMPLOYEE_IMPORT_KIND, employeeImportDefinition } from '../../../src/server/portal/employee-import';
import { useTestDatabase } from '../support/test-database';
import { testSecretBox } from '../support/test-server';
import { nationalIds, portalSetting, withAgreement } from './portal-support';

const ROWS = 50_000;

/**
 * CRM-4's volume: 50,000 employees validated and committed by the jobs in batches (multi-row
 * writes, no per-row round trips). Prints the rate and the heap growth; the target (>= 5,000
 * rows/s on PostgreSQL, < 150 MB) is asserted loosely here, where CPUs are shared.
 */
describe('corporate portal: a 50,000-row employee import (CRM-4)', () => {
  const database = useTestDatabase();

  it('CRM-4: 50,000 rows validated and committed, every employee written once, heap bounded', { timeout: 600_000 }, async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const numbers = nationalIds(ROWS);
    const lines = ['Navn;Fødselsnummer;Mobil;E-post', ...numbers.map((number, index) => `Ansatt Nummer ${index};${number};+47 9${String(1_000_000 + index).slice(-7)};ansatt${index}@example.test`)];
    const bytes = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
    const db = setting.db;
    const organisationId = setting.organisation.id;
    const definition = employeeImportDefinition({ allowSynthetic: false });
    const handlers = importJobHandlers([definition], testSecretBox);
    const now = setting.clock.now();

    const { importId } = await db.transaction().execute((trx) =>
      createImport(trx, { organisationId, kind: EMPLOYEE_IMPORT_KIND, targetId: setting.companyId, createdBy: setting.salesUser.id, fileName: 'stor.csv', byteSize: bytes.length, now }),
    );
    for (let offset = 0, index = 0; offset < bytes.length; offset += MAX_CHUNK_BYTES, index++) {
      await db.transaction().execute((trx) => appendChunk(trx, testSecretBox, { organisationId, importId, index, bytes: Buffer.from(bytes.subarray(offset, offset + MAX_CHUNK_BYTES)) }));
    }
    const inspection = await db.transaction().execute((trx) => inspectImport(trx, testSecretBox, definition, { organisationId, importId }));

    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const started = performance.now();
    await db.transaction().execute((trx) => startValidation(trx, definition, { organisationId, importId, mapping: inspection.suggestedMapping, now }));
    while ((await runDueJobs(db, handlers, now)).claimed > 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    const validated = performance.now();
    await db.transaction().execute((trx) => startCommit(trx, { organisationId, importId, now }));
    while ((await runDueJobs(db, handlers, now)).claimed > 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    const done = performance.now();

    const status = await setting.sales.portal.import.status({ importId });
    expect(status).toMatchObject({ status: 'done', totalRows: ROWS, createRows: ROWS, errorRows: 0, committedRows: ROWS });
    const count = await db.selectFrom('corporate_employee').select((eb) => eb.fn.countAll<string>().as('count')).where('company_id', '=', setting.companyId).executeTakeFirstOrThrow();
    expect(Number(count.count)).toBe(ROWS);
    const seconds = (done - started) / 1000;
    const growthMb = (heapPeak - heapBefore) / 1_048_576;
    console.info(`[import-volume] ${database.current.kind}: validate ${((validated - started) / 1000).toFixed(1)} s, commit ${((done - validated) / 1000).toFixed(1)} s, ${Math.round(ROWS / seconds)} rows/s overall, heap growth ${growthMb.toFixed(0)} MB`);
    // Bounded memory: the file never sits in memory whole, nor do its rows.
    expect(growthMb).toBeLessThan(150);
  });
});
