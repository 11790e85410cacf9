/** Erasure, restriction, legal holds, the schedule (DPO-5, DPO-6): migrations/2026-12-08T13-00_dpo_erasure.ts */
// Replace with an interface of its tables: `export interface DpoErasureTables { some_table: SomeTable }`.
export type DpoErasureTables = Record<never, never>;
