import { sql } from 'kysely';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import type { Executor } from '../../db/database';
import { enqueueJob } from '../../jobs/queue';
import { INTEGRITY_JOB_KIND, integrityDedupeKey } from './job';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

const HISTORY_LENGTH = 20;

export interface IntegrityRun {
  jobId: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt: string | null;
  /** Counts and codes: phase, checked, total, result, problemKind, problemEventId, latestSealSeq … */
  progress: Record<string, unknown>;
  /** A code when the job itself failed (not a broken log: that is progress.result). */
  error: string | null;
}

export interface IntegrityStatus {
  /** Whether this installation keeps a seal witness outside the database (ADR 0007). */
  isWitnessConfigured: boolean;
  run: IntegrityRun | null;
}

interface JobRow {
  id: string;
  status: IntegrityRun['status'];
  created_at: Date;
  finished_at: Date | null;
  progress: Record<string, unknown> | null;
  last_error: string | null;
}

function runsOf(db: Executor, organisationId: string) {
  return db
    .selectFrom('background_job')
    .select([sql<string>`id::text`.as('id'), 'status', 'created_at', 'finished_at', 'progress', 'last_error'])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', INTEGRITY_JOB_KIND)
    .orderBy('id', 'desc');
}

function toRun(row: JobRow): IntegrityRun {
  return {
    jobId: row.id,
    status: row.status,
    startedAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    progress: row.progress ?? {},
    error: row.last_error,
  };
}

/**
 * DPO-8: queues a verification of the whole audit log for the organisation's DPO; at most one is
 * queued or running per organisation (a second press joins the one under way).
 */
export async function startIntegrityRun(deps: Deps, user: SessionUser): Promise<{ jobId: string; isAlreadyRunning: boolean }> {
  const isQueued = await enqueueJob(deps.trx, {
    kind: INTEGRITY_JOB_KIND,
    organisationId: user.organisationId,
    runAt: deps.now,
    dedupeKey: integrityDedupeKey(user.organisationId),
    payload: { requestedBy: user.userId },
    // A verification that fails is run again by pressing the button, not behind the DPO's back.
    maxAttempts: 1,
  });
  const row = (await runsOf(deps.trx, user.organisationId).where('status', 'in', ['queued', 'running']).limit(1).executeTakeFirstOrThrow()) as JobRow;
  deps.audit.record({ action: 'dpo.integrity.started', objectType: 'background_job', objectId: row.id, details: { isAlreadyRunning: !isQueued } });
  return { jobId: row.id, isAlreadyRunning: !isQueued };
}

/** The latest run (for the progress bar, polled every second): counts and codes only, no event. */
export async function integrityStatus(deps: Deps, user: SessionUser, isWitnessConfigured: boolean): Promise<IntegrityStatus> {
  const row = (await runsOf(deps.trx, user.organisationId).limit(1).executeTakeFirst()) as JobRow | undefined;
  return { isWitnessConfigured, run: row ? toRun(row) : null };
}

/** DPO-8: the last runs and their results. */
export async function latestIntegrityRuns(deps: Deps, user: SessionUser, isWitnessConfigured: boolean): Promise<{ isWitnessConfigured: boolean; runs: IntegrityRun[] }> {
  const rows = (await runsOf(deps.trx, user.organisationId).limit(HISTORY_LENGTH).execute()) as JobRow[];
  deps.audit.record({ action: 'dpo.integrity.read', objectType: 'background_job', details: { shown: rows.length } });
  return { isWitnessConfigured, runs: rows.map(toRun) };
}
