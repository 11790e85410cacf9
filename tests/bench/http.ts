// Benchmark `http` (issue 13): opening a journal over real HTTP. The backend runs as a separate
// process, started the way production starts it (`npm run server`'s entry under `node --import tsx`,
// DATABASE_URL the application's login, DATABASE_OWNER_URL to migrate); this process is the load
// generator: keep-alive HTTP, 1 and 32 closed-loop clients, each with its own session from a real
// login over HTTP (password, then a TOTP code). Modes per client count, in halves there and back
// (A B C D D C B A): the cheapest authenticated request (`auth.session.me`), the journal open as the
// app does it, the bare first-page query in this process (the target's denominator), and the same
// page query over HTTP (`bench.page`, only when the server is this checkout). Every journal read answered is
// matched with its audit event, and every event with a read.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { totpCodeAt } from '../../src/server/auth/totp';
import type { Database } from '../../src/server/db/database';
import { selectNotesPage } from '../../src/server/journal/service';
import { expectedNoteCount, expectedPageRows, mulberry32, PAGE_SIZE } from './journal-read';
import { createBenchDatabase } from './support/database';
import { BENCH_PASSWORD, BENCH_SECRET_KEY, type BenchUser, createOrganisation, createUser } from './support/identity';
import { type AccessPair, admittedPairs, generateJournalData } from './support/journal-data';
import { combine, type ModeResult, runSegment, type Segment } from './support/load';
import { log, round, table } from './support/stats';
import { freePort } from '../integration/support/free-port';

/** `npm run server`'s process plus the diagnostic `bench.page` (the page query over HTTP, no decision, no event). */
const BENCH_SERVER_ENTRY = 'tests/bench/support/http-server.ts';

/** The login the server runs as (DATABASE_URL): a member of journalkontor_app only, made by the server tree's db:provision. */
const APPLICATION_LOGIN = 'jk_bench_http_app';

export interface HttpModeResult extends ModeResult {
  /** HTTP requests per operation: 1 for `auth.session.me` and the one-request open, 2 for the old open, 0 for the page query in this process. */
  requestsPerOp: number;
  /**
   * CPU per operation, µs. nodeMicros: the server's process tree (every worker), from /proc, for the
   * HTTP modes; this process for the page query (it runs here). loadGeneratorMicros: this process
   * for the HTTP modes (the clients' share of the machine), null for the page query.
   */
  cpuPerOp: ModeResult['cpuPerOp'] & { loadGeneratorMicros: number | null };
  /** The 1-minute load average, mean of the readings after each half. */
  loadAverage: number;
  /** Journal reads answered with 200 (each request of the old two-request open counted), and the audit events written in the same windows, by action. */
  reads: { answered: Record<string, number>; events: Record<string, number> };
}

export interface HttpLevelResult {
  clients: number;
  me: HttpModeResult;
  open: HttpModeResult;
  page: HttpModeResult;
  /** open ops/s ÷ page ops/s (target ≥ 0.70 at 32 clients). */
  ratio: number;
  /** Page ÷ open CPU per op (Node + PostgreSQL): the ratio to expect when CPU-bound. */
  cpuRatio: number | null;
  /**
   * `bench.page` over HTTP: the same page query behind the same session and role check, without the
   * access decision and the event (null when the server is another checkout, which lacks it).
   */
  pageHttp: HttpModeResult | null;
  /** open ops/s ÷ pageHttp ops/s: what the decision and the audit event cost over HTTP. */
  httpRatio: number | null;
}

