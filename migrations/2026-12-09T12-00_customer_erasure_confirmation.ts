import { type Kysely, sql } from 'kysely';

// Erasing a customer's employee while the customer's agreement runs (DPO-5): the employer decides
// about its employee list, so the record is erased only once the customer has confirmed. The DPO
// records who at the customer confirmed, on which day and how; that record erases the employee in
// the same transaction (its receipt goes to the tamper-evident log). The employee's id stays here
// as the key of what was confirmed (a random uuid, nothing about the person). Frozen in time: no
// application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table customer_erasure_confirmation (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      case_id uuid not null,
      category text not null check (category = 'portal.employee'),
      object_id uuid not null,
      company_id uuid not null,
      confirmed_by_name text not null check (length(confirmed_by_name) between 1 and 200),
      confirmed_by_role text check (length(confirmed_by_role) between 1 and 200),
      confirmed_on date not null,
      channel text not null check (channel in ('email', 'letter', 'phone', 'meeting', 'customer_portal', 'other')),
      note text check (length(note) between 1 and 1000),
      recorded_by uuid not null,
      recorded_at timestamptz not null,
      unique (organisation_id, id),
      unique (organisation_id, case_id, object_id),
      foreign key (organisation_id, case_id) references dsr_case (organisation_id, id),
      foreign key (organisation_id, company_id) references company (organisation_id, id),
      foreign key (organisation_id, recorded_by) references app_user (organisation_id, id)
    )`.execute(db);
  await sql`create index customer_erasure_confirmation_case on customer_erasure_confirmation (organisation_id, case_id, recorded_at)`.execute(db);
  await sql`grant select, insert on customer_erasure_confirmation to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
