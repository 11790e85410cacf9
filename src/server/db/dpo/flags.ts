/** Flags for retrospective control (DPO-2): migrations/2026-12-08T11-00_dpo_flags.ts */
// Replace with an interface of its tables: `export interface DpoFlagTables { some_table: SomeTable }`.
export type DpoFlagTables = Record<never, never>;
