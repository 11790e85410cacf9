// A small measurement for docs/adr/0018 (not part of `npm run bench`; tests/bench/http.ts is the
// full HTTP benchmark): requests/s of `auth.session.me` over real HTTP at 32 clients, each with its
// own session, against `npm run server` started as a separate process with 1 or 2 workers and the
// session cache on or off (JK_SESSION_CACHE). Needs a migrated PostgreSQL and its application login:
//
//   DATABASE_URL=postgres://journalkontor_server:…@127.0.0.1:5432/jk JK_SECRET_KEY=… npx tsx tests/bench/session-check-http.ts
//
// Options: --seconds=10 --clients=32 --runs=w1c0,w1c1,w2c0,w2c1
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { APPLICATION_ROLE, openDatabase } from '../../src/server/db/database';
import { createSession } from '../../src/server/auth/session';
import { createOrganisation, createUser } from './support/identity';
import { freePort } from '../integration/support/free-port';

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((argument) => argument.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}


/** User + system CPU of these processes so far, in ms (/proc; a process gone meanwhile counts 0). */
function cpuMsOf(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command's closing parenthesis: state is 3rd, utime 14th, stime 15th of the whole line.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

function childrenOf(pid: number): number[] {
  try {
    const output = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    return output.split('\n').map((line) => Number(line.trim())).filter((value) => value > 0);
  } catch {
    return []; // ps exits 1 when there are none (one process, no workers)
  }
}

async function startServer(env: Record<string, string>, base: string, workers: number): Promise<{ pids(): number[]; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let hasExited = false;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.once('exit', () => (hasExited = true));
  // Ready when every worker is listening (the primary says so) or, with one process, when /health answers.
  for (;;) {
    if (hasExited) throw new Error(`server exited: ${output.slice(-2000)}`);
    if (workers > 1 ? output.includes('all workers listening') : await fetch(`${base}/health`).then((response) => response.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    pids: () => (child.pid === undefined ? [] : [child.pid, ...childrenOf(child.pid)]),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}


async function load(url: string, tokens: string[], seconds: number): Promise<{ latencies: number[]; errors: number; elapsedMs: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token) => {
      while (performance.now() < deadline) {
        const before = performance.now();
        const response = await fetch(`${url}/trpc/auth.session.me`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - before);
        else errors += 1;
      }
    }),
  );
  return { latencies, errors, elapsedMs: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !process.env.JK_SECRET_KEY) throw new Error('DATABASE_URL (the application login of a migrated database) and JK_SECRET_KEY are required');
  const seconds = Number(option('seconds', '10'));
  const clients = Number(option('clients', '32'));
  const runs = option('runs', 'w1c0,w1c1,w2c0,w2c1').split(',');
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 2, role: APPLICATION_ROLE });
  const tokens: string[] = [];
  /** The PostgreSQL backends serving this database, other than this script's own. */
  const backendPids = async () => {
    const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(database.db);
    return rows.rows.map((row) => row.pid);
  };
  try {
    const organisation = await createOrganisation(database.db);
    const now = new Date();
    for (let index = 0; index < clients; index += 1) {
      const user = await createUser(database.db, organisation.id);
      const { token } = await createSession(database.db, { organisationId: organisation.id, userId: user.id, authMethod: 'password+totp', deviceId: null, now });
      tokens.push(token);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  for (const run of runs) {
    const match = /^w(\d+)c([01])$/.exec(run);
    if (!match) throw new Error(`--runs: ${run} is not wNcB`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const workers = Number(match[1] ?? '1');
    const server = await startServer({ JK_WORKERS: String(workers), JK_SESSION_CACHE: match[2] ?? '1', JK_PORT: String(port), JK_LOG_LEVEL: 'warn', DATABASE_OWNER_URL: '' }, base, workers);
    try {
      await load(base, tokens, 2); // warm-up: connections, prepared statements, the cache
      const nodePids = server.pids();
      const postgresPids = await backendPids();
      const nodeBefore = cpuMsOf(nodePids);
      const postgresBefore = cpuMsOf(postgresPids);
      const { latencies, errors, elapsedMs } = await load(base, tokens, seconds);
      const nodeCpuMs = cpuMsOf(nodePids) - nodeBefore;
      const postgresCpuMs = cpuMsOf(postgresPids) - postgresBefore;
      latencies.sort((a, b) => a - b);
      const result = {
        run,
        requestsPerSecond: Math.round((latencies.length / elapsedMs) * 1000),
        p50Ms: Number(percentile(latencies, 50).toFixed(2)),
        p95Ms: Number(percentile(latencies, 95).toFixed(2)),
        errors,
        // CPU per answered request: less at the mercy of a shared machine than requests/s.
        nodeCpuMsPerOp: Number((nodeCpuMs / latencies.length).toFixed(3)),
        postgresCpuMsPerOp: Number((postgresCpuMs / latencies.length).toFixed(3)),
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await server.stop();
    }
  }
  await database.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
