import { type Kysely, sql } from 'kysely';

// Corporate CRM and the corporate portal (CRM-1…5), and the product's generic importer. Nothing
// here references a patient, a journal note or a booking, and nothing there references this:
// CRM data never tells whether a person is a patient (CRM-5). A contact's legal basis is a record
// per purpose, superseded by a newer record and never edited (append-only for the application).
// An employee's national identity number is stored sealed (AES-GCM, key outside the database) with
// a keyed hash for matching and a masked form for display (CRM-4). Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table company (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      name text not null check (length(name) between 1 and 200),
      -- Checked with mod-11 by the schema; unknown for a lead from the contact form.
      organisation_number char(9) check (organisation_number ~ '^[89][0-9]{8}$'),
      street text check (length(street) between 1 and 200),
      postcode char(4) check (postcode ~ '^[0-9]{4}$'),
      city text check (length(city) between 1 and 100),
      industry text check (length(industry) between 1 and 100),
      status text not null default 'lead' check (status in ('lead', 'prospect', 'customer', 'former')),
      status_changed_at timestamptz not null,
      source text not null check (source in ('contact_form', 'public_sources', 'manual')),
      owner_id uuid,
      -- The names and e-mail addresses of the company's contacts, kept by a trigger on crm_contact:
      -- one index answers a search for a company or any of its contacts (no union of two scans).
      contact_text text not null default '',
      -- Word-prefix search over name, number, city and contacts ('simple': no stemming of names).
      search_vector tsvector generated always as (
        to_tsvector('simple', name || ' ' || coalesce(organisation_number, '') || ' ' || coalesce(city, '') || ' ' || contact_text)) stored,
      version integer not null default 1,
      created_at timestamptz not null,
      created_by uuid,
      updated_at timestamptz not null,
      unique (organisation_id, id),
      foreign key (organisation_id, owner_id) references app_user (organisation_id, id),
      foreign key (organisation_id, created_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create unique index company_organisation_number on company (organisation_id, organisation_number) where organisation_number is not null`.execute(db);
  await sql`create index company_search on company using gin (search_vector)`.execute(db);
  await sql`create index company_status on company (organisation_id, status, status_changed_at)`.execute(db);
  // The list's order (by name) straight from an index when there is no search to narrow it.
  await sql`create index company_name on company (organisation_id, lower(name), id)`.execute(db);

  // The pipeline's history: every status change, who and when (CRM-1; the chart of moves per month).
  await sql`
    create table company_status_change (
      id bigint generated always as identity primary key,
      organisation_id uuid not null,
      company_id uuid not null,
      from_status text check (from_status in ('lead', 'prospect', 'customer', 'former')),
      to_status text not null check (to_status in ('lead', 'prospect', 'customer', 'former')),
      changed_by uuid,
      changed_at timestamptz not null,
      foreign key (organisation_id, company_id) references company (organisation_id, id) on delete cascade
    )`.execute(db);
  await sql`create index company_status_change_time on company_status_change (organisation_id, changed_at)`.execute(db);
  await sql`create index company_status_change_company on company_status_change (company_id, id)`.execute(db);

  await sql`
    create table crm_contact (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      company_id uuid not null,
      full_name text not null check (length(full_name) between 1 and 200),
      job_title text check (length(job_title) between 1 and 100),
      email text check (length(email) between 3 and 254),
      phone text check (length(phone) between 8 and 16),
      source text not null check (source in ('contact_form', 'public_sources', 'customer', 'manual')),
      -- A retried contact-form submission with the same key is the same contact (PLAT-9, as the booking form).
      idempotency_key text check (length(idempotency_key) between 8 and 100),
      version integer not null default 1,
      created_at timestamptz not null,
      created_by uuid,
      updated_at timestamptz not null,
      unique (organisation_id, id),
      foreign key (organisation_id, company_id) references company (organisation_id, id) on delete cascade
    )`.execute(db);
  await sql`create unique index crm_contact_idempotency on crm_contact (organisation_id, idempotency_key) where idempotency_key is not null`.execute(db);
  await sql`create index crm_contact_company on crm_contact (company_id)`.execute(db);
  // company.contact_text follows its contacts in the same statement, whatever changes them (a form,
  // the contact form, retention, a cascade): a trigger rather than every writer remembering it.
  await sql`
    create function company_contact_text_refresh() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update company set contact_text = coalesce(
          (select string_agg(full_name || ' ' || coalesce(email, ''), ' ' order by id) from crm_contact where company_id = old.company_id), '')
         where id = old.company_id;
      end if;
      if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.company_id <> old.company_id) then
        update company set contact_text = coalesce(
          (select string_agg(full_name || ' ' || coalesce(email, ''), ' ' order by id) from crm_contact where company_id = new.company_id), '')
         where id = new.company_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger crm_contact_search after insert or delete or update of full_name, email, company_id on crm_contact
      for each row execute function company_contact_text_refresh()`.execute(db);

  // CRM-2: the legal basis of processing a contact's data, per purpose. Each record stands until a
  // newer one for the same contact and purpose supersedes it (withdrawn consent, an objection, a
  // new contract); the application may add and read them, never change them.
  await sql`
    create table contact_legal_basis (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      contact_id uuid not null,
      purpose text not null check (purpose in ('account_follow_up', 'direct_sales', 'newsletter', 'event_invitations')),
      basis text not null check (basis in ('consent', 'legitimate_interest', 'contract')),
      state text not null check (state in ('active', 'withdrawn', 'objected')),
      source text not null check (source in ('contact_form', 'public_sources', 'agreement', 'phone', 'email', 'meeting', 'other')),
      -- Where the basis can be checked: the consent text shown on the form, the public source, the contract reference.
      evidence text not null check (length(evidence) between 1 and 2000),
      review_on date,
      recorded_at timestamptz not null,
      recorded_by uuid,
      supersedes_id uuid references contact_legal_basis (id) on delete cascade,
      check (state <> 'objected' or basis = 'legitimate_interest'),
      check (state <> 'withdrawn' or basis = 'consent'),
      foreign key (organisation_id, contact_id) references crm_contact (organisation_id, id) on delete cascade
    )`.execute(db);
  await sql`create index contact_legal_basis_current on contact_legal_basis (contact_id, purpose, recorded_at desc, id)`.execute(db);
  await sql`create index contact_legal_basis_review on contact_legal_basis (organisation_id, review_on) where review_on is not null`.execute(db);

  // CRM-3: calls, e-mails, meetings, notes (and the contact form's message) on a company or contact.
  await sql`
    create table crm_activity (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      company_id uuid not null,
      contact_id uuid,
      kind text not null check (kind in ('call', 'email', 'meeting', 'note', 'web_form')),
      purpose text check (purpose in ('account_follow_up', 'direct_sales', 'newsletter', 'event_invitations')),
      summary text not null check (length(summary) between 1 and 4000),
      occurred_at timestamptz not null,
      created_by uuid,
      created_at timestamptz not null,
      foreign key (organisation_id, company_id) references company (organisation_id, id) on delete cascade,
      foreign key (organisation_id, contact_id) references crm_contact (organisation_id, id) on delete cascade,
      foreign key (organisation_id, created_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index crm_activity_company on crm_activity (company_id, occurred_at desc)`.execute(db);
  await sql`create index crm_activity_contact on crm_activity (contact_id, occurred_at desc) where contact_id is not null`.execute(db);

  await sql`
    create table crm_task (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      company_id uuid not null,
      contact_id uuid,
      title text not null check (length(title) between 1 and 200),
      due_on date not null,
      owner_id uuid not null,
      done_at timestamptz,
      done_by uuid,
      version integer not null default 1,
      created_by uuid,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (organisation_id, id),
      foreign key (organisation_id, company_id) references company (organisation_id, id) on delete cascade,
      foreign key (organisation_id, contact_id) references crm_contact (organisation_id, id) on delete cascade,
      foreign key (organisation_id, owner_id) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index crm_task_owner on crm_task (organisation_id, owner_id, due_on) where done_at is null`.execute(db);
  await sql`create index crm_task_company on crm_task (company_id, due_on)`.execute(db);

  // CRM-4: a customer's agreement (one per company; its end makes the employees due for deletion).
  await sql`
    create table corporate_agreement (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      company_id uuid not null,
      starts_on date not null,
      ends_on date,
      services text[] not null check (cardinality(services) between 1 and 10
        and services <@ array['occupational_health', 'gp_consultations', 'psychologist', 'physiotherapy', 'home_visits', 'vaccination']::text[]),
      reference text check (length(reference) between 1 and 100),
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (organisation_id, id),
      unique (company_id),
      check (ends_on is null or ends_on >= starts_on),
      foreign key (organisation_id, company_id) references company (organisation_id, id) on delete cascade
    )`.execute(db);

  await sql`
    create table corporate_employee (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      company_id uuid not null,
      agreement_id uuid not null,
      full_name text not null check (length(full_name) between 1 and 200),
      phone text check (length(phone) between 8 and 16),
      email text check (length(email) between 3 and 254),
      -- Sealed with the key outside the database (bound to the row id), matched by its keyed hash,
      -- shown masked (birth date part, the personal number hidden); unmasking is a logged step.
      national_id_sealed text not null,
      national_id_hmac bytea not null check (length(national_id_hmac) = 32),
      national_id_masked text not null check (national_id_masked ~ '^[0-9]{6}\\*{5}$'),
      version integer not null default 1,
      created_at timestamptz not null,
      created_by uuid,
      updated_at timestamptz not null,
      unique (organisation_id, id),
      unique (company_id, national_id_hmac),
      foreign key (organisation_id, company_id) references company (organisation_id, id) on delete cascade,
      foreign key (organisation_id, agreement_id) references corporate_agreement (organisation_id, id) on delete cascade
    )`.execute(db);
  await sql`create index corporate_employee_company on corporate_employee (company_id, lower(full_name), id)`.execute(db);
  await sql`create index corporate_employee_agreement on corporate_employee (agreement_id)`.execute(db);

  // The generic importer (src/server/import): an upload in sealed chunks, the validated rows staged
  // (sealed, with a masked display form), committed in batches by the job runner. Progress is state here.
  await sql`
    create table data_import (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      kind text not null check (kind ~ '^[a-z][a-z0-9_.]{1,40}$'),
      target_id uuid,
      created_by uuid not null,
      created_at timestamptz not null,
      status text not null default 'uploading'
        check (status in ('uploading', 'validating', 'ready', 'committing', 'done', 'failed', 'cancelled')),
      file_name text not null check (length(file_name) between 1 and 255),
      byte_size integer not null default 0 check (byte_size >= 0),
      chunk_count integer not null default 0,
      encoding text check (encoding in ('utf-8', 'utf-8-bom', 'utf-16le', 'windows-1252', 'mixed')),
      separator text check (separator in (';', ',', E'\\t')),
      header jsonb,
      mapping jsonb,
      total_rows integer,
      error_rows integer,
      create_rows integer,
      update_rows integer,
      skip_rows integer,
      processed_rows integer not null default 0,
      committed_rows integer not null default 0,
      failure_code text check (length(failure_code) <= 64),
      finished_at timestamptz,
      version integer not null default 1,
      unique (organisation_id, id),
      foreign key (organisation_id, created_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index data_import_target on data_import (organisation_id, kind, target_id, created_at desc)`.execute(db);

  await sql`
    create table data_import_chunk (
      import_id uuid not null references data_import (id) on delete cascade,
      organisation_id uuid not null,
      chunk_index integer not null check (chunk_index between 0 and 9999),
      sealed text not null,
      primary key (import_id, chunk_index)
    )`.execute(db);

  await sql`
    create table data_import_row (
      import_id uuid not null references data_import (id) on delete cascade,
      organisation_id uuid not null,
      row_number integer not null check (row_number >= 1),
      outcome text not null check (outcome in ('create', 'update', 'skip', 'error')),
      errors jsonb,
      display jsonb not null,
      sealed text not null,
      target_id uuid,
      committed boolean not null default false,
      primary key (import_id, row_number)
    )`.execute(db);
  await sql`create index data_import_row_errors on data_import_row (import_id, row_number) where outcome = 'error'`.execute(db);

  // The public contact form's key (as the booking form's), and how long CRM data stays (the
  // retention registry's CRM categories): contacts of a lead with no activity, employees after
  // their agreement ended.
  await sql`alter table organisation add column contact_form_key text unique check (contact_form_key ~ '^[a-z0-9-]{3,40}$')`.execute(db);
  await sql`alter table organisation add column crm_lead_retention_days integer not null default 365 check (crm_lead_retention_days between 30 and 3650)`.execute(db);
  await sql`alter table organisation add column crm_employee_retention_days integer not null default 30 check (crm_employee_retention_days between 0 and 365)`.execute(db);

  await sql`grant select, insert, update, delete on company, crm_contact, crm_activity, crm_task, corporate_agreement, corporate_employee to journalkontor_app`.execute(db);
  await sql`grant select, insert, update, delete on data_import, data_import_chunk, data_import_row to journalkontor_app`.execute(db);
  // History and legal bases are appended, never changed; deleted only with their contact or company (retention, DSR).
  await sql`grant select, insert, delete on company_status_change, contact_legal_basis to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
