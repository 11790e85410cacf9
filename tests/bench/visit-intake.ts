// Intake throughput (issue 10): the public booking form's endpoint over real HTTP against a real
// server on PostgreSQL, 32 concurrent submitters in a closed loop; bookings/s and latency.
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { buildServer } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { PUBLIC_BOOKING_URL } from '../../src/server/visits/public-route';
import { createBenchDatabase } from './support/database';
import { benchSecretBox, createOrganisation, createUser } from './support/identity';
import { type LatencySummary, log, round, summarise } from './support/stats';

export interface VisitIntakeReport {
  clients: number;
  seconds: number;
  bookings: number;
  bookingsPerSecond: number;
  latency: LatencySummary;
  /** The same with one submitter: a booking's own latency. */
  oneClient: { bookingsPerSecond: number; latency: LatencySummary };
  /** Backends by state during the 32-submitter run: CPU, or what they wait on. */
  backendStates: Record<string, number>;
  targetBookingsPerSecond: number;
  meetsTarget: boolean;
  /** Written per booking, checked afterwards: one booking, one timeline row, one event, its messages. */
  finalCheck: { bookings: number; statusChanges: number; events: number; messages: number; doctorsOnShift: number };
}

const FORM_KEY = 'bench-klinikk';
const HOUR = 3_600_000;

/** A plausible form body: a different name and reason each time, as a flood of real bookings would have. */
function formBody(index: number, now: Date): string {
  const postcodes = ['0150', '0555', '0661', '0952', '1337', '5003'];
  return JSON.stringify({
    clinic: FORM_KEY,
    fullName: `Benk Person ${index}`,
    street: `Benkeveien ${(index % 200) + 1}`,
    postcode: postcodes[index % postcodes.length],
    city: 'Oslo',
    gender: index % 2 === 0 ? 'female' : 'male',
    dateOfBirth: '1960-05-17',
    nationalId: null,
    phone: `+479${String(1_000_000 + (index % 8_999_999)).padStart(7, '0')}`,
    email: index % 3 === 0 ? null : `person${index}@bench.example`,
    reason: 'Feber og hoste, ønsker hjemmebesøk i dag.',
    urgency: index % 5 === 0 ? 'urgent' : 'normal',
    earliestAt: new Date(now.getTime() + HOUR).toISOString(),
    latestAt: null,
  });
}

/**
 * The submitters run on a thread of their own, as they would on other machines: in the server's
 * thread, their HTTP client took the server's CPU (the first version of this bench measured the
 * client as much as the intake). Plain JavaScript, so the thread needs no TypeScript loader.
 */
