// Benchmark: importing a customer's employees from CSV (issue 11, CRM-4), through the portal's
// procedures and the job runner as the app drives them: upload in chunks, inspect, validate (the
// validation job), commit (the commit job). 50,000 rows as Excel writes them in Norway (Windows-1252,
// semicolons). Measured: rows/s of validation + commit (and of the whole run with the upload), and
// the server's memory growth (this process runs the procedures and the jobs) sampled every 20 ms.
// Targets: ≥ 5,000 rows/s; memory growth < 150 MB.
import iconv from 'iconv-lite';
import { importJobHandlers } from '../../src/server/import/jobs';
import { runDueJobs } from '../../src/server/jobs/runner';
import { employeeImportDefinition } from '../../src/server/portal/employee-import';
import { IMPORT_CHUNK_BYTES } from '../../src/shared/portal-schemas';
import { mod11CheckDigit } from '../../src/shared/national-identity-number';
import { createBenchDatabase } from './support/database';
import { benchCaller, BenchClock, benchSecretBox, createOrganisation, createUser, login } from './support/identity';
import { log, round } from './support/stats';

export interface CrmImportReport {
  rows: number;
  fileBytes: number;
  uploadSeconds: number;
  validateSeconds: number;
  commitSeconds: number;
  /** Validation and commit (the jobs), rows per second: the target's figure. */
  rowsPerSecond: number;
  /** Upload, inspection, validation and commit, rows per second. */
  rowsPerSecondWithUpload: number;
  created: number;
  errors: number;
  memory: { rssBaselineMb: number; rssPeakMb: number; rssGrowthMb: number; heapBaselineMb: number; heapPeakMb: number; heapGrowthMb: number };
  targets: { rowsPerSecond: number; memoryGrowthMb: number };
  isRateMet: boolean;
  isMemoryMet: boolean;
}

const TARGET_ROWS_PER_SECOND = 5000;
const TARGET_MEMORY_GROWTH_MB = 150;

