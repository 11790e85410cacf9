import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createOrganisation, createUser, login, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { freePort } from '../support/free-port';

const isPostgres = inject('testDatabaseKind') === 'postgres';


/** The worker processes of a primary: its children running the server (tsx's own helpers are not). */
function workersOf(pid: number): number[] {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes('src/server/main.ts')).map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** One request on a connection of its own (no keep-alive), so consecutive requests reach the workers in turn. */
function statusOn(url: string, options: { method?: string; token: string; body?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request(url, { method: options.method ?? 'GET', agent: false, headers: { authorization: `Bearer ${options.token}`, ...(options.body ? { 'content-type': 'application/json' } : {}) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    call.on('error', reject);
    call.end(options.body);
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe.skipIf(!isPostgres)('PLAT-10: npm run server runs one worker per core', () => {
  const database = useTestDatabase();
  let primary: ChildProcess | undefined;

  afterEach(async () => {
    if (primary && primary.exitCode === null) {
      primary.kill('SIGKILL');
      await exitOf(primary);
    }
    primary = undefined;
  });

  it('PLAT-10: with JK_WORKERS=2 the server forks two workers that answer /health and share sessions, restarts one that dies and stops on SIGTERM', async () => {
    const url = database.current.applicationUrl;
    if (!url) throw new Error('PostgreSQL only');
    const port = await freePort();
    // What `npm run server` runs (`tsx src/server/main.ts`), with tsx as a loader so the primary is this child itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, DATABASE_URL: url, DATABASE_OWNER_URL: '', JK_SECRET_KEY: randomBytes(32).toString('base64'), JK_WORKERS: '2', JK_PORT: String(port), JK_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary = child;
    let output = '';
    const listening = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('all workers listening')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
    });
    await listening;
    const pid = child.pid;
    if (pid === undefined) throw new Error('no pid');
    const workers = workersOf(pid);
    expect(workers).toHaveLength(2);
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);

    // A session made in the database is answered by both workers (the cluster hands connections out
    // round robin), and a logout through one of them is refused by every later request, whichever
    // worker takes it.
    const clock = new TestClock(new Date());
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const { token } = await login(database.current, user, clock);
    const me = () => statusOn(`${base}/trpc/auth.session.me`, { token });
    for (let index = 0; index < 4; index += 1) expect(await me()).toBe(200);
    expect(await statusOn(`${base}/trpc/auth.session.logout`, { method: 'POST', token, body: '{}' })).toBe(200);
    for (let index = 0; index < 4; index += 1) expect(await me()).toBe(401);

    // A worker that dies is replaced.
    process.kill(workers[0] ?? 0, 'SIGKILL');
    for (let waited = 0; waited < 60_000; waited += 200) {
      const now = workersOf(pid);
      if (now.length === 2 && !now.includes(workers[0] ?? 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(workersOf(pid)).toHaveLength(2);
    expect(workersOf(pid)).not.toContain(workers[0]);

    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    expect(output).toContain('all workers stopped');
  }, 120_000);
});
