import type { Kysely } from 'kysely';

// Exports of the log and of a request's data (AUD-5, DPO-5). Frozen in time: no application imports.

export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
