import { type Kysely, sql } from 'kysely';

// Migrations are frozen in time: they take Kysely<any> and never import application code, so a
// later change to the app cannot change what an old migration did.

export async function up(db: Kysely<any>): Promise<void> {
  // Every table that holds an organisation's data carries organisation_id (PLAT-3). The tenant root
  // itself: a clinic or provider. is_demo marks organisations the demo seed made, so demo mode can
  // refuse to touch a database that holds real data (PLAT-5).
  await db.schema
    .createTable('organisation')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (col) => col.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('organisation_number', 'char(9)', (col) => col.unique())
    .addColumn('is_demo', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // Installation-wide facts the server needs before any organisation exists (e.g. that this
  // database was created by demo mode). Never holds organisation data.
  await db.schema
    .createTable('installation_setting')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'jsonb', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(): Promise<void> {
  // Forward-only (PLAT-2): a mistake is fixed by a new migration, never by rolling back.
  throw new Error('Migrations are forward-only');
}
