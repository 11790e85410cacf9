// Benchmark: the time until a booking shows on an open board (issue 10, PLAT-10, VIS-3), across two
// backend instances on one PostgreSQL: a booking is submitted to instance A, a coordinator's SSE
// subscription (`visits.live`) is open on instance B, and the board refetches `visits.board` on B
// when the event arrives. Measured: submit → event received → refetch done, p50/p95 (target p95 ≤ 1 s).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildServer } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { DatabaseHandle } from '../../src/server/db/database';
import { LiveHub } from '../../src/server/live/hub';
import { publishChange } from '../../src/server/live/publish';
import { openSse, type SseStream } from '../integration/support/sse-client';
import { createBenchDatabase } from './support/database';
import { benchSecretBox, BenchClock, createOrganisation, createUser, login } from './support/identity';
import { type LatencySummary, log, summarise } from './support/stats';

export interface BoardLatencyReport {
  samples: number;
  /** 'route': POST /public/home-visit-bookings; 'stand-in': the route was not there, a direct insert + publish on A's pool. */
  intake: 'route' | 'stand-in';
  /** 'visits.board': the real procedure on B; 'stand-in': the procedure was not there, the day's bookings by SQL on B's pool. */
  board: 'visits.board' | 'stand-in';
  submit: LatencySummary;
  event: LatencySummary;
  boardUpdated: LatencySummary;
  targetP95Ms: number;
  isTargetMet: boolean;
}

const FORM_KEY = 'bench-clinic';
const TARGET_P95_MS = 1000;

interface Instance {
  app: FastifyInstance;
  hub: LiveHub;
  url: string;
}

async function startInstance(database: DatabaseHandle): Promise<Instance> {
  const hub = await LiveHub.start(database);
  // The public intake is rate-limited per address (PLAT-9); every bench request comes from 127.0.0.1.
  const config = loadConfig({ JK_LOG_LEVEL: 'silent', JK_RATE_LIMIT_PUBLIC_PER_ADDRESS: '100000', JK_RATE_LIMIT_PUBLIC_OVERALL: '1000000' });
  const app = await buildServer({ db: database.db, databaseKind: 'postgres', config, now: () => new Date(), secretBox: benchSecretBox, live: hub });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('board bench: no port');
  return { app, hub, url: `http://127.0.0.1:${address.port}` };
}

/** Today in Oslo as yyyy-mm-dd (the board's day). */
function osloToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function bookingBody(index: number) {
  return {
    clinic: FORM_KEY,
    fullName: `Benk Person ${index}`,
    street: 'Storgata 1',
    postcode: '0155',
    city: 'Oslo',
    gender: 'unknown',
    dateOfBirth: '1970-01-01',
    nationalId: null,
    phone: '+4791234567',
    email: '',
    reason: 'Benchmark',
    urgency: index % 5 === 0 ? 'urgent' : 'normal',
    earliestAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    latestAt: null,
  };
}

