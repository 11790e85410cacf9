import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/server/auth/secret-box';
import { FieldValidationError } from '../../../src/server/errors';
import {
  appendChunk,
  cancelImport,
  importPreview,
  importStatus,
  inspectImport,
  problemRowsCsv,
  startCommit,
  startValidation,
} from '../../../src/server/import/engine';
import { importJobHandlers } from '../../../src/server/import/jobs';
import { runDueJobs } from '../../../src/server/jobs/runner';
import { createOrganisation, createUser, eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createToyTable, toyDefinition, toyPeople, uploadFile } from './toy-definition';

const T0 = new Date('2026-12-06T09:00:00.000Z');
const secretBox = new SecretBox(randomBytes(32));

/**
 * As Excel in Norway saves it (cp1252, `;`, CRLF), with two rows appended later in UTF-8 (a
 * "mixed" file), a quoted cell holding `;` and a line break, a formula in a name, a bad number, a
 * duplicate and an Excel blank row.
 */
function excelFile(): Buffer {
  return Buffer.concat([
    iconv.encode(
      [
        'Fullt navn;Fødselsnummer;Mobil',
        'Åse Ødegård;01017012345;+47 912 34 567',
        '"Bjørn; ""Bamse"" Ærø";02028054321;',
        '=HYPERLINK("http://x");03039012345;+4790000000',
        'Per Feil;123;+4791111111',
        ';;',
        'Åse Igjen;01017012345;',
        '"Linje en',
        'linje to";04049012345;',
        '',
      ].join('\r\n'),
      'win1252',
    ),
    Buffer.from('Øyvind Utf;05059012345;\r\n@SUM(A1);x;\r\n', 'utf8'),
  ]);
}