export interface HttpBenchReport {
  server: {
    /** The checkout the server ran from (BENCH_HTTP_SERVER_DIR, else this one), and its commit. */
    dir: string;
    commit: string | null;
    command: string;
    /** JK_WORKERS as passed on (null: not set). */
    workersRequested: string | null;
    /** Node processes seen in the server's process tree during the 32-client open (1 = one process). */
    nodeProcesses: number;
    logLevel: string;
    poolSize: string;
  };
  /** What was measured as "the journal open": one request, or the old journal.open then journal.notes. */
  openShape: 'one-request' | 'two-requests';
  /** The audit actions one open writes (found with a probe before the run), each once. */
  eventsPerOpen: string[];
  scale: { patients: number; notes: number; clinicians: number };
  generationSeconds: number;
  /** Seconds waited for the server's sealer after the generation, and events it had still not sealed then (0: caught up). */
  sealing: { seconds: number; unsealed: number };
  pairs: number;
  secondsPerMode: number;
  levels: HttpLevelResult[];
  targets: { ratioAt32: number; ratioMet: boolean; p95MsAt32: number; p95Met: boolean; httpRatioAt32: number | null };
  /** Totals over every measured open window: 200 answers by procedure, and the read events of the same windows by action. */
  correctness: { answered: Record<string, number>; events: Record<string, number> };
}

interface ProcStat {
  ppid: number;
  command: string;
  cpuMicros: number;
}

/** Every process's parent, command and CPU time (user + system) from /proc. */
async function processTable(): Promise<Map<number, ProcStat>> {
  const table = new Map<number, ProcStat>();
  const ticksPerSecond = 100; // USER_HZ on Linux
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue; // ended meanwhile
    // The command is in parentheses and may hold spaces; after it: state, ppid (field 4) … utime (14), stime (15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    table.set(Number(name), {
      ppid: Number(fields[1]),
      command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      cpuMicros: ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / ticksPerSecond,
    });
  }
  return table;
}

/** CPU time (µs) of a process and all its descendants (the server and every worker it forked), and how many of them are node. */
async function treeCpu(root: number): Promise<{ cpuMicros: number; nodeProcesses: number }> {
  const table = await processTable();
  const children = new Map<number, number[]>();
  for (const [pid, entry] of table) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), pid]);
  let cpuMicros = 0;
  let nodeProcesses = 0;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    const entry = table.get(pid);
    if (!entry) continue;
    cpuMicros += entry.cpuMicros;
    if (entry.command.startsWith('node')) nodeProcesses++;
    queue.push(...(children.get(pid) ?? []));
  }
  return { cpuMicros, nodeProcesses };
}


/**
 * How the server tree starts its backend: `npm run server`'s script when it is `tsx <entry>`, run
 * as `node --import tsx <entry>` (the same code without tsx's own watcher process in the tree).
 */
function serverEntry(dir: string): string {
  const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  const match = /^tsx\s+(\S+\.ts)$/.exec(scripts.server?.trim() ?? '');
  if (!match?.[1]) throw new Error(`package.json in ${dir}: "server" is not "tsx <entry>.ts" (${scripts.server ?? 'missing'}): say here how to start it`);
  return match[1];
}

function runToEnd(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${args.join(' ')} exited with ${code}: ${output.slice(-2000)}`))));
  });
}

interface TrpcAnswer {
  status: number;
  data: unknown;
  errorCode: string | undefined;
}

/**
 * One tRPC call as the app's httpBatchLink sends it (a batch of one: `?batch=1`), over a keep-alive
 * agent. Queries are GETs with the input in the URL, mutations POSTs with a JSON body.
 */
function trpc(agent: http.Agent, port: number, procedure: string, input: unknown, headers: Record<string, string>, method: 'GET' | 'POST' = 'GET'): Promise<TrpcAnswer> {
  const batch = JSON.stringify({ 0: input });
  const path = method === 'GET' ? `/trpc/${procedure}?batch=1&input=${encodeURIComponent(batch)}` : `/trpc/${procedure}?batch=1`;
  return new Promise((resolveCall, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path, method, agent, headers: method === 'POST' ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(batch) } : headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            const [answer] = JSON.parse(Buffer.concat(chunks).toString('utf8')) as [{ result?: { data: unknown }; error?: { message?: string } }];
            resolveCall({ status: response.statusCode ?? 0, data: answer?.result?.data, errorCode: answer?.error?.message });
          } catch (error) {
            reject(new Error(`${procedure}: HTTP ${response.statusCode}, an answer that is not tRPC's JSON`, { cause: error }));
          }
        });
      },
    );
    request.on('error', reject);
    request.end(method === 'POST' ? batch : undefined);
  });
}

