import type { Kysely } from 'kysely';

// The patient access report (DPO-3) and the registers of processing and processors (DPO-7). Frozen in time: no application imports.

export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
