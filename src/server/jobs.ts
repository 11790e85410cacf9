import type { FastifyBaseLogger } from 'fastify';
import { ensureAuditPartitions } from './audit/partitions';
import { retireExpiredAuditMonths } from './audit/retirement';
import { sealPendingEvents } from './audit/seal';
import type { Database } from './db/database';
import { describeErrorForLog } from './log';
import { deleteStaleLoginFailures } from './auth/lockout';
import { deleteExpiredRateLimits } from './limits/rate-limit-store';
import { type AnyJobHandler, ensureRecurring, startJobRunner } from './jobs/runner';
import { deliverPendingMessages, DevelopmentMailbox, developmentProvider, type MessageChannel, type MessageProvider } from './outbox/outbox';

/**
 * Every few seconds: deliver the outbox, seal the audit log; daily: the audit log's partitions for
 * the months ahead, and its months past ten years retired (DPO-6). Safe on several instances (row
 * and advisory locks; the partition function makes each month once, the retirement function lets
 * one run at a time). These stay plain intervals (ADR 0011): they are idempotent sweeps with
 * their own locks and no audit events per pass (a retirement that drops a month writes its
 * events). Everything else — reminders, the retention run, imports — is a row of
 * `background_job`, run by the one job runner started here.
 */
const OUTBOX_INTERVAL_MS = 2_000;
const SEAL_INTERVAL_MS = 5_000;
/** Ended rate-limit windows and decayed login failures are dropped once a minute (PLAT-9, AUTH-4). */
const CLEANUP_INTERVAL_MS = 60_000;
/** The audit log's monthly partitions are made months ahead and dropped after ten years; a daily look is plenty (and one at start). */
const AUDIT_PARTITION_INTERVAL_MS = 24 * 60 * 60_000;
/** The job runner's poll: a reminder or a retry is at most about a second late. */
const JOB_POLL_MS = 1_000;

export interface BackgroundJobs {
  stop(): Promise<void>;
}

export function startBackgroundJobs(
  db: Database,
  log: FastifyBaseLogger,
  options: {
    auditWitnessPath?: string | undefined;
    mailbox?: DevelopmentMailbox;
    /** The job kinds this instance runs, given by the composition root (the runner imports no domain). */
    handlers?: readonly AnyJobHandler[];
    /** Kinds queued once for the whole installation and re-queued by their own completion. */
    recurring?: readonly { kind: string; everyMs: number }[];
    /** How often the runner looks for due jobs. */
    jobPollMs?: number;
  } = {},
): BackgroundJobs {
  // Only the development provider exists so far; real SMS and e-mail providers plug in here by environment.
  // The demo's developer view reads what the development provider delivered from this mailbox.
  const development = developmentProvider(options.mailbox ?? new DevelopmentMailbox());
  const providers: Record<MessageChannel, MessageProvider> = { sms: development, email: development, notifier: development };
  let running: Promise<unknown> = Promise.resolve();
  const auditPartitions = async () => {
    const now = new Date();
    await ensureAuditPartitions(db, now);
    // The sealer's witness: the retired months go into the same file, where audit:verify looks for them.
    await retireExpiredAuditMonths(db, { now, witnessPath: options.auditWitnessPath });
  };
  const every = (ms: number, name: string, job: () => Promise<unknown>) => {
    const timer = setInterval(() => {
      running = running.then(job).catch((error: unknown) => log.error({ job: name, err: describeErrorForLog(error) }, 'background job failed'));
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(OUTBOX_INTERVAL_MS, 'outbox', () => deliverPendingMessages(db, providers)),
    every(SEAL_INTERVAL_MS, 'audit-seal', () => sealPendingEvents(db, { witnessPath: options.auditWitnessPath })),
    every(AUDIT_PARTITION_INTERVAL_MS, 'audit-partitions', auditPartitions),
    every(CLEANUP_INTERVAL_MS, 'limits-cleanup', async () => {
      await deleteExpiredRateLimits(db);
      await deleteStaleLoginFailures(db, new Date());
    }),
  ];
  running = running.then(auditPartitions).catch((error: unknown) => log.error({ job: 'audit-partitions', err: describeErrorForLog(error) }, 'background job failed'));
  const handlers = options.handlers ?? [];
  const onJobError = (error: unknown) => log.error({ job: 'job-runner', err: describeErrorForLog(error) }, 'background job failed');
  // Every instance makes sure; the dedupe key keeps one occurrence per kind for the installation.
  const recurringQueued = (async () => {
    for (const { kind, everyMs } of options.recurring ?? []) await ensureRecurring(db, kind, everyMs, { now: new Date() });
  })().catch(onJobError);
  const runner = handlers.length > 0 ? startJobRunner(db, handlers, { intervalMs: options.jobPollMs ?? JOB_POLL_MS, onError: onJobError }) : undefined;
  return {
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await recurringQueued;
      await runner?.stop();
      await running;
    },
  };
}
