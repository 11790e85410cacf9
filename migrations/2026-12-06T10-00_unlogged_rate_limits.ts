import { type Kysely, sql } from 'kysely';

// PLAT-9: the rate-limit counters become an UNLOGGED table. Every public request upserts the same
// overall counter row; logged, each upsert held that row until its commit record was flushed to
// disk, so all public requests queued behind one another's fsync (npm run bench -- --only=intake).
// A transaction that touches only unlogged tables commits without waiting for the flush. What is
// given up: after a crash (or on a promoted replica) the counters start empty — a window's
// allowance once more, which is what a restart of an in-memory limiter would give too. Login
// failures (AUTH-4) stay logged: a lockout must survive a crash. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table rate_limit_counter set unlogged`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
