// `npm run bench`: figures for the audit log and login on this machine (see tests/bench/README.md).
// Each benchmark makes its own throw-away PostgreSQL database and drops it. Benchmarks print
// figures and never fail on speed; any error stops the run with exit code 1.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type AuditedWritesReport, benchAuditedWrites } from './audited-writes';
import { type LoginLatencyReport, benchLoginLatency } from './login-latency';
import { benchPgbench, type PgbenchReport } from './pgbench';
import { dropLiveBenchDatabases, serverUrl } from './support/database';
import { log, round, table } from './support/stats';
import { benchVerifySpeed, type VerifySpeedReport } from './verify-speed';

const BENCHMARKS = ['pgbench', 'writes', 'verify', 'login'] as const;
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
  argon2Samples: isQuick ? 5 : 20,
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
        `\n   unaudited = the same procedure base (session, role), service function and SQL in one transaction, without the audit_event insert. Target: ratio ≥ 0.80 at 32 clients.` +
        `\n   CPU ratio = unaudited ÷ audited CPU time per op (this Node process + the database's backends, from /proc): the ratio to expect when CPU-bound, little affected by other load.\n`,
    );
    parts.push(
      table(
        ['clients', 'unaudited ops/s', 'audited ops/s', 'ratio', 'CPU µs/op Node+PG (u/a)', 'CPU ratio', 'p50 ms (u/a)', 'p99 ms (u/a)', 'max ms (u/a)', 'machine busy % (u/a)', 'sealer runs/events/max ms'],
        writes.levels.map((level) => [
          String(level.clients),
          level.unaudited.opsPerSecond,
          level.audited.opsPerSecond,
          `${level.ratio.toFixed(2)}${level.clients === 32 ? (level.ratio >= 0.8 ? ' (met)' : ' (NOT met)') : ''}`,
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
    parts.push(`\n1b. PostgreSQL alone (pgbench, -j ≤ 2; insert -T ${bench.seconds}, the unlock transactions ABBA in ${Math.max(1, Math.floor(bench.seconds / 2))} s halves), for scale:\n`);
    const tps = (name: string, clients: number) => bench.scripts.find((script) => script.name === name)?.levels.find((level) => level.clients === clients)?.tps ?? '–';
    parts.push(
      table(
        ['clients', 'single-row inserts/s', 'unlock tx/s', 'unlock+audit tx/s', 'ratio'],
        bench.auditRatio.map((entry) => [String(entry.clients), tps('insert', entry.clients), tps('unlock', entry.clients), tps('unlock+audit', entry.clients), entry.ratio.toFixed(2)]),
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
