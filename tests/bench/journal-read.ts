// Benchmark 4: opening a journal at scale. `journal.notes` (session, access decision, first page of
// notes, then its audit event in one autocommitted statement: a read needs no transaction of its
// own, ADR 0003) through the real router, against the same first-page query alone, at 1 and 32
// concurrent clients on 100,000 patients with 2,000,000 notes.
import { createHash } from 'node:crypto';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { decideJournalAccess } from '../../src/server/access/decide';
import type { SessionUser } from '../../src/server/auth/session';
import { APPLICATION_ROLE } from '../../src/server/db/database';
import type { DB } from '../../src/server/db/schema';
import { listNotes, type NoteListFilter, selectNotesPage } from '../../src/server/journal/service';
import { startPageFor } from '../../src/server/start/service';
import { osloDayStart } from '../../src/server/consultation/service';
import { addDays, osloCalendarDate } from '../../src/shared/oslo-time';
import { AuditRecorder } from '../../src/server/audit/recorder';
import { createCallerFactory, roleProcedure, router } from '../../src/server/trpc';
import { type BenchDatabase, createBenchDatabase } from './support/database';
import { benchCaller, benchContext, BenchClock, createOrganisation, createUser, login } from './support/identity';
import { type AccessPair, admittedPairs, AUDIT_HISTORY, EXPECTED_BASIS, generateJournalData, type JournalDataReport, type PairKind } from './support/journal-data';
import { combine, type ModeResult, runSegment, type Segment } from './support/load';
import { log, round } from './support/stats';

export const PAGE_SIZE = 25;

/**
 * Diagnostic middle step, never mounted in the app: the same procedure base as `journal.notes`
 * (session resolution and touch, role check) and the same page query, but no access decision, no
 * transaction and no audit event. It splits the checked path's cost into "session" and "decision +
 * audit".
 */
const sessionOnlyRouter = router({
  notes: roleProcedure(['clinician'])
    .input(z.object({ patientId: z.uuid() }).strict())
    .query(({ ctx, input }) => selectNotesPage(ctx.db, ctx.session, { patientId: input.patientId, limit: PAGE_SIZE }, { only: null, blocked: [] })),
});
const createSessionOnlyCaller = createCallerFactory(sessionOnlyRouter);

export interface JournalLevelResult {
  clients: number;
  poolSize: number;
  /** The first-page query alone, on the application's pool: no session, no decision, no audit, no transaction. */
  unchecked: ModeResult;
  /** Diagnostic: session + role check + the page query (no decision, no audit). */
  sessionOnly: ModeResult;
  /** `journal.notes` through the router: session, decision, page, audit event, commit. */
  checked: ModeResult;
  /** checked ops/s ÷ unchecked ops/s (target ≥ 0.70 at 32 clients). */
  ratio: number;
  /** Unchecked ÷ checked CPU per operation (Node + PostgreSQL), the ratio to expect when CPU-bound. */
  cpuRatio: number | null;
  /** BENCH_RLS=1 only (docs/adr/0006): `journal.notes` with row-level security off and on, in the same run. */
  rowLevelSecurity?: RowLevelSecurityComparison;
}

/** The clinician's day at one client count, through the router with real sessions. */
export interface ClinicianDayLevel {
  clients: number;
  /** `start.today` (JRN-6), each call a random clinician: appointments, drafts, recently opened, one audit event. */
  start: ModeResult;
  /** `journal.notes` with `filter.text` of one or two words found in the notes, random pairs with a basis. */
  search: ModeResult;
  /** The same with a word no note holds: the whole journal read, nothing returned (the worst case). */
  searchNowhere: ModeResult;
}

export interface ProfiledQuery {
  label: string;
  planningMs: number;
  executionMs: number;
  /** Plan nodes, outermost first ("Index Scan using care_relationship_lookup", …). */
  plan: string;
  rows: number;
  sql: string;
}

export interface ProcedureTrace {
  calls: number;
  /** Wall time per call, mean. */
  callMeanMs: number;
  statementsPerCall: number;
  statements: { label: string; perCall: number; meanMsPerCall: number }[];
}

export interface JournalReadReport {
  scale: { patients: number; notes: number; notesPerPatient: number; clinicians: number };
  generation: JournalDataReport & { setupSeconds: number };
  database: { sizeMb: number; tablesMb: Record<string, number> };
  pairs: { total: number; byKind: Record<string, number>; withPartialBlock: number };
  decisionChecks: number;
  secondsPerMode: number;
  levels: JournalLevelResult[];
  /** EXPLAIN ANALYZE of every query `listNotes` runs (decision + page; roundTrips counts begin and commit too), for one pair of each kind. */
  profile: { kind: string; roundTrips: number; totalExecutionMs: number; queries: ProfiledQuery[] }[];
  /**
   * Where one `journal.notes` call's time goes, seen from Node at 1 client: every statement the
   * call sends (session, transaction, decision, page, audit event), mean ms per call by statement.
   */
  trace: ProcedureTrace;
  /** decideJournalAccess alone, 1 client, random pairs: the steadiest figure for a change to the decision. */
  decisionAlone: ModeResult;
  targets: { p95MsAt32: number; p95Met: boolean; ratioAt32: number; ratioMet: boolean };
  finalCheck: { checkedCalls: number; readEvents: number; startCalls: number; startEvents: number };
  /** Issue 9: the start page and the journal's text search, at each client count. */
  clinicianDay: {
    /** Audit events generated before the run (the start page reads its own journal.record.opened among them). */
    auditHistory: { eventsPerClinician: number; days: number };
    appointmentsToday: number;
    drafts: number;
    levels: ClinicianDayLevel[];
    /** EXPLAIN ANALYZE of every statement `start.today` sends, for one clinician. */
    startPageProfile: { roundTrips: number; totalExecutionMs: number; queries: ProfiledQuery[] };
  };
}

