import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../../../src/server/db/database';
import { protectNationalId } from '../../../../src/server/portal/national-id';
import { callerAs, createOrganisation, createUser, login, TestClock, type TestUser } from '../../support/identity';
import type { TestDatabase } from '../../support/test-database';
import { testSecretBox } from '../../support/test-server';

export const DAY = 86_400_000;
/** The test clock starts at 2026-11-22 09:00 UTC. */
export const START = new Date('2026-11-22T09:00:00.000Z');
const ago = (days: number) => new Date(START.getTime() - days * DAY);

/** Eva's identifiers, and another person's. */
export const EVA = { nationalId: '15076500050', email: 'eva.moen@eksempel.no', phone: '+4795566778', name: 'Eva Moen' };
export const OTHER = { nationalId: '01010100050', email: 'ola.annen@eksempel.no', phone: '+4791112223', name: 'Ola Annen' };

/**
 * Two organisations, each with a DPO; the first also with a clinician, an admin and a coordinator
 * (for the role denials).
 */
export async function erasureSetting(database: TestDatabase) {
  const clock = new TestClock();
  const db = database.db;
  const organisation = await createOrganisation(db);
  const otherOrganisation = await createOrganisation(db);
  const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'], displayName: 'Petter Personvern' });
  const clinicianUser = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Ute' });
  const adminUser = await createUser(db, organisation.id, { roles: ['admin'], displayName: 'Admin Arne' });
  const otherDpoUser = await createUser(db, otherOrganisation.id, { roles: ['dpo'], displayName: 'Annen Personvern' });
  const as = async (user: TestUser) => callerAs(database, (await login(database, user, clock)).token, clock);
  const [dpo, clinician, admin, otherDpo] = [await as(dpoUser), await as(clinicianUser), await as(adminUser), await as(otherDpoUser)];
  return { database, clock, db, organisation, otherOrganisation, dpoUser, clinicianUser, adminUser, otherDpoUser, dpo, clinician, admin, otherDpo, as };
}

export type ErasureSetting = Awaited<ReturnType<typeof erasureSetting>>;

let referenceSequence = 0;

/** A data-subject request written directly (the case procedures are another part's); the national identity number sealed as the case table keeps it. */
export async function insertCase(
  db: Database,
  organisationId: string,
  createdBy: string,
  options: { kind?: 'erasure' | 'access'; person?: Partial<typeof EVA>; isVerified?: boolean; patientId?: string | null } = {},
): Promise<string> {
  const id = randomUUID();
  const person = options.person ?? EVA;
  const sealed = person.nationalId ? protectNationalId(testSecretBox, id, person.nationalId) : { national_id_sealed: null, national_id_hmac: null, national_id_masked: null };
  await db
    .insertInto('dsr_case')
    .values({
      id,
      organisation_id: organisationId,
      reference: `DSR-2026-${String(++referenceSequence).padStart(4, '0')}`,
      kind: options.kind ?? 'erasure',
      received_on: '2026-11-20',
      channel: 'email',
      requester_name: person.name ?? 'Ukjent',
      ...sealed,
      email: person.email ?? null,
      phone: person.phone ?? null,
      patient_id: options.patientId ?? null,
      identity_method: options.isVerified === false ? null : 'bankid',
      identity_verified_by: options.isVerified === false ? null : createdBy,
      identity_verified_at: options.isVerified === false ? null : ago(1),
      deadline: '2026-12-20',
      created_by: createdBy,
      created_at: ago(2),
      updated_at: ago(2),
    })
    .execute();
  return id;
}

let phoneSequence = 0;

/** A home-visit booking written directly, with the person's data as typed. */
export async function insertBooking(
  db: Database,
  organisationId: string,
  options: { status: 'requested' | 'cancelled'; nationalId?: string | null; email?: string | null; phone?: string | null; endedDaysAgo?: number },
): Promise<string> {
  const ended = ago(options.endedDaysAgo ?? 30);
  const phone = options.phone === undefined ? `+479${String(1_000_000 + ++phoneSequence).slice(-7)}` : options.phone;
  const { rows } = await sql<{ id: string }>`
    insert into home_visit_booking (
      organisation_id, source, full_name, street, postcode, city, gender, date_of_birth, national_id, phone, email, reason,
      urgency, earliest_at, latest_at, status, cancelled_at, cancel_reason, created_at, updated_at)
    values (
      ${organisationId}, 'web', 'Eva Moen', 'Grønlandsleiret 9', '0190', 'Oslo', 'female', '1965-07-15', ${options.nationalId ?? null}, ${phone}, ${options.email ?? null}, 'Halsbetennelse',
      'normal', ${new Date(ended.getTime() - 3 * 3_600_000)}, ${new Date(ended.getTime() - 3_600_000)}, ${options.status},
      ${options.status === 'cancelled' ? ended : null}, ${options.status === 'cancelled' ? 'patient_cancelled' : null}, ${new Date(ended.getTime() - 4 * 3_600_000)}, ${ended})
    returning id`.execute(db);
  const id = rows[0]?.id;
  if (!id) throw new Error('booking not inserted');
  return id;
}