const SUBMITTERS_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { randomBytes } = require('node:crypto');
const { url, clients, seconds, bodies } = workerData;
(async () => {
  let next = 0;
  let failure = null;
  const latencies = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < deadline && failure === null) {
      const body = bodies[next++ % bodies.length];
      const callStarted = performance.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'bench-' + randomBytes(9).toString('hex') }, body });
      const text = await response.text();
      if (response.status !== 201) failure = 'HTTP ' + response.status + ' ' + text.slice(0, 200);
      else latencies.push(performance.now() - callStarted);
    }
  }));
  parentPort.postMessage({ latencies, submitted: next, elapsedMs: performance.now() - started, failure });
})();
`;

function runSubmitters(options: { url: string; clients: number; seconds: number; bodies: string[] }): Promise<{ latencies: number[]; submitted: number; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SUBMITTERS_SOURCE, { eval: true, workerData: options });
    worker.once('message', (result: { latencies: number[]; submitted: number; elapsedMs: number; failure: string | null }) => {
      void worker.terminate();
      if (result.failure) reject(new Error(`intake: ${result.failure}`));
      else resolve(result);
    });
    worker.once('error', reject);
  });
}

export async function benchVisitIntake(options: { clients: number; seconds: number; warmupSeconds: number; targetBookingsPerSecond: number }): Promise<VisitIntakeReport> {
  const database = await createBenchDatabase('intake');
  try {
    const app = await database.openAsApplication(16);
    const organisation = await createOrganisation(app.db);
    await app.db.updateTable('organisation').set({ booking_form_key: FORM_KEY }).where('id', '=', organisation.id).execute();
    const zones = [['Oslo sentrum', ['01', '02', '03', '04', '05']], ['Oslo øst', ['06', '09', '10']], ['Bærum', ['13']]] as const;
    for (const [name, prefixes] of zones) await app.db.insertInto('visit_zone').values({ organisation_id: organisation.id, name, postcode_prefixes: [...prefixes] }).execute();
    // Three doctors on shift: each booking also writes three "a new visit is waiting" notifications.
    const doctorsOnShift = 3;
    for (let index = 0; index < doctorsOnShift; index++) {
      const doctor = await createUser(app.db, organisation.id, ['clinician']);
      await app.db.insertInto('doctor_shift').values({ organisation_id: organisation.id, doctor_id: doctor.id, zone_id: null, starts_at: new Date(Date.now() - HOUR), ends_at: new Date(Date.now() + 10 * HOUR) }).execute();
    }

    // The real server, with the public limits raised: the bench measures intake, not the 429 path.
    const config = { ...loadConfig({ JK_LOG_LEVEL: 'silent', JK_RATE_LIMIT_PUBLIC_PER_ADDRESS: '100000', JK_RATE_LIMIT_PUBLIC_OVERALL: '10000000' }) };
    const server = await buildServer({ db: app.db, databaseKind: 'postgres', config, now: () => new Date(), secretBox: benchSecretBox });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}${PUBLIC_BOOKING_URL}`;
    try {
      let sequence = 0;
      // Bodies made up front (a different person each), so the submitters' thread only sends.
      const bodies = Array.from({ length: 20_000 }, (_, index) => formBody(index, new Date()));
      const run = async (seconds: number, clients = options.clients) => {
        // What the database's backends wait on while the submitters run (sampled every 50 ms).
        const waits = new Map<string, number>();
        let samples = 0;
        const sampler = setInterval(() => {
          samples++;
          void sql<{ state: string }>`
            select coalesce(wait_event_type || ':' || wait_event, 'CPU') as state from pg_stat_activity
             where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`
            .execute(database.owner.db)
            .then((result) => {
              for (const row of result.rows) waits.set(row.state, (waits.get(row.state) ?? 0) + 1);
            })
            .catch(() => {});
        }, 50);
        let result: { latencies: number[]; submitted: number; elapsedMs: number };
        try {
          result = await runSubmitters({ url, clients, seconds, bodies });
          sequence += result.submitted;
        } finally {
          clearInterval(sampler);
        }
        const backendStates = Object.fromEntries([...waits].sort((a, b) => b[1] - a[1]).map(([state, count]) => [state, round(count / Math.max(1, samples), 2)]));
        return { latencies: result.latencies, elapsedMs: result.elapsedMs, backendStates };
      };
      await run(options.warmupSeconds);
      // One submitter first: the latency of a booking on its own, for scale.
      const single = await run(Math.max(1, options.seconds / 2), 1);
      const oneClient = { bookingsPerSecond: round(single.latencies.length / (single.elapsedMs / 1000)), latency: summarise(single.latencies) };
      log(`  1 submitter: ${oneClient.bookingsPerSecond}/s, p50 ${oneClient.latency.p50Ms} ms, p95 ${oneClient.latency.p95Ms} ms`);
      const { latencies, elapsedMs, backendStates } = await run(options.seconds);
      log(`  backends (average number active by state): ${Object.entries(backendStates).map(([state, count]) => `${state} ${count}`).join(', ')}`);
      const bookingsPerSecond = round(latencies.length / (elapsedMs / 1000));
      const latency = summarise(latencies);
      log(`  ${options.clients} submitters, ${options.seconds} s: ${latencies.length} bookings, ${bookingsPerSecond}/s, p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms`);

      const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(database.owner.db)).rows[0]?.n ?? 0);
      const finalCheck = {
        bookings: await count(sql<{ n: string }>`select count(*) as n from home_visit_booking`),
        statusChanges: await count(sql<{ n: string }>`select count(*) as n from booking_status_change`),
        events: await count(sql<{ n: string }>`select count(*) as n from audit_event where action = 'visit.booking.received'`),
        messages: await count(sql<{ n: string }>`select count(*) as n from outbox_message`),
        doctorsOnShift,
      };
      // Every submission answered 201 made exactly one booking, one timeline row and one event.
      if (finalCheck.bookings !== sequence || finalCheck.statusChanges !== sequence || finalCheck.events !== sequence) {
        throw new Error(`intake check failed: ${sequence} submissions, ${JSON.stringify(finalCheck)}`);
      }
      return { clients: options.clients, seconds: options.seconds, bookings: latencies.length, bookingsPerSecond, latency, oneClient, backendStates, targetBookingsPerSecond: options.targetBookingsPerSecond, meetsTarget: bookingsPerSecond >= options.targetBookingsPerSecond, finalCheck };
    } finally {
      await server.close();
    }
  } finally {
    await database.drop();
  }
}
