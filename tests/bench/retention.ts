// Benchmark: the retention run (VIS-4) on many finished bookings — run time, the longest transaction
// it holds (one batch), and what it does to the work beside it: from other connections during the
// run, an update of a random open booking, an update of a random finished booking (the rows the run
// locks), and the insert of a new booking. Target (issue 10): nothing blocked for more than 200 ms.
import { sql } from 'kysely';
import type { Database } from '../../src/server/db/database';
import { RETENTION_CATEGORIES } from '../../src/server/retention/categories';
import { DEFAULT_RETENTION_BATCH_SIZE, runRetention } from '../../src/server/retention/run';
import { createBenchDatabase } from './support/database';
import { createOrganisation, createUser } from './support/identity';
import { type LatencySummary, log, round, summarise } from './support/stats';

export interface RetentionReport {
  bookings: number;
  openBookings: number;
  organisations: number;
  batchSize: number;
  generationSeconds: number;
  tableSizeMb: number;
  run: { seconds: number; anonymised: number; batches: number; bookingsPerSecond: number };
  /** Each batch is one transaction: its duration is the longest any row lock of the run is held. */
  batchMs: LatencySummary;
  probes: { label: string; latency: LatencySummary; over200Ms: number }[];
  /**
   * Sampled every 20 ms from pg_stat_activity: backends of this database waiting on a lock (a row
   * lock of the run, or anything else), and the longest such wait seen. Tells a lock wait from a
   * machine stall: the probes' maxima include the busy machine's I/O and scheduling.
   */
  lockWaits: { samples: number; samplesWithWait: number; longestObservedMs: number };
  targetMs: number;
  isTargetMet: boolean;
  afterwards: { stillDue: number; anonymised: number; retentionEvents: number };
}

const TARGET_MS = 200;
const ORGANISATIONS = 4;

/** Generates the bookings inside PostgreSQL as the owner, in one statement per kind (INSERT … SELECT generate_series). */
async function generate(owner: Database, organisations: readonly { id: string; doctorId: string; patientId: string; noteId: string }[], finished: number, open: number, now: Date): Promise<void> {
  const orgs = sql`${organisations.map((organisation) => organisation.id)}::uuid[]`;
  const doctors = sql`${organisations.map((organisation) => organisation.doctorId)}::uuid[]`;
  const patients = sql`${organisations.map((organisation) => organisation.patientId)}::uuid[]`;
  const notes = sql`${organisations.map((organisation) => organisation.noteId)}::uuid[]`;
  await owner.connection().execute(async (connection) => {
    // The rows are consistent by construction: skip the foreign-key triggers while loading.
    await sql`set session_replication_role = replica`.execute(connection);
    await sql`set synchronous_commit = off`.execute(connection);
    // Finished 8–60 days before the run: all due with the default 7 days. Three in four completed.
    await sql`
      insert into home_visit_booking (organisation_id, source, full_name, street, postcode, city, gender, date_of_birth, national_id, phone, email, reason,
        urgency, earliest_at, latest_at, status, doctor_id, assigned_at, accepted_at, completed_at, cancelled_at, cancel_reason,
        patient_id, documentation_note_id, created_at, updated_at)
      select o.org, case when g % 3 = 0 then 'phone' else 'web' end, 'Navn Nummer ' || g, 'Gate ' || g % 500, lpad((g % 9000 + 1000)::text, 4, '0'), 'Oslo',
             'unknown', date '1950-01-01' + (g % 20000), lpad((g % 100000000000)::text, 11, '0'), '+4790' || lpad((g % 1000000)::text, 6, '0'),
             'person' || g || '@example.no', 'Grunn til besøk nummer ' || g,
             case when g % 5 = 0 then 'urgent' else 'normal' end, t.ended - interval '3 hours', t.ended - interval '1 hour',
             case when g % 4 = 0 then 'cancelled' else 'completed' end,
             case when g % 4 = 0 then null else o.doctor end, case when g % 4 = 0 then null else t.ended - interval '2 hours' end,
             case when g % 4 = 0 then null else t.ended - interval '110 minutes' end,
             case when g % 4 = 0 then null else t.ended end, case when g % 4 = 0 then t.ended end, case when g % 4 = 0 then 'patient_cancelled' end,
             case when g % 4 = 0 then null else o.patient end, case when g % 4 = 0 then null else o.note end,
             t.ended - interval '4 hours', t.ended
        from generate_series(1, ${finished}) as g
        cross join lateral (select ${now}::timestamptz - interval '8 days' - (g % (52 * 24 * 60)) * interval '1 minute' as ended) as t
        cross join lateral (select (${orgs})[1 + g % ${organisations.length}] as org, (${doctors})[1 + g % ${organisations.length}] as doctor,
                                   (${patients})[1 + g % ${organisations.length}] as patient, (${notes})[1 + g % ${organisations.length}] as note) as o`.execute(connection);
    // Today's open bookings: what coordinators are working on while retention runs.
    await sql`
      insert into home_visit_booking (organisation_id, source, full_name, street, postcode, city, gender, phone, reason, urgency, earliest_at, latest_at, status, created_at, updated_at)
      select (${orgs})[1 + g % ${organisations.length}], 'web', 'Åpen Nummer ' || g, 'Gate 1', '0155', 'Oslo', 'unknown', '+4791000000', 'Åpen bestilling',
             'normal', ${now}::timestamptz + interval '1 hour', ${now}::timestamptz + interval '4 hours', 'requested', ${now}, ${now}
        from generate_series(1, ${open}) as g`.execute(connection);
    await sql`set session_replication_role = origin`.execute(connection);
  });
  await sql`vacuum (analyze) home_visit_booking`.execute(owner);
}