describe('the generic importer (CRM-4)', () => {
  const database = useTestDatabase();

  async function setUp() {
    const db = database.current.db;
    await createToyTable(database.current);
    const organisation = await createOrganisation(db);
    const user = await createUser(db, organisation.id, { roles: ['admin'] });
    return { db, organisationId: organisation.id, userId: user.id };
  }

  it('CRM-4: a mixed-encoding ; file from Excel: upload in chunks → inspect → validate → preview → commit → re-import is idempotent → problem rows', async () => {
    const { db, organisationId, userId } = await setUp();
    const definition = toyDefinition();
    const handlers = importJobHandlers([definition], secretBox);
    const bytes = excelFile();
    const importId = await uploadFile(db, secretBox, { organisationId, userId, bytes, chunkSize: 40, now: T0 });

    // The bytes are stored sealed, not as the file.
    const chunks = await db.selectFrom('data_import_chunk').select('sealed').where('import_id', '=', importId).execute();
    expect(chunks.length).toBe(Math.ceil(bytes.length / 40));
    expect(chunks.some((chunk) => chunk.sealed.includes('01017012345') || Buffer.from(chunk.sealed, 'base64').includes('01017012345'))).toBe(false);

    const inspection = await db.transaction().execute((trx) => inspectImport(trx, secretBox, definition, { organisationId, importId }));
    expect(inspection.separator).toBe(';');
    // The file is small: the separator's sample has read all of it, and found both encodings.
    expect(inspection.encoding).toBe('mixed');
    expect(inspection.header).toEqual(['Fullt navn', 'Fødselsnummer', 'Mobil']);
    expect(inspection.suggestedMapping).toEqual({ name: 0, number: 1, phone: 2 });
    expect(inspection.sampleRows[0]).toEqual({ name: 'Åse Ødegård', number: '010170*****', phone: '+47 912 34 567' });

    // A mapping that leaves out a required field is refused field by field.
    const refused = await db.transaction().execute((trx) => startValidation(trx, definition, { organisationId, importId, mapping: { name: 0, number: null, phone: 0 }, now: T0 })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FieldValidationError);
    expect((refused as FieldValidationError).fieldErrors.map((error) => error.field)).toEqual(['mapping.number', 'mapping.phone']);

    await db.transaction().execute((trx) => startValidation(trx, definition, { organisationId, importId, mapping: inspection.suggestedMapping, now: T0 }));
    expect((await importStatus(db, { organisationId, importId })).status).toBe('validating');
    // No more chunks once validating.
    await expect(db.transaction().execute((trx) => appendChunk(trx, secretBox, { organisationId, importId, index: chunks.length, bytes: Buffer.from('x') }))).rejects.toThrow('import.wrong_status');

    expect(await runDueJobs(db, handlers, T0)).toMatchObject({ claimed: 1, done: 1 });
    const ready = await importStatus(db, { organisationId, importId });
    expect(ready).toMatchObject({ status: 'ready', encoding: 'mixed', separator: ';', totalRows: 8, errorRows: 2, createRows: 5, updateRows: 0, skipRows: 1, processedRows: 8 });

    const errors = await importPreview(db, { organisationId, importId, page: 1, pageSize: 10, onlyErrors: true });
    expect(errors.total).toBe(2);
    expect(errors.rows).toEqual([
      { rowNumber: 4, outcome: 'error', errors: [{ field: 'number', messageKey: 'validation.nationalIdentityNumber.format' }], display: {} },
      { rowNumber: 8, outcome: 'error', errors: [{ field: 'number', messageKey: 'validation.nationalIdentityNumber.format' }], display: {} },
    ]);
    const all = await importPreview(db, { organisationId, importId, page: 1, pageSize: 100, onlyErrors: false });
    expect(all.total).toBe(8);
    const byRow = new Map(all.rows.map((row) => [row.rowNumber, row]));
    expect(byRow.get(2)?.display).toEqual({ name: 'Bjørn; "Bamse" Ærø', number: '020280*****', phone: '' });
    // The formula lost its leading "=": stored as text.
    expect(byRow.get(3)?.display.name).toBe('HYPERLINK("http://x")');
    expect(byRow.get(5)).toMatchObject({ outcome: 'skip', errors: [{ field: '', messageKey: 'validation.import.duplicate_row', params: { row: 1 } }] });
    expect(byRow.get(6)?.display.name).toBe('Linje en\r\nlinje to');
    expect(byRow.get(7)?.display.name).toBe('Øyvind Utf');
    expect(JSON.stringify(all.rows)).not.toContain('01017012345');
    expect((await eventsOf(db, { action: 'import.validated' })).map((event) => event.details)).toEqual([
      { kind: 'test.people', total: 8, errors: 2, creates: 5, updates: 0, skips: 1 },
    ]);

    await db.transaction().execute((trx) => startCommit(trx, { organisationId, importId, now: T0 }));
    expect(await runDueJobs(db, handlers, T0)).toMatchObject({ claimed: 1, done: 1 });
    expect(await importStatus(db, { organisationId, importId })).toMatchObject({ status: 'done', committedRows: 5 });
    expect((await toyPeople(db)).map((person) => person.name)).toEqual(['Åse Ødegård', 'Bjørn; "Bamse" Ærø', 'HYPERLINK("http://x")', 'Linje en\r\nlinje to', 'Øyvind Utf']);
    expect(await db.selectFrom('data_import_chunk').select('import_id').where('import_id', '=', importId).execute()).toEqual([]);
    const committedEvents = await eventsOf(db, { action: 'import.committed' });
    expect(committedEvents.map((event) => event.details)).toEqual([
      { kind: 'test.people', batch: 1, rows: 5, creates: 5, committed: 5 },
      { kind: 'test.people', committed: 5, isComplete: true },
    ]);
    expect(JSON.stringify(committedEvents)).not.toContain('01017012345');

    // The problem rows: the original header and cells (as text, neutralised), and the errors column.
    const problemCsv = await problemRowsCsv(db, secretBox, { organisationId, importId, describeError: (field, key) => `${field}=${key}` });
    expect(problemCsv.startsWith('\uFEFF')).toBe(true);
    expect(parse(problemCsv.slice(1), { delimiter: ';' })).toEqual([
      ['Fullt navn', 'Fødselsnummer', 'Mobil', 'errors'],
      ['Per Feil', '123', "'+4791111111", 'number=validation.nationalIdentityNumber.format'],
      // Error rows keep their raw cells; the export neutralises them for Excel.
      ["'@SUM(A1)", 'x', '', 'number=validation.nationalIdentityNumber.format'],
    ]);

    // The same file again: every good row is found in the table already; nothing is written twice.
    const again = await uploadFile(db, secretBox, { organisationId, userId, bytes, now: T0 });
    const inspectedAgain = await db.transaction().execute((trx) => inspectImport(trx, secretBox, definition, { organisationId, importId: again }));
    await db.transaction().execute((trx) => startValidation(trx, definition, { organisationId, importId: again, mapping: inspectedAgain.suggestedMapping, now: T0 }));
    await runDueJobs(db, handlers, T0);
    expect(await importStatus(db, { organisationId, importId: again })).toMatchObject({ status: 'ready', createRows: 0, updateRows: 0, skipRows: 6, errorRows: 2 });
    await db.transaction().execute((trx) => startCommit(trx, { organisationId, importId: again, now: T0 }));
    await runDueJobs(db, handlers, T0);
    expect(await importStatus(db, { organisationId, importId: again })).toMatchObject({ status: 'done', committedRows: 0 });
    expect(await toyPeople(db)).toHaveLength(5);
  });

  it('CRM-4: a commit that fails part-way resumes where it stopped when the job runs again (no row written twice)', async () => {
    const { db, organisationId, userId } = await setUp();
    let failuresLeft = 1;
    const midway: { importId?: string } = {};
    let statusMidway: Awaited<ReturnType<typeof importStatus>> | undefined;
    const definition = toyDefinition({
      // What the app reads while the job works (a reload asks the same): the job's stored progress.
      onClassify: async (trx, rowNumbers) => {
        if (rowNumbers[0] === 2_001) statusMidway ??= await importStatus(trx, { organisationId, importId: midway.importId! });
      },
      beforeCommit: (rowNumbers) => {
        // The second batch fails once: the first is committed, the second rolled back.
        if (rowNumbers[0] === 1_001 && failuresLeft-- > 0) throw new Error('simulated crash');
      },
    });
    const handlers = importJobHandlers([definition], secretBox);
    const lines = ['navn;fnr;telefon'];
    for (let index = 1; index <= 2_500; index++) lines.push(`Person ${index};${String(10_000_000_000 + index)};`);
    // Small chunks, so the progress (chunks read) moves during the run.
    const importId = await uploadFile(db, secretBox, { organisationId, userId, bytes: Buffer.from(lines.join('\n'), 'utf8'), chunkSize: 4 * 1024, now: T0 });
    midway.importId = importId;
    const inspection = await db.transaction().execute((trx) => inspectImport(trx, secretBox, definition, { organisationId, importId }));
    await db.transaction().execute((trx) => startValidation(trx, definition, { organisationId, importId, mapping: inspection.suggestedMapping, now: T0 }));
    await runDueJobs(db, handlers, T0);
    // A validation run again from scratch (a crash after its last batch) stages the same rows once.
    await db.updateTable('data_import').set({ status: 'validating' }).where('id', '=', importId).execute();
    await db.insertInto('background_job').values({ kind: 'import.validate', organisation_id: organisationId, run_at: T0, payload: JSON.stringify({ importId }), dedupe_key: null, locked_by: null, locked_until: null, last_error: null, finished_at: null }).execute();
    await runDueJobs(db, handlers, T0);
    expect(await importStatus(db, { organisationId, importId })).toMatchObject({ status: 'ready', totalRows: 2_500, createRows: 2_500 });
    expect(statusMidway).toMatchObject({ status: 'validating', processedRows: 2_000, totalRows: null });
    // 2,000 of 2,500 rows of nearly equal length.
    expect(statusMidway?.progress).toBeGreaterThan(0.75);
    expect(statusMidway?.progress).toBeLessThan(0.85);

    await db.transaction().execute((trx) => startCommit(trx, { organisationId, importId, now: T0 }));
    expect(await runDueJobs(db, handlers, T0)).toMatchObject({ retried: 1 });
    expect(await importStatus(db, { organisationId, importId })).toMatchObject({ status: 'committing', committedRows: 1_000 });
    expect(await toyPeople(db)).toHaveLength(1_000);
    // The retry, after its backoff.
    expect(await runDueJobs(db, handlers, new Date(T0.getTime() + 60_000))).toMatchObject({ done: 1 });
    expect(await importStatus(db, { organisationId, importId })).toMatchObject({ status: 'done', committedRows: 2_500, progress: null });
    expect(await toyPeople(db)).toHaveLength(2_500);
    const committed = await db.selectFrom('data_import_row').select(['committed', 'sealed']).where('import_id', '=', importId).execute();
    expect(committed.every((row) => row.committed && row.sealed === '')).toBe(true);
  });

  it('CRM-4: uploads are refused out of order, too large, after cancel; another organisation sees nothing', async () => {
    const { db, organisationId, userId } = await setUp();
    const other = await createOrganisation(db);
    const importId = await uploadFile(db, secretBox, { organisationId, userId, bytes: Buffer.from('navn;fnr\nÅse;01017012345\n'), now: T0 });
    await expect(db.transaction().execute((trx) => appendChunk(trx, secretBox, { organisationId, importId, index: 5, bytes: Buffer.from('x') }))).rejects.toThrow('import.chunk_out_of_order');
    const tooLarge = await db.transaction().execute((trx) => appendChunk(trx, secretBox, { organisationId, importId, index: 1, bytes: Buffer.alloc(512 * 1024 + 1) })).catch((error: unknown) => error);
    expect((tooLarge as FieldValidationError).fieldErrors).toEqual([{ field: 'bytes', messageKey: 'validation.import.chunk_too_large', params: {} }]);
    await expect(importStatus(db, { organisationId: other.id, importId })).rejects.toThrow('error.not_found');
    await expect(db.transaction().execute((trx) => appendChunk(trx, secretBox, { organisationId: other.id, importId, index: 1, bytes: Buffer.from('x') }))).rejects.toThrow('error.not_found');
    await db.transaction().execute((trx) => cancelImport(trx, { organisationId, importId, now: T0 }));
    expect((await importStatus(db, { organisationId, importId })).status).toBe('cancelled');
    expect(await db.selectFrom('data_import_chunk').select('import_id').where('import_id', '=', importId).execute()).toEqual([]);
    await expect(db.transaction().execute((trx) => startCommit(trx, { organisationId, importId, now: T0 }))).rejects.toThrow('import.wrong_status');
  });

  it('CRM-4: a broken file (an unclosed quote running past the record limit) fails the import with a code, its bytes deleted', async () => {
    const { db, organisationId, userId } = await setUp();
    const definition = toyDefinition();
    // Broken well after the rows the inspection reads: the validation job meets it.
    const goodRows = Array.from({ length: 500 }, (_, index) => `Person ${index};${10_000_000_000 + index}\n`).join('');
    const bytes = Buffer.from(`navn;fnr\n${goodRows}"${'x'.repeat(70 * 1024)}\n`, 'utf8');
    const importId = await uploadFile(db, secretBox, { organisationId, userId, bytes, chunkSize: 1024, now: T0 });
    const inspection = await db.transaction().execute((trx) => inspectImport(trx, secretBox, definition, { organisationId, importId }));
    await db.transaction().execute((trx) => startValidation(trx, definition, { organisationId, importId, mapping: inspection.suggestedMapping, now: T0 }));
    expect(await runDueJobs(db, importJobHandlers([definition], secretBox), T0)).toMatchObject({ done: 1 });
    expect(await importStatus(db, { organisationId, importId })).toMatchObject({ status: 'failed', failureCode: 'import.csv_malformed' });
    expect(await db.selectFrom('data_import_chunk').select('import_id').where('import_id', '=', importId).execute()).toEqual([]);
  });
});
