import type { Kysely } from 'kysely';

// Log review (DPO-1) and the integrity check from the workspace (DPO-8). Frozen in time: no application imports.

export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
