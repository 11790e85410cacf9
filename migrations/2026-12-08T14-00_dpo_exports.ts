import { type Kysely, sql } from 'kysely';

// Exports of the log and of a request's data (AUD-5, DPO-5). An access package is everything found
// for the person of a data-subject request, gathered once and kept sealed (AES-GCM, key outside the
// database: it is personal data at rest, journal text included) until the DPO has reviewed it.
// Redactions are records beside it (what, on which legal ground, by whom), never edits of the
// sealed content, so what was withheld and why stays provable. Released packages are frozen.
// Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dsr_package (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      case_id uuid not null,
      -- The collected content as sealed JSON (secret box, bound to the package id).
      content_sealed text not null,
      -- Counts per section, for the review screen and the events (no personal data).
      item_count integer not null check (item_count >= 0),
      status text not null default 'draft' check (status in ('draft', 'released')),
      prepared_at timestamptz not null,
      prepared_by uuid not null,
      released_at timestamptz,
      released_by uuid,
      version integer not null default 1,
      unique (organisation_id, id),
      foreign key (organisation_id, case_id) references dsr_case (organisation_id, id),
      foreign key (organisation_id, prepared_by) references app_user (organisation_id, id),
      foreign key (organisation_id, released_by) references app_user (organisation_id, id),
      check ((status = 'released') = (released_at is not null and released_by is not null))
    )`.execute(db);
  // At most one package per case under review: preparing again replaces a draft, never a released one.
  await sql`create unique index dsr_package_one_draft on dsr_package (organisation_id, case_id) where status = 'draft'`.execute(db);
  await sql`create index dsr_package_case on dsr_package (organisation_id, case_id, prepared_at desc)`.execute(db);

  await sql`
    create table dsr_package_redaction (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      package_id uuid not null,
      -- The item withheld: its section ('journal', 'bookings', …) and its id within the section.
      section text not null check (section in ('patient', 'journal', 'bookings', 'appointments', 'crmContacts', 'portalEmployees', 'accounts', 'consents', 'accessLog')),
      item_id text not null check (length(item_id) between 1 and 100),
      reason_code text not null check (reason_code in (
        'gdpr_15_4_third_party', 'pasjl_18_third_party', 'hpl_41_harm', 'pasrl_5_1_harm', 'other_legal_ground')),
      redacted_by uuid not null,
      redacted_at timestamptz not null,
      unique (organisation_id, id),
      unique (package_id, section, item_id),
      foreign key (organisation_id, package_id) references dsr_package (organisation_id, id) on delete cascade,
      foreign key (organisation_id, redacted_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`grant select, insert, update, delete on dsr_package to journalkontor_app`.execute(db);
  await sql`grant select, insert, delete on dsr_package_redaction to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
