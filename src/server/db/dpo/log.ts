import type { ColumnType } from 'kysely';

/** Log review (DPO-1): migrations/2026-12-08T10-00_dpo_log_review.ts. Integrity runs are background_job rows. */
export interface AuditReviewTable {
  id: ColumnType<string, never, never>;
  organisation_id: string;
  event_id: ColumnType<string, string, never>;
  reviewed_by: string;
  reviewed_at: Date;
  comment: string;
}

export interface DpoLogTables {
  audit_review: AuditReviewTable;
}
