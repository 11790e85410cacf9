import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/database';
import { enqueueJob, type BatchedJobHandler, type JobHandler } from '../../../src/server/jobs/queue';
import { claimDueJobs, ensureRecurring, JobError, recurringKey, runDueJobs, startJobRunner } from '../../../src/server/jobs/runner';
import { createOrganisation, eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';

const T0 = new Date('2026-12-06T09:00:00.000Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const at = (ms: number) => new Date(T0.getTime() + ms);
/** Short, known backoff: 10 s, 20 s, 40 s … */
const RUNNER = { backoffBaseMs: 10 * SECOND, maxBackoffMs: 10 * MINUTE, leaseMs: 5 * MINUTE, claimLimit: 10 };

async function jobRow(db: Database, id: string) {
  return db.selectFrom('background_job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function onlyJobId(db: Database, kind: string): Promise<string> {
  const rows = await db.selectFrom('background_job').select('id').where('kind', '=', kind).execute();
  expect(rows).toHaveLength(1);
  return String(rows[0]?.id);
}

/** A handler that records one event per run, naming its job: the count of events is the count of runs. */
function countingHandler(kind: string, behaviour: (attempt: number) => void = () => {}): JobHandler {
  return {
    kind,
    actions: ['retention.run'],
    run: async ({ audit, job }) => {
      audit.record({ objectType: 'background_job', objectId: job.id, details: { attempt: job.attempts } });
      behaviour(job.attempts);
    },
  };
}

describe('the job runner (PLAT-10, ADR 0011)', () => {
  const database = useTestDatabase();

  it('PLAT-10: two runners polling at once run every job exactly once (FOR UPDATE SKIP LOCKED)', async () => {
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    for (let index = 0; index < 30; index++) await enqueueJob(db, { kind: 'test.count', organisationId: organisation.id, runAt: T0 });
    const handler = countingHandler('test.count');
    const options = { ...RUNNER, claimLimit: 4 };
    const drain = async (instanceId: string) => {
      let runs = 0;
      for (;;) {
        const report = await runDueJobs(db, [handler], T0, { ...options, instanceId });
        runs += report.done;
        if (report.claimed === 0) return runs;
      }
    };
    const [first, second] = await Promise.all([drain('instance-a'), drain('instance-b')]);
    expect(first + second).toBe(30);
    const events = await eventsOf(db, { action: 'retention.run' });
    expect(events).toHaveLength(30);
    expect(new Set(events.map((event) => event.object_id)).size).toBe(30);
    const statuses = await db.selectFrom('background_job').select(['status', 'attempts', 'locked_by', 'finished_at']).execute();
    expect(statuses.every((row) => row.status === 'done' && row.attempts === 1 && row.locked_by === null && row.finished_at?.getTime() === T0.getTime())).toBe(true);
  });

  it('AUD-2, PLAT-10: a job runs as the system actor of its organisation, and its events commit with its completion', async () => {
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    await enqueueJob(db, { kind: 'test.count', organisationId: organisation.id, runAt: T0 });
    expect(await runDueJobs(db, [countingHandler('test.count')], T0, { ...RUNNER, instanceId: 'a' })).toMatchObject({ claimed: 1, done: 1 });
    const [event] = await eventsOf(db, { action: 'retention.run' });
    expect(event).toMatchObject({ organisation_id: organisation.id, user_id: null, user_display_name: 'system:test.count', user_roles: ['system'], auth_method: 'system', session_id: null, outcome: 'allowed' });
    expect(event?.occurred_at.getTime()).toBe(T0.getTime());

    // A run that fails after recording leaves neither its event nor its work.
    await enqueueJob(db, { kind: 'test.fails', organisationId: organisation.id, runAt: T0 });
    const fails: JobHandler = {
      kind: 'test.fails',
      actions: ['retention.run'],
      run: async ({ trx, audit }) => {
        audit.record({ details: { step: 'before_failure' } });
        await sql`update organisation set booking_retention_days = 30 where id = ${organisation.id}`.execute(trx);
        throw new JobError('remote_down');
      },
    };
    expect(await runDueJobs(db, [fails], T0, { ...RUNNER, instanceId: 'a' })).toMatchObject({ claimed: 1, retried: 1, done: 0 });
    expect(await eventsOf(db, { action: 'retention.run' })).toHaveLength(1);
    const days = await db.selectFrom('organisation').select('booking_retention_days').where('id', '=', organisation.id).executeTakeFirstOrThrow();
    expect(days.booking_retention_days).toBe(7);
  });

  it('PLAT-10: a failing job is retried with exponential backoff on the injected clock, then failed with a code', async () => {
    const db = database.current.db;
    await enqueueJob(db, { kind: 'test.flaky', organisationId: null, runAt: T0, maxAttempts: 3 });
    const id = await onlyJobId(db, 'test.flaky');
    const handler = countingHandler('test.flaky', () => {
      throw new JobError('remote_down');
    });
    const run = (now: Date) => runDueJobs(db, [handler], now, { ...RUNNER, instanceId: 'a' });

    expect(await run(T0)).toMatchObject({ claimed: 1, retried: 1 });
    expect(await jobRow(db, id)).toMatchObject({ status: 'queued', attempts: 1, last_error: 'remote_down', locked_by: null, run_at: at(10 * SECOND) });
    // Not due one millisecond before its backoff ends.
    expect(await run(at(10 * SECOND - 1))).toMatchObject({ claimed: 0 });
    expect(await run(at(10 * SECOND))).toMatchObject({ claimed: 1, retried: 1 });
    // The second retry waits twice as long, counted from the failed attempt.
    expect(await jobRow(db, id)).toMatchObject({ status: 'queued', attempts: 2, run_at: at(30 * SECOND) });
    expect(await run(at(30 * SECOND))).toMatchObject({ claimed: 1, failed: 1 });
    expect(await jobRow(db, id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'remote_down', finished_at: at(30 * SECOND) });
    // Failed for good: nothing claims it again.
    expect(await run(at(MINUTE * 60))).toMatchObject({ claimed: 0 });
  });

  it('PLAT-10, AUD-2: a failure is stored as a code, never as the error message (it may hold personal data)', async () => {
    const db = database.current.db;
    await createOrganisation(db);
    await enqueueJob(db, { kind: 'test.leaky', organisationId: null, runAt: T0, maxAttempts: 1 });
    await enqueueJob(db, { kind: 'test.constraint', organisationId: null, runAt: T0, maxAttempts: 1 });
    const leaky: JobHandler = {
      kind: 'test.leaky',
      actions: ['retention.run'],
      run: async () => {
        throw new Error('could not reach Kari Nordmann at 15076500050');
      },
    };
    const constraint: JobHandler = {
      kind: 'test.constraint',
      actions: ['retention.run'],
      // A check constraint's failure: PostgreSQL's message would name the row's values.
      run: async ({ trx }) => {
        await sql`update organisation set booking_retention_days = 0`.execute(trx);
      },
    };
    expect(await runDueJobs(db, [leaky, constraint], T0, { ...RUNNER, instanceId: 'a' })).toMatchObject({ claimed: 2, failed: 2 });
    const rows = await db.selectFrom('background_job').select(['kind', 'status', 'last_error']).orderBy('id').execute();
    expect(rows).toEqual([
      { kind: 'test.leaky', status: 'failed', last_error: 'handler_failed' },
      { kind: 'test.constraint', status: 'failed', last_error: 'sqlstate_23514' },
    ]);
  });

  it("PLAT-10: a job of a kind nobody handles fails at once with 'unknown_kind'", async () => {
    const db = database.current.db;
    await enqueueJob(db, { kind: 'test.nobody', organisationId: null, runAt: T0, maxAttempts: 5 });
    const id = await onlyJobId(db, 'test.nobody');
    expect(await runDueJobs(db, [countingHandler('test.count')], T0, { ...RUNNER, instanceId: 'a' })).toMatchObject({ claimed: 1, failed: 1 });
    expect(await jobRow(db, id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'unknown_kind', locked_by: null });
  });

  it('PLAT-10: a job whose instance died is claimable again once its lease has expired, and not before', async () => {
    const db = database.current.db;
    await enqueueJob(db, { kind: 'test.count', organisationId: null, runAt: T0, maxAttempts: 2 });
    const id = await onlyJobId(db, 'test.count');
    // Instance A claims it and dies.
    expect(await claimDueJobs(db, T0, { ...RUNNER, instanceId: 'instance-a' })).toHaveLength(1);
    expect(await jobRow(db, id)).toMatchObject({ status: 'running', locked_by: 'instance-a', locked_until: at(5 * MINUTE), attempts: 1 });
    const handler = countingHandler('test.count');
    expect(await runDueJobs(db, [handler], at(5 * MINUTE), { ...RUNNER, instanceId: 'instance-b' })).toMatchObject({ claimed: 0 });
    expect(await runDueJobs(db, [handler], at(5 * MINUTE + 1), { ...RUNNER, instanceId: 'instance-b' })).toMatchObject({ claimed: 1, done: 1 });
    expect(await jobRow(db, id)).toMatchObject({ status: 'done', attempts: 2, locked_by: null });
    expect(await eventsOf(db, { action: 'retention.run' })).toHaveLength(1);

    // A job that kills its instance on its last attempt is failed, not run a third time.
    await enqueueJob(db, { kind: 'test.killer', organisationId: null, runAt: T0, maxAttempts: 1 });
    const killer = await onlyJobId(db, 'test.killer');
    await claimDueJobs(db, T0, { ...RUNNER, instanceId: 'instance-a' });
    expect(await runDueJobs(db, [countingHandler('test.killer')], at(10 * MINUTE), { ...RUNNER, instanceId: 'instance-b' })).toMatchObject({ claimed: 0 });
    expect(await jobRow(db, killer)).toMatchObject({ status: 'failed', last_error: 'lease_expired', locked_by: null });
  });

  it('PLAT-10: a run whose lease was taken over does not complete the job, and its work and events roll back', async () => {
    const db = database.current.db;
    await enqueueJob(db, { kind: 'test.slow', organisationId: null, runAt: T0 });
    const id = await onlyJobId(db, 'test.slow');
    const slow: JobHandler = {
      kind: 'test.slow',
      actions: ['retention.run'],
      run: async ({ trx, audit }) => {
        audit.record({ details: { step: 'work' } });
        // Meanwhile (as far as this run can tell) the lease expired and instance B claimed the job.
        await sql`update background_job set locked_by = 'instance-b' where id = ${id}`.execute(trx);
      },
    };
    expect(await runDueJobs(db, [slow], T0, { ...RUNNER, instanceId: 'instance-a' })).toMatchObject({ claimed: 1, lost: 1, done: 0 });
    expect(await eventsOf(db, { action: 'retention.run' })).toHaveLength(0);
    // Untouched: it is still A's claim as far as the table knows (the takeover was rolled back with the work).
    expect(await jobRow(db, id)).toMatchObject({ status: 'running', locked_by: 'instance-a', last_error: null });
  });

  it('PLAT-10: a dedupe key allows one queued or running job; a recurring kind is queued once and re-queued by its own completion', async () => {
    const db = database.current.db;
    expect(await enqueueJob(db, { kind: 'test.count', organisationId: null, runAt: T0, dedupeKey: 'reminder:1' })).toBe(true);
    expect(await enqueueJob(db, { kind: 'test.count', organisationId: null, runAt: T0, dedupeKey: 'reminder:1' })).toBe(false);
    await runDueJobs(db, [countingHandler('test.count')], T0, { ...RUNNER, instanceId: 'a' });
    // Done: the key is free again.
    expect(await enqueueJob(db, { kind: 'test.count', organisationId: null, runAt: T0, dedupeKey: 'reminder:1' })).toBe(true);
    expect(await runDueJobs(db, [countingHandler('test.count')], T0, { ...RUNNER, instanceId: 'a' })).toMatchObject({ claimed: 1, done: 1 });

    // Every instance calls ensureRecurring at start: one row for the installation.
    expect(await ensureRecurring(db, 'test.tick', 60 * MINUTE, { now: T0 })).toBe(true);
    expect(await ensureRecurring(db, 'test.tick', 60 * MINUTE, { now: T0 })).toBe(false);
    const tick = countingHandler('test.tick');
    const queued = () => db.selectFrom('background_job').select(['run_at', 'status']).where('dedupe_key', '=', recurringKey('test.tick')).where('status', '=', 'queued').execute();
    expect(await runDueJobs(db, [tick], T0, { ...RUNNER, instanceId: 'a' })).toMatchObject({ claimed: 1, done: 1 });
    expect(await queued()).toEqual([{ run_at: at(60 * MINUTE), status: 'queued' }]);
    expect(await runDueJobs(db, [tick], at(60 * MINUTE - 1), { ...RUNNER, instanceId: 'a' })).toMatchObject({ claimed: 0 });
    expect(await runDueJobs(db, [tick], at(60 * MINUTE), { ...RUNNER, instanceId: 'a' })).toMatchObject({ claimed: 1, done: 1 });
    expect(await queued()).toEqual([{ run_at: at(120 * MINUTE), status: 'queued' }]);

    // An occurrence that fails for good does not end the schedule.
    await enqueueJob(db, { kind: 'test.broken', organisationId: null, runAt: T0, dedupeKey: recurringKey('test.broken'), payload: { everyMs: MINUTE }, maxAttempts: 1 });
    const broken = countingHandler('test.broken', () => {
      throw new JobError('remote_down');
    });
    expect(await runDueJobs(db, [broken], T0, { ...RUNNER, instanceId: 'a' })).toMatchObject({ failed: 1 });
    const next = await db.selectFrom('background_job').select(['run_at', 'status']).where('kind', '=', 'test.broken').orderBy('id').execute();
    expect(next).toEqual([
      { run_at: T0, status: 'failed' },
      { run_at: at(MINUTE), status: 'queued' },
    ]);
  });

  it('PLAT-10: a batched job runs its own transactions, records progress and renews its lease', async () => {
    const db = database.current.db;
    await enqueueJob(db, { kind: 'test.batched', organisationId: null, runAt: T0 });
    const id = await onlyJobId(db, 'test.batched');
    const seen: { lockedUntil: Date | null; progress: unknown }[] = [];
    const batched: BatchedJobHandler = {
      kind: 'test.batched',
      mode: 'batched',
      run: async ({ heartbeat }) => {
        await heartbeat({ batches: 1 });
        seen.push(await db.selectFrom('background_job').select(['locked_until as lockedUntil', 'progress']).where('id', '=', id).executeTakeFirstOrThrow());
      },
    };
    expect(await runDueJobs(db, [batched], T0, { ...RUNNER, instanceId: 'a' })).toMatchObject({ done: 1 });
    expect(seen[0]?.progress).toEqual({ batches: 1 });
    expect(seen[0]?.lockedUntil?.getTime()).toBeGreaterThanOrEqual(at(5 * MINUTE).getTime());
    expect(await jobRow(db, id)).toMatchObject({ status: 'done', progress: { batches: 1 } });
  });

  it('PLAT-10: the background loop polls on its own, drains what is due and stops cleanly', async () => {
    const db = database.current.db;
    for (let index = 0; index < 3; index++) await enqueueJob(db, { kind: 'test.count', organisationId: null, runAt: T0 });
    const errors: unknown[] = [];
    const runner = startJobRunner(db, [countingHandler('test.count')], { intervalMs: 20, clock: () => T0, onError: (error) => errors.push(error), runner: { instanceId: 'loop' } });
    try {
      for (let waited = 0; waited < 10_000; waited += 50) {
        const done = await db.selectFrom('background_job').select('id').where('status', '=', 'done').execute();
        if (done.length === 3) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await runner.stop();
    }
    expect(errors).toEqual([]);
    expect(await db.selectFrom('background_job').select('status').where('status', '<>', 'done').execute()).toEqual([]);
    expect(await eventsOf(db, { action: 'retention.run' })).toHaveLength(3);
    // A handler that could not record its run is refused at start-up, not discovered at night.
    expect(() => startJobRunner(db, [{ kind: 'test.silent', actions: [], run: async () => {} }])).toThrow(/declares no audit action/);
  });
});
