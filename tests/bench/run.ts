// `npm run bench`: figures for the audit log, login and opening a journal on this machine (see tests/bench/README.md).
// Each benchmark makes its own throw-away PostgreSQL database and drops it. Benchmarks print
// figures and never fail on speed; any error stops the run with exit code 1.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { AUDITED_WRITE_TARGET, type AuditedWritesReport, benchAuditedWrites } from './audited-writes';
import { benchBoardLatency, type BoardLatencyReport } from './board-latency';
import { benchBundle, type BundleReport, bundleSummary } from './bundle';
import { benchCrmImport, type CrmImportReport } from './crm-import';
import { benchCrmSearch, type CrmSearchReport } from './crm-search';
import { benchDpoLog, type DpoLogReport } from './dpo-log';
import { benchHttp, type HttpBenchReport, httpSummary } from './http';
import { benchJournalRead, type JournalReadReport } from './journal-read';
import { benchJournalRender, type JournalRenderReport, renderSummary } from './journal-render';
import { type LoginLatencyReport, benchLoginLatency } from './login-latency';
import { benchPgbench, type PgbenchReport } from './pgbench';
import { benchRetention, type RetentionReport, retentionSummary } from './retention';
import { dropLiveBenchDatabases, serverUrl } from './support/database';
import { type LatencySummary, log, round, table } from './support/stats';
import { benchVerifySpeed, type VerifySpeedReport } from './verify-speed';
import { benchVisitIntake, type VisitIntakeReport } from './visit-intake';

const BENCHMARKS = ['pgbench', 'writes', 'verify', 'login', 'journal', 'render', 'bundle', 'intake', 'board', 'retention', 'crm-import', 'crm-search', 'dpo', 'http'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const args = process.argv.slice(2);
const isQuick = args.includes('--quick');
const onlyArg = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const selected = new Set<Benchmark>(
  onlyArg
    ? onlyArg.split(',').map((name) => {
        if (!(BENCHMARKS as readonly string[]).includes(name)) throw new Error(`Unknown benchmark "${name}" (one of ${BENCHMARKS.join(', ')})`);
        return name as Benchmark;
      })
    : BENCHMARKS,
);
const envNumber = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

const settings = {
  clientCounts: [1, 8, 32],
  secondsPerMode: envNumber('BENCH_SECONDS', isQuick ? 1 : 5),
  warmupSeconds: isQuick ? 0.3 : 0.5,
  events: envNumber('BENCH_EVENTS', isQuick ? 100_000 : 1_000_000),
  verifyRuns: isQuick ? 1 : 2,
  verifyTarget: 500_000,
  logins: envNumber('BENCH_LOGINS', isQuick ? 10 : 50),
  boardSamples: envNumber('BENCH_BOARD_SAMPLES', isQuick ? 30 : 200),
  argon2Samples: isQuick ? 5 : 20,
  journal: {
    patients: envNumber('BENCH_PATIENTS', isQuick ? 10_000 : 100_000),
    notesPerPatient: 20,
    clinicians: 40,
    clientCounts: [1, 32],
    // Longer than the others' 5 s: the checked/unchecked difference is large, but the machine is noisy.
    secondsPerMode: envNumber('BENCH_SECONDS', isQuick ? 1 : 8),
    traceCalls: isQuick ? 100 : 500,
  },
  crm: {
    importRows: envNumber('BENCH_IMPORT_ROWS', isQuick ? 10_000 : 50_000),
    companies: envNumber('BENCH_COMPANIES', isQuick ? 10_000 : 100_000),
    contactsPerCompany: 5,
    searchSamples: isQuick ? 50 : 300,
  },
  dpo: {
    events: envNumber('BENCH_DPO_EVENTS', isQuick ? 200_000 : 10_000_000),
    users: 1_000,
    patients: envNumber('BENCH_DPO_PATIENTS', isQuick ? 10_000 : 100_000),
    samples: isQuick ? 30 : 200,
    keep: process.env.BENCH_DPO_KEEP === '1',
    keptDatabase: process.env.BENCH_DPO_DATABASE || undefined,
  },
  retention: {
    bookings: envNumber('BENCH_BOOKINGS', isQuick ? 100_000 : 1_000_000),
    openBookings: isQuick ? 2_000 : 20_000,
  },
};

interface Results {
  startedAt: string;
  durationSeconds: number;
  settings: typeof settings;
  machine: { cpus: number; cpuModel: string; node: string; postgres: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[]; gitCommit: string | null };
  pgbench?: PgbenchReport;
  auditedWrites?: AuditedWritesReport;
  verify?: VerifySpeedReport;
  login?: LoginLatencyReport;
  journal?: JournalReadReport;
  render?: JournalRenderReport;
  bundle?: BundleReport;
  intake?: VisitIntakeReport;
  board?: BoardLatencyReport;
  retention?: RetentionReport;
  crmImport?: CrmImportReport;
  crmSearch?: CrmSearchReport;
  dpo?: DpoLogReport;
  http?: HttpBenchReport;
}

async function postgresVersion(): Promise<string> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: serverUrl(), max: 1 }) }) });
  try {
    const { rows } = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(db);
    return rows[0]?.version ?? 'unknown';
  } finally {
    await db.destroy();
  }
}

