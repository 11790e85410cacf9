import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { runSystemJob } from '../audit/unit-of-work';
import type { Database, Executor } from '../db/database';
import { DomainError } from '../errors';
import { type BatchedJobHandler, type ClaimedJob, enqueueJob, type JobHandler } from './queue';

/**
 * The job runner (ADR 0011): claims due rows of `background_job` with one statement
 * (`FOR UPDATE SKIP LOCKED`, so two instances never claim the same job), runs each through the
 * audited unit of work under a system actor, and marks it done in that same transaction — the
 * job's work, its events and its completion commit together or not at all. It never imports a
 * domain: the composition root passes the handlers in.
 */

export type AnyJobHandler = JobHandler | BatchedJobHandler;

export interface RunnerOptions {
  /** Written into `locked_by`: which instance holds a job (diagnostics, and the guard on completion). */
  instanceId: string;
  /** How long a claim holds before another instance may take the job over (an instance that died). */
  leaseMs: number;
  /** Jobs claimed per statement. */
  claimLimit: number;
  /** The first retry waits this long; each further one twice as long, up to maxBackoffMs. */
  backoffBaseMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  instanceId: `instance-${randomUUID()}`,
  leaseMs: 5 * 60_000,
  claimLimit: 10,
  backoffBaseMs: 10_000,
  maxBackoffMs: 60 * 60_000,
};

/** The key of a recurring kind's one queued-or-running occurrence (the dedupe index keeps it single). */
export function recurringKey(kind: string): string {
  return `recurring:${kind}`;
}

/**
 * A job's failure as something safe to store: a code, never an error message (a message may hold
 * personal data — a constraint's detail names the value). A handler that wants a specific code
 * throws a JobError.
 */
export class JobError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'JobError';
  }
}

/** The lease ran out and another instance took the job: this run's work is rolled back. */
const LEASE_LOST = 'lease_lost';
const CODE_PATTERN = /^[a-z0-9_.:-]{1,64}$/;

export function jobErrorCode(error: unknown): string {
  if (error instanceof JobError && CODE_PATTERN.test(error.code)) return error.code;
  if (error instanceof DomainError) return CODE_PATTERN.test(error.message) ? error.message : `domain_${error.kind}`;
  // PostgreSQL's SQLSTATE: a class of failure, no values.
  const state = (error as { code?: unknown } | null)?.code;
  if (typeof state === 'string' && /^[0-9A-Z]{5}$/.test(state)) return `sqlstate_${state}`;
  return 'handler_failed';
}

export function backoffMs(attempts: number, options: Pick<RunnerOptions, 'backoffBaseMs' | 'maxBackoffMs'>): number {
  return Math.min(options.maxBackoffMs, options.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
}

interface ClaimedRow {
  id: string;
  kind: string;
  organisation_id: string | null;
  payload: Record<string, unknown> | null;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  dedupe_key: string | null;
}

/**
 * Claims up to `limit` due jobs in one statement: queued ones whose time has come, and running ones
 * whose lease has expired (their instance died or hung) that still have attempts left. The attempt
 * is counted at the claim, so a job that kills its instance every time still ends as failed.
 */
export async function claimDueJobs(db: Executor, now: Date, options: Pick<RunnerOptions, 'instanceId' | 'leaseMs' | 'claimLimit'>): Promise<ClaimedRow[]> {
  const lockedUntil = new Date(now.getTime() + options.leaseMs);
  // A lease that expired on its last attempt: nobody may run it again.
  await sql`
    update background_job set status = 'failed', last_error = 'lease_expired', locked_by = null, locked_until = null, finished_at = ${now}
     where id in (select id from background_job
                   where status = 'running' and locked_until < ${now} and attempts >= max_attempts
                   for update skip locked)`.execute(db);
  const result = await sql<ClaimedRow>`
    update background_job
       set status = 'running', locked_by = ${options.instanceId}, locked_until = ${lockedUntil}, attempts = attempts + 1
     where id in (select id from background_job
                   where (status = 'queued' and run_at <= ${now})
                      or (status = 'running' and locked_until < ${now} and attempts < max_attempts)
                   order by run_at, id
                   limit ${options.claimLimit}
                   for update skip locked)
    returning id::text as id, kind, organisation_id, payload, attempts, max_attempts, run_at, dedupe_key`.execute(db);
  return result.rows.sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || Number(a.id) - Number(b.id));
}

