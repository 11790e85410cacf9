import { type Kysely, sql } from 'kysely';

// An access package's sections come from the retention registry (DPO-5): each module's category
// names the section its items go in, and a new module may bring a new one. A redaction names the
// section by its code; the database checks the code's form, the service that the item is in the
// package's section. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dsr_package_redaction drop constraint dsr_package_redaction_section_check`.execute(db);
  await sql`alter table dsr_package_redaction add constraint dsr_package_redaction_section_check check (section ~ '^[a-z][A-Za-z]{0,49}$')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
