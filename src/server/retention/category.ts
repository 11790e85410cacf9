import type { Executor } from '../db/database';

/**
 * One data category under retention (DPO-6): each module registers its own (bookings here; CRM
 * leads, correspondence, inactive accounts next) and the engine schedules, batches, logs and
 * dry-runs them all alike. A category knows what is due and how to anonymise or delete it; the
 * engine knows nothing of its tables.
 */
export interface RetentionCategory {
  /** Stable code, written into the events: 'visit.booking'. */
  name: string;
  /** Translation key of the one-line description the DPO workspace shows. */
  descriptionKey: string;
  /** Translation keys of what stays after the category's anonymisation, and why. */
  keeps: readonly string[];
  /**
   * Up to `limit` due items, locked for this transaction (`FOR UPDATE SKIP LOCKED`: a row someone
   * is changing is left for the next run, never waited for). Held items are never due. With
   * `organisationId`, that organisation's only. `afterId` continues a keyset scan where a category
   * needs one (items that stay due after a batch); null at the start.
   */
  findDue(trx: Executor, options: { now: Date; limit: number; afterId: string | null; organisationId?: string }): Promise<DueItem[]>;
  /** Anonymises (or deletes) the given due items; returns how many it changed. */
  anonymise(trx: Executor, ids: readonly string[], now: Date): Promise<number>;
  /** What the next run would do: how many are due and the oldest due moment. */
  countDue(trx: Executor, options: { now: Date; organisationId?: string }): Promise<{ count: number; oldestDueAt: Date | null }>;
}

export interface DueItem {
  id: string;
  organisationId: string;
}
