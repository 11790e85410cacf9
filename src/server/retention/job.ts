import type { BatchedJobHandler } from '../jobs/queue';
import type { RetentionCategory } from './category';
import { runRetention } from './run';

export const RETENTION_JOB_KIND = 'retention.run';
/** Hourly: a booking is anonymised within the hour after it falls due (VIS-4's days are the promise). */
export const RETENTION_EVERY_MS = 60 * 60_000;

/**
 * The scheduled retention run as a job of the one runner: queued once for the installation
 * (a recurring kind) and re-queued by its own completion. Batched: each batch is its own short
 * transaction with its events; the job's progress (batches, counts) is renewed after each one.
 */
export function retentionJobHandler(categories: readonly RetentionCategory[], options: { batchSize?: number } = {}): BatchedJobHandler {
  return {
    kind: RETENTION_JOB_KIND,
    mode: 'batched',
    run: async ({ db, now, heartbeat }) => {
      const result = await runRetention(db, categories, {
        now,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        onBatch: (progress, connection) => heartbeat(progress, connection),
      });
      // Another instance (or a command) is running it: this occurrence has nothing to do.
      if (result.isSkipped) await heartbeat({ isSkipped: true });
    },
  };
}