/** A company (lead or customer) with one contact person. */
export async function insertContact(db: Database, organisationId: string, options: { email?: string | null; phone?: string | null; status?: 'lead' | 'customer' } = {}): Promise<string> {
  const company = await db
    .insertInto('company')
    .values({ organisation_id: organisationId, name: `Bedrift ${randomUUID().slice(0, 8)}`, status: options.status ?? 'customer', status_changed_at: ago(100), source: 'manual', created_at: ago(100), updated_at: ago(100) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contact = await db
    .insertInto('crm_contact')
    .values({ organisation_id: organisationId, company_id: company.id, full_name: 'Eva Moen', email: options.email ?? null, phone: options.phone ?? null, source: 'manual', created_at: ago(50), updated_at: ago(50) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('contact_legal_basis')
    .values({ organisation_id: organisationId, contact_id: contact.id, purpose: 'newsletter', basis: 'consent', state: 'active', source: 'email', evidence: 'Ja', recorded_at: ago(50) })
    .execute();
  return contact.id;
}

/** A customer's employee under an agreement that ended (or runs), the number sealed as the portal keeps it. */
export async function insertEmployee(db: Database, organisationId: string, options: { nationalId: string; endsOn: string | null }): Promise<string> {
  const company = await db
    .insertInto('company')
    .values({ organisation_id: organisationId, name: `Kunde ${randomUUID().slice(0, 8)}`, status: 'customer', status_changed_at: ago(100), source: 'manual', created_at: ago(100), updated_at: ago(100) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const agreement = await db
    .insertInto('corporate_agreement')
    .values({ organisation_id: organisationId, company_id: company.id, starts_on: '2026-01-01', ends_on: options.endsOn, services: ['occupational_health'], reference: null, created_at: ago(100), updated_at: ago(100) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  await db
    .insertInto('corporate_employee')
    .values({ id, organisation_id: organisationId, company_id: company.id, agreement_id: agreement.id, full_name: 'Eva Moen', phone: null, email: null, ...protectNationalId(testSecretBox, id, options.nationalId), created_at: ago(90), updated_at: ago(90) })
    .execute();
  return id;
}

/** A journal patient with one note and one consent to share. */
export async function insertPatient(db: Database, organisationId: string, authorId: string, nationalId: string) {
  const patient = await db
    .insertInto('patient')
    .values({ organisation_id: organisationId, national_id: nationalId, given_name: 'Eva', family_name: 'Moen', date_of_birth: '1965-07-15', gender: 'female', address: null, phone: null, email: null, next_of_kin: null, created_by: authorId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const note = await db
    .insertInto('journal_note')
    .values({ organisation_id: organisationId, patient_id: patient.id, author_id: authorId, note_type: 'consultation', consultation_date: '2026-11-01' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const consent = await db
    .insertInto('patient_consent')
    .values({ organisation_id: organisationId, patient_id: patient.id, given_by: 'patient', method: 'verbal', given_at: ago(20), recorded_by: authorId, scope: 'whole_journal', purpose: 'Veiledning' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { patientId: patient.id, noteId: note.id, consentId: consent.id };
}

/** A former employee's disabled account. */
export async function insertDisabledAccount(db: Database, organisationId: string, email: string): Promise<string> {
  const user = await createUser(db, organisationId, { roles: ['coordinator'], email, displayName: 'Eva Moen' });
  await db.updateTable('app_user').set({ status: 'disabled' }).where('id', '=', user.id).execute();
  return user.id;
}

/** Every row of the tables erasure may touch, as text: equal snapshots mean nothing changed. */
export async function snapshot(db: Database): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of ['home_visit_booking', 'crm_contact', 'contact_legal_basis', 'corporate_employee', 'app_user', 'patient', 'journal_note', 'journal_note_version', 'patient_consent', 'outbox_message']) {
    const { rows } = await sql<{ digest: string | null; count: string }>`select count(*)::text as count, md5(string_agg(t::text, '|' order by t::text)) as digest from ${sql.table(table)} t`.execute(db);
    result[table] = `${rows[0]?.count}:${rows[0]?.digest}`;
  }
  return result;
}
