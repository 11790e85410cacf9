/** Exports and access packages (AUD-5, DPO-5): migrations/2026-12-08T14-00_dpo_exports.ts */
// Replace with an interface of its tables: `export interface DpoExportTables { some_table: SomeTable }`.
export type DpoExportTables = Record<never, never>;
