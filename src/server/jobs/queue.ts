import { sql } from 'kysely';
import type { AuditAction } from '../audit/actions';
import type { AuditedScope } from '../audit/unit-of-work';
import type { Database, Executor } from '../db/database';

/**
 * The product's one job runner (ADR 0011): every scheduled or long piece of work — the reminder
 * for an assignment nobody accepted, the retention run, later CRM imports and the DPO's retention —
 * is a row of `background_job`, claimed by whichever backend instance gets it first
 * (`FOR UPDATE SKIP LOCKED`) and run as an audited unit of work under a system actor. Payloads hold
 * ids and counts, never personal data.
 */
export interface JobToEnqueue {
  kind: string;
  organisationId: string | null;
  runAt: Date;
  /** At most one queued or running job per key: enqueueing a second one is a no-op. */
  dedupeKey?: string;
  payload?: Record<string, string | number | boolean | null>;
  maxAttempts?: number;
}

/**
 * Enqueues in the caller's transaction, so the job exists exactly when the change that wants it
 * commits. Returns false when a job with the same dedupe key is already queued or running.
 */
export async function enqueueJob(trx: Executor, job: JobToEnqueue): Promise<boolean> {
  const result = await sql<{ id: string }>`
    insert into background_job (organisation_id, kind, dedupe_key, payload, run_at, max_attempts)
    values (${job.organisationId}, ${job.kind}, ${job.dedupeKey ?? null}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.runAt}, ${job.maxAttempts ?? 5})
    on conflict (dedupe_key) where dedupe_key is not null and status in ('queued', 'running') do nothing
    returning id`.execute(trx);
  return result.rows.length > 0;
}

/** A job as its handler sees it. */
export interface ClaimedJob {
  id: string;
  kind: string;
  organisationId: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  runAt: Date;
}

/**
 * What a kind of job does. Registered once at start-up by the composition root (jobs wiring), so the
 * runner never imports a domain. `run` gets the audited unit's scope under the system actor: its
 * work and events commit together, or not at all (then the job is retried with backoff).
 */
export interface JobHandler {
  kind: string;
  /** The audit actions the job may record; the first is written if it records nothing. */
  actions: readonly AuditAction[];
  run(scope: AuditedScope & { now: Date; job: ClaimedJob }): Promise<void>;
}

/** What a batched handler may record as its job's progress: counts and codes only. */
export type JobProgress = Record<string, string | number | boolean | null>;

/**
 * A long job (the retention run, a large import) that must not hold one transaction for its whole
 * length: it gets the pool and runs its own short audited units (runSystemJob per batch, each with
 * its events). The runner marks it done afterwards; `heartbeat` renews the lease and stores the
 * progress (progress is job state), and throws when the lease was lost to another instance. Give `heartbeat`
 * the executor the handler holds when it holds one (PGlite has a single connection: the pool would wait for it).
 */
export interface BatchedJobHandler {
  kind: string;
  mode: 'batched';
  run(context: { db: Database; now: Date; job: ClaimedJob; heartbeat(progress: JobProgress, executor?: Executor): Promise<void> }): Promise<void>;
}
