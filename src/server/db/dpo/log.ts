/** Log review and integrity runs (DPO-1, DPO-8): migrations/2026-12-08T10-00_dpo_log_review.ts */
// Replace with an interface of its tables: `export interface DpoLogTables { some_table: SomeTable }`.
export type DpoLogTables = Record<never, never>;