function toClaimedJob(row: ClaimedRow): ClaimedJob {
  return { id: row.id, kind: row.kind, organisationId: row.organisation_id, payload: row.payload ?? {}, attempts: row.attempts, runAt: row.run_at };
}

/** Completion, guarded by the claim: a run whose lease was taken over does not complete the job. */
async function markDone(trx: Executor, row: ClaimedRow, now: Date, instanceId: string): Promise<void> {
  const result = await sql`
    update background_job set status = 'done', finished_at = ${now}, locked_by = null, locked_until = null, last_error = null
     where id = ${row.id} and status = 'running' and locked_by = ${instanceId}`.execute(trx);
  if (Number(result.numAffectedRows ?? 0n) !== 1) throw new JobError(LEASE_LOST);
  await requeueIfRecurring(trx, row, now);
}

/**
 * A recurring kind re-queues itself when an occurrence ends (done or given up), in the same
 * transaction: one row per kind for the whole installation, never a timer per feature.
 */
async function requeueIfRecurring(trx: Executor, row: ClaimedRow, now: Date): Promise<void> {
  if (row.dedupe_key !== recurringKey(row.kind)) return;
  const everyMs = Number(row.payload?.everyMs);
  if (!Number.isFinite(everyMs) || everyMs <= 0) return;
  await enqueueJob(trx, {
    kind: row.kind,
    organisationId: row.organisation_id,
    runAt: new Date(now.getTime() + everyMs),
    dedupeKey: row.dedupe_key,
    payload: { everyMs },
    maxAttempts: row.max_attempts,
  });
}

async function recordFailure(db: Database, row: ClaimedRow, now: Date, code: string, options: RunnerOptions): Promise<'retried' | 'failed' | 'lost'> {
  const isFinal = row.attempts >= row.max_attempts || code === 'unknown_kind';
  const retryAt = new Date(now.getTime() + backoffMs(row.attempts, options));
  return db.transaction().execute(async (trx) => {
    const result = await sql`
      update background_job
         set status = ${isFinal ? 'failed' : 'queued'}, run_at = ${isFinal ? row.run_at : retryAt}, last_error = ${code},
             locked_by = null, locked_until = null, finished_at = ${isFinal ? now : null}
       where id = ${row.id} and status = 'running' and locked_by = ${options.instanceId}`.execute(trx);
    if (Number(result.numAffectedRows ?? 0n) !== 1) return 'lost';
    if (isFinal) await requeueIfRecurring(trx, row, now);
    return isFinal ? 'failed' : 'retried';
  });
}

export interface RunReport {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
  /** Runs whose lease was taken over before they finished (their work rolled back). */
  lost: number;
}

function isBatched(handler: AnyJobHandler): handler is BatchedJobHandler {
  return 'mode' in handler && handler.mode === 'batched';
}

/**
 * One pass: claims what is due and runs it. Tests drive this directly with their own clock; the
 * background loop (startJobRunner) calls it every second.
 */
