import type { FastifyBaseLogger } from 'fastify';
import { sealPendingEvents } from './audit/seal';
import type { Database } from './db/database';
import { describeErrorForLog } from './log';
import { deleteStaleLoginFailures } from './auth/lockout';
import { deleteExpiredRateLimits } from './limits/rate-limit-store';
import { deliverPendingMessages, DevelopmentMailbox, developmentProvider, type MessageChannel, type MessageProvider } from './outbox/outbox';

/** Every few seconds: deliver the outbox, seal the audit log. Safe on several instances (row and advisory locks). */
const OUTBOX_INTERVAL_MS = 2_000;
const SEAL_INTERVAL_MS = 5_000;
/** Ended rate-limit windows and decayed login failures are dropped once a minute (PLAT-9, AUTH-4). */
const CLEANUP_INTERVAL_MS = 60_000;

export interface BackgroundJobs {
  stop(): Promise<void>;
}

export function startBackgroundJobs(
  db: Database,
  log: FastifyBaseLogger,
  options: { auditWitnessPath?: string | undefined; mailbox?: DevelopmentMailbox } = {},
): BackgroundJobs {
  // Only the development provider exists so far; real SMS and e-mail providers plug in here by environment.
  // The demo's developer view reads what the development provider delivered from this mailbox.
  const development = developmentProvider(options.mailbox ?? new DevelopmentMailbox());
  const providers: Record<MessageChannel, MessageProvider> = { sms: development, email: development, notifier: development };
  let running: Promise<unknown> = Promise.resolve();
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
    every(CLEANUP_INTERVAL_MS, 'limits-cleanup', async () => {
      await deleteExpiredRateLimits(db);
      await deleteStaleLoginFailures(db, new Date());
    }),
  ];
  return {
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await running;
    },
  };
}
