// For scale: what PostgreSQL alone does on this machine (pgbench, no application code): single-row
// inserts, and the SQL of users.unlock's transaction with and without its audit_event insert.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { APPLICATION_ROLE } from '../../src/server/db/database';
import { createBenchDatabase } from './support/database';
import { createOrganisation, createUser } from './support/identity';
import { log, round } from './support/stats';

const run = promisify(execFile);

export interface PgbenchLevel {
  clients: number;
  threads: number;
  tps: number;
  transactions: number;
  latencyAverageMs: number | null;
}

export interface PgbenchScriptResult {
  name: string;
  description: string;
  script: string;
  levels: PgbenchLevel[];
}

export interface PgbenchReport {
  binary: string;
  seconds: number;
  scripts: PgbenchScriptResult[];
  /** unlock+audit tps ÷ unlock tps per client count: the audit insert's cost to the database alone. */
  auditRatio: { clients: number; ratio: number }[];
  /** unlock+audit@commit tps ÷ unlock tps: the same with the insert sent in the COMMIT's message. */
  auditWithCommitRatio: { clients: number; ratio: number }[];
}

function pgbenchBinary(): string {
  if (process.env.PGBENCH) return process.env.PGBENCH;
  for (const candidate of ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench']) if (existsSync(candidate)) return candidate;
  return 'pgbench';
}

// Each pgbench client (:client_id) works on a pair of its own: an admin and the user it unlocks.
const UNLOCK = `begin;
select id, organisation_id from app_user
 where id = (select target_id from bench_pair where n = :client_id) and organisation_id = (select organisation_id from bench_pair where n = :client_id)
   for update;
update app_user set is_locked_by_admin = false, locked_until = null, failed_attempts = 0
 where id = (select target_id from bench_pair where n = :client_id);
`;
const AUDIT_INSERT = `insert into audit_event (organisation_id, occurred_at, user_id, user_display_name, user_roles, profession, session_id,
  auth_method, device_id, action, outcome, object_type, object_id, details)
select organisation_id, now(), admin_id, 'Benk Admin', '{admin}', null, gen_random_uuid(), 'password+totp', null,
       'admin.user.unlocked', 'allowed', 'user', target_id::text, '{}'::jsonb
  from bench_pair where n = :client_id;
`;

const SCRIPTS = [
  {
    name: 'insert',
    description: 'single-row insert into a plain table (owner role), for scale',
    script: `\\set n random(1, 1000000)\ninsert into bench_insert (n, note) values (:n, 'pgbench');\n`,
    asApplication: false,
  },
  {
    name: 'unlock',
    description: "users.unlock's transaction without the audit insert (as the application role)",
    script: `${UNLOCK}commit;\n`,
    asApplication: true,
  },
  {
    name: 'unlock+audit',
    description: "users.unlock's transaction with its audit_event insert (as the application role)",
    script: `${UNLOCK}${AUDIT_INSERT}commit;\n`,
    asApplication: true,
  },
  {
    name: 'unlock+audit@commit',
    // pgbench's `\;` joins statements into one message: the insert is sent with the COMMIT, as the
    // server sends an audited write's events (docs/adr/0019; the server's insert is prepared, this is not).
    description: "users.unlock's transaction with its audit_event insert sent in the COMMIT's message (as the application role)",
    script: `${UNLOCK}${AUDIT_INSERT.trimEnd().replace(/;$/, '')}\\;\ncommit;\n`,
    asApplication: true,
  },
] as const;

export async function benchPgbench(options: { clientCounts: readonly number[]; seconds: number }): Promise<PgbenchReport> {
  const binary = pgbenchBinary();
  const database = await createBenchDatabase('pgbench');
  const folder = await mkdtemp(join(tmpdir(), 'jk-pgbench-'));
  try {
    const owner = database.owner.db;
    await sql`create table bench_insert (id bigint generated always as identity primary key, n integer not null, note text not null, at timestamptz not null default now())`.execute(owner);
    await sql`create table bench_pair (n integer primary key, organisation_id uuid not null, admin_id uuid not null, target_id uuid not null)`.execute(owner);
    await sql`grant select on bench_pair to ${sql.id(APPLICATION_ROLE)}`.execute(owner);
    const organisation = await createOrganisation(owner);
    for (let n = 0; n < Math.max(...options.clientCounts); n++) {
      const admin = await createUser(owner, organisation.id, ['admin']);
      const target = await createUser(owner, organisation.id, ['clinician']);
      await sql`insert into bench_pair values (${n}, ${organisation.id}, ${admin.id}, ${target.id})`.execute(owner);
    }
    await sql`analyze`.execute(owner);

    const url = new URL(database.url);
    const connection = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
    const paths = new Map<string, string>();
    for (const definition of SCRIPTS) {
      const path = join(folder, `${definition.name.replace(/\W/g, '_')}.sql`);
      await writeFile(path, definition.script);
      paths.set(definition.name, path);
    }
    const runScript = async (definition: (typeof SCRIPTS)[number], clients: number, seconds: number): Promise<PgbenchLevel> => {
      const env = {
        ...process.env,
        ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
        // libpq: every pgbench connection starts in the application role, as the server's pool does.
        ...(definition.asApplication ? { PGOPTIONS: `-c role=${APPLICATION_ROLE}` } : {}),
      };
      const threads = Math.min(2, clients);
      const args = ['-n', '-f', paths.get(definition.name) ?? '', '-T', String(seconds), '-c', String(clients), '-j', String(threads), ...connection, database.name];
      let stdout: string;
      try {
        ({ stdout } = await run(binary, args, { env, maxBuffer: 10 * 1024 * 1024 }));
      } catch (error) {
        const failed = error as { stdout?: string; stderr?: string };
        throw new Error(`pgbench ${definition.name} -c ${clients} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`, { cause: error });
      }
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
      const transactions = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
      const latency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
      const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1];
      if (!tps || !transactions) throw new Error(`pgbench printed no rate:\n${stdout}`);
      if (failed && Number(failed) > 0) throw new Error(`pgbench ${definition.name}: ${failed} transactions failed:\n${stdout}`);
      return { clients, threads, tps: Number(tps), transactions: Number(transactions), latencyAverageMs: latency ? Number(latency) : null };
    };
    const merge = (runs: PgbenchLevel[]): PgbenchLevel => {
      const first = runs[0] as PgbenchLevel;
      const latencies = runs.map((entry) => entry.latencyAverageMs).filter((value): value is number => value !== null);
      return {
        clients: first.clients,
        threads: first.threads,
        // Runs of equal length: the mean of their rates.
        tps: round(runs.reduce((sum, entry) => sum + entry.tps, 0) / runs.length, 0),
        transactions: runs.reduce((sum, entry) => sum + entry.transactions, 0),
        latencyAverageMs: latencies.length ? round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length, 3) : null,
      };
    };

    const [insert, unlock, audited, carried] = SCRIPTS;
    const levels = new Map<string, PgbenchLevel[]>(SCRIPTS.map((definition) => [definition.name, []]));
    // pgbench takes whole seconds: the two unlock scripts run ABBA in halves, like the write benchmark.
    const half = Math.max(1, Math.floor(options.seconds / 2));
    for (const clients of options.clientCounts) {
      levels.get(insert.name)?.push(await runScript(insert, clients, options.seconds));
      const plain = [await runScript(unlock, clients, half)];
      const withAudit = [await runScript(audited, clients, half)];
      const withCommit = [await runScript(carried, clients, half), await runScript(carried, clients, half)];
      withAudit.push(await runScript(audited, clients, half));
      plain.push(await runScript(unlock, clients, half));
      levels.get(unlock.name)?.push(merge(plain));
      levels.get(audited.name)?.push(merge(withAudit));
      levels.get(carried.name)?.push(merge(withCommit));
    }
    const scripts: PgbenchScriptResult[] = SCRIPTS.map((definition) => ({
      name: definition.name,
      description: definition.description,
      script: definition.script.trim(),
      levels: (levels.get(definition.name) ?? []).map((level) => ({ ...level, tps: round(level.tps, 0) })),
    }));
    for (const script of scripts) log(`  ${script.name.padEnd(12)} ${script.levels.map((level) => `${level.clients} clients ${level.tps} tps`).join(', ')}`);
    const tpsOf = (name: string, clients: number) => scripts.find((script) => script.name === name)?.levels.find((level) => level.clients === clients)?.tps ?? Number.NaN;
    const auditRatio = options.clientCounts.map((clients) => ({ clients, ratio: round(tpsOf('unlock+audit', clients) / tpsOf('unlock', clients), 3) }));
    const auditWithCommitRatio = options.clientCounts.map((clients) => ({ clients, ratio: round(tpsOf('unlock+audit@commit', clients) / tpsOf('unlock', clients), 3) }));
    log(`  unlock+audit ÷ unlock: ${auditRatio.map((entry) => `${entry.clients} clients ${entry.ratio.toFixed(2)}`).join(', ')}`);
    log(`  unlock+audit@commit ÷ unlock: ${auditWithCommitRatio.map((entry) => `${entry.clients} clients ${entry.ratio.toFixed(2)}`).join(', ')}`);
    const events = await sql<{ count: string }>`select count(*)::text as count from audit_event`.execute(owner);
    if (Number(events.rows[0]?.count) === 0) throw new Error('pgbench unlock+audit wrote no audit events');
    return { binary, seconds: options.seconds, scripts, auditRatio, auditWithCommitRatio };
  } finally {
    await rm(folder, { recursive: true, force: true });
    await database.drop();
  }
}
