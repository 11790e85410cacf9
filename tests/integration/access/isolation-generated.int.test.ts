import { randomUUID } from 'node:crypto';
import type { AnyTRPCProcedure } from '@trpc/server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/database';
import { fieldErrorsOf } from '../../../src/server/errors';
import { appRouter } from '../../../src/server/router';
import { ROLES } from '../../../src/shared/roles';
import { callerAs, createOrganisation, createUser, login, TestClock } from '../support/identity';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { fieldsOf, idKindOf, inputSchemaOf, sampleOf, type Samples } from '../support/zod-samples';

/**
 * PLAT-3, generated from the router: every procedure that takes the id of an organisation's object,
 * called with the id of another organisation's object, answers exactly as for an id that exists
 * nowhere — and changes nothing of the other organisation's. The procedures and their id fields
 * come from the router itself, so a new procedure is covered the day it is added; an id field this
 * test does not know fails it until its object is named in OBJECT_OF_FIELD.
 */
const OBJECT_OF_FIELD: Record<string, keyof Clinic['objects']> = {
  patientId: 'patient',
  noteId: 'note',
  noteIds: 'note',
  consentId: 'consent',
  shareId: 'share',
  blockId: 'block',
  userId: 'colleague',
  granteeId: 'colleague',
  blockedUserId: 'colleague',
  clinicianId: 'colleague',
  consultationId: 'consultation',
  bookingId: 'booking',
  doctorId: 'colleague',
  documentationNoteId: 'note',
  zoneId: 'zone',
  // CRM-1…3: an owner is a salesperson of the organisation.
  companyId: 'company',
  contactId: 'contact',
  taskId: 'task',
  ownerId: 'seller',
  // CRM-4: the portal's employees and their imports.
  employeeId: 'employee',
  importId: 'import',
  // DPO-2: a flag for retrospective control.
  flagId: 'flag',
  // DPO-5: a data-subject request, a legal hold, and the object a hold names (a booking here).
  caseId: 'case',
  holdId: 'hold',
  objectId: 'booking',
  // DPO-5: an access request's package.
  packageId: 'dsrPackage',
  // DPO-5: a restriction of processing (on a request of its own).
  restrictionId: 'restriction',
  // DPO-4: a rectification's correction asked of a clinician, and the person's CRM contacts an objection names.
  assigneeId: 'colleague',
  correctionRequestId: 'correctionRequest',
  contactIds: 'contact',
  // DPO-7: the registers' entries.
  activityId: 'activity',
  processorId: 'processor',
  processorIds: 'processor',
};

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>).sort(([a], [b]) => a.localeCompare(b));

/** Every (procedure, id field) pair the router has. */
const CASES = procedures.flatMap(([path, procedure]) =>
  Object.entries(fieldsOf(inputSchemaOf(procedure)))
    .filter(([, schema]) => idKindOf(schema) !== undefined)
    .map(([field, schema]) => ({ path, procedure, field, kind: idKindOf(schema) as 'id' | 'ids' })),
);

interface Clinic {
  organisationId: string;
  caller: ReturnType<typeof callerAs>;
  objects: { patient: string; note: string; consent: string; share: string; block: string; colleague: string; consultation: string; booking: string; zone: string; company: string; contact: string; task: string; seller: string; employee: string; import: string; flag: string; case: string; hold: string; dsrPackage: string; restriction: string; correctionRequest: string; activity: string; processor: string };
}

const DAY = 24 * 60 * 60 * 1000;