/** The uuid the generator gives patient g: md5('p' || g) with the v4 version and variant digits. */
function md5Uuid(text: string): string {
  const md5 = createHash('md5').update(text).digest('hex');
  const hex = `${md5.slice(0, 12)}4${md5.slice(13, 16)}8${md5.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A small seeded generator, so runs pick the same sequence of pairs. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function expectedNoteCount(pair: AccessPair, notesPerPatient: number): number {
  if (pair.kind === 'read_share_selected') return 3;
  return Math.min(PAGE_SIZE, notesPerPatient - (pair.hasPartialBlock ? 2 : 0) + pair.ownDrafts);
}

/** Rows of the page query without a decision's filter: the signed notes and the user's own drafts, one more than the page. */
export function expectedPageRows(pair: AccessPair, notesPerPatient: number): number {
  return Math.min(PAGE_SIZE + 1, notesPerPatient + pair.ownDrafts);
}

/**
 * Searches in the generated note texts (tests/bench/support/journal-data.ts): words most notes hold,
 * and two that stand side by side in a part only some notes quote. The worst case is a word no note
 * holds: the whole journal is read and nothing comes back.
 */
const SEARCHES_FOUND = ['pasienten', 'blodtrykk puls', 'søvn', 'kolesterol kostråd'] as const;
const SEARCH_NOWHERE = 'metformin';

/** What each clinician's start page must show, read from the generated rows (not from the application). */
interface ExpectedStartPage {
  appointments: number;
  drafts: number;
}

/**
 * The application's decision, checked against what was generated: for a sample of every kind of
 * pair, and for pairs that must be refused (whole-journal block, no basis, expired bases, unknown
 * patient). A wrong answer stops the run.
 */
async function checkDecisions(db: Kysely<DB>, organisationId: string, clinicianIds: readonly string[], pairs: readonly AccessPair[], now: Date): Promise<number> {
  let checks = 0;
  const byKind = new Map<PairKind, AccessPair[]>();
  for (const pair of pairs) {
    const list = byKind.get(pair.kind) ?? [];
    if (list.length < 25 || (pair.hasPartialBlock && list.filter((entry) => entry.hasPartialBlock).length < 10)) list.push(pair);
    byKind.set(pair.kind, list);
  }
  for (const pair of [...byKind.values()].flat()) {
    const decision = await decideJournalAccess(db, { organisationId, userId: pair.userId }, pair.patientId, now);
    const ok =
      decision.isAllowed &&
      decision.basis === EXPECTED_BASIS[pair.kind] &&
      (pair.kind === 'read_share_selected' ? decision.onlyNoteIds?.length === 3 : decision.onlyNoteIds === null) &&
      decision.blockedNoteIds.length === (pair.hasPartialBlock ? 2 : 0);
    if (!ok) throw new Error(`Access decision for a ${pair.kind} pair: ${JSON.stringify(decision)} (expected ${EXPECTED_BASIS[pair.kind]})`);
    checks++;
  }
  const clinician = (g: number, offset: number) => clinicianIds[(g + offset) % clinicianIds.length] as string;
  const patient = (g: number) => md5Uuid(`p${g}`);
  const refusals: { label: string; userId: string; patientId: string; reason: string }[] = [
    { label: 'whole-journal block', userId: clinician(2, 29), patientId: patient(2), reason: 'blocked' },
    { label: 'whole-journal block', userId: clinician(32, 29), patientId: patient(32), reason: 'blocked' },
    { label: 'no basis', userId: clinician(1, 1), patientId: patient(1), reason: 'no_basis' },
    { label: 'ended relationship', userId: clinician(17, 13), patientId: patient(17), reason: 'no_basis' },
    { label: 'cancelled appointment', userId: clinician(25, 5), patientId: patient(25), reason: 'no_basis' },
    { label: 'old appointment', userId: clinician(30, 9), patientId: patient(30), reason: 'no_basis' },
    { label: 'withdrawn consent', userId: clinician(70, 31), patientId: patient(70), reason: 'no_basis' },
    { label: 'revoked share', userId: clinician(90, 35), patientId: patient(90), reason: 'no_basis' },
    { label: 'expired break-glass', userId: clinician(150, 27), patientId: patient(150), reason: 'no_basis' },
    { label: 'unknown patient', userId: clinician(1, 0), patientId: '00000000-0000-4000-8000-000000000000', reason: 'patient_not_found' },
  ];
  for (const refusal of refusals) {
    const decision = await decideJournalAccess(db, { organisationId, userId: refusal.userId }, refusal.patientId, now);
    if (decision.isAllowed || decision.reason !== refusal.reason) throw new Error(`Access decision, ${refusal.label}: ${JSON.stringify(decision)} (expected ${refusal.reason})`);
    checks++;
  }
  return checks;
}

function planNodes(node: Record<string, unknown>, out: string[] = []): string[] {
  const type = String(node['Node Type']);
  const index = node['Index Name'] ? ` using ${String(node['Index Name'])}` : node['Relation Name'] ? ` on ${String(node['Relation Name'])}` : '';
  out.push(`${type}${index}`);
  for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) planNodes(child, out);
  return out;
}

/**
 * Runs `listNotes` (decision + page query) for one pair on a connection that records every
 * statement, then EXPLAIN ANALYZEs each statement (best of three) as the application role.
 */
function profilePair(database: BenchDatabase, organisationId: string, pair: AccessPair, now: Date, filter?: NoteListFilter) {
  const user = { organisationId, userId: pair.userId } as SessionUser;
  return profileStatements(database, (db) =>
    db.transaction().execute((trx) => listNotes({ trx, audit: new AuditRecorder(user as never, ['journal.notes.read']), now }, user, { patientId: pair.patientId, limit: PAGE_SIZE, filter })),
  );
}

/** The same for the clinician's start page (`startPageFor`: today's appointments, drafts, recently opened, visibility). */
function profileStartPage(database: BenchDatabase, organisationId: string, userId: string, now: Date) {
  const user = { organisationId, userId } as SessionUser;
  return profileStatements(database, (db) => db.transaction().execute((trx) => startPageFor({ trx, audit: new AuditRecorder(user as never, ['start.page.read']), now }, user)));
}

async function profileStatements(database: BenchDatabase, run: (db: Kysely<DB>) => Promise<unknown>) {
  const captured: CompiledQuery[] = [];
  let isCapturing = true;
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1, options: `-c role=${APPLICATION_ROLE}` }) }),
    log: (event) => {
      if (isCapturing && event.level === 'query') captured.push(event.query);
    },
  });
  try {
    await run(db);
    isCapturing = false;
    const queries: ProfiledQuery[] = [];
    for (const query of captured.filter((statement) => /^\s*(select|with)\b/i.test(statement.sql))) {
      let best: { planning: number; execution: number; plan: Record<string, unknown> } | undefined;
      for (let attempt = 0; attempt < 3; attempt++) {
        const result = await db.executeQuery<{ 'QUERY PLAN': { Plan: Record<string, unknown>; 'Planning Time': number; 'Execution Time': number }[] }>(
          CompiledQuery.raw(`explain (analyze, buffers, format json) ${query.sql}`, [...query.parameters]),
        );
        const [explained] = result.rows[0]?.['QUERY PLAN'] ?? [];
        if (explained && (!best || explained['Execution Time'] < best.execution)) best = { planning: explained['Planning Time'], execution: explained['Execution Time'], plan: explained.Plan };
      }
      if (!best) continue;
      // Labelled by the tables it reads: "patient_block+care_relationship+patient" for a combined statement.
      const tables = [...new Set([...query.sql.matchAll(/\b(?:from|join)\s+"?([a-z_]+)"?/gi)].map((match) => match[1]))];
      const table = tables.join('+') || query.sql.slice(0, 30);
      queries.push({
        label: table,
        planningMs: round(best.planning, 3),
        executionMs: round(best.execution, 3),
        plan: [...new Set(planNodes(best.plan))].join(' > '),
        rows: Number(best.plan['Actual Rows'] ?? 0),
        sql: query.sql.replace(/\s+/g, ' '),
      });
    }
    return { roundTrips: captured.length, totalExecutionMs: round(queries.reduce((sum, query) => sum + query.executionMs + query.planningMs, 0), 3), queries };
  } finally {
    await db.destroy();
  }
}

/** "select patient_block+care_relationship+patient", "insert audit_event", "begin" …: a statement by verb and tables. */
function statementLabel(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
  const tables = [...new Set([...text.matchAll(/\b(?:from|join|into|update)\s+"?([a-z_]+)"?/gi)].map((match) => match[1]))];
  return tables.length > 0 ? `${verb} ${tables.join('+')}` : verb;
}

/**
 * Calls `journal.notes` through the router, one client, on a connection that logs every statement
 * with its duration as Node sees it (round trip included), and sums them by statement per call.
 */
async function traceProcedure(database: BenchDatabase, clinicians: readonly { id: string; token: string }[], pairs: readonly AccessPair[], calls: number): Promise<ProcedureTrace> {
  const seen: { label: string; ms: number }[] = [];
  let isRecording = false;
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1, options: `-c role=${APPLICATION_ROLE}` }) }),
    log: (event) => {
      if (isRecording && event.level === 'query') seen.push({ label: statementLabel(event.query.sql), ms: event.queryDurationMillis });
    },
  });
  try {
    const realNow = () => new Date();
    const callers = new Map(clinicians.map((clinician) => [clinician.id, benchCaller(db, realNow, { bearerToken: clinician.token })]));
    const random = mulberry32(7);
    const call = async () => {
      const pair = pairs[Math.floor(random() * pairs.length)] as AccessPair;
      await callers.get(pair.userId)!.journal.notes({ patientId: pair.patientId });
    };
    for (let index = 0; index < Math.min(50, calls); index++) await call();
    isRecording = true;
    const started = performance.now();
    for (let index = 0; index < calls; index++) await call();
    const elapsedMs = performance.now() - started;
    isRecording = false;
    const byLabel = new Map<string, { count: number; ms: number }>();
    for (const statement of seen) {
      const entry = byLabel.get(statement.label) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += statement.ms;
      byLabel.set(statement.label, entry);
    }
    return {
      calls,
      callMeanMs: round(elapsedMs / calls, 3),
      statementsPerCall: round(seen.length / calls, 2),
      statements: [...byLabel.entries()].map(([label, entry]) => ({ label, perCall: round(entry.count / calls, 2), meanMsPerCall: round(entry.ms / calls, 3) })),
    };
  } finally {
    await db.destroy();
  }
}

export interface RowLevelSecurityComparison {
  /** `journal.notes` with the policies in place but row-level security disabled on the tables. */
  off: ModeResult;
  /** The same with row-level security enabled, the organisation set once per connection. */
  on: ModeResult;
  /** Enabled, plus the one round trip a per-request setting needs at the least (`select set_config(…)`). */
  onWithSetting: ModeResult;
  /** on ÷ off, and onWithSetting ÷ off: ops/s, and CPU per operation (off ÷ on, as cpuRatio). */
  opsRatioOn: number;
  opsRatioOnWithSetting: number;
  cpuRatioOn: number | null;
  cpuRatioOnWithSetting: number | null;
}

/**
 * Row-level security as docs/adr/0006 measures it: every table with an organisation_id column gets
 * a policy for the application role that admits only rows of the organisation in the
 * `jk.organisation_id` setting (reads, and writes through WITH CHECK). The owner bypasses it (no
 * FORCE), as the data generation and the checks need. Returns how many tables got one.
 */
async function createRowLevelSecurity(owner: Kysely<any>, databaseName: string, organisationId: string): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = 'public' and c.column_name = 'organisation_id' and t.table_type = 'BASE TABLE'
     order by 1`.execute(owner);
  const tables = [...rows.map((row) => row.table_name), 'organisation'];
  for (const table of tables) {
    const column = table === 'organisation' ? 'id' : 'organisation_id';
    await sql`alter table ${sql.id(table)} enable row level security`.execute(owner);
    await sql`create policy tenant_isolation on ${sql.id(table)} to ${sql.id(APPLICATION_ROLE)}
      using (${sql.id(column)} = nullif(current_setting('jk.organisation_id', true), '')::uuid)`.execute(owner);
  }
  await sql`alter database ${sql.id(databaseName)} set jk.organisation_id = ${sql.lit(organisationId)}`.execute(owner);
  return tables;
}

