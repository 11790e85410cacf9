import { callerAs, createOrganisation, createUser, login, TestClock } from '../support/identity';
import type { TestDatabase } from '../support/test-database';

/** Two clinicians of one organisation, logged in, and a patient the first registered (so treats). */
export async function twoCliniciansAndPatient(database: TestDatabase, clock = new TestClock()) {
  const db = database.db;
  const organisation = await createOrganisation(db);
  const doctor = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Behandler' });
  const colleague = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Kollega' });
  const doctorCaller = callerAs(database, (await login(database, doctor, clock)).token, clock);
  const colleagueCaller = callerAs(database, (await login(database, colleague, clock)).token, clock);
  const { patientId } = await doctorCaller.patients.register({ nationalId: '15076500050', givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
  return { clock, organisation, doctor, colleague, doctorCaller, colleagueCaller, patientId };
}
