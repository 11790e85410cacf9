import { callerAs, createOrganisation, createUser, login, TestClock, type TestUser } from '../../support/identity';
import type { TestDatabase } from '../../support/test-database';

export const DAY = 86_400_000;
/** The test clock starts at 2026-11-22 09:00 UTC: 10:00 in Oslo. */
export const TODAY = '2026-11-22';
/** A synthetic-free, valid fødselsnummer (the journal tests' patient). */
export const PATIENT_NATIONAL_ID = '15076500050';

/**
 * One organisation with a DPO, two clinicians (the first registers a patient, so treats her) and a
 * salesperson; a second organisation with its own DPO (another organisation's ids are not found).
 */
export async function casesSetting(database: TestDatabase) {
  const clock = new TestClock();
  const db = database.db;
  const organisation = await createOrganisation(db);
  const otherOrganisation = await createOrganisation(db);
  const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'], displayName: 'Petter Personvern' });
  const doctorUser = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Behandler' });
  const colleagueUser = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Kollega' });
  const salesUser = await createUser(db, organisation.id, { roles: ['sales'], displayName: 'Selger Siri' });
  const adminUser = await createUser(db, organisation.id, { roles: ['admin'], displayName: 'Admin Arne' });
  const otherDpoUser = await createUser(db, otherOrganisation.id, { roles: ['dpo'], displayName: 'Annen Ombud' });
  const as = async (user: TestUser, extra: { clientIp?: string } = {}) => callerAs(database, (await login(database, user, clock)).token, clock, extra);
  const dpo = await as(dpoUser);
  const doctor = await as(doctorUser, { clientIp: '203.0.113.9' });
  const sales = await as(salesUser);
  const admin = await as(adminUser);
  const otherDpo = await as(otherDpoUser);
  const { patientId } = await doctor.patients.register({ nationalId: PATIENT_NATIONAL_ID, givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
  return { clock, db, organisation, otherOrganisation, dpoUser, doctorUser, colleagueUser, salesUser, adminUser, otherDpoUser, dpo, doctor, sales, admin, otherDpo, patientId, as };
}

export type CasesSetting = Awaited<ReturnType<typeof casesSetting>>;

/** A request registered through the procedure (an access request by e-mail from Kari, by default). */
export async function newCase(s: CasesSetting, overrides: Record<string, unknown> = {}) {
  const result = await s.dpo.dpo.cases.create({
    kind: 'access',
    receivedOn: TODAY,
    channel: 'email',
    requesterName: 'Kari Nordmann',
    email: 'kari@eksempel.no',
    note: 'Ber om innsyn i alt dere har om meg.',
    ...overrides,
  } as never);
  if (!result.created) throw new Error('a duplicate was found where none was expected');
  return result;
}