/** Switches row-level security on or off on the tables, the policies staying (between segments only). */
async function setRowLevelSecurity(owner: Kysely<any>, tables: readonly string[], isOn: boolean): Promise<void> {
  for (const table of tables) {
    await sql`alter table ${sql.id(table)} ${sql.raw(isOn ? 'enable' : 'disable')} row level security`.execute(owner);
  }
}

export async function benchJournalRead(options: {
  patients: number;
  notesPerPatient: number;
  clinicians: number;
  clientCounts: readonly number[];
  secondsPerMode: number;
  warmupSeconds: number;
  traceCalls: number;
}): Promise<JournalReadReport> {
  const maxClients = Math.max(...options.clientCounts);
  const setupStarted = performance.now();
  const database = await createBenchDatabase('journal');
  try {
    const app = await database.openAsApplication(maxClients);
    let db = app.db;
    let rlsTables: string[] | undefined;

    // The clinicians log in through the real procedures, each on a clock of their own at the real
    // time (one login each, so no TOTP step is reused), and the calls then run on real time.
    log(`  ${options.clinicians} clinicians, logged in …`);
    const organisation = await createOrganisation(db);
    const clinicians: { id: string; token: string }[] = [];
    for (let index = 0; index < options.clinicians; index++) {
      const user = await createUser(db, organisation.id, ['clinician']);
      clinicians.push({ id: user.id, token: await login(db, user, new BenchClock()) });
    }
    const setupSeconds = round((performance.now() - setupStarted) / 1000, 1);

    const now = new Date();
    log(`  generating ${options.patients.toLocaleString('en')} patients, ${(options.patients * options.notesPerPatient).toLocaleString('en')} notes (owner, INSERT … SELECT generate_series) …`);
    const generation = await generateJournalData(
      { url: database.url, organisationId: organisation.id, clinicianIds: clinicians.map((clinician) => clinician.id), patients: options.patients, notesPerPatient: options.notesPerPatient, now },
      log,
    );
    const sizes = await sql<{ name: string; bytes: string }>`
      select 'database' as name, pg_database_size(current_database())::text as bytes
      union all
      select relname::text, pg_total_relation_size(oid)::text from pg_class
       where relname in ('patient', 'journal_note', 'journal_note_version', 'care_relationship', 'appointment', 'read_share', 'patient_block', 'break_glass_access')`.execute(database.owner.db);
    const mb = (bytes: string | undefined) => round(Number(bytes ?? 0) / 1024 / 1024, 0);
    const sizeMb = mb(sizes.rows.find((row) => row.name === 'database')?.bytes);
    const tablesMb = Object.fromEntries(sizes.rows.filter((row) => row.name !== 'database').map((row) => [row.name, mb(row.bytes)]));
    log(`  generated in ${generation.seconds} s (FK checks ${generation.skippedForeignKeyChecks ? 'skipped' : 'on'}); database ${sizeMb} MB (${Object.entries(tablesMb).map(([name, size]) => `${name} ${size}`).join(', ')})`);

    if (process.env.BENCH_RLS === '1') {
      // docs/adr/0006: the cost of row-level security on every organisation table, in its cheapest
      // form: the organisation set once per connection (ALTER DATABASE … SET, so every connection
      // opened from here on has it) rather than per request, which would add a round trip or a
      // transaction to every read. A fresh pool, so all of its connections carry the setting.
      // Compared off/on within each level (A B C C B A halves), since the machine's load moves
      // more between runs than the difference measured.
      rlsTables = await createRowLevelSecurity(database.owner.db, database.name, organisation.id);
      db = (await database.openAsApplication(maxClients)).db;
      // Off for everything but the comparison segments, so the other figures stay comparable with a run without it.
      await setRowLevelSecurity(database.owner.db, rlsTables, false);
      log(`  BENCH_RLS=1: policies on ${rlsTables.length} tables, keyed on jk.organisation_id (set per connection); compared off/on in each level`);
    }

    const pairs = await admittedPairs(database.url, new Date());
    const byKind: Record<string, number> = {};
    for (const pair of pairs) byKind[pair.kind] = (byKind[pair.kind] ?? 0) + 1;
    const withPartialBlock = pairs.filter((pair) => pair.hasPartialBlock).length;
    log(`  ${pairs.length.toLocaleString('en')} (clinician, patient) pairs with a basis: ${Object.entries(byKind).map(([kind, count]) => `${kind} ${count}`).join(', ')}; ${withPartialBlock} with a partial block`);
    const decisionChecks = await checkDecisions(db, organisation.id, clinicians.map((clinician) => clinician.id), pairs, new Date());
    log(`  access decision agrees with the generated bases on ${decisionChecks} samples (allowed and refused)`);

    const profile: JournalReadReport['profile'] = [];
    const samples: [string, AccessPair | undefined][] = [
      ['assigned_clinician', pairs.find((pair) => pair.kind === 'assigned_clinician' && !pair.hasPartialBlock)],
      ['assigned_clinician + partial block', pairs.find((pair) => pair.kind === 'assigned_clinician' && pair.hasPartialBlock)],
      ['appointment', pairs.find((pair) => pair.kind === 'appointment')],
      ['read_share_selected', pairs.find((pair) => pair.kind === 'read_share_selected')],
      ['break_glass', pairs.find((pair) => pair.kind === 'break_glass')],
    ];
    const searched = samples[0]?.[1];
    const searchSamples: [string, AccessPair | undefined, NoteListFilter][] = [
      [`assigned_clinician, text "${SEARCHES_FOUND[1]}"`, searched, { text: SEARCHES_FOUND[1] }],
      [`assigned_clinician, text "${SEARCH_NOWHERE}" (no note holds it)`, searched, { text: SEARCH_NOWHERE }],
    ];
    for (const [kind, pair, filter] of [...samples.map(([kind, pair]): [string, AccessPair | undefined, NoteListFilter | undefined] => [kind, pair, undefined]), ...searchSamples]) {
      if (!pair) continue;
      const profiled = await profilePair(database, organisation.id, pair, new Date(), filter);
      profile.push({ kind, ...profiled });
      log(`  profile, ${kind}: ${profiled.roundTrips} statements, ${profiled.totalExecutionMs} ms planning + execution in all`);
      for (const query of profiled.queries) log(`     ${query.label.padEnd(40)} plan ${String(query.planningMs).padStart(6)} ms, exec ${String(query.executionMs).padStart(6)} ms, ${String(query.rows).padStart(3)} rows: ${query.plan}`);
    }

    const trace = await traceProcedure(database, clinicians, pairs, options.traceCalls);
    log(`  one journal.notes call, 1 client, ${trace.calls} calls: ${trace.callMeanMs} ms, ${trace.statementsPerCall} statements; ms per call by statement (as Node sees them):`);
    for (const statement of trace.statements) log(`     ${statement.label.padEnd(48)} ${String(statement.perCall).padStart(5)} × ${String(statement.meanMsPerCall).padStart(6)} ms`);

    const decisionRandom = mulberry32(99);
    const decide = async () => {
      const pair = pairs[Math.floor(decisionRandom() * pairs.length)] as AccessPair;
      const decision = await decideJournalAccess(db, { organisationId: organisation.id, userId: pair.userId }, pair.patientId, new Date());
      if (!decision.isAllowed) throw new Error(`decideJournalAccess refused a ${pair.kind} pair: ${decision.reason}`);
    };
    await runSegment([decide], options.warmupSeconds);
    const decisionAlone = combine([await runSegment([decide], options.secondsPerMode / 2, database.owner.db), await runSegment([decide], options.secondsPerMode / 2, database.owner.db)]);
    log(
      `  decideJournalAccess alone, 1 client: ${decisionAlone.opsPerSecond} decisions/s, p50/p95 ${decisionAlone.latency.p50Ms}/${decisionAlone.latency.p95Ms} ms,` +
        ` CPU µs/decision Node+PG ${decisionAlone.cpuPerOp.nodeMicros}+${decisionAlone.cpuPerOp.postgresMicros ?? '?'}`,
    );

    // One caller per clinician (the router's, and the diagnostic one), on real time from here on.
    const realNow = () => new Date();
    const callers = new Map(
      clinicians.map((clinician) => [
        clinician.id,
        {
          checked: benchCaller(db, realNow, { bearerToken: clinician.token }),
          sessionOnly: createSessionOnlyCaller(benchContext(db, realNow, { bearerToken: clinician.token })),
        },
      ]),
    );
    // The traced calls above left their read events too.
    let checkedCalls = Math.min(50, options.traceCalls) + options.traceCalls;
    const makeClient = (seed: number) => {
      const random = mulberry32(seed);
      const pick = () => pairs[Math.floor(random() * pairs.length)] as AccessPair;
      return {
        checked: async () => {
          const pair = pick();
          const result = await callers.get(pair.userId)!.checked.journal.notes({ patientId: pair.patientId });
          checkedCalls++;
          if (result.notes.length !== expectedNoteCount(pair, options.notesPerPatient)) throw new Error(`journal.notes (${pair.kind}) returned ${result.notes.length} notes`);
        },
        checkedWithSetting: async () => {
          // What a per-request organisation setting costs at the least: one more round trip before
          // the read (here on any pooled connection; a real one would pin the connection too).
          await sql`select set_config('jk.organisation_id', ${organisation.id}, false)`.execute(db);
          const pair = pick();
          const result = await callers.get(pair.userId)!.checked.journal.notes({ patientId: pair.patientId });
          checkedCalls++;
          if (result.notes.length !== expectedNoteCount(pair, options.notesPerPatient)) throw new Error(`journal.notes (${pair.kind}) returned ${result.notes.length} notes`);
        },
        sessionOnly: async () => {
          const pair = pick();
          const rows = await callers.get(pair.userId)!.sessionOnly.notes({ patientId: pair.patientId });
          if (rows.length !== expectedPageRows(pair, options.notesPerPatient)) throw new Error(`session-only page returned ${rows.length} rows`);
        },
        unchecked: async () => {
          const pair = pick();
          const rows = await selectNotesPage(db, { organisationId: organisation.id, userId: pair.userId }, { patientId: pair.patientId, limit: PAGE_SIZE }, { only: null, blocked: [] });
          if (rows.length !== expectedPageRows(pair, options.notesPerPatient)) throw new Error(`page query returned ${rows.length} rows`);
        },
      };
    };
    const clients = Array.from({ length: maxClients }, (_, index) => makeClient(1000 + index));

    const levels: JournalLevelResult[] = [];
    const owner = database.owner.db;
    for (const count of options.clientCounts) {
      const active = clients.slice(0, count);
      const calls = {
        unchecked: active.map((client) => client.unchecked),
        sessionOnly: active.map((client) => client.sessionOnly),
        checked: active.map((client) => client.checked),
      };
      for (const mode of ['unchecked', 'sessionOnly', 'checked'] as const) await runSegment(calls[mode], options.warmupSeconds);
      // A B C C B A: a drift in the machine's load weighs on every mode alike.
      const half = options.secondsPerMode / 2;
      const segments: Record<keyof typeof calls, Segment[]> = { unchecked: [], sessionOnly: [], checked: [] };
      for (const mode of ['unchecked', 'sessionOnly', 'checked', 'checked', 'sessionOnly', 'unchecked'] as const) segments[mode].push(await runSegment(calls[mode], half, owner));
      const level: JournalLevelResult = {
        clients: count,
        poolSize: maxClients,
        unchecked: combine(segments.unchecked),
        sessionOnly: combine(segments.sessionOnly),
        checked: combine(segments.checked),
        ratio: 0,
        cpuRatio: null,
      };
      level.ratio = round(level.checked.opsPerSecond / level.unchecked.opsPerSecond, 3);
      const [plainCpu, checkedCpu] = [level.unchecked.cpuPerOp.totalMicros, level.checked.cpuPerOp.totalMicros];
      level.cpuRatio = plainCpu !== null && checkedCpu !== null && checkedCpu > 0 ? round(plainCpu / checkedCpu, 3) : null;
      if (rlsTables) {
        const rls = { off: [] as Segment[], on: [] as Segment[], onWithSetting: [] as Segment[] };
        const checkedWithSetting = active.map((client) => client.checkedWithSetting);
        await setRowLevelSecurity(owner, rlsTables, true);
        await runSegment(calls.checked, options.warmupSeconds);
        for (const mode of ['off', 'on', 'onWithSetting', 'onWithSetting', 'on', 'off'] as const) {
          await setRowLevelSecurity(owner, rlsTables, mode !== 'off');
          rls[mode].push(await runSegment(mode === 'onWithSetting' ? checkedWithSetting : calls.checked, half, owner));
        }
        await setRowLevelSecurity(owner, rlsTables, false);
        const [off, on, onWithSetting] = [combine(rls.off), combine(rls.on), combine(rls.onWithSetting)];
        const cpuRatio = (mode: ModeResult) =>
          off.cpuPerOp.totalMicros !== null && mode.cpuPerOp.totalMicros ? round(off.cpuPerOp.totalMicros / mode.cpuPerOp.totalMicros, 3) : null;
        level.rowLevelSecurity = {
          off,
          on,
          onWithSetting,
          opsRatioOn: round(on.opsPerSecond / off.opsPerSecond, 3),
          opsRatioOnWithSetting: round(onWithSetting.opsPerSecond / off.opsPerSecond, 3),
          cpuRatioOn: cpuRatio(on),
          cpuRatioOnWithSetting: cpuRatio(onWithSetting),
        };
      }
      levels.push(level);
      const cpu = (mode: ModeResult) => `${mode.cpuPerOp.nodeMicros}+${mode.cpuPerOp.postgresMicros ?? '?'}`;
      const rls = level.rowLevelSecurity;
      if (rls) {
        log(
          `  ${String(count).padStart(2)} clients, row-level security off / on / on + setting per call: ${rls.off.opsPerSecond} / ${rls.on.opsPerSecond} / ${rls.onWithSetting.opsPerSecond} ops/s` +
            ` (ratio ${rls.opsRatioOn} / ${rls.opsRatioOnWithSetting}); p50/p95 ${rls.off.latency.p50Ms}/${rls.off.latency.p95Ms} / ${rls.on.latency.p50Ms}/${rls.on.latency.p95Ms} / ${rls.onWithSetting.latency.p50Ms}/${rls.onWithSetting.latency.p95Ms} ms` +
            `; CPU µs/op Node+PG ${cpu(rls.off)} / ${cpu(rls.on)} / ${cpu(rls.onWithSetting)}, CPU ratio ${rls.cpuRatioOn ?? '?'} / ${rls.cpuRatioOnWithSetting ?? '?'}`,
        );
      }
      log(
        `  ${String(count).padStart(2)} clients: unchecked ${level.unchecked.opsPerSecond} ops/s, session+page ${level.sessionOnly.opsPerSecond}, checked ${level.checked.opsPerSecond} ops/s, ratio ${level.ratio.toFixed(2)}` +
          `; checked p50/p95/p99 ${level.checked.latency.p50Ms}/${level.checked.latency.p95Ms}/${level.checked.latency.p99Ms} ms (unchecked ${level.unchecked.latency.p50Ms}/${level.unchecked.latency.p95Ms}/${level.unchecked.latency.p99Ms})` +
          `; CPU µs/op Node+PG ${cpu(level.unchecked)} / ${cpu(level.sessionOnly)} / ${cpu(level.checked)}, CPU ratio ${level.cpuRatio?.toFixed(2) ?? '?'}`,
      );
      const states = (mode: ModeResult) => Object.entries(mode.backendStates).map(([state, value]) => `${state} ${value}`).join(', ') || '–';
      log(`     backends (avg active): unchecked ${states(level.unchecked)} | session+page ${states(level.sessionOnly)} | checked ${states(level.checked)}`);
    }

    // Issue 9: the clinician's day. What each start page must show, from the generated rows.
    const today = osloCalendarDate(new Date());
    const expectedRows = await sql<{ user_id: string; appointments: number; drafts: number }>`
      select c.id as user_id,
             (select count(*)::int from appointment a where a.clinician_id = c.id and a.status <> 'cancelled'
                 and a.starts_at >= ${osloDayStart(today)} and a.starts_at < ${osloDayStart(addDays(today, 1))}) as appointments,
             (select count(*)::int from journal_note n where n.author_id = c.id and n.status = 'draft') as drafts
        from unnest(${clinicians.map((clinician) => clinician.id)}::uuid[]) as c(id)`.execute(owner);
    const expectedStart = new Map<string, ExpectedStartPage>(expectedRows.rows.map((row) => [row.user_id, { appointments: row.appointments, drafts: row.drafts }]));
    const appointmentsToday = expectedRows.rows.reduce((sum, row) => sum + row.appointments, 0);
    const drafts = expectedRows.rows.reduce((sum, row) => sum + row.drafts, 0);
    log(`  the clinician's day: ${appointmentsToday} appointments today, ${drafts} drafts, ${AUDIT_HISTORY.eventsPerClinician.toLocaleString('en')} audit events per clinician over ${AUDIT_HISTORY.days} days before the run`);
    const startPageProfile = await profileStartPage(database, organisation.id, clinicians[0]!.id, new Date());
    // The start page repeats the access decision per patient shown: the same statement is summed, with its count.
    const logProfile = (label: string, profiled: typeof startPageProfile) => {
      log(`  profile, ${label}: ${profiled.roundTrips} statements, ${profiled.totalExecutionMs} ms planning + execution in all`);
      const byStatement = new Map<string, { query: ProfiledQuery; count: number; planningMs: number; executionMs: number }>();
      for (const query of profiled.queries) {
        const entry = byStatement.get(query.sql) ?? { query, count: 0, planningMs: 0, executionMs: 0 };
        entry.count++;
        entry.planningMs += query.planningMs;
        entry.executionMs += query.executionMs;
        byStatement.set(query.sql, entry);
      }
      for (const { query, count, planningMs, executionMs } of byStatement.values()) {
        log(`     ${`${query.label}${count > 1 ? ` ×${count}` : ''}`.padEnd(44)} plan ${String(round(planningMs, 3)).padStart(6)} ms, exec ${String(round(executionMs, 3)).padStart(7)} ms: ${query.plan}`);
      }
    };
    logProfile('start.today', startPageProfile);

    let startCalls = 0;
    let notesFound = 0;
    const makeDayClient = (seed: number) => {
      const random = mulberry32(seed);
      const pickPair = () => pairs[Math.floor(random() * pairs.length)] as AccessPair;
      return {
        start: async () => {
          const clinician = clinicians[Math.floor(random() * clinicians.length)]!;
          const page = await callers.get(clinician.id)!.checked.start.today();
          startCalls++;
          const expected = expectedStart.get(clinician.id)!;
          // Every generated draft and today's appointment is shown, and eight recently opened patients (all their own, so named).
          if (page.appointments.length !== expected.appointments || page.drafts.length !== expected.drafts || page.recentPatients.length !== 8) {
            throw new Error(`start.today showed ${page.appointments.length}/${page.drafts.length}/${page.recentPatients.length} (expected ${expected.appointments}/${expected.drafts}/8)`);
          }
          if (page.drafts.some((draft) => draft.patient === null) || page.appointments.some((entry) => entry.patient === null)) throw new Error('start.today left a patient of the clinician unnamed');
        },
        search: async () => {
          const pair = pickPair();
          const text = SEARCHES_FOUND[Math.floor(random() * SEARCHES_FOUND.length)]!;
          const result = await callers.get(pair.userId)!.checked.journal.notes({ patientId: pair.patientId, filter: { text } });
          checkedCalls++;
          notesFound += result.notes.length;
          const terms = text.split(' ');
          const stray = result.notes.find((note) => note.body !== null && !terms.every((term) => note.body!.toLocaleLowerCase('nb').includes(term)));
          if (stray || result.notes.length > expectedNoteCount(pair, options.notesPerPatient)) throw new Error(`journal.notes with a text filter returned a note without the words (${pair.kind})`);
        },
        searchNowhere: async () => {
          const pair = pickPair();
          const result = await callers.get(pair.userId)!.checked.journal.notes({ patientId: pair.patientId, filter: { text: SEARCH_NOWHERE } });
          checkedCalls++;
          if (result.notes.length !== 0) throw new Error(`journal.notes found "${SEARCH_NOWHERE}" in ${result.notes.length} notes`);
        },
      };
    };
    const dayClients = Array.from({ length: maxClients }, (_, index) => makeDayClient(5000 + index));
    const dayLevels: ClinicianDayLevel[] = [];
    for (const count of options.clientCounts) {
      const active = dayClients.slice(0, count);
      const calls = { start: active.map((client) => client.start), search: active.map((client) => client.search), searchNowhere: active.map((client) => client.searchNowhere) };
      for (const mode of ['start', 'search', 'searchNowhere'] as const) await runSegment(calls[mode], options.warmupSeconds);
      const segments: Record<keyof typeof calls, Segment[]> = { start: [], search: [], searchNowhere: [] };
      for (const mode of ['start', 'search', 'searchNowhere', 'searchNowhere', 'search', 'start'] as const) segments[mode].push(await runSegment(calls[mode], options.secondsPerMode / 2, owner));
      const level: ClinicianDayLevel = { clients: count, start: combine(segments.start), search: combine(segments.search), searchNowhere: combine(segments.searchNowhere) };
      dayLevels.push(level);
      const figures = (mode: ModeResult) =>
        `${mode.opsPerSecond} ops/s, p50/p95/p99 ${mode.latency.p50Ms}/${mode.latency.p95Ms}/${mode.latency.p99Ms} ms, CPU µs/op Node+PG ${mode.cpuPerOp.nodeMicros}+${mode.cpuPerOp.postgresMicros ?? '?'}`;
      log(`  ${String(count).padStart(2)} clients: start.today ${figures(level.start)}`);
      log(`              journal.notes, text found ${figures(level.search)}`);
      log(`              journal.notes, text nowhere ${figures(level.searchNowhere)}`);
    }
    if (notesFound === 0) throw new Error('journal.notes with a text filter found no note in any call');

    // Every checked call (plain and searching) left exactly one read event, every start page one; the generated history is older than the run.
    const events = await sql<{ action: string; count: string }>`
      select action, count(*)::text as count from audit_event
       where action in ('journal.notes.read', 'start.page.read') and outcome = 'allowed' and occurred_at >= ${now} group by action`.execute(owner);
    const eventCount = (action: string) => Number(events.rows.find((row) => row.action === action)?.count ?? 0);
    const readEvents = eventCount('journal.notes.read');
    if (readEvents !== checkedCalls) throw new Error(`Expected ${checkedCalls} journal.notes.read events, found ${readEvents}`);
    const startEvents = eventCount('start.page.read');
    if (startEvents !== startCalls) throw new Error(`Expected ${startCalls} start.page.read events, found ${startEvents}`);

    const top = levels.find((level) => level.clients === maxClients) ?? levels.at(-1)!;
    return {
      scale: { patients: options.patients, notes: options.patients * options.notesPerPatient, notesPerPatient: options.notesPerPatient, clinicians: options.clinicians },
      generation: { ...generation, setupSeconds },
      database: { sizeMb, tablesMb },
      pairs: { total: pairs.length, byKind, withPartialBlock },
      decisionChecks,
      secondsPerMode: options.secondsPerMode,
      levels,
      profile,
      trace,
      decisionAlone,
      targets: { p95MsAt32: top.checked.latency.p95Ms, p95Met: top.checked.latency.p95Ms <= 20, ratioAt32: top.ratio, ratioMet: top.ratio >= 0.7 },
      finalCheck: { checkedCalls, readEvents, startCalls, startEvents },
      clinicianDay: {
        auditHistory: { ...AUDIT_HISTORY },
        appointmentsToday,
        drafts,
        levels: dayLevels,
        startPageProfile,
      },
    };
  } finally {
    await database.drop();
  }
}