/** The data of a 200 answer; anything else stops the run (the error's code only: no patient data). */
async function ok<T>(call: Promise<TrpcAnswer>, procedure: string): Promise<T> {
  const answer = await call;
  if (answer.status !== 200) throw new Error(`${procedure}: HTTP ${answer.status} ${answer.errorCode ?? ''}`);
  return answer.data as T;
}

interface RunningServer {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

async function startServerProcess(options: { dir: string; entry: string; env: NodeJS.ProcessEnv; logPath: string }): Promise<RunningServer> {
  const port = await freePort();
  const logFd = openSync(options.logPath, 'w');
  // The server's log (pino, one line per request at "info" as in production) goes to a file, not
  // through this process: reading it here would put its cost on the load generator.
  // BENCH_HTTP_NODE_ARGS: extra flags for the server's node (e.g. `--cpu-prof --cpu-prof-dir=…` to profile it).
  const extraArgs = (process.env.BENCH_HTTP_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...extraArgs, '--import', 'tsx', options.entry], {
    cwd: options.dir,
    env: { ...options.env, JK_HOST: '127.0.0.1', JK_PORT: String(port) },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolveExit) =>
    child.once('exit', (code) => {
      exited = code;
      resolveExit();
    }),
  );
  // An interrupted or failed run must not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(deadline);
  };
  const agent = new http.Agent({ keepAlive: false });
  const started = performance.now();
  for (;;) {
    if (exited !== undefined) throw new Error(`the server exited with ${exited} before it answered: see ${options.logPath}`);
    const healthy = await new Promise<boolean>((resolveHealth) => {
      const request = http.get({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
        response.resume();
        resolveHealth(response.statusCode === 200);
      });
      request.on('error', () => resolveHealth(false));
    });
    if (healthy) break;
    if (performance.now() - started > 120_000) {
      await stop();
      throw new Error(`the server did not answer /health within 120 s: see ${options.logPath}`);
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  return { child, port, stop };
}

/**
 * Waits until the server's sealer has sealed every event: the generated history is one transaction
 * of 480,000 events, whose seal must not fall into the measured minutes. The sealer cannot pass a
 * transaction still open anywhere in the cluster (its horizon is the snapshot's xmin), and other
 * sessions share this PostgreSQL: after `seconds` the run goes on, and says how many were left.
 */
async function waitForSealing(owner: Database, seconds: number): Promise<{ seconds: number; unsealed: number }> {
  const started = performance.now();
  for (;;) {
    const { rows } = await sql<{ pending: string }>`
      select count(*)::text as pending from audit_event
       where txid >= coalesce((select max(txid_to) from audit_seal), 0)`.execute(owner);
    const pending = Number(rows[0]?.pending ?? 0);
    const elapsed = round((performance.now() - started) / 1000, 1);
    if (pending === 0 || elapsed > seconds) return { seconds: elapsed, unsealed: pending };
    await new Promise((wait) => setTimeout(wait, 500));
  }
}

const JOURNAL_ACTIONS = ['journal.record.opened', 'journal.notes.read'] as const;

/** Audit events of the bench's users with occurred_at in [from, to], by action (the server's clock is this machine's). */
async function eventsBetween(owner: Database, userIds: readonly string[], from: Date, to: Date): Promise<Record<string, number>> {
  const { rows } = await sql<{ action: string; count: string }>`
    select action, count(*)::text as count from audit_event
     where user_id = any(${userIds}::uuid[]) and occurred_at >= ${from} and occurred_at <= ${to}
       and action in (${sql.join(JOURNAL_ACTIONS)}) and outcome = 'allowed'
     group by action`.execute(owner);
  return Object.fromEntries(rows.map((row) => [row.action, Number(row.count)]));
}

interface HttpSegment {
  segment: Segment;
  serverCpuMicros: number;
  loadAverage: number;
  answered: Record<string, number>;
  events: Record<string, number>;
}

export async function benchHttp(options: { patients: number; notesPerPatient: number; clinicians: number; clientCounts: readonly number[]; secondsPerMode: number; warmupSeconds: number }): Promise<HttpBenchReport> {
  const maxClients = Math.max(...options.clientCounts);
  if (maxClients > options.clinicians) throw new Error('http: each client is a clinician of its own: more clinicians than clients needed');
  const serverDir = resolve(process.env.BENCH_HTTP_SERVER_DIR || process.cwd());
  if (!existsSync(join(serverDir, 'node_modules', 'tsx'))) throw new Error(`BENCH_HTTP_SERVER_DIR ${serverDir}: no node_modules/tsx there (cp -al the node_modules)`);
  // This checkout's server is started through the bench entry: `npm run server`'s process with the
  // diagnostic `bench.page` beside the app (support/http-server.ts); another checkout's as it is.
  const isThisCheckout = serverDir === resolve(process.cwd());
  const entry = isThisCheckout ? BENCH_SERVER_ENTRY : serverEntry(serverDir);
  const commit = await promisify(execFile)('git', ['-C', serverDir, 'rev-parse', '--short', 'HEAD']).then(
    ({ stdout }) => stdout.trim(),
    () => null,
  );
  // Left empty: the server tree's own db:provision migrates it with that tree's migrations (an older
  // checkout may not know this tree's newest ones) and makes the application's login.
  const database = await createBenchDatabase('http', undefined, { isMigrated: false });
  let server: RunningServer | undefined;
  // The seal witness (AUD-4) outside the database, as production keeps it: a throw-away folder.
  const witnessDir = join(tmpdir(), `jk-bench-http-${randomBytes(4).toString('hex')}`);
  try {
    const appUrl = new URL(database.url);
    appUrl.username = APPLICATION_LOGIN;
    appUrl.password = '';
    mkdirSync(witnessDir, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: appUrl.toString(),
      DATABASE_OWNER_URL: database.url,
      JK_SECRET_KEY: BENCH_SECRET_KEY.toString('base64'),
      JK_DEMO: '0',
      JK_AUDIT_WITNESS_FILE: join(witnessDir, 'audit-witness.jsonl'),
      // Each client logs in once, all from 127.0.0.1: more than the 30 logins a minute one address may make.
      JK_RATE_LIMIT_AUTH_PER_ADDRESS: '1000',
      // The flags job runs at start (on the empty database) and then every interval: an hour, so its
      // pass over the generated history (480,000 events at once, which no real five minutes hold)
      // does not fall into the measured minutes.
      JK_DPO_FLAGS_EVERY_SECONDS: '3600',
    };
    log(`  server: ${serverDir} (${commit ?? 'no commit'}), node --import tsx ${entry}; JK_WORKERS=${process.env.JK_WORKERS ?? '(unset)'}; db:provision as the owner …`);
    await runToEnd(process.execPath, ['--import', 'tsx', 'src/server/db/provision-cli.ts'], { cwd: serverDir, env });
    const logPath = resolve('test-results', 'bench', 'http-server.log');
    mkdirSync(resolve('test-results', 'bench'), { recursive: true });
    server = await startServerProcess({ dir: serverDir, entry, env, logPath });
    const port = server.port;
    const serverPid = server.child.pid as number;
    log(`  server listening on 127.0.0.1:${port} (pid ${serverPid}, log ${logPath})`);

    const app = await database.openAsApplication(maxClients);
    const owner = database.owner.db;
    const organisation = await createOrganisation(app.db);
    const users: BenchUser[] = [];
    for (let index = 0; index < options.clinicians; index++) users.push(await createUser(app.db, organisation.id, ['clinician']));
    const now = new Date();
    log(`  generating ${options.patients.toLocaleString('en')} patients, ${(options.patients * options.notesPerPatient).toLocaleString('en')} notes …`);
    const generation = await generateJournalData(
      { url: database.url, organisationId: organisation.id, clinicianIds: users.map((user) => user.id), patients: options.patients, notesPerPatient: options.notesPerPatient, now },
      log,
    );
    const sealing = await waitForSealing(owner, 180);
    log(
      `  generated in ${generation.seconds} s; ` +
        (sealing.unsealed === 0 ? `the server's sealer caught up ${sealing.seconds} s later` : `${sealing.unsealed} events still unsealed after ${sealing.seconds} s (measured anyway: the sealer's work falls into the first modes)`),
    );
    const pairs = await admittedPairs(database.url, new Date());
    const pairsOf = new Map<string, AccessPair[]>();
    for (const pair of pairs) pairsOf.set(pair.userId, [...(pairsOf.get(pair.userId) ?? []), pair]);

    // Client i is clinician i, logged in over HTTP (password, then the TOTP code for now), with a
    // device id of its own, as the app does; its own keep-alive agent (one connection per client).
    log(`  ${maxClients} clients log in over HTTP …`);
    const clients: { user: BenchUser; headers: Record<string, string>; agent: http.Agent; pairs: AccessPair[]; random: () => number }[] = [];
    for (let index = 0; index < maxClients; index++) {
      const user = users[index] as BenchUser;
      const deviceId = randomUUID();
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const first = await ok<{ step: string; ticket: string }>(trpc(agent, port, 'auth.login.password', { email: user.email, password: BENCH_PASSWORD, deviceId }, { 'x-device-id': deviceId }, 'POST'), 'auth.login.password');
      if (first.step !== 'second_factor') throw new Error(`login: expected the second-factor step, got ${first.step}`);
      const second = await ok<{ token: string }>(trpc(agent, port, 'auth.login.secondFactor', { ticket: first.ticket, code: await totpCodeAt(user.totpSecret, new Date()) }, { 'x-device-id': deviceId }, 'POST'), 'auth.login.secondFactor');
      const own = pairsOf.get(user.id) ?? [];
      if (own.length === 0) throw new Error(`clinician ${index} has no patient with a basis`);
      clients.push({ user, headers: { authorization: `Bearer ${second.token}`, 'x-device-id': deviceId }, agent, pairs: own, random: mulberry32(3000 + index) });
    }
    const userIds = clients.map((client) => client.user.id);

    // Which journal open the server has: the one-request open returns the first page with the header.
    const probeClient = clients[0]!;
    const probePair = probeClient.pairs[0]!;
    const probeFrom = new Date();
    const probe = await ok<Record<string, unknown>>(trpc(probeClient.agent, port, 'journal.open', { patientId: probePair.patientId }, probeClient.headers), 'journal.open');
    const openShape: HttpBenchReport['openShape'] = 'notes' in probe ? 'one-request' : 'two-requests';
    if (openShape === 'two-requests') await ok(trpc(probeClient.agent, port, 'journal.notes', { patientId: probePair.patientId }, probeClient.headers), 'journal.notes');
    const probeEvents = await eventsBetween(owner, [probeClient.user.id], probeFrom, new Date(Date.now() + 1));
    const eventsPerOpen = Object.keys(probeEvents).sort();
    if (eventsPerOpen.length === 0 || Object.values(probeEvents).some((count) => count !== 1)) throw new Error(`one journal open wrote ${JSON.stringify(probeEvents)} (expected each of its events once)`);
    log(`  journal open: ${openShape === 'one-request' ? 'one request (journal.open with the first page)' : 'two requests (journal.open, then journal.notes: the old open)'}; events per open: ${eventsPerOpen.join(', ')}`);

    let answered: Record<string, number> = {};
    const count = (procedure: string) => {
      answered[procedure] = (answered[procedure] ?? 0) + 1;
    };
    const pick = (client: (typeof clients)[number]) => client.pairs[Math.floor(client.random() * client.pairs.length)] as AccessPair;
    const calls = clients.map((client) => ({
      me: async () => {
        const me = await ok<{ userId: string }>(trpc(client.agent, port, 'auth.session.me', undefined, client.headers), 'auth.session.me');
        if (me.userId !== client.user.id) throw new Error('auth.session.me answered for another user');
      },
      open: async () => {
        const pair = pick(client);
        const expected = expectedNoteCount(pair, options.notesPerPatient);
        const record = await ok<{ patient: { id: string }; notes?: { notes: unknown[] } }>(trpc(client.agent, port, 'journal.open', { patientId: pair.patientId }, client.headers), 'journal.open');
        count('journal.open');
        if (record.patient.id !== pair.patientId) throw new Error('journal.open answered for another patient');
        if (openShape === 'one-request') {
          if (record.notes?.notes.length !== expected) throw new Error(`journal.open (${pair.kind}) returned ${record.notes?.notes.length} notes, expected ${expected}`);
          return;
        }
        const page = await ok<{ notes: unknown[] }>(trpc(client.agent, port, 'journal.notes', { patientId: pair.patientId }, client.headers), 'journal.notes');
        count('journal.notes');
        if (page.notes.length !== expected) throw new Error(`journal.notes (${pair.kind}) returned ${page.notes.length} notes, expected ${expected}`);
      },
      pageHttp: async () => {
        const pair = pick(client);
        const rows = await ok<unknown[]>(trpc(client.agent, port, 'bench.page', { patientId: pair.patientId }, client.headers), 'bench.page');
        if (rows.length !== expectedPageRows(pair, options.notesPerPatient)) throw new Error(`bench.page returned ${rows.length} rows`);
      },
      page: async () => {
        const pair = pick(client);
        const rows = await selectNotesPage(app.db, { organisationId: organisation.id, userId: pair.userId }, { patientId: pair.patientId, limit: PAGE_SIZE }, { only: null, blocked: [] });
        if (rows.length !== expectedPageRows(pair, options.notesPerPatient)) throw new Error(`page query returned ${rows.length} rows`);
      },
    }));

    type Mode = 'me' | 'open' | 'page' | 'pageHttp';
    const modes: Mode[] = isThisCheckout ? ['me', 'open', 'page', 'pageHttp'] : ['me', 'open', 'page'];
    let nodeProcesses = 0;
    const measure = async (mode: Mode, active: typeof calls, seconds: number): Promise<HttpSegment> => {
      answered = {};
      const before = await treeCpu(serverPid);
      const from = new Date();
      // Halfway through, the server's process tree is counted (a forked worker shows as a node process).
      const census = setTimeout(() => void treeCpu(serverPid).then((tree) => (nodeProcesses = Math.max(nodeProcesses, tree.nodeProcesses))), (seconds * 1000) / 2);
      const segment = await runSegment(active.map((call) => call[mode]), seconds, owner);
      clearTimeout(census);
      const after = await treeCpu(serverPid);
      const to = new Date(Date.now() + 1);
      const events = await eventsBetween(owner, userIds, from, to);
      const segmentAnswered = answered;
      // Every read answered has its event and every event its read: a mismatch stops the run.
      const expectedEvents = Object.fromEntries(JOURNAL_ACTIONS.map((action) => [action, mode === 'open' && eventsPerOpen.includes(action) ? segment.ops : 0]));
      for (const action of JOURNAL_ACTIONS) {
        if ((events[action] ?? 0) !== expectedEvents[action]) {
          throw new Error(`${mode}, ${active.length} clients: ${segment.ops} opens answered (${JSON.stringify(segmentAnswered)}), but ${events[action] ?? 0} ${action} events (expected ${expectedEvents[action]})`);
        }
      }
      return { segment, serverCpuMicros: after.cpuMicros - before.cpuMicros, loadAverage: loadavg()[0] ?? 0, answered: segmentAnswered, events };
    };
    const result = (mode: Mode, halves: HttpSegment[]): HttpModeResult => {
      const combined = combine(halves.map((half) => half.segment));
      const ops = Math.max(1, combined.ops);
      const serverMicros = halves.reduce((sum, half) => sum + half.serverCpuMicros, 0);
      const clientMicros = combined.cpuPerOp.nodeMicros;
      const nodeMicros = mode === 'page' ? clientMicros : round(serverMicros / ops, 0);
      const sum = (key: 'answered' | 'events') => {
        const total: Record<string, number> = {};
        for (const half of halves) for (const [name, value] of Object.entries(half[key])) total[name] = (total[name] ?? 0) + value;
        return total;
      };
      return {
        ...combined,
        requestsPerOp: mode === 'page' ? 0 : mode === 'open' && openShape === 'two-requests' ? 2 : 1,
        cpuPerOp: {
          nodeMicros,
          postgresMicros: combined.cpuPerOp.postgresMicros,
          totalMicros: combined.cpuPerOp.postgresMicros === null ? null : nodeMicros + combined.cpuPerOp.postgresMicros,
          loadGeneratorMicros: mode === 'page' ? null : clientMicros,
        },
        loadAverage: round(halves.reduce((total, half) => total + half.loadAverage, 0) / halves.length, 2),
        reads: { answered: sum('answered'), events: sum('events') },
      };
    };

    const levels: HttpLevelResult[] = [];
    const correctness: HttpBenchReport['correctness'] = { answered: {}, events: {} };
    for (const clientCount of options.clientCounts) {
      const active = calls.slice(0, clientCount);
      for (const mode of modes) await runSegment(active.map((call) => call[mode]), options.warmupSeconds);
      // A B C D D C B A: a drift in the shared machine's load weighs on every mode alike.
      const halves: Record<Mode, HttpSegment[]> = { me: [], open: [], page: [], pageHttp: [] };
      for (const mode of [...modes, ...[...modes].reverse()]) halves[mode].push(await measure(mode, active, options.secondsPerMode / 2));
      const pageHttp = isThisCheckout ? result('pageHttp', halves.pageHttp) : null;
      const level: HttpLevelResult = {
        clients: clientCount,
        me: result('me', halves.me),
        open: result('open', halves.open),
        page: result('page', halves.page),
        pageHttp,
        ratio: 0,
        cpuRatio: null,
        httpRatio: null,
      };
      level.ratio = round(level.open.opsPerSecond / level.page.opsPerSecond, 3);
      if (pageHttp) level.httpRatio = round(level.open.opsPerSecond / pageHttp.opsPerSecond, 3);
      const [pageCpu, openCpu] = [level.page.cpuPerOp.totalMicros, level.open.cpuPerOp.totalMicros];
      level.cpuRatio = pageCpu !== null && openCpu !== null && openCpu > 0 ? round(pageCpu / openCpu, 3) : null;
      for (const key of ['answered', 'events'] as const) {
        for (const [name, value] of Object.entries(level.open.reads[key])) correctness[key][name] = (correctness[key][name] ?? 0) + value;
      }
      levels.push(level);
      const figures = (mode: HttpModeResult) =>
        `${mode.opsPerSecond} ops/s, p50/p95/p99 ${mode.latency.p50Ms}/${mode.latency.p95Ms}/${mode.latency.p99Ms} ms, CPU µs/op Node+PG ${mode.cpuPerOp.nodeMicros}+${mode.cpuPerOp.postgresMicros ?? '?'}` +
        `${mode.cpuPerOp.loadGeneratorMicros === null ? '' : ` (load generator ${mode.cpuPerOp.loadGeneratorMicros})`}, load ${mode.loadAverage}`;
      log(`  ${String(clientCount).padStart(2)} clients: auth.session.me ${figures(level.me)}`);
      log(`              journal open      ${figures(level.open)}; ratio to the page query ${level.ratio.toFixed(2)}, CPU ratio ${level.cpuRatio?.toFixed(2) ?? '?'}`);
      log(`              page query alone  ${figures(level.page)}`);
      if (level.pageHttp) log(`              page over HTTP    ${figures(level.pageHttp)}; the open's ratio to it ${level.httpRatio?.toFixed(2) ?? '?'}`);
      log(`              reads answered ${JSON.stringify(level.open.reads.answered)}, events ${JSON.stringify(level.open.reads.events)}`);
    }
    log(`  server process tree: ${nodeProcesses} node process(es) seen under load`);

    const top = levels.find((level) => level.clients === maxClients) ?? (levels.at(-1) as HttpLevelResult);
    return {
      server: {
        dir: serverDir,
        commit,
        command: `node --import tsx ${entry}`,
        workersRequested: process.env.JK_WORKERS ?? null,
        nodeProcesses,
        logLevel: process.env.JK_LOG_LEVEL ?? 'info (default)',
        poolSize: process.env.JK_DB_POOL_SIZE ?? '10 (default)',
      },
      openShape,
      eventsPerOpen,
      scale: { patients: options.patients, notes: options.patients * options.notesPerPatient, clinicians: options.clinicians },
      generationSeconds: generation.seconds,
      sealing,
      pairs: pairs.length,
      secondsPerMode: options.secondsPerMode,
      levels,
      targets: { ratioAt32: top.ratio, ratioMet: top.ratio >= 0.7, p95MsAt32: top.open.latency.p95Ms, p95Met: top.open.latency.p95Ms <= 30, httpRatioAt32: top.httpRatio },
      correctness,
    };
  } finally {
    await server?.stop();
    await database.drop();
    rmSync(witnessDir, { recursive: true, force: true });
  }
}

/** The summary's section for `npm run bench`. */
export function httpSummary(report: HttpBenchReport): string {
  const { server } = report;
  // me, open, page (and the page over HTTP for this checkout), then back in the reverse order.
  const modesLabel = report.targets.httpRatioAt32 === null ? 'A B C C B A' : 'A B C D D C B A';
  const open = report.openShape === 'one-request' ? 'journal.open (one request: header, basis and first page)' : 'journal.open, then journal.notes (the old two-request open)';
  const lines = [
    `\nThe journal open over HTTP (issue 13): the server a process of its own (${server.command} in ${server.dir} at ${server.commit ?? '?'}; JK_WORKERS ${server.workersRequested ?? 'unset'},` +
      ` ${server.nodeProcesses} node process(es) in its tree under load; log level ${server.logLevel}, pool ${server.poolSize}), keep-alive HTTP from this process, each client a session of its own (login over HTTP).` +
      `\n   ${report.scale.patients.toLocaleString('en')} patients, ${report.scale.notes.toLocaleString('en')} notes, ${report.pairs.toLocaleString('en')} pairs with a basis; ${report.secondsPerMode} s per mode (halves there and back: ${modesLabel}).` +
      `\n   The open measured: ${open}; events per open: ${report.eventsPerOpen.join(', ')}. CPU per op: Node = the server's process tree (the page query: this process), PG = the database's backends.` +
      `\n   Targets at 32 clients: open ≥ 0.70 of the page query's ops/s (${report.targets.ratioAt32}: ${report.targets.ratioMet ? 'met' : 'NOT met'}), p95 ≤ 30 ms (${report.targets.p95MsAt32} ms: ${report.targets.p95Met ? 'met' : 'NOT met'}).` +
      `\n   The open against the page query over HTTP (bench.page: the same request without the decision and the event): ${report.targets.httpRatioAt32 ?? 'not measured (another checkout)'}.\n`,
  ];
  lines.push(
    table(
      ['clients', 'mode', 'ops/s', 'p50/p95/p99 ms', 'CPU µs/op Node+PG', 'load gen µs/op', 'load avg'],
      report.levels.flatMap((level) =>
        (
          [
            ['auth.session.me', level.me],
            [`journal open (ratio ${level.ratio}, CPU ratio ${level.cpuRatio ?? '?'})`, level.open],
            ['page query alone', level.page],
            ...(level.pageHttp ? ([[`page over HTTP (open's ratio ${level.httpRatio ?? '?'})`, level.pageHttp]] as const) : []),
          ] as const
        ).map(([label, mode]) => [
          String(level.clients),
          label,
          String(mode.opsPerSecond),
          `${mode.latency.p50Ms} / ${mode.latency.p95Ms} / ${mode.latency.p99Ms}`,
          `${mode.cpuPerOp.nodeMicros}+${mode.cpuPerOp.postgresMicros ?? '?'}`,
          mode.cpuPerOp.loadGeneratorMicros === null ? '–' : String(mode.cpuPerOp.loadGeneratorMicros),
          String(mode.loadAverage),
        ]),
      ),
    ),
  );
  const list = (counts: Record<string, number>) => Object.entries(counts).map(([name, value]) => `${name} ${value}`).join(', ');
  lines.push(`   correctness, the open's windows together: answered ${list(report.correctness.answered)}; events ${list(report.correctness.events)} (each read its event, each event its read).`);
  return lines.join('\n');
}
