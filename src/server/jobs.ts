import type { FastifyBaseLogger } from 'fastify';
import { sealPendingEvents } from './audit/seal';
import type { Database } from './db/database';
import { describeErrorForLog } from './log';
import { deliverPendingMessages, developmentProvider, type MessageChannel, type MessageProvider } from './outbox/outbox';

/** Every few seconds: deliver the outbox, seal the audit log. Safe on several instances (row and advisory locks). */
const OUTBOX_INTERVAL_MS = 2_000;
const SEAL_INTERVAL_MS = 5_000;

export interface BackgroundJobs {
  stop(): Promise<void>;
}

export function startBackgroundJobs(db: Database, log: FastifyBaseLogger, options: { auditWitnessPath?: string | undefined } = {}): BackgroundJobs {
  // Only the development provider exists so far; real SMS and e-mail providers plug in here by environment.
  const providers: Record<MessageChannel, MessageProvider> = { sms: developmentProvider, email: developmentProvider };
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
  ];
  return {
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await running;
    },
  };
}
