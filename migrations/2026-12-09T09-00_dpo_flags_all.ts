import { type Kysely, sql } from 'kysely';

// DPO-2: the flags list shows open, closed or all flags, newest event first, keyset-paged. Open and
// closed walk audit_flag_status (organisation_id, status, occurred_at desc, id desc); "all" needs the
// same order without the status. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_flag_newest on audit_flag (organisation_id, occurred_at desc, id desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