/** A clinic with one of everything, made through the API by a user who holds every role. */
async function buildClinic(database: TestDatabase, clock: TestClock, nationalId: string, dateOfBirth: string): Promise<Clinic> {
  const organisation = await createOrganisation(database.db);
  const user = await createUser(database.db, organisation.id, { roles: [...ROLES] });
  const colleague = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const blocked = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const caller = callerAs(database, (await login(database, user, clock)).token, clock);
  const { patientId } = await caller.patients.register({ nationalId, givenName: 'Prøve', familyName: 'Pasient', dateOfBirth, gender: 'female' });
  const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-21', body: 'Signert notat.' });
  await caller.journal.sign({ noteId });
  const { consentId } = await caller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'verbal', givenAt: clock.now().toISOString(), scope: 'whole_journal', purpose: 'Veiledning' });
  const { shareId } = await caller.sharing.grant({ patientId, granteeId: colleague.id, consentId, scope: 'whole_journal', purpose: 'Veiledning', endsAt: new Date(clock.now().getTime() + 7 * DAY).toISOString() });
  const { blockId } = await caller.access.setBlock({ patientId, blockedUserId: blocked.id, scope: 'whole_journal', requestedAt: clock.now().toISOString() });
  const { consultationId } = await caller.consultations.book({ patientId, startsAt: new Date(clock.now().getTime() + DAY).toISOString(), durationMinutes: 30, mode: 'in_person' });
  // VIS-1, VIS-3: a home-visit booking taken by phone, and a dispatch zone (zones have no procedure that makes them).
  const { bookingId } = await caller.visits.create({
    booking: {
      fullName: 'Prøve Pasient',
      street: 'Prøveveien 1',
      postcode: '0150',
      city: 'Oslo',
      gender: 'female',
      dateOfBirth,
      phone: '+4791234567',
      reason: 'Prøvegrunn',
      urgency: 'normal',
      earliestAt: new Date(clock.now().getTime() + DAY).toISOString(),
    },
    idempotencyKey: `isolation-${randomUUID()}`,
  });
  const zone = await database.db
    .insertInto('visit_zone')
    .values({ organisation_id: organisation.id, name: 'Sentrum', postcode_prefixes: ['01'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  // CRM-1…3: a company with a contact (consent for every purpose) and a task, and a salesperson to own things.
  const seller = await createUser(database.db, organisation.id, { roles: ['sales'] });
  const company = await caller.crm.createCompany({ name: 'Prøve AS' });
  const contact = await caller.crm.createContact({
    companyId: company.id,
    fullName: 'Prøve Kontakt',
    bases: ['account_follow_up', 'direct_sales', 'newsletter', 'event_invitations'].map((purpose) => ({ purpose: purpose as 'newsletter', basis: 'consent' as const, source: 'email' as const, evidence: 'Ja' })),
  });
  const task = await caller.crm.createTask({ companyId: company.id, contactId: contact.id, title: 'Ring', dueOn: '2026-12-01' });
  // CRM-4: the company becomes a customer with an agreement, an employee and an import under way (inspected, not validated).
  await database.db.updateTable('company').set({ status: 'customer' }).where('id', '=', company.id).execute();
  await caller.portal.saveAgreement({ companyId: company.id, startsOn: '2026-01-01', services: ['occupational_health'] });
  const { employee } = await caller.portal.addEmployee({ companyId: company.id, fullName: 'Prøve Ansatt', nationalId });
  const file = Buffer.from(`Navn;Fødselsnummer\r\nPrøve Ansatt;${nationalId}\r\n`, 'utf8');
  const { importId } = await caller.portal.import.create({ companyId: company.id, fileName: 'ansatte.csv', byteSize: file.length });
  await caller.portal.import.uploadChunk({ importId, index: 0, data: file.toString('base64') });
  await caller.portal.import.inspect({ importId });
  // DPO-2: a flag on the organisation's latest event (the flags job's rows have no procedure that makes them).
  const latestEvent = await sql<{ id: string }>`select max(id)::text as id from audit_event`.execute(database.db);
  const flag = await database.db
    .insertInto('audit_flag')
    .values({ organisation_id: organisation.id, rule: 'no_relationship', event_id: latestEvent.rows[0]?.id ?? '1', user_id: colleague.id, patient_id: patientId, occurred_at: clock.now(), raised_at: clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  // DPO-4, DPO-5: an erasure request (the case procedures are another part's: written directly) and a legal hold on the booking.
  const caseId = randomUUID();
  await database.db
    .insertInto('dsr_case')
    .values({
      id: caseId,
      organisation_id: organisation.id,
      reference: 'DSR-2026-0001',
      kind: 'erasure',
      received_on: '2026-11-20',
      channel: 'email',
      requester_name: 'Prøve Pasient',
      national_id_sealed: null,
      national_id_hmac: null,
      national_id_masked: null,
      email: 'prove@example.test',
      phone: null,
      patient_id: patientId,
      identity_method: 'bankid',
      identity_verified_by: user.id,
      identity_verified_at: clock.now(),
      deadline: '2026-12-20',
      created_by: user.id,
      created_at: clock.now(),
      updated_at: clock.now(),
    })
    .execute();
  const hold = await database.db
    .insertInto('legal_hold')
    .values({ organisation_id: organisation.id, scope: 'object', category: 'visit.booking', object_id: bookingId, reason: 'complaint', patient_id: null, national_id_hmac: null, email: null, phone: null, case_id: caseId, set_by: user.id, set_at: clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  // DPO-5: an access request for the patient (the cases procedures are another part's: straight into the table) and its package.
  const dsrCase = await database.db
    .insertInto('dsr_case')
    .values({ organisation_id: organisation.id, reference: 'DSR-2026-0002', kind: 'access', received_on: '2026-11-20', channel: 'letter', requester_name: 'Prøve Pasient', patient_id: patientId, status: 'in_progress', deadline: '2026-12-20', created_by: user.id, created_at: clock.now(), updated_at: clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const dsrPackage = await caller.dpo.exports.preparePackage({ caseId: dsrCase.id });
  // DPO-4, DPO-5: a data-subject request with a restriction of processing in force.
  const restrictionCase = await caller.dpo.cases.create({ kind: 'restriction', receivedOn: '2026-11-20', channel: 'email', requesterName: 'Prøve Pasient', email: 'prove@eksempel.no' });
  const restriction = await caller.dpo.cases.setRestriction({ caseId: restrictionCase.id as string, modules: ['crm'] });
  // DPO-4, JRN-4: a correction of the patient's journal asked of the user (straight into the table, on the erasure request: the table does not mind the kind).
  const correctionRequest = await database.db
    .insertInto('dsr_correction_request')
    .values({ organisation_id: organisation.id, case_id: caseId, patient_id: patientId, assigned_to: user.id, requested_change: 'Rett notatet.', requested_by: user.id, requested_at: clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  // DPO-7: a data processor and a processing activity that uses it.
  const processor = await caller.dpo.registers.createProcessor({ name: 'Prøve Drift AS', service: 'Servere', country: 'NO', transferBasis: null, agreementDate: null, contact: null });
  const activity = await caller.dpo.registers.createActivity({
    name: 'Prøvebehandling',
    purpose: 'Prøve',
    legalBases: ['gdpr_6_1_c'],
    legalBasisLaw: null,
    dataCategories: 'Navn',
    dataSubjects: 'Pasienter',
    retention: 'Ett år',
    recipients: null,
    securityMeasures: null,
    processorIds: [processor.id],
  });
  return {
    organisationId: organisation.id,
    caller,
    objects: {
      patient: patientId,
      note: noteId,
      consent: consentId,
      share: shareId,
      block: blockId,
      colleague: colleague.id,
      consultation: consultationId,
      booking: bookingId,
      zone: zone.id,
      company: company.id,
      contact: contact.id,
      task: task.id,
      seller: seller.id,
      employee: employee.id,
      import: importId,
      flag: flag.id,
      case: caseId,
      hold: hold.id,
      dsrPackage: dsrPackage.id,
      restriction: restriction.id,
      correctionRequest: correctionRequest.id,
      activity: activity.id,
      processor: processor.id,
    },
  };
}

/** A fingerprint of every row an organisation owns, table by table. */
async function fingerprintOf(db: Database, organisationId: string): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'organisation_id' order by table_name`.execute(db);
  const result: Record<string, string> = {};
  for (const { table_name: table } of tables.rows) {
    const row = await sql<{ rows: string; digest: string | null }>`
      select count(*)::text as rows, md5(string_agg(t::text, '|' order by t::text)) as digest
      from ${sql.table(table)} t where organisation_id = ${organisationId}`.execute(db);
    result[table] = `${row.rows[0]?.rows}:${row.rows[0]?.digest}`;
  }
  return result;
}

function call(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  return fn(input);
}

/** What the client learns from an answer: its code, message and field errors. */
async function answerOf(promise: Promise<unknown>) {
  try {
    await promise;
    return { code: 'OK' };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    return { code, message, fieldErrors: fieldErrorsOf(error)?.map(({ field, messageKey }) => ({ field, messageKey })) ?? [] };
  }
}

describe('PLAT-3: another organisation’s ids answer like made-up ids, for every procedure that takes one', () => {
  let database: TestDatabase;
  let clock: TestClock;
  let clinicA: Clinic;
  let clinicB: Clinic;

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = new TestClock();
    clinicA = await buildClinic(database, clock, '15076500050', '1965-07-15');
    clinicB = await buildClinic(database, clock, '01010100050', '1901-01-01');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('PLAT-3: the router has id-taking procedures, and every id field names a known object', () => {
    expect(CASES.length).toBeGreaterThan(15);
    expect(CASES.filter(({ field }) => !(field in OBJECT_OF_FIELD)).map(({ path, field }) => `${path}.${field}`)).toEqual([]);
  });

  it.each(CASES.map(({ path, field }) => [path, field]))('PLAT-3: %s with another organisation’s %s', async (path, field) => {
    const testCase = CASES.find((candidate) => candidate.path === path && candidate.field === field);
    if (!testCase) throw new Error('no such case');
    const object = OBJECT_OF_FIELD[field];
    if (!object) throw new Error(`${path}.${field}: name its object in OBJECT_OF_FIELD`);
    // Everything else in the input is A's own and valid: only the one id differs.
    const samples: Samples = {
      ...Object.fromEntries(Object.entries(OBJECT_OF_FIELD).map(([name, kind]) => [name, name === 'noteIds' || name === 'processorIds' || name === 'contactIds' ? [clinicA.objects[kind]] : clinicA.objects[kind]])),
      endsAt: new Date(clock.now().getTime() + 7 * DAY).toISOString(),
      givenAt: clock.now().toISOString(),
      'details.nationalId': '15076500050',
      'details.dateOfBirth': '1965-07-15',
      roles: ['clinician'],
      durationMinutes: 30,
      // A shift lasts at most a day.
      ...(path === 'visits.createShift' ? { endsAt: new Date(clock.now().getTime() + DAY / 3).toISOString() } : {}),
      // CRM: a purpose the seeded contact has consent for (elsewhere `purpose` is free text).
      ...(path.startsWith('crm.') ? { purpose: 'account_follow_up' } : {}),
      // CRM-4: a valid number and a chunk that is base64 (the portal's other fields are free text or choices).
      ...(path === 'portal.addEmployee' ? { nationalId: '15076500050' } : {}),
      ...(path === 'portal.import.uploadChunk' ? { data: Buffer.from('Navn').toString('base64') } : {}),
      // DPO-5: a hold on one object of a category (the scope that takes an object), and a plan hash of the right shape.
      ...(path === 'dpo.erasure.setHold' ? { scope: 'object', category: 'visit.booking' } : {}),
      ...(path === 'dpo.erasure.execute' ? { planHash: 'a'.repeat(64) } : {}),
      // DPO-7: a processor's country is a two-letter code.
      country: 'NO',
      // A list of notes counts only where the scope is chosen notes.
      ...(field === 'noteIds' ? { scope: 'selected_notes' } : {}),
    };
    const schema = inputSchemaOf(testCase.procedure);
    const inputWith = (id: string) => ({
      ...(sampleOf(schema as never, samples, clock.now()) as Record<string, unknown>),
      [field]: testCase.kind === 'ids' ? [id] : id,
    });
    const before = await fingerprintOf(database.db, clinicB.organisationId);

    const foreign = await answerOf(call(clinicA.caller, path, inputWith(clinicB.objects[object])));
    const madeUp = await answerOf(call(clinicA.caller, path, inputWith(randomUUID())));

    expect(foreign, `${path}: another organisation's ${field} must answer like a made-up one`).toEqual(madeUp);
    expect(madeUp.code, `${path}: a made-up ${field} must be refused`).not.toBe('OK');
    // The base input is valid: the answer is about the id, not about another field of the sample.
    expect(madeUp.fieldErrors?.filter((error) => error.field !== field && !error.field.startsWith(`${field}.`)) ?? [], `${path}: the sample input failed on another field`).toEqual([]);
    expect(await fingerprintOf(database.db, clinicB.organisationId)).toEqual(before);
  });
});
