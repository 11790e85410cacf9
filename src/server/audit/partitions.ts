import { sql } from 'kysely';
import type { Database } from '../db/database';

/** How many months ahead the audit log's partitions are made (the migration made a year's). */
export const AUDIT_PARTITION_MONTHS_AHEAD = 3;

/**
 * Makes sure the audit log has a partition for this month and the next few (migrations/
 * 2026-12-08T15-00_audit_event_partitions.ts). Idempotent and cheap when they exist; run daily by
 * every instance. The database function is the only way the application may make one: it makes
 * that one kind of table and nothing else. Returns the months it made ('2027-03').
 */
export async function ensureAuditPartitions(db: Database, now: Date): Promise<string[]> {
  const made: string[] = [];
  for (let ahead = 0; ahead <= AUDIT_PARTITION_MONTHS_AHEAD; ahead++) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1)).toISOString().slice(0, 10);
    const { rows } = await sql<{ made: boolean }>`select audit_event_ensure_partition(${month}::date) as made`.execute(db);
    if (rows[0]?.made) made.push(month.slice(0, 7));
  }
  return made;
}