/** Valid (not synthetic) fødselsnummer, all different: birth dates from 1950 on, individual numbers 000–499. */
function* nationalIds(): Generator<string> {
  for (let day = 0; ; day++) {
    const date = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000);
    const ddmmyy = `${String(date.getUTCDate()).padStart(2, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCFullYear()).slice(2)}`;
    for (let individual = 0; individual < 500; individual++) {
      const head = `${ddmmyy}${String(individual).padStart(3, '0')}`;
      const digits = Array.from(head, Number);
      const k1 = mod11CheckDigit(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
      if (k1 === null) continue;
      const k2 = mod11CheckDigit([...digits, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
      if (k2 === null) continue;
      yield `${head}${k1}${k2}`;
    }
  }
}

const GIVEN = ['Kari', 'Ola', 'Åse', 'Bjørn', 'Sølvi', 'Jørgen', 'Ingrid', 'Lars', 'Nora', 'Øystein'];
const FAMILY = ['Nordmann', 'Ødegård', 'Hansen', 'Bø', 'Sæther', 'Lie', 'Haugen', 'Østby', 'Berg', 'Dahl'];

/** The file as Excel saves it in Norway: Windows-1252, semicolons, CRLF; every 500th row bad. */
function employeeFile(rows: number): Buffer {
  const ids = nationalIds();
  const lines = ['Navn;Fødselsnummer;Mobil;E-post'];
  for (let index = 1; index <= rows; index++) {
    const id = ids.next().value as string;
    const name = `${GIVEN[index % GIVEN.length]} ${FAMILY[(index * 7) % FAMILY.length]} ${index}`;
    const isBad = index % 500 === 0;
    lines.push(`${name};${isBad ? `${id.slice(0, 10)}${(Number(id[10]) + 1) % 10}` : id};9${String(1000000 + index).slice(-7)};ansatt${index}@bedrift.example`);
  }
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'win1252');
}

export async function benchCrmImport(options: { rows: number }): Promise<CrmImportReport> {
  const database = await createBenchDatabase('crm_import');
  let sampler: NodeJS.Timeout | undefined;
  try {
    const owner = database.owner.db;
    const organisation = await createOrganisation(owner);
    const seller = await createUser(owner, organisation.id, ['sales']);
    const application = await database.openAsApplication(4);
    const clock = new BenchClock();
    const token = await login(application.db, seller, clock);
    const sales = benchCaller(application.db, clock.now, { bearerToken: token });
    const { id: companyId } = await sales.crm.createCompany({ name: 'Benk Bedrift AS', status: 'customer' } as never);
    await sales.portal.saveAgreement({ companyId, startsOn: '2026-01-01', services: ['occupational_health'] });
    const file = employeeFile(options.rows);
    const handlers = importJobHandlers([employeeImportDefinition({ allowSynthetic: false })], benchSecretBox);
    const drain = async (until: (status: string) => boolean, importId: string) => {
      for (;;) {
        await runDueJobs(application.db, handlers, clock.now());
        const status = await sales.portal.import.status({ importId });
        if (until(status.status)) return status;
        if (status.status === 'failed') throw new Error(`import failed: ${status.failureCode}`);
      }
    };

    global.gc?.();
    const baseline = process.memoryUsage();
    let rssPeak = baseline.rss;
    let heapPeak = baseline.heapUsed;
    sampler = setInterval(() => {
      const now = process.memoryUsage();
      if (now.rss > rssPeak) rssPeak = now.rss;
      if (now.heapUsed > heapPeak) heapPeak = now.heapUsed;
    }, 20);

    const started = performance.now();
    const { importId } = await sales.portal.import.create({ companyId, fileName: 'ansatte.csv', byteSize: file.length });
    for (let index = 0, offset = 0; offset < file.length; index++, offset += IMPORT_CHUNK_BYTES) {
      await sales.portal.import.uploadChunk({ importId, index, data: file.subarray(offset, offset + IMPORT_CHUNK_BYTES).toString('base64') });
    }
    const inspection = await sales.portal.import.inspect({ importId });
    const uploaded = performance.now();
    // The mapping the app proposes from the header is the one a person would confirm.
    const mapping = inspection.suggestedMapping;
    if (mapping.fullName !== 0 || mapping.nationalId !== 1 || mapping.phone !== 2 || mapping.email !== 3) throw new Error('crm import bench: the suggested mapping missed a column');
    await sales.portal.import.validate({ importId, mapping });
    const ready = await drain((status) => status === 'ready', importId);
    const validated = performance.now();
    await sales.portal.import.commit({ importId });
    await drain((status) => status === 'done', importId);
    const committed = performance.now();
    clearInterval(sampler);
    sampler = undefined;

    const MB = 1024 * 1024;
    const memory = {
      rssBaselineMb: round(baseline.rss / MB),
      rssPeakMb: round(rssPeak / MB),
      rssGrowthMb: round((rssPeak - baseline.rss) / MB),
      heapBaselineMb: round(baseline.heapUsed / MB),
      heapPeakMb: round(heapPeak / MB),
      heapGrowthMb: round((heapPeak - baseline.heapUsed) / MB),
    };
    const jobSeconds = (committed - uploaded) / 1000;
    const count = await owner.selectFrom('corporate_employee').select((eb) => eb.fn.countAll().as('n')).where('company_id', '=', companyId).executeTakeFirstOrThrow();
    const report: CrmImportReport = {
      rows: options.rows,
      fileBytes: file.length,
      uploadSeconds: round((uploaded - started) / 1000, 2),
      validateSeconds: round((validated - uploaded) / 1000, 2),
      commitSeconds: round((committed - validated) / 1000, 2),
      rowsPerSecond: round(options.rows / jobSeconds),
      rowsPerSecondWithUpload: round(options.rows / ((committed - started) / 1000)),
      created: Number(count.n),
      errors: ready.errorRows ?? 0,
      memory,
      targets: { rowsPerSecond: TARGET_ROWS_PER_SECOND, memoryGrowthMb: TARGET_MEMORY_GROWTH_MB },
      isRateMet: options.rows / jobSeconds >= TARGET_ROWS_PER_SECOND,
      isMemoryMet: memory.rssGrowthMb < TARGET_MEMORY_GROWTH_MB,
    };
    // A fast import that kept nothing would be no figure at all.
    const expectedBad = Math.floor(options.rows / 500);
    if (report.created !== options.rows - expectedBad || report.errors !== expectedBad) {
      throw new Error(`crm import bench: ${report.created} employees and ${report.errors} error rows, expected ${options.rows - expectedBad} and ${expectedBad}`);
    }
    log(`  crm import: ${options.rows} rows, ${round(file.length / MB, 1)} MB, ${report.rowsPerSecond} rows/s (jobs), RSS +${memory.rssGrowthMb} MB`);
    return report;
  } finally {
    if (sampler) clearInterval(sampler);
    await database.drop();
  }
}
