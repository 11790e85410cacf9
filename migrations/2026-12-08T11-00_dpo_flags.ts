import type { Kysely } from 'kysely';

// Automatic flags for retrospective control (DPO-2). Frozen in time: no application imports.

export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