async function probe(label: string, stop: () => boolean, step: () => Promise<void>): Promise<{ label: string; samples: number[] }> {
  const samples: number[] = [];
  while (!stop()) {
    const started = performance.now();
    await step();
    samples.push(performance.now() - started);
    // A person's pace, not a flood: the probes measure waiting, not throughput.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { label, samples };
}

export async function benchRetention(options: { bookings: number; openBookings: number; batchSize?: number }): Promise<RetentionReport> {
  const batchSize = options.batchSize ?? DEFAULT_RETENTION_BATCH_SIZE;
  const database = await createBenchDatabase('retention');
  try {
    const owner = database.owner.db;
    const now = new Date();
    const organisations: { id: string; doctorId: string; patientId: string; noteId: string }[] = [];
    for (let index = 0; index < ORGANISATIONS; index++) {
      const organisation = await createOrganisation(owner);
      const doctor = await createUser(owner, organisation.id, ['clinician']);
      const patient = await owner
        .insertInto('patient')
        .values({ organisation_id: organisation.id, national_id: '15076500050', given_name: 'Benk', family_name: 'Pasient', date_of_birth: '1965-07-15', gender: 'female', address: null, phone: null, email: null, next_of_kin: null, created_by: doctor.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      const note = await owner
        .insertInto('journal_note')
        .values({ organisation_id: organisation.id, patient_id: patient.id, author_id: doctor.id, note_type: 'home_visit', consultation_date: '2026-11-20' })
        .returning('id')
        .executeTakeFirstOrThrow();
      organisations.push({ id: organisation.id, doctorId: doctor.id, patientId: patient.id, noteId: note.id });
    }
    log(`  generating ${options.bookings.toLocaleString('en')} finished and ${options.openBookings.toLocaleString('en')} open bookings …`);
    const generationStarted = performance.now();
    await generate(owner, organisations, options.bookings, options.openBookings, now);
    const generationSeconds = round((performance.now() - generationStarted) / 1000, 1);
    const { rows: size } = await sql<{ mb: number }>`select round(pg_total_relation_size('home_visit_booking') / 1048576.0) as mb`.execute(owner);
    log(`  generated in ${generationSeconds} s (home_visit_booking ${size[0]?.mb} MB); running retention …`);

    const app = await database.openAsApplication(2);
    const probes = await database.openAsApplication(3);
    const { rows: openIds } = await sql<{ id: string }>`select id from home_visit_booking where status = 'requested' limit 5000`.execute(owner);
    const { rows: finishedIds } = await sql<{ id: string }>`select id from home_visit_booking tablesample system (1) where status in ('completed', 'cancelled') limit 5000`.execute(owner);
    const pick = (ids: readonly { id: string }[]) => ids[Math.floor(Math.random() * ids.length)]?.id ?? '';

    let isRunning = true;
    const probeRuns = Promise.all([
      probe('update of an open booking', () => !isRunning, async () => {
        await sql`update home_visit_booking set updated_at = now() where id = ${pick(openIds)}`.execute(probes.db);
      }),
      probe('update of a finished booking (the rows the run locks)', () => !isRunning, async () => {
        await sql`update home_visit_booking set updated_at = now() where id = ${pick(finishedIds)}`.execute(probes.db);
      }),
      probe('insert of a new booking', () => !isRunning, async () => {
        await sql`insert into home_visit_booking (organisation_id, source, full_name, urgency, earliest_at, latest_at, created_at, updated_at)
                  values (${organisations[0]?.id ?? null}, 'web', 'Ny Bestilling', 'normal', now() + interval '1 hour', now() + interval '3 hours', now(), now())`.execute(probes.db);
      }),
    ]);

    const lockWaits = { samples: 0, samplesWithWait: 0, longestObservedMs: 0 };
    const sampler = (async () => {
      while (isRunning) {
        const { rows: waiting } = await sql<{ waitedMs: number }>`
          select extract(epoch from clock_timestamp() - query_start) * 1000 as "waitedMs" from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock'`.execute(owner);
        lockWaits.samples++;
        if (waiting.length > 0) lockWaits.samplesWithWait++;
        for (const row of waiting) lockWaits.longestObservedMs = Math.max(lockWaits.longestObservedMs, round(Number(row.waitedMs), 1));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const batchTimes: number[] = [];
    let batchStarted = performance.now();
    const runStarted = performance.now();
    let result: Awaited<ReturnType<typeof runRetention>>;
    try {
      result = await runRetention(app.db, RETENTION_CATEGORIES, {
        now,
        batchSize,
        onBatch: async (progress) => {
          // From one batch's start to its commit (the callback runs after the commit).
          batchTimes.push(performance.now() - batchStarted);
          if (progress.batches % 100 === 0 && progress.batches > 0) log(`  … ${progress.anonymised.toLocaleString('en')} anonymised`);
          batchStarted = performance.now();
        },
      });
    } finally {
      isRunning = false;
    }
    const runSeconds = (performance.now() - runStarted) / 1000;
    const probeResults = await probeRuns;
    await sampler;
    if (result.isSkipped || result.isDryRun) throw new Error('the retention run was skipped');
    const anonymised = result.categories.reduce((sum, category) => sum + category.anonymised, 0);
    const batches = result.categories.reduce((sum, category) => sum + category.batches, 0);
    if (anonymised !== options.bookings) throw new Error(`anonymised ${anonymised} of ${options.bookings} due bookings`);

    const { rows: after } = await sql<{ stillDue: string; anonymised: string; events: string }>`
      select (select count(*) from home_visit_booking where status in ('completed', 'cancelled') and anonymised_at is null)::text as "stillDue",
             (select count(*) from home_visit_booking where anonymised_at is not null and full_name is null and national_id is null)::text as anonymised,
             (select count(*) from audit_event where action = 'retention.run')::text as events`.execute(owner);
    const afterwards = { stillDue: Number(after[0]?.stillDue), anonymised: Number(after[0]?.anonymised), retentionEvents: Number(after[0]?.events) };
    if (afterwards.stillDue !== 0 || afterwards.anonymised !== options.bookings) throw new Error(`after the run: ${JSON.stringify(afterwards)}`);

    const probeReports = probeResults.map(({ label, samples }) => ({ label, latency: summarise(samples), over200Ms: samples.filter((ms) => ms > TARGET_MS).length }));
    const batchMs = summarise(batchTimes);
    return {
      bookings: options.bookings,
      openBookings: options.openBookings,
      organisations: ORGANISATIONS,
      batchSize,
      generationSeconds,
      tableSizeMb: Number(size[0]?.mb),
      run: { seconds: round(runSeconds, 1), anonymised, batches, bookingsPerSecond: Math.round(anonymised / runSeconds) },
      batchMs,
      probes: probeReports,
      lockWaits,
      targetMs: TARGET_MS,
      isTargetMet: batchMs.maxMs <= TARGET_MS && probeReports.every((entry) => entry.latency.maxMs <= TARGET_MS),
      afterwards,
    };
  } finally {
    await database.drop();
  }
}

/** The summary's section. */
export function retentionSummary(report: RetentionReport): string {
  const lines = [
    `\n5. Retention run (VIS-4) on ${report.bookings.toLocaleString('en')} finished bookings due (${report.organisations} organisations, ${report.openBookings.toLocaleString('en')} open bookings beside them; home_visit_booking ${report.tableSizeMb} MB, generated in ${report.generationSeconds} s)`,
    `   run: ${report.run.seconds} s, ${report.run.bookingsPerSecond.toLocaleString('en')} bookings/s, ${report.run.batches} batches of ${report.batchSize} (one transaction each, row locks only, FOR UPDATE SKIP LOCKED)`,
    `   longest lock held = longest batch transaction: max ${report.batchMs.maxMs} ms (p50 ${report.batchMs.p50Ms}, p95 ${report.batchMs.p95Ms}, p99 ${report.batchMs.p99Ms})`,
    '   beside the run, from other connections (ms):',
    ...report.probes.map((entry) => `   ${entry.label.padEnd(56)} n=${entry.latency.count} p50 ${entry.latency.p50Ms} p95 ${entry.latency.p95Ms} p99 ${entry.latency.p99Ms} max ${entry.latency.maxMs}; > ${report.targetMs} ms: ${entry.over200Ms}`),
    `   lock waits (pg_stat_activity every 20 ms): ${report.lockWaits.samplesWithWait} of ${report.lockWaits.samples} samples saw a backend waiting on a lock; longest wait seen ${report.lockWaits.longestObservedMs} ms`,
    `   target: nothing blocked > ${report.targetMs} ms → ${report.isTargetMet ? 'met' : 'NOT met'}; afterwards ${report.afterwards.stillDue} still due, ${report.afterwards.anonymised.toLocaleString('en')} anonymised, ${report.afterwards.retentionEvents.toLocaleString('en')} retention.run events.`,
  ];
  return lines.join('\n');
}
