import { sql } from 'kysely';
import type { AuditRecorder } from '../audit/recorder';
import { runSystemJob, systemActor } from '../audit/unit-of-work';
import type { Database, Executor } from '../db/database';
import type { RetentionCategory } from './category';

/** The actor name of retention events (AUD-2: who did it — the schedule, not a person). */
const RETENTION_JOB = 'retention';
/**
 * Rows per batch transaction. Each batch locks only its own rows for its length: at 500 the
 * longest batch of a 1,000,000-booking run took 266 ms (p99 65 ms, npm run bench -- --only=retention),
 * above the 200 ms any lock may be held; 250 halves a batch.
 */
export const DEFAULT_RETENTION_BATCH_SIZE = 250;

/**
 * One retention run at a time for the whole installation (PLAT-10): a session advisory lock on a
 * connection of its own, held across the batches (each batch is its own short transaction, so the
 * lock is not a transaction's). A second run — another instance, or the same one — skips instead of
 * waiting. PGlite has one connection and one process: its session lock is re-entrant, so the
 * process-wide set below is what stops a second run there (and spares a pool connection on PostgreSQL).
 */
const RETENTION_LOCK = sql`hashtextextended('journalkontor.retention', 0)`;
const runningOn = new WeakSet<Database>();

async function withRetentionLock<T>(db: Database, work: (connection: Database) => Promise<T>): Promise<{ isSkipped: true } | { isSkipped: false; value: T }> {
  if (runningOn.has(db)) return { isSkipped: true };
  runningOn.add(db);
  try {
    return await db.connection().execute(async (connection) => {
      const { rows } = await sql<{ isLocked: boolean }>`select pg_try_advisory_lock(${RETENTION_LOCK}) as "isLocked"`.execute(connection);
      if (rows[0]?.isLocked !== true) return { isSkipped: true as const };
      try {
        return { isSkipped: false as const, value: await work(connection) };
      } finally {
        await sql`select pg_advisory_unlock(${RETENTION_LOCK})`.execute(connection);
      }
    });
  } finally {
    runningOn.delete(db);
  }
}

export interface CategoryRunResult {
  name: string;
  anonymised: number;
  batches: number;
}

export type RetentionRunResult =
  | { isSkipped: true }
  | { isSkipped: false; isDryRun: false; categories: CategoryRunResult[] }
  | { isSkipped: false; isDryRun: true; report: DryRunCategory[] };

export interface DryRunCategory {
  name: string;
  descriptionKey: string;
  keeps: readonly string[];
  due: number;
  /** ISO instant of the oldest moment an item became due, null when none is. */
  oldestDueAt: string | null;
}

export interface RetentionRunOptions {
  now: Date;
  /** Report what the run would do and write only the `retention.dry_run` event (no lock: it changes nothing). */
  dryRun?: boolean;
  batchSize?: number;
  /** Called after each committed batch, with the run's own connection (the job renews its lease and records progress here). */
  onBatch?: (progress: { category: string; batches: number; anonymised: number }, connection: Executor) => Promise<void>;
}

/**
 * Runs every category in batches (VIS-4, DPO-6): each batch locks its rows only (`FOR UPDATE SKIP
 * LOCKED`, no table lock), anonymises them and writes, in the same transaction, one `retention.run`
 * event per organisation with the count and the ids it changed. The batch that finds the category
 * drained also writes the installation's summary event, so every run is logged even when nothing
 * was due (AUD-1). A failing batch rolls back alone; the batches before it stay done.
 */
export async function runRetention(db: Database, categories: readonly RetentionCategory[], options: RetentionRunOptions): Promise<RetentionRunResult> {
  if (options.dryRun) return { isSkipped: false, isDryRun: true, report: await dryRunRetention(db, categories, options) };
  const batchSize = options.batchSize ?? DEFAULT_RETENTION_BATCH_SIZE;
  const locked = await withRetentionLock(db, async (connection) => {
    const results: CategoryRunResult[] = [];
    for (const category of categories) {
      const result: CategoryRunResult = { name: category.name, anonymised: 0, batches: 0 };
      let afterId: string | null = null;
      for (let isDrained = false; !isDrained; ) {
        await runSystemJob(connection, { name: RETENTION_JOB, organisationId: null, actions: ['retention.run'], now: options.now }, async ({ trx, audit }) => {
          const due = await category.findDue(trx, { now: options.now, limit: batchSize, afterId });
          if (due.length > 0) {
            const changed = await category.anonymise(trx, due.map((item) => item.id), options.now);
            result.batches++;
            result.anonymised += changed;
            recordBatch(audit, category.name, result.batches, due);
            afterId = due[due.length - 1]?.id ?? afterId;
          }
          isDrained = due.length < batchSize;
          if (isDrained) {
            audit.record({ objectType: 'retention_category', objectId: category.name, details: { category: category.name, batches: result.batches, anonymised: result.anonymised, isComplete: true } });
          }
        });
        await options.onBatch?.({ category: category.name, batches: result.batches, anonymised: result.anonymised }, connection);
      }
      results.push(result);
    }
    return results;
  });
  return locked.isSkipped ? { isSkipped: true } : { isSkipped: false, isDryRun: false, categories: locked.value };
}

/** One event per organisation of the batch: an organisation's DPO sees which of its bookings went, and no other's. */
function recordBatch(audit: AuditRecorder, category: string, batch: number, due: readonly { id: string; organisationId: string }[]): void {
  const byOrganisation = new Map<string, string[]>();
  for (const item of due) {
    const ids = byOrganisation.get(item.organisationId);
    if (ids) ids.push(item.id);
    else byOrganisation.set(item.organisationId, [item.id]);
  }
  for (const [organisationId, ids] of byOrganisation) {
    audit.record({
      actor: systemActor(organisationId, RETENTION_JOB),
      objectType: 'retention_category',
      objectId: category,
      details: { category, batch, anonymised: ids.length, ids },
    });
  }
}

/** What the next run would do, per category; reads only (with organisationId: that organisation's share). */
export async function describeDueRetention(trx: Executor, categories: readonly RetentionCategory[], options: { now: Date; organisationId?: string }): Promise<DryRunCategory[]> {
  const report: DryRunCategory[] = [];
  for (const category of categories) {
    const { count, oldestDueAt } = await category.countDue(trx, options);
    report.push({ name: category.name, descriptionKey: category.descriptionKey, keeps: category.keeps, due: count, oldestDueAt: oldestDueAt?.toISOString() ?? null });
  }
  return report;
}

/** Counts only, for the event (AUD-2: codes and counts, never the data). */
export function dryRunDetails(report: readonly DryRunCategory[]): Record<string, string | number | readonly string[]> {
  return { categories: report.map((category) => category.name), ...Object.fromEntries(report.map((category) => [`due:${category.name}`, category.due])) };
}

/** A dry run from the schedule or a command: the report, and the `retention.dry_run` event under the system actor. */
export async function dryRunRetention(db: Database, categories: readonly RetentionCategory[], options: { now: Date }): Promise<DryRunCategory[]> {
  return runSystemJob(db, { name: RETENTION_JOB, organisationId: null, actions: ['retention.dry_run'], now: options.now }, async ({ trx, audit }) => {
    const report = await describeDueRetention(trx, categories, options);
    audit.record({ objectType: 'retention_run', details: dryRunDetails(report) });
    return report;
  });
}
