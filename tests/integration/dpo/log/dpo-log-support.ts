import { writeAuditEvents, type AuditActor, type AuditEventInput } from '../../../../src/server/audit/record';
import type { Database } from '../../../../src/server/db/database';
import { callerAs, createOrganisation, createUser, login, TestClock, type TestUser } from '../../support/identity';
import type { TestDatabase } from '../../support/test-database';
import { nationalIdFor } from '../../visits/visit-support';

export const MINUTE = 60_000;

export function actorOf(user: TestUser, name: string, roles: string[], profession: string | null = null): AuditActor {
  return { organisationId: user.organisationId, userId: user.id, displayName: name, roles, profession, sessionId: null, authMethod: 'password+totp', deviceId: null };
}

export async function insertPatient(db: Database, organisationId: string, givenName: string, familyName: string, serial: number): Promise<string> {
  const row = await db
    .insertInto('patient')
    .values({ organisation_id: organisationId, national_id: nationalIdFor('1980-05-17', 'female', serial), given_name: givenName, family_name: familyName, date_of_birth: '1980-05-17', gender: 'female', address: null, phone: null, email: null, next_of_kin: null, created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Writes an event at a given time, as the recorder would have. */
export async function writeEventAt(db: Database, actor: AuditActor, event: AuditEventInput, at: Date): Promise<void> {
  await writeAuditEvents(db, [{ actor, event }], { now: at, clientIp: undefined });
}

/**
 * Two organisations. A: the DPO, two clinicians, an admin, a sales user and a coordinator, two
 * patients. B: its own DPO, a clinician and a patient.
 */
export async function logSetting(database: TestDatabase) {
  const clock = new TestClock();
  const db = database.db;
  const organisation = await createOrganisation(db);
  const otherOrganisation = await createOrganisation(db);
  const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'], displayName: 'Petter Personvern' });
  const clinicianA = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Anne' });
  const clinicianB = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Bjørn' });
  const adminUser = await createUser(db, organisation.id, { roles: ['admin'] });
  const salesUser = await createUser(db, organisation.id, { roles: ['sales'] });
  const coordinatorUser = await createUser(db, organisation.id, { roles: ['coordinator'] });
  const otherDpoUser = await createUser(db, otherOrganisation.id, { roles: ['dpo'] });
  const otherClinician = await createUser(db, otherOrganisation.id, { roles: ['clinician'] });
  const patientOla = await insertPatient(db, organisation.id, 'Ola', 'Hansen', 1);
  const patientKari = await insertPatient(db, organisation.id, 'Kari', 'Lund', 2);
  const otherPatient = await insertPatient(db, otherOrganisation.id, 'Per', 'Annen', 3);
  const as = async (user: TestUser) => callerAs(database, (await login(database, user, clock)).token, clock);
  return {
    clock,
    db,
    organisation,
    otherOrganisation,
    dpoUser,
    clinicianA,
    clinicianB,
    adminUser,
    salesUser,
    coordinatorUser,
    otherDpoUser,
    otherClinician,
    patientOla,
    patientKari,
    otherPatient,
    as,
  };
}
export type LogSetting = Awaited<ReturnType<typeof logSetting>>;
