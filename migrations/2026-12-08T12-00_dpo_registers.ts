import { type Kysely, sql } from 'kysely';

// The patient access report (DPO-3) and the registers of processing and processors (DPO-7). Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  // DPO-3 "saw them in a list": every list or search event names the patients it showed in
  // details.shownPatientIds. A GIN index (jsonb_path_ops: containment only, about a third of the
  // size of the default operator class) on that array answers "every list that showed patient X"
  // without scanning the log: queried as `details -> 'shownPatientIds' @> '["<uuid>"]'` with the
  // same `details ? 'shownPatientIds'` as the partial predicate, plus organisation and period.
  // Cost on writes: only list events carry the key (the partial predicate leaves every other event
  // untouched); a list event adds one GIN entry per patient shown, buffered by the GIN pending list
  // (fastupdate) and merged in bulk by vacuum, so the insert itself stays an append.
  await sql`create index audit_event_shown_patients on audit_event using gin ((details -> 'shownPatientIds') jsonb_path_ops) where details ? 'shownPatientIds'`.execute(db);

  // DPO-7: the register of data processors (GDPR art. 28, 30(1)(d)).
  await sql`
    create table data_processor (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      name text not null check (length(name) between 1 and 200),
      service text not null check (length(service) between 1 and 2000),
      -- ISO 3166-1 alpha-2 of where the data is processed.
      country char(2) not null check (country ~ '^[A-Z]{2}$'),
      -- Needed when the country is outside the EEA (the schema knows the list): GDPR chapter V.
      transfer_basis text check (transfer_basis in ('adequacy_decision', 'standard_contractual_clauses', 'binding_corporate_rules', 'derogation')),
      agreement_date date,
      contact text check (length(contact) between 1 and 500),
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by uuid,
      unique (organisation_id, id),
      foreign key (organisation_id, updated_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index data_processor_name on data_processor (organisation_id, lower(name), id)`.execute(db);

  // DPO-7: the register of processing activities (GDPR art. 30(1)). The legal basis is coded
  // (e.g. gdpr_6_1_c + gdpr_9_2_h) with the national law named beside it.
  await sql`
    create table processing_activity (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      name text not null check (length(name) between 1 and 200),
      purpose text not null check (length(purpose) between 1 and 2000),
      legal_bases text[] not null check (cardinality(legal_bases) between 1 and 10 and legal_bases <@ array[
        'gdpr_6_1_a', 'gdpr_6_1_b', 'gdpr_6_1_c', 'gdpr_6_1_d', 'gdpr_6_1_e', 'gdpr_6_1_f',
        'gdpr_9_2_a', 'gdpr_9_2_b', 'gdpr_9_2_c', 'gdpr_9_2_f', 'gdpr_9_2_g', 'gdpr_9_2_h', 'gdpr_9_2_i', 'gdpr_9_2_j']::text[]),
      legal_basis_law text check (length(legal_basis_law) between 1 and 500),
      data_categories text not null check (length(data_categories) between 1 and 2000),
      data_subjects text not null check (length(data_subjects) between 1 and 1000),
      retention text not null check (length(retention) between 1 and 1000),
      recipients text check (length(recipients) between 1 and 1000),
      security_measures text check (length(security_measures) between 1 and 2000),
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by uuid,
      unique (organisation_id, id),
      foreign key (organisation_id, updated_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index processing_activity_name on processing_activity (organisation_id, lower(name), id)`.execute(db);

  // Which processors an activity uses: a processor in use cannot be removed (restrict).
  await sql`
    create table processing_activity_processor (
      organisation_id uuid not null,
      activity_id uuid not null,
      processor_id uuid not null,
      primary key (activity_id, processor_id),
      foreign key (organisation_id, activity_id) references processing_activity (organisation_id, id) on delete cascade,
      foreign key (organisation_id, processor_id) references data_processor (organisation_id, id) on delete restrict
    )`.execute(db);
  await sql`create index processing_activity_processor_processor on processing_activity_processor (processor_id)`.execute(db);

  await sql`grant select, insert, update, delete on data_processor, processing_activity, processing_activity_processor to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
