import { sql } from 'kysely';
import type { Executor } from '../db/database';

/**
 * The live channel (PLAT-10): a change is announced with `pg_notify` inside the transaction that
 * makes it, so PostgreSQL delivers it at commit (and never for a rollback) to every backend
 * instance's LISTEN connection. Payloads carry ids only, never personal data: a board that hears
 * of a change refetches through its audited query.
 */
export const LIVE_CHANNEL = 'jk_live';

/** What can change live; a subscriber listens to one topic of its own organisation. */
export const LIVE_TOPICS = ['visits'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

export interface LiveChange {
  organisationId: string;
  topic: LiveTopic;
  /** The changed objects' ids (bookings for 'visits'); at most a few hundred per notification. */
  ids: readonly string[];
}

/** pg_notify payloads are limited to 8000 bytes: a bulk change is split so each part fits. */
const IDS_PER_NOTIFICATION = 150;

/** Announces a change in the caller's transaction (delivered at its commit). */
export async function publishChange(trx: Executor, change: LiveChange): Promise<void> {
  for (let start = 0; start < Math.max(change.ids.length, 1); start += IDS_PER_NOTIFICATION) {
    const payload = JSON.stringify({ o: change.organisationId, t: change.topic, ids: change.ids.slice(start, start + IDS_PER_NOTIFICATION) });
    await sql`select pg_notify(${LIVE_CHANNEL}, ${payload})`.execute(trx);
  }
}
