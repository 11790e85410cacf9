import { sql } from 'kysely';
import type { AuditRecorder } from '../audit/recorder';
import { runSystemJob, systemActor } from '../audit/unit-of-work';
import type { Database, Executor } from '../db/database';
import type { KeptCount, RetentionCategory } from './category';

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
  /** Items warned (categories with a warning stage only). */
  warned?: number;
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
  /** Categories with a warning stage: how many the next run would warn, and the oldest due for it. */
  warnings?: { due: number; oldestDueAt: string | null };
  /** Categories that keep some items past their time on a ground of their own: how many, per ground. */
  kept?: KeptCount[];
}

export type RetentionProgress = { category: string; batches: number; anonymised: number; warned?: number };

export interface RetentionRunOptions {
  now: Date;
  /** Report what the run would do and write only the `retention.dry_run` event (no lock: it changes nothing). */
  dryRun?: boolean;
  batchSize?: number;
  /** Called after each committed batch, with the run's own connection (the job renews its lease and records progress here). */
  onBatch?: (progress: RetentionProgress, connection: Executor) => Promise<void>;
}

/** One step of a category the engine batches alike: the warning (if any), then the anonymisation. */
interface Stage {
  action: 'retention.warned' | 'retention.run';
  counter: 'warned' | 'anonymised';
  findDue: RetentionCategory['findDue'];
  apply: (trx: Executor, ids: readonly string[], now: Date) => Promise<number>;
}

function stagesOf(category: RetentionCategory): Stage[] {
  const stages: Stage[] = [];
  if (category.warning) stages.push({ action: 'retention.warned', counter: 'warned', findDue: category.warning.findDue, apply: category.warning.warn });
  stages.push({ action: 'retention.run', counter: 'anonymised', findDue: category.findDue, apply: category.anonymise });
  return stages;
}

function progressOf(result: CategoryRunResult): RetentionProgress {
  return { category: result.name, batches: result.batches, anonymised: result.anonymised, ...(result.warned === undefined ? {} : { warned: result.warned }) };
}

/**
 * Runs every category in batches (VIS-4, DPO-6): each batch locks its rows only (`FOR UPDATE SKIP
 * LOCKED`, no table lock), anonymises them and writes, in the same transaction, one `retention.run`
 * event per organisation with the count and the ids it changed. A category with a warning stage
 * (inactive accounts) first warns what is due for it, batched the same way, with a
 * `retention.warned` event per organisation and batch. The batch that finds the category drained
 * also writes the installation's summary event, so every run is logged even when nothing was due
 * (AUD-1). A failing batch rolls back alone; the batches before it stay done.
 */
export async function runRetention(db: Database, categories: readonly RetentionCategory[], options: RetentionRunOptions): Promise<RetentionRunResult> {
  if (options.dryRun) return { isSkipped: false, isDryRun: true, report: await dryRunRetention(db, categories, options) };
  const batchSize = options.batchSize ?? DEFAULT_RETENTION_BATCH_SIZE;
  const locked = await withRetentionLock(db, async (connection) => {
    const results: CategoryRunResult[] = [];
    for (const category of categories) {
      const result: CategoryRunResult = { name: category.name, anonymised: 0, batches: 0, ...(category.warning ? { warned: 0 } : {}) };
      const stages = stagesOf(category);
      for (const [index, stage] of stages.entries()) {
        const isLastStage = index === stages.length - 1;
        let afterId: string | null = null;
        for (let isDrained = false; !isDrained; ) {
          await runSystemJob(connection, { name: RETENTION_JOB, organisationId: null, actions: ['retention.run', 'retention.warned'], now: options.now }, async ({ trx, audit }) => {
            const due = await stage.findDue(trx, { now: options.now, limit: batchSize, afterId });
            if (due.length > 0) {
              const changed = await stage.apply(trx, due.map((item) => item.id), options.now);
              result.batches++;
              result[stage.counter] = (result[stage.counter] ?? 0) + changed;
              recordBatch(audit, stage, category.name, result.batches, due);
              afterId = due[due.length - 1]?.id ?? afterId;
            }
            isDrained = due.length < batchSize;
            if (isDrained) {
              // The installation's summary: the warning stage's when it is drained, the category's at its end.
              const details = isLastStage
                ? { category: category.name, batches: result.batches, anonymised: result.anonymised, ...(result.warned === undefined ? {} : { warned: result.warned }), isComplete: true }
                : { category: category.name, batches: result.batches, [stage.counter]: result[stage.counter] ?? 0, isComplete: true };
              audit.record({ action: stage.action, objectType: 'retention_category', objectId: category.name, details });
            }
          });
          await options.onBatch?.(progressOf(result), connection);
        }
      }
      results.push(result);
    }
    return results;
  });
  return locked.isSkipped ? { isSkipped: true } : { isSkipped: false, isDryRun: false, categories: locked.value };
}

/** One event per organisation of the batch: an organisation's DPO sees which of its items went (or were warned), and no other's. */
function recordBatch(audit: AuditRecorder, stage: Stage, category: string, batch: number, due: readonly { id: string; organisationId: string }[]): void {
  const byOrganisation = new Map<string, string[]>();
  for (const item of due) {
    const ids = byOrganisation.get(item.organisationId);
    if (ids) ids.push(item.id);
    else byOrganisation.set(item.organisationId, [item.id]);
  }
  for (const [organisationId, ids] of byOrganisation) {
    audit.record({
      action: stage.action,
      actor: systemActor(organisationId, RETENTION_JOB),
      objectType: 'retention_category',
      objectId: category,
      details: { category, batch, [stage.counter]: ids.length, ids },
    });
  }
}

/** What the next run would do, per category; reads only (with organisationId: that organisation's share). */
export async function describeDueRetention(trx: Executor, categories: readonly RetentionCategory[], options: { now: Date; organisationId?: string }): Promise<DryRunCategory[]> {
  const report: DryRunCategory[] = [];
  for (const category of categories) {
    const { count, oldestDueAt } = await category.countDue(trx, options);
    const entry: DryRunCategory = { name: category.name, descriptionKey: category.descriptionKey, keeps: category.keeps, due: count, oldestDueAt: oldestDueAt?.toISOString() ?? null };
    if (category.warning) {
      const warnings = await category.warning.countDue(trx, options);
      entry.warnings = { due: warnings.count, oldestDueAt: warnings.oldestDueAt?.toISOString() ?? null };
    }
    if (category.countKept) entry.kept = await category.countKept(trx, options);
    report.push(entry);
  }
  return report;
}

/** Counts only, for the event (AUD-2: codes and counts, never the data). */
export function dryRunDetails(report: readonly DryRunCategory[]): Record<string, string | number | readonly string[]> {
  return {
    categories: report.map((category) => category.name),
    ...Object.fromEntries(report.map((category) => [`due:${category.name}`, category.due])),
    ...Object.fromEntries(report.flatMap((category) => (category.warnings ? [[`warn:${category.name}`, category.warnings.due]] : []))),
  };
}

/** A dry run from the schedule or a command: the report, and the `retention.dry_run` event under the system actor. */
export async function dryRunRetention(db: Database, categories: readonly RetentionCategory[], options: { now: Date }): Promise<DryRunCategory[]> {
  return runSystemJob(db, { name: RETENTION_JOB, organisationId: null, actions: ['retention.dry_run'], now: options.now }, async ({ trx, audit }) => {
    const report = await describeDueRetention(trx, categories, options);
    audit.record({ objectType: 'retention_run', details: dryRunDetails(report) });
    return report;
  });
}
