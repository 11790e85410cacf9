import type { Kysely } from 'kysely';

// Erasure, restriction, legal holds and the retention schedule (DPO-5, DPO-6). Frozen in time: no application imports.

export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
