import { type Kysely, sql } from 'kysely';

// Erasure, legal holds and the register of what is kept (DPO-5, DPO-6). Frozen in time: no application imports.
//
// - retention_exception: the register of what is kept and on which legal ground, as data. One list
//   for the installation (the law is the same for every organisation), seeded here; the erasure
//   report and the DPO's workspace read it. Codes are referenced by the modules' categories.
// - legal_hold: a hold blocks both the scheduled retention and erasure in a case. Its scope is a
//   person (any of patient, keyed hash of the national identity number, e-mail, phone), a whole
//   category, or one object of a category. Lifted, never deleted.
// - erasure_plan: every dry run of a case, with the hash of its plan: the waiting period before the
//   irreversible step runs from the first dry run that showed that exact plan.
// - erasure_report: what an erasure did (counts, how, a hash of the affected ids per category) and
//   what it kept and why; one per case. Codes and counts only, never the erased data.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table retention_exception (
      code text primary key check (code ~ '^[a-z_]+(\\.[a-z_]+)*$'),
      category text not null check (length(category) between 1 and 100),
      legal_ground text not null check (legal_ground in ('legal_obligation', 'contract', 'legal_claims', 'legal_hold')),
      law_reference text not null check (length(law_reference) between 1 and 300),
      -- ISO 8601 period ('P5Y'); null: as long as the law or the situation requires (described by the key).
      period text check (period ~ '^P[0-9]+[YMD]$'),
      description_key text not null check (length(description_key) between 1 and 200),
      sort_order integer not null
    )`.execute(db);
  await sql`
    insert into retention_exception (code, category, legal_ground, law_reference, period, description_key, sort_order) values
      ('journal.content', 'journal', 'legal_obligation', 'Helsepersonelloven §§ 39–44; pasientjournalloven', null, 'dpoErasure.exception.journalContent', 10),
      ('journal.consent', 'journal.consent', 'legal_obligation', 'Helsepersonelloven § 45; pasientjournalloven (dokumentasjon av grunnlaget for tilgang)', null, 'dpoErasure.exception.journalConsent', 20),
      ('audit.event', 'audit', 'legal_obligation', 'Pasientjournalloven § 22; Normen (logging og etterfølgende kontroll)', 'P10Y', 'dpoErasure.exception.auditEvent', 30),
      ('accounting.record', 'accounting', 'legal_obligation', 'Bokføringsloven § 13', 'P5Y', 'dpoErasure.exception.accountingRecord', 40),
      ('account.active', 'account', 'contract', 'Arbeidsavtalen; GDPR art. 6 nr. 1 bokstav b', null, 'dpoErasure.exception.accountActive', 50),
      ('visit.booking.open', 'visit.booking', 'contract', 'Pågående helsehjelp; GDPR art. 6 nr. 1 bokstav b og art. 9 nr. 2 bokstav h', null, 'dpoErasure.exception.bookingOpen', 60),
      ('portal.employee.agreement', 'portal.employee', 'contract', 'Bedriftsavtalen med kunden; GDPR art. 6 nr. 1 bokstav b', null, 'dpoErasure.exception.employeeAgreement', 70),
      ('legal_hold', 'any', 'legal_hold', 'GDPR art. 17 nr. 3 bokstav e (rettskrav); pålegg fra tilsyn eller politi', null, 'dpoErasure.exception.legalHold', 80)
  `.execute(db);

  await sql`
    create table legal_hold (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      scope text not null check (scope in ('person', 'category', 'object')),
      patient_id uuid,
      national_id_hmac bytea check (length(national_id_hmac) = 32),
      email text check (email = lower(email) and length(email) between 3 and 254),
      phone text check (length(phone) between 3 and 20),
      category text check (length(category) between 1 and 100),
      object_id uuid,
      reason text not null check (reason in ('complaint', 'incident', 'litigation', 'supervisory_authority', 'police', 'other')),
      case_id uuid,
      set_by uuid not null,
      set_at timestamptz not null,
      lifted_by uuid,
      lifted_at timestamptz,
      unique (organisation_id, id),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, case_id) references dsr_case (organisation_id, id),
      foreign key (organisation_id, set_by) references app_user (organisation_id, id),
      foreign key (organisation_id, lifted_by) references app_user (organisation_id, id),
      check (scope <> 'person' or coalesce(patient_id::text, encode(national_id_hmac, 'hex'), email, phone) is not null),
      check (scope <> 'category' or category is not null),
      check (scope <> 'object' or (category is not null and object_id is not null)),
      check ((lifted_at is null) = (lifted_by is null))
    )`.execute(db);
  // The retention scan and the erasure look for the organisation's holds in force: few rows.
  await sql`create index legal_hold_active on legal_hold (organisation_id, scope) where lifted_at is null`.execute(db);

  await sql`
    create table erasure_plan (
      id bigint generated always as identity primary key,
      organisation_id uuid not null references organisation (id),
      case_id uuid not null,
      plan_hash text not null check (plan_hash ~ '^[0-9a-f]{64}$'),
      planned_by uuid not null,
      planned_at timestamptz not null,
      foreign key (organisation_id, case_id) references dsr_case (organisation_id, id),
      foreign key (organisation_id, planned_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index erasure_plan_case on erasure_plan (organisation_id, case_id, plan_hash, planned_at)`.execute(db);

  await sql`
    create table erasure_report (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      case_id uuid not null,
      plan_hash text not null check (plan_hash ~ '^[0-9a-f]{64}$'),
      -- [{ category, erased, anonymised, idsSha256 }] and [{ category, count, groundCode }]: codes and counts.
      erased jsonb not null,
      kept jsonb not null,
      waiting_cut_short boolean not null,
      cut_short_reason text check (length(cut_short_reason) between 1 and 1000),
      executed_by uuid not null,
      executed_at timestamptz not null,
      unique (organisation_id, id),
      unique (organisation_id, case_id),
      foreign key (organisation_id, case_id) references dsr_case (organisation_id, id),
      foreign key (organisation_id, executed_by) references app_user (organisation_id, id),
      check (waiting_cut_short = (cut_short_reason is not null))
    )`.execute(db);

  await sql`grant select on retention_exception to journalkontor_app`.execute(db);
  await sql`grant select, insert, update on legal_hold to journalkontor_app`.execute(db);
  await sql`grant select, insert on erasure_plan, erasure_report to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
