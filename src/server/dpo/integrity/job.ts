import { sql } from 'kysely';
import { runSystemJob } from '../../audit/unit-of-work';
import { sealPendingEvents } from '../../audit/seal';
import { type VerifyReport, verifyAuditLog } from '../../audit/verify';
import { WitnessAheadError } from '../../audit/witness';
import type { Database } from '../../db/database';
import type { BatchedJobHandler, JobProgress } from '../../jobs/queue';

export const INTEGRITY_JOB_KIND = 'dpo.integrity.verify';
/** The progress is stored at most this often while the verifier runs (one UPDATE per interval). */
const PROGRESS_EVERY_MS = 500;
/** How much of the latest seal's hash is shown: enough to compare with a printed witness by eye. */
export const SEAL_HASH_PREFIX_LENGTH = 16;

export type IntegrityResult = 'intact' | 'broken' | 'witness_mismatch';
export type WitnessState = 'not_configured' | 'empty' | 'agrees' | 'disagrees';

const WITNESS_PROBLEMS = new Set(['witnessed_seal_missing', 'witness_mismatch', 'witness_unreadable']);

/** The key that keeps one run per organisation queued or running (enqueueJob's dedupe index). */
export function integrityDedupeKey(organisationId: string): string {
  return `${INTEGRITY_JOB_KIND}:${organisationId}`;
}

/** The outcome as codes and ids only (job progress and the event's details hold no free text). */
export function resultOf(report: VerifyReport, witnessPath: string | undefined, latestSeal: { seq: string; hash: Buffer } | undefined, isSealRefused: boolean): JobProgress {
  const problem = report.firstProblem;
  const result: IntegrityResult = report.isIntact ? 'intact' : problem && WITNESS_PROBLEMS.has(problem.kind) ? 'witness_mismatch' : 'broken';
  const witness: WitnessState = !witnessPath ? 'not_configured' : report.witness?.problem ? 'disagrees' : (report.witness?.witnessedSeals ?? 0) === 0 ? 'empty' : 'agrees';
  return {
    phase: 'done',
    result,
    checked: report.checkedEvents,
    sealCount: report.sealCount,
    pendingEvents: report.pendingEvents,
    problemKind: problem?.kind ?? null,
    problemEventId: problem && 'eventId' in problem ? problem.eventId : null,
    problemSeq: problem && 'seq' in problem ? problem.seq : null,
    latestSealSeq: latestSeal?.seq ?? null,
    latestSealHashPrefix: latestSeal ? latestSeal.hash.toString('hex').slice(0, SEAL_HASH_PREFIX_LENGTH) : null,
    witness,
    witnessedSeals: report.witness?.witnessedSeals ?? null,
    lastWitnessedSeq: report.witness?.lastWitnessedSeq ?? null,
    isSealRefused,
    // DPO-6: events of months retired after ten years, accounted for by the retirement records.
    retiredEvents: report.retiredEvents ?? 0,
  };
}

/** The sealed events the verifier will check: those of months retired after ten years (DPO-6) are gone, their seals checked only. */
async function sealedEventTotal(db: Database): Promise<number> {
  const { rows } = await sql<{ total: string }>`
    select ((select coalesce(sum(event_count), 0) from audit_seal) - (select coalesce(sum(event_count), 0) from audit_retirement))::text as total`.execute(db);
  return Number(rows[0]?.total ?? 0);
}

async function latestSealOf(db: Database): Promise<{ seq: string; hash: Buffer } | undefined> {
  const { rows } = await sql<{ seq: string; hash: Buffer }>`select seq::text, hash from audit_seal order by seq desc limit 1`.execute(db);
  const row = rows[0];
  return row ? { seq: row.seq, hash: Buffer.from(row.hash) } : undefined;
}

/**
 * DPO-8, AUD-4: the audit-log verification run from the workspace, as a batched job of the one
 * runner. It seals what is pending (as `audit:verify` does; a database short of its witness's last
 * seal is not sealed over, and that is reported), then verifies the whole chain with the seal
 * witness, storing "events checked / total" as the job's progress while it goes. The outcome is
 * the job's final progress and the system event dpo.integrity.verified, written with it.
 */
export function integrityJobHandler(options: { witnessPath: string | undefined; progressEveryMs?: number }): BatchedJobHandler {
  const progressEveryMs = options.progressEveryMs ?? PROGRESS_EVERY_MS;
  return {
    kind: INTEGRITY_JOB_KIND,
    mode: 'batched',
    run: async ({ db, now, job, heartbeat }) => {
      const started = performance.now();
      const clock = () => new Date(now.getTime() + (performance.now() - started));
      await heartbeat({ phase: 'sealing', checked: 0, total: null });
      let isSealRefused = false;
      try {
        await sealPendingEvents(db, { witnessPath: options.witnessPath });
      } catch (error) {
        if (!(error instanceof WitnessAheadError)) throw error;
        isSealRefused = true;
      }
      const total = await sealedEventTotal(db);
      await heartbeat({ phase: 'verifying', checked: 0, total });
      let lastStored = performance.now();
      const report = await verifyAuditLog(db, {
        witnessPath: options.witnessPath,
        now: clock(),
        onProgress: async (checked) => {
          if (performance.now() - lastStored < progressEveryMs) return;
          lastStored = performance.now();
          await heartbeat({ phase: 'verifying', checked, total });
        },
      });
      const result = { ...resultOf(report, options.witnessPath, await latestSealOf(db), isSealRefused), total };
      await runSystemJob(db, { name: INTEGRITY_JOB_KIND, organisationId: job.organisationId, actions: ['dpo.integrity.verified'], now: clock() }, async ({ trx, audit }) => {
        audit.record({ objectType: 'background_job', objectId: job.id, details: { ...result } });
        await heartbeat(result, trx);
      });
    },
  };
}
