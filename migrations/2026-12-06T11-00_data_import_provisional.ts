import { type Kysely, sql } from 'kysely';

// PROVISIONAL (helper H1): the importer's tables as the brief gives them, so the engine can be tested
// before the lead's migration lands; dropped when main's migration is merged.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table data_import (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      kind text not null,
      target_id uuid null,
      created_by uuid not null,
      created_at timestamptz not null default now(),
      status text not null check (status in ('uploading','validating','ready','committing','done','failed','cancelled')),
      file_name text not null,
      byte_size bigint not null default 0,
      chunk_count int not null default 0,
      encoding text null, separator text null, header jsonb null, mapping jsonb null,
      total_rows int null, error_rows int null, create_rows int null, update_rows int null, skip_rows int null,
      processed_rows int not null default 0, committed_rows int not null default 0,
      failure_code text null, finished_at timestamptz null, version int not null default 1
    )`.execute(db);
  await sql`
    create table data_import_chunk (
      import_id uuid not null references data_import (id) on delete cascade,
      organisation_id uuid not null,
      chunk_index int not null,
      sealed text not null,
      primary key (import_id, chunk_index)
    )`.execute(db);
  await sql`
    create table data_import_row (
      import_id uuid not null references data_import (id) on delete cascade,
      organisation_id uuid not null,
      row_number int not null,
      outcome text not null check (outcome in ('create','update','skip','error')),
      errors jsonb null,
      display jsonb not null,
      sealed text not null,
      target_id uuid null,
      committed boolean not null default false,
      primary key (import_id, row_number)
    )`.execute(db);
  await sql`create index data_import_row_errors on data_import_row (import_id, row_number) where outcome = 'error'`.execute(db);
  await sql`grant select, insert, update, delete on data_import, data_import_chunk, data_import_row to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