export async function benchBoardLatency(options: { samples: number; warmup: number }): Promise<BoardLatencyReport> {
  const database = await createBenchDatabase('board');
  const instances: Instance[] = [];
  let stream: SseStream | undefined;
  try {
    const onA = await database.openAsApplication(8);
    const onB = await database.openAsApplication(8);
    const organisation = await createOrganisation(onA.db);
    await sql`update organisation set booking_form_key = ${FORM_KEY} where id = ${organisation.id}`.execute(database.owner.db);
    const coordinator = await createUser(onA.db, organisation.id, ['coordinator']);
    const token = await login(onA.db, coordinator, new BenchClock());
    const a = await startInstance(onA);
    instances.push(a);
    const b = await startInstance(onB);
    instances.push(b);
    const authorization = { authorization: `Bearer ${token}` };

    // Which intake and board exist in this build: the real ones once the dispatch and intake work is merged.
    const probe = await fetch(`${a.url}/public/home-visit-bookings`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `probe-${randomUUID()}` }, body: JSON.stringify(bookingBody(-1)) });
    const intake: BoardLatencyReport['intake'] = probe.status === 404 ? 'stand-in' : 'route';
    if (intake === 'route' && probe.status !== 201) throw new Error(`board bench: the intake answered ${probe.status}`);
    const boardUrl = `${b.url}/trpc/visits.board?input=${encodeURIComponent(JSON.stringify({ date: osloToday() }))}`;
    const boardProbe = await fetch(boardUrl, { headers: authorization });
    const board: BoardLatencyReport['board'] = boardProbe.status === 404 ? 'stand-in' : 'visits.board';
    if (board === 'visits.board' && !boardProbe.ok) throw new Error(`board bench: visits.board answered ${boardProbe.status}`);
    log(`  intake: ${intake === 'route' ? 'POST /public/home-visit-bookings on A' : 'stand-in (insert + publishChange on A; the route is not in this build)'}; board: ${board === 'visits.board' ? 'visits.board on B' : 'stand-in (the day\'s bookings by SQL on B)'}`);

    const submit = async (index: number) => {
      if (intake === 'route') {
        const response = await fetch(`${a.url}/public/home-visit-bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${index}-${randomUUID()}` },
          body: JSON.stringify(bookingBody(index)),
        });
        if (response.status !== 201) throw new Error(`board bench: booking ${index} answered ${response.status}`);
        return;
      }
      // What the intake route does to the database, on A's pool: the booking and its announcement in one transaction.
      const body = bookingBody(index);
      const now = new Date();
      await onA.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('home_visit_booking')
          .values({
            organisation_id: organisation.id,
            source: 'web',
            idempotency_key: `bench-${index}-${randomUUID()}`,
            full_name: body.fullName,
            street: body.street,
            postcode: body.postcode,
            city: body.city,
            gender: 'unknown',
            date_of_birth: body.dateOfBirth,
            national_id: null,
            phone: body.phone,
            email: null,
            reason: body.reason,
            urgency: body.urgency as 'normal' | 'urgent',
            earliest_at: new Date(body.earliestAt),
            latest_at: new Date(Date.parse(body.earliestAt) + 4 * 60 * 60_000),
            zone_id: null,
            doctor_id: null,
            assigned_at: null,
            accepted_at: null,
            eta: null,
            en_route_at: null,
            arrived_at: null,
            completed_at: null,
            cancelled_at: null,
            cancel_reason: null,
            patient_id: null,
            documentation_note_id: null,
            appointment_id: null,
            retention_hold: null,
            retention_hold_by: null,
            retention_hold_at: null,
            anonymised_at: null,
            created_at: now,
            created_by: null,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await publishChange(trx, { organisationId: organisation.id, topic: 'visits', ids: [row.id] });
      });
    };
    const refetch = async () => {
      if (board === 'visits.board') {
        const response = await fetch(boardUrl, { headers: authorization });
        if (!response.ok) throw new Error(`board bench: visits.board answered ${response.status}`);
        await response.arrayBuffer();
        return;
      }
      await onB.db.selectFrom('home_visit_booking').selectAll().where('organisation_id', '=', organisation.id).where('cancelled_at', 'is', null).orderBy('urgency').orderBy('earliest_at').execute();
    };

    stream = await openSse(`${b.url}/trpc/visits.live`, authorization);
    if ((await stream.next())?.event !== 'connected') throw new Error('board bench: the subscription on B did not open');
    for (let waited = 0; b.hub.subscriberCount === 0; waited += 10) {
      if (waited > 5000) throw new Error('board bench: the subscription on B never reached its hub');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const submitted: number[] = [];
    const heard: number[] = [];
    const shown: number[] = [];
    for (let index = 0; index < options.warmup + options.samples; index++) {
      const started = performance.now();
      const event = stream.next(10_000);
      await submit(index);
      const afterSubmit = performance.now();
      const message = await event;
      if (message?.event !== 'message') throw new Error(`board bench: booking ${index}: no event on B within 10 s (${message?.event ?? 'nothing'})`);
      const afterEvent = performance.now();
      await refetch();
      const afterBoard = performance.now();
      if (index >= options.warmup) {
        submitted.push(afterSubmit - started);
        heard.push(afterEvent - started);
        shown.push(afterBoard - started);
      }
      // Past the coalescing window, so the next booking is its own event.
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    const boardUpdated = summarise(shown);
    log(`  ${options.samples} bookings: event on B p50 ${summarise(heard).p50Ms} ms / p95 ${summarise(heard).p95Ms} ms; board updated p50 ${boardUpdated.p50Ms} ms / p95 ${boardUpdated.p95Ms} ms`);
    return {
      samples: options.samples,
      intake,
      board,
      submit: summarise(submitted),
      event: summarise(heard),
      boardUpdated,
      targetP95Ms: TARGET_P95_MS,
      isTargetMet: boardUpdated.p95Ms <= TARGET_P95_MS,
    };
  } finally {
    stream?.close();
    for (const instance of instances) {
      await instance.app.close();
      await instance.hub.stop();
    }
    await database.drop();
  }
}
