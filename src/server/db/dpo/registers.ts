/** Access report support and the registers (DPO-3, DPO-7): migrations/2026-12-08T12-00_dpo_registers.ts */
// Replace with an interface of its tables: `export interface DpoRegisterTables { some_table: SomeTable }`.
export type DpoRegisterTables = Record<never, never>;