async function gitCommit(): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--short', 'HEAD']);
    return stdout.trim();
  } catch {
    return null;
  }
}

const loads = () => loadavg().map((value) => round(value, 2));

function summary(results: Results): string {
  const parts: string[] = [];
  const { machine } = results;
  parts.push(
    `Journalkontor benchmarks — ${results.startedAt}, ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, PostgreSQL ${machine.postgres}` +
      `, load average ${machine.loadAverageAtStart.join('/')} at start, ${machine.loadAverageAtEnd.join('/')} at end` +
      (isQuick ? ' (--quick: short runs, figures rough)' : ''),
  );
  const writes = results.auditedWrites;
  if (writes) {
    parts.push(
      `\n1. Audited write throughput: users.unlock through the tRPC router (createCaller), ${writes.secondsPerMode} s per mode per level (ABBA halves), sealer every 1 s during the audited runs.` +
        `\n   unaudited = the same procedure base (session, role), service function and SQL in one transaction, without the audit_event insert. Target: ratio ≥ ${AUDITED_WRITE_TARGET.toFixed(2)} at 32 clients (issue 13).` +
        `\n   CPU ratio = unaudited ÷ audited CPU time per op (this Node process + the database's backends, from /proc): the ratio to expect when CPU-bound, little affected by other load.\n`,
    );
    parts.push(
      table(
        ['clients', 'unaudited ops/s', 'audited ops/s', 'ratio', 'CPU µs/op Node+PG (u/a)', 'CPU ratio', 'p50 ms (u/a)', 'p99 ms (u/a)', 'max ms (u/a)', 'machine busy % (u/a)', 'sealer runs/events/max ms'],
        writes.levels.map((level) => [
          String(level.clients),
          level.unaudited.opsPerSecond,
          level.audited.opsPerSecond,
          `${level.ratio.toFixed(2)}${level.clients === 32 ? (level.ratio >= AUDITED_WRITE_TARGET ? ' (met)' : ' (NOT met)') : ''}`,
          `${level.unaudited.cpuPerOp.nodeMicros}+${level.unaudited.cpuPerOp.postgresMicros ?? '?'} / ${level.audited.cpuPerOp.nodeMicros}+${level.audited.cpuPerOp.postgresMicros ?? '?'}`,
          level.cpuRatio?.toFixed(2) ?? '–',
          `${level.unaudited.latency.p50Ms} / ${level.audited.latency.p50Ms}`,
          `${level.unaudited.latency.p99Ms} / ${level.audited.latency.p99Ms}`,
          `${level.unaudited.latency.maxMs} / ${level.audited.latency.maxMs}`,
          `${level.unaudited.machineBusyPercent ?? '?'} / ${level.audited.machineBusyPercent ?? '?'}`,
          `${level.sealer.runs} / ${level.sealer.eventsSealed} / ${level.sealer.maxMs}`,
        ]),
      ),
    );
    parts.push('   backends, average number active by state (sampled every 50 ms; CPU = running, else wait event), unaudited | audited:');
    for (const level of writes.levels) {
      const states = (mode: { backendStates: Record<string, number> }) => Object.entries(mode.backendStates).map(([state, count]) => `${state} ${count}`).join(', ') || '–';
      parts.push(`   ${String(level.clients).padStart(2)} clients: ${states(level.unaudited)} | ${states(level.audited)}`);
    }
    const check = writes.finalCheck;
    parts.push(`   afterwards: ${check.unlockEvents} unlock events for ${check.auditedCalls} audited calls; ${check.verifiedEvents} events in ${check.seals} seals verified intact.`);
  }
  const bench = results.pgbench;
  if (bench) {
    parts.push(`\n1b. PostgreSQL alone (pgbench, -j ≤ 2; insert -T ${bench.seconds}, the unlock transactions ABCCBA in ${Math.max(1, Math.floor(bench.seconds / 2))} s halves), for scale; @commit = the insert sent in the COMMIT's message (\\;):\n`);
    const tps = (name: string, clients: number) => bench.scripts.find((script) => script.name === name)?.levels.find((level) => level.clients === clients)?.tps ?? '–';
    parts.push(
      table(
        ['clients', 'single-row inserts/s', 'unlock tx/s', 'unlock+audit tx/s', 'ratio', 'unlock+audit@commit tx/s', 'ratio'],
        bench.auditRatio.map((entry) => [
          String(entry.clients),
          tps('insert', entry.clients),
          tps('unlock', entry.clients),
          tps('unlock+audit', entry.clients),
          entry.ratio.toFixed(2),
          tps('unlock+audit@commit', entry.clients),
          bench.auditWithCommitRatio.find((other) => other.clients === entry.clients)?.ratio.toFixed(2) ?? '–',
        ]),
      ),
    );
  }
  const verify = results.verify;
  if (verify) {
    parts.push(`\n2. audit:verify on ${verify.events.toLocaleString('en')} synthetic events (${verify.transactions} transactions, audit_event ${verify.tableSizeMb} MB)\n`);
    parts.push(
      table(
        ['step', 'seconds', 'events/s', 'note'],
        [
          ['bulk insert (owner, INSERT … SELECT)', verify.insertSeconds.toFixed(1), Math.round(verify.events / verify.insertSeconds), ''],
          ['sealPendingEvents', verify.seal.seconds.toFixed(2), verify.seal.eventsPerSecond, `${verify.seal.seals} seals`],
          ...verify.verify.runs.map((run, index) => [`verifyAuditLog, run ${index + 1}`, run.seconds.toFixed(2), run.eventsPerSecond, index === 0 ? `target ≥ ${verify.verify.targetEventsPerSecond.toLocaleString('en')}/s: ${verify.verify.meetsTarget ? 'met' : 'NOT met'} (best run)` : ''] as const),
        ],
      ),
    );
  }
  const login = results.login;
  if (login) {
    const { argon2 } = login;
    parts.push(`\n3. Login latency over ${login.logins} sequential logins (password, then TOTP), and argon2id alone (m=${argon2.options.memoryCost} KiB, t=${argon2.options.timeCost}, p=${argon2.options.parallelism}, ${argon2.hash.count} samples)\n`);
    const row = (label: string, stats: { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; meanMs: number }) => [label, stats.p50Ms, stats.p95Ms, stats.p99Ms, stats.maxMs, stats.meanMs];
    parts.push(
      table(
        ['ms', 'p50', 'p95', 'p99', 'max', 'mean'],
        [
          row('login (password + TOTP)', login.total),
          row('  auth.login.password', login.passwordStep),
          row('  auth.login.secondFactor', login.secondFactorStep),
          row('argon2id hash', argon2.hash),
          row('argon2id verify', argon2.verify),
        ],
      ),
    );
  }
  const journal = results.journal;
  if (journal) {
    const { scale, targets } = journal;
    parts.push(
      `\n4. Opening a journal: journal.notes through the tRPC router (session, access decision, first page of ${25} notes, audit event committed before the answer), ${journal.secondsPerMode} s per mode per level (A B C C B A halves),` +
        `\n   on ${scale.patients.toLocaleString('en')} patients / ${scale.notes.toLocaleString('en')} notes / ${scale.clinicians} clinicians; ${journal.pairs.total.toLocaleString('en')} pairs with a basis (${Object.entries(journal.pairs.byKind).map(([kind, count]) => `${kind} ${count}`).join(', ')}; ${journal.pairs.withPartialBlock} with a partial block).` +
        `\n   generated in ${journal.generation.seconds} s (${journal.generation.steps.map((step) => `${step.name} ${step.seconds}`).join(', ')}), set-up and logins ${journal.generation.setupSeconds} s; database ${journal.database.sizeMb} MB (${Object.entries(journal.database.tablesMb).map(([name, size]) => `${name} ${size}`).join(', ')}).` +
        `\n   unchecked = the same first-page query alone (no session, decision, audit or transaction); session+page = the procedure base and the page query, no decision or audit (diagnostic).` +
        `\n   Targets at 32 clients: checked p95 ≤ 20 ms; checked ≥ 70% of the unchecked ops/s.\n`,
    );
    parts.push(
      table(
        ['clients', 'unchecked ops/s', 'session+page ops/s', 'checked ops/s', 'ratio', 'CPU µs/op Node+PG (u/s/c)', 'CPU ratio', 'checked p50/p95/p99 ms', 'unchecked p50/p95/p99 ms', 'machine busy % (u/c)'],
        journal.levels.map((level) => [
          String(level.clients),
          level.unchecked.opsPerSecond,
          level.sessionOnly.opsPerSecond,
          level.checked.opsPerSecond,
          `${level.ratio.toFixed(2)}${level.clients === 32 ? (level.ratio >= 0.7 ? ' (met)' : ' (NOT met)') : ''}`,
          [level.unchecked, level.sessionOnly, level.checked].map((mode) => `${mode.cpuPerOp.nodeMicros}+${mode.cpuPerOp.postgresMicros ?? '?'}`).join(' / '),
          level.cpuRatio?.toFixed(2) ?? '–',
          `${level.checked.latency.p50Ms} / ${level.checked.latency.p95Ms}${level.clients === 32 ? (level.checked.latency.p95Ms <= 20 ? ' (met)' : ' (NOT met)') : ''} / ${level.checked.latency.p99Ms}`,
          `${level.unchecked.latency.p50Ms} / ${level.unchecked.latency.p95Ms} / ${level.unchecked.latency.p99Ms}`,
          `${level.unchecked.machineBusyPercent ?? '?'} / ${level.checked.machineBusyPercent ?? '?'}`,
        ]),
      ),
    );
    parts.push(`   targets: p95 ${targets.p95MsAt32} ms → ${targets.p95Met ? 'met' : 'NOT met'}; ratio ${targets.ratioAt32.toFixed(2)} → ${targets.ratioMet ? 'met' : 'NOT met'}. ${journal.finalCheck.readEvents} read events for ${journal.finalCheck.checkedCalls} checked calls; the decision agreed with the generated bases on ${journal.decisionChecks} samples.`);
    const { trace } = journal;
    parts.push(
      `   one call at 1 client (${trace.calls} calls): ${trace.callMeanMs} ms, ${trace.statementsPerCall} statements; per call: ` +
        trace.statements.map((statement) => `${statement.label}${statement.perCall === 1 ? '' : ` ×${statement.perCall}`} ${statement.meanMsPerCall}`).join(', ') +
        ` (ms, round trips as Node sees them; the rest is Node: tRPC, zod, Kysely).`,
    );
    const alone = journal.decisionAlone;
    parts.push(`   decideJournalAccess alone, 1 client: ${alone.opsPerSecond} decisions/s, p50/p95 ${alone.latency.p50Ms}/${alone.latency.p95Ms} ms, CPU µs/decision Node+PG ${alone.cpuPerOp.nodeMicros}+${alone.cpuPerOp.postgresMicros ?? '?'}.`);
    parts.push('   server time per statement after the session (EXPLAIN ANALYZE, best of 3, planning + execution ms):');
    for (const entry of journal.profile) {
      parts.push(`   ${entry.kind.padEnd(36)} ${entry.roundTrips} statements, ${entry.totalExecutionMs} ms: ${entry.queries.map((query) => `${query.label} ${round(query.planningMs + query.executionMs, 3)}`).join(', ')}`);
    }
    const day = journal.clinicianDay;
    parts.push(
      `   the clinician's day (issue 9): ${day.appointmentsToday} appointments today, ${day.drafts} drafts, ${day.auditHistory.eventsPerClinician.toLocaleString('en')} audit events per clinician over ${day.auditHistory.days} days;` +
        ` ${journal.finalCheck.startEvents} start.page.read events for ${journal.finalCheck.startCalls} calls.`,
    );
    const figures = (mode: { opsPerSecond: number; latency: { p50Ms: number; p95Ms: number; p99Ms: number }; cpuPerOp: { nodeMicros: number; postgresMicros: number | null } }) =>
      [String(mode.opsPerSecond), `${mode.latency.p50Ms} / ${mode.latency.p95Ms} / ${mode.latency.p99Ms}`, `${mode.cpuPerOp.nodeMicros}+${mode.cpuPerOp.postgresMicros ?? '?'}`];
    parts.push(
      table(
        ['clients', 'mode', 'ops/s', 'p50/p95/p99 ms', 'CPU µs/op Node+PG'],
        day.levels.flatMap((level) => [
          [String(level.clients), 'start.today', ...figures(level.start)],
          [String(level.clients), 'journal.notes, text found', ...figures(level.search)],
          [String(level.clients), 'journal.notes, text nowhere', ...figures(level.searchNowhere)],
        ]),
      ),
    );
    for (const [label, profile] of [['start.today', day.startPageProfile]] as const) {
      // Statements sent more than once are summed, with their count.
      const byLabel = new Map<string, { count: number; ms: number }>();
      for (const query of profile.queries) {
        const entry = byLabel.get(query.label) ?? { count: 0, ms: 0 };
        byLabel.set(query.label, { count: entry.count + 1, ms: entry.ms + query.planningMs + query.executionMs });
      }
      parts.push(`   ${label.padEnd(36)} ${profile.roundTrips} statements, ${profile.totalExecutionMs} ms: ${[...byLabel].map(([name, entry]) => `${name}${entry.count > 1 ? ` ×${entry.count}` : ''} ${round(entry.ms, 3)}`).join(', ')}`);
    }
  }
  const board = results.board;
  if (board) {
    parts.push(
      `\n5. Time until a booking shows on an open board (PLAT-10): two backend instances on one PostgreSQL, ${board.samples} bookings one after another;` +
        `\n   intake on A: ${board.intake === 'route' ? 'POST /public/home-visit-bookings' : 'stand-in (insert + publishChange; the route was not in this build)'}; a coordinator's visits.live (SSE) on B, then ${board.board === 'visits.board' ? 'visits.board' : 'a stand-in day query'} on B.` +
        `\n   Target: board updated p95 ≤ ${board.targetP95Ms} ms.\n`,
    );
    const row = (label: string, stats: LatencySummary) => [label, stats.p50Ms, stats.p95Ms, stats.p99Ms, stats.maxMs, stats.meanMs];
    parts.push(
      table(
        ['ms from submit', 'p50', 'p95', 'p99', 'max', 'mean'],
        [row('submit answered (A)', board.submit), row('event received (B)', board.event), row(`board refetched (B)${board.isTargetMet ? ' (met)' : ' (NOT met)'}`, board.boardUpdated)],
      ),
    );
  }
  if (results.render) parts.push(renderSummary(results.render));
  if (results.bundle) parts.push(bundleSummary(results.bundle));
  const intake = results.intake;
  if (intake) {
    parts.push(
      `\n7. Home-visit intake (issue 10): POST /public/home-visit-bookings over HTTP to a real server on PostgreSQL (rate limits raised), ${intake.clients} concurrent submitters, ${intake.seconds} s;` +
        ` each booking: rate-limit counters, validation, zone, booking, timeline row, SMS + e-mail + ${intake.finalCheck.doctorsOnShift} notifier messages, pg_notify, audit event, in one transaction.\n`,
    );
    parts.push(
      table(
        ['submitters', 'bookings', 'bookings/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        [[String(intake.clients), intake.bookings, `${intake.bookingsPerSecond} (target ≥ ${intake.targetBookingsPerSecond}: ${intake.meetsTarget ? 'met' : 'NOT met'})`, intake.latency.p50Ms, intake.latency.p95Ms, intake.latency.p99Ms, intake.latency.maxMs]],
      ),
    );
    parts.push(`   one submitter: ${intake.oneClient.bookingsPerSecond} bookings/s, p50/p95 ${intake.oneClient.latency.p50Ms}/${intake.oneClient.latency.p95Ms} ms.`);
    parts.push(`   backends at 32 submitters, average number active by state: ${Object.entries(intake.backendStates).map(([state, count]) => `${state} ${count}`).join(', ') || '–'}.`);
    parts.push(`   afterwards: ${intake.finalCheck.bookings} bookings, ${intake.finalCheck.statusChanges} timeline rows, ${intake.finalCheck.events} events, ${intake.finalCheck.messages} outbox messages (warm-up included).`);
  }
  if (results.retention) parts.push(retentionSummary(results.retention));
  const crmImport = results.crmImport;
  if (crmImport) {
    const { memory } = crmImport;
    parts.push(
      `\nCRM import (CRM-4): ${crmImport.rows.toLocaleString('en')} employees from a ${round(crmImport.fileBytes / 1048576, 1)} MB Windows-1252 ';' file through portal.import.* and the job runner (${crmImport.errors} bad rows reported, ${crmImport.created.toLocaleString('en')} employees kept).` +
        `\n   upload+inspect ${crmImport.uploadSeconds} s, validation job ${crmImport.validateSeconds} s, commit job ${crmImport.commitSeconds} s.` +
        `\n   validation + commit: ${crmImport.rowsPerSecond.toLocaleString('en')} rows/s (target ≥ ${crmImport.targets.rowsPerSecond.toLocaleString('en')}: ${crmImport.isRateMet ? 'met' : 'NOT met'}); with the upload ${crmImport.rowsPerSecondWithUpload.toLocaleString('en')} rows/s.` +
        `\n   server memory: RSS ${memory.rssBaselineMb} → ${memory.rssPeakMb} MB (+${memory.rssGrowthMb}, target < ${crmImport.targets.memoryGrowthMb}: ${crmImport.isMemoryMet ? 'met' : 'NOT met'}), heap ${memory.heapBaselineMb} → ${memory.heapPeakMb} MB (+${memory.heapGrowthMb}).`,
    );
  }
  const crmSearch = results.crmSearch;
  if (crmSearch) {
    parts.push(
      `\nCRM company search (CRM-1): crm.companies through the router (session, role, audit event), ${crmSearch.samples} queries over ${crmSearch.companies.toLocaleString('en')} companies and ${crmSearch.contacts.toLocaleString('en')} contacts (generated in ${crmSearch.generationSeconds} s).` +
        `\n   Target p95 ≤ ${crmSearch.targetP95Ms} ms: ${crmSearch.isTargetMet ? 'met' : 'NOT met'}.\n`,
    );
    parts.push(
      table(
        ['query', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        [...Object.entries(crmSearch.byKind), ['all', crmSearch.all] as const].map(([kind, stats]) => [kind, stats.count, stats.p50Ms, stats.p95Ms, stats.p99Ms, stats.maxMs]),
      ),
    );
  }
  const dpo = results.dpo;
  if (dpo) {
    parts.push(
      `\nThe DPO's workspace (issue 12) over ${dpo.events.toLocaleString('en')} audit events (two years, ${dpo.users.toLocaleString('en')} users, ${dpo.patients.toLocaleString('en')} patients; generated in ${dpo.insertSeconds} s, sealed in ${dpo.sealSeconds} s).` +
        `\n   Verification of the whole log: ${dpo.verifyEventsPerSecond.toLocaleString('en')} events/s (target ≥ 500,000: ${dpo.verifyEventsPerSecond >= 500_000 ? 'met' : 'NOT met'}).` +
        `\n   The flags job over the whole log: ${dpo.raisedFlags.toLocaleString('en')} flags raised in ${dpo.flagSeconds} s; ${dpo.openFlags.toLocaleString('en')} open flags on the dashboard.\n`,
    );
    if (dpo.measures.length > 0) {
      parts.push(
        table(
          ['through the router, as the DPO', 'count', 'p50 ms', 'p95 ms', 'max ms', 'target', 'met'],
          dpo.measures.map((measure) => [measure.name, measure.summary.count, measure.summary.p50Ms, measure.summary.p95Ms, measure.summary.maxMs, `${measure.statistic} ≤ ${measure.targetMs} ms`, measure.isTargetMet ? 'yes' : 'NO']),
        ),
      );
    }
  }
  if (results.http) parts.push(httpSummary(results.http));
  return parts.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const results: Results = {
    startedAt: new Date().toISOString(),
    durationSeconds: 0,
    settings,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.versions.node,
      postgres: await postgresVersion(),
      loadAverageAtStart: loads(),
      loadAverageAtEnd: [],
      gitCommit: await gitCommit(),
    },
  };
  log(`Benchmarks: ${[...selected].join(', ')} on ${serverUrl().replace(/\/\/[^@]*@/, '//…@')}${isQuick ? ' (--quick)' : ''}; load average ${results.machine.loadAverageAtStart.join('/')}`);
  if (selected.has('pgbench')) {
    log('\n[pgbench] single-row inserts');
    results.pgbench = await benchPgbench({ clientCounts: settings.clientCounts, seconds: settings.secondsPerMode });
  }
  if (selected.has('writes')) {
    log('\n[writes] audited vs unaudited users.unlock');
    results.auditedWrites = await benchAuditedWrites({ clientCounts: settings.clientCounts, secondsPerMode: settings.secondsPerMode, warmupSeconds: settings.warmupSeconds });
  }
  if (selected.has('verify')) {
    log(`\n[verify] ${settings.events} events`);
    results.verify = await benchVerifySpeed({ events: settings.events, verifyRuns: settings.verifyRuns, targetEventsPerSecond: settings.verifyTarget });
  }
  if (selected.has('login')) {
    log('\n[login] latency');
    results.login = await benchLoginLatency({ logins: settings.logins, warmup: 3, argon2Samples: settings.argon2Samples });
  }
  if (selected.has('journal')) {
    log(`\n[journal] opening a journal at ${settings.journal.patients} patients`);
    results.journal = await benchJournalRead({ ...settings.journal, warmupSeconds: settings.warmupSeconds });
  }
  if (selected.has('render')) {
    log(`\n[render] a journal of ${isQuick ? 1_000 : 5_000} notes in Chromium`);
    results.render = await benchJournalRender({ notes: envNumber('BENCH_RENDER_NOTES', isQuick ? 1_000 : 5_000), firstCardRuns: isQuick ? 3 : 7, scrollSeconds: 5 });
  }
  if (selected.has('bundle')) {
    log('\n[bundle] initial load of the login page');
    results.bundle = await benchBundle({ loginRuns: isQuick ? 3 : 10 });
  }
  if (selected.has('intake')) {
    log('\n[intake] home-visit bookings through the public endpoint');
    results.intake = await benchVisitIntake({ clients: 32, seconds: settings.secondsPerMode, warmupSeconds: settings.warmupSeconds, targetBookingsPerSecond: 300 });
  }
  if (selected.has('board')) {
    log('\n[board] submit on A → live event on B → board refetched on B');
    results.board = await benchBoardLatency({ samples: settings.boardSamples, warmup: 5 });
  }
  if (selected.has('retention')) {
    log(`\n[retention] ${settings.retention.bookings} finished bookings due`);
    results.retention = await benchRetention(settings.retention);
  }
  if (selected.has('crm-import')) {
    log(`\n[crm-import] ${settings.crm.importRows} employees from CSV`);
    results.crmImport = await benchCrmImport({ rows: settings.crm.importRows });
  }
  if (selected.has('crm-search')) {
    log(`\n[crm-search] ${settings.crm.companies} companies, ${settings.crm.companies * settings.crm.contactsPerCompany} contacts`);
    results.crmSearch = await benchCrmSearch({ companies: settings.crm.companies, contactsPerCompany: settings.crm.contactsPerCompany, samples: settings.crm.searchSamples, warmup: 20 });
  }
  if (selected.has('dpo')) {
    log(`\n[dpo] ${settings.dpo.events} audit events, ${settings.dpo.users} users, ${settings.dpo.patients} patients`);
    results.dpo = await benchDpoLog(settings.dpo);
  }
  if (selected.has('http')) {
    log(`\n[http] the journal open over HTTP, the server in a process of its own, at ${settings.journal.patients} patients`);
    results.http = await benchHttp({
      patients: settings.journal.patients,
      notesPerPatient: settings.journal.notesPerPatient,
      clinicians: settings.journal.clinicians,
      clientCounts: settings.journal.clientCounts,
      secondsPerMode: settings.journal.secondsPerMode,
      warmupSeconds: settings.warmupSeconds,
    });
  }
  results.machine.loadAverageAtEnd = loads();
  results.durationSeconds = round((performance.now() - started) / 1000, 1);

  log(`\n${summary(results)}\n`);
  const path = join('test-results', 'bench', 'latest.json');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
  log(`Written to ${path} (${results.durationSeconds} s in all).`);
}

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nInterrupted: dropping the bench databases …\n');
  void dropLiveBenchDatabases().finally(() => process.exit(130));
});

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    process.stderr.write(`\nBenchmark FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (error instanceof Error && error.cause) process.stderr.write(`Caused by: ${String(error.cause instanceof Error ? error.cause.stack : error.cause)}\n`);
    await dropLiveBenchDatabases();
    process.exit(1);
  },
);