export async function runDueJobs(db: Database, handlers: readonly AnyJobHandler[], now: Date, overrides: Partial<RunnerOptions> = {}): Promise<RunReport> {
  const options = { ...DEFAULT_RUNNER_OPTIONS, ...overrides };
  const byKind = new Map(handlers.map((handler) => [handler.kind, handler]));
  const rows = await claimDueJobs(db, now, options);
  const report: RunReport = { claimed: rows.length, done: 0, retried: 0, failed: 0, lost: 0 };
  // Short jobs first: a reminder claimed beside a long batched run (retention) is not held back
  // by it until its lease runs out.
  const isLong = (row: ClaimedRow) => {
    const handler = byKind.get(row.kind);
    return handler !== undefined && isBatched(handler);
  };
  rows.sort((a, b) => Number(isLong(a)) - Number(isLong(b)));
  for (const row of rows) {
    const handler = byKind.get(row.kind);
    if (!handler) {
      report[await recordFailure(db, row, now, 'unknown_kind', options)]++;
      continue;
    }
    try {
      await runOne(db, handler, row, now, options);
      report.done++;
    } catch (error) {
      const code = jobErrorCode(error);
      report[code === LEASE_LOST ? 'lost' : await recordFailure(db, row, now, code, options)]++;
    }
  }
  return report;
}

async function runOne(db: Database, handler: AnyJobHandler, row: ClaimedRow, now: Date, options: RunnerOptions): Promise<void> {
  const job = toClaimedJob(row);
  if (isBatched(handler)) {
    // Long work in its own short transactions (each with its events); the lease is renewed as it
    // goes, by the real time elapsed since the claim (the job's clock may be a test's).
    const started = performance.now();
    await handler.run({
      db,
      now,
      job,
      heartbeat: async (progress, executor = db) => {
        const lockedUntil = new Date(now.getTime() + (performance.now() - started) + options.leaseMs);
        const result = await sql`
          update background_job set locked_until = ${lockedUntil}, progress = ${JSON.stringify(progress)}::jsonb
           where id = ${row.id} and status = 'running' and locked_by = ${options.instanceId}`.execute(executor);
        if (Number(result.numAffectedRows ?? 0n) !== 1) throw new JobError(LEASE_LOST);
      },
    });
    await db.transaction().execute((trx) => markDone(trx, row, now, options.instanceId));
    return;
  }
  await runSystemJob(db, { name: row.kind, organisationId: row.organisation_id, actions: handler.actions, now }, async (scope) => {
    await handler.run({ ...scope, now, job });
    await markDone(scope.trx, row, now, options.instanceId);
  });
}

/**
 * Makes sure a recurring kind has its one occurrence queued (installation-wide: the dedupe key is
 * per kind). Called at every start of every instance; all but the first call are no-ops.
 */
export async function ensureRecurring(db: Executor, kind: string, everyMs: number, options: { now: Date; firstRunAt?: Date; maxAttempts?: number }): Promise<boolean> {
  return enqueueJob(db, {
    kind,
    organisationId: null,
    runAt: options.firstRunAt ?? options.now,
    dedupeKey: recurringKey(kind),
    payload: { everyMs },
    maxAttempts: options.maxAttempts ?? 3,
  });
}

export interface JobRunner {
  stop(): Promise<void>;
}

/**
 * The background loop: every `intervalMs` one pass of runDueJobs, and at once another while a pass
 * found a full batch (a backlog drains without waiting a second per batch). One pass at a time
 * per instance; other instances share the work through SKIP LOCKED.
 */
export function startJobRunner(
  db: Database,
  handlers: readonly AnyJobHandler[],
  options: { intervalMs?: number; clock?: () => Date; onError?: (error: unknown) => void; runner?: Partial<RunnerOptions> } = {},
): JobRunner {
  for (const handler of handlers) {
    // A job without a declared action would run outside a transaction (unit-of-work rule): refuse it at start-up.
    if (!isBatched(handler) && handler.actions.length === 0) throw new Error(`job handler ${handler.kind} declares no audit action`);
  }
  const intervalMs = options.intervalMs ?? 1_000;
  const clock = options.clock ?? (() => new Date());
  const runnerOptions = { ...DEFAULT_RUNNER_OPTIONS, ...options.runner };
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      for (;;) {
        const report = await runDueJobs(db, handlers, clock(), runnerOptions);
        if (isStopped || report.claimed < runnerOptions.claimLimit) break;
      }
    } catch (error) {
      options.onError?.(error);
    }
    if (!isStopped) schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => {
      current = pass();
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      isStopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
