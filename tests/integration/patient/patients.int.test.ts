import { describe, expect, it } from 'vitest';
import { parseNationalIdentityNumber } from '../../../src/shared/national-identity-number';
import { syntheticNationalId } from '../../../src/server/demo/journal-seed';
import { errorOf, eventCount, fieldErrorsFrom } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';

// Valid fødselsnumre (check digits computed independently): Kari, a woman born 15.07.1965; Per, a man born 15.07.1989.
const KARI = { nationalId: '15076500050', givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' as const };
const PER_NUMBER = '15078900161';

async function clinic(database: TestDatabase) {
  const clock = new TestClock();
  const organisation = await createOrganisation(database.db);
  const doctor = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const colleague = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const doctorCaller = callerAs(database, (await login(database, doctor, clock)).token, clock);
  const colleagueCaller = callerAs(database, (await login(database, colleague, clock)).token, clock);
  const { patientId } = await doctorCaller.patients.register(KARI);
  return { clock, organisation, doctor, colleague, doctorCaller, colleagueCaller, patientId };
}

const fieldsOf = async (call: Promise<unknown>) => fieldErrorsFrom(await errorOf(call)).map((error) => [error.field, error.messageKey]);

describe('patient search by fødselsnummer (JRN-1)', () => {
  const database = useTestDatabase();

  it('JRN-1: an 11-digit query with wrong check digits is a field error on the query, not an empty search (so the app offers no break-glass)', async () => {
    const { doctorCaller } = await clinic(database.current);
    const before = await eventCount(database.current.db);
    expect(await fieldsOf(doctorCaller.patients.search({ query: '15076500051' }))).toEqual([['query', 'validation.nationalIdentityNumber.checksum']]);
    expect(await fieldsOf(doctorCaller.patients.search({ query: '150765 00051' }))).toEqual([['query', 'validation.nationalIdentityNumber.checksum']]);
    // Valid check digits but no such day.
    expect(await fieldsOf(doctorCaller.patients.search({ query: '32136500000' }))).not.toEqual([]);
    // Nothing was searched, so nothing was shown or logged.
    expect(await eventCount(database.current.db)).toBe(before);
    // A valid number is searched as before; a name or date is not a number.
    expect(await doctorCaller.patients.search({ query: '150765 00050' })).toHaveLength(1);
    expect(await doctorCaller.patients.search({ query: '15.07.1965' })).toHaveLength(1);
  });

  it('JRN-1: a synthetic test number is searched in demo mode only', async () => {
    const { clock, doctor } = await clinic(database.current);
    const synthetic = syntheticNationalId('1985-07-15', 3, 'female');
    const asDemo = createTestCaller(database.current, { now: clock.now, config: { isDemo: true } }, { bearerToken: (await login(database.current, doctor, clock)).token });
    expect(await asDemo.patients.search({ query: synthetic })).toEqual([]);
    expect(await fieldsOf(callerAs(database.current, (await login(database.current, doctor, clock)).token, clock).patients.search({ query: synthetic }))).toEqual([
      ['query', 'validation.nationalIdentityNumber.synthetic_not_allowed'],
    ]);
  });
});

describe('date of birth and gender agree with the number (JRN-1)', () => {
  const database = useTestDatabase();

  it('JRN-1: a man’s number born in 1989 cannot register a woman born 01.01.1901; nothing is written', async () => {
    const { doctorCaller } = await clinic(database.current);
    const before = await database.current.db.selectFrom('patient').select('id').execute();
    expect(await fieldsOf(doctorCaller.patients.register({ nationalId: PER_NUMBER, givenName: 'Per', familyName: 'Hansen', dateOfBirth: '1901-01-01', gender: 'female' }))).toEqual([
      ['dateOfBirth', 'validation.dateOfBirth_contradicts_number'],
      ['gender', 'validation.gender_contradicts_number'],
    ]);
    expect(await database.current.db.selectFrom('patient').select('id').execute()).toEqual(before);
    // What the number states registers; `other` and `unknown` say nothing the number contradicts.
    const stated = parseNationalIdentityNumber(PER_NUMBER);
    expect(stated).toMatchObject({ ok: true, birthDate: '1989-07-15', gender: 'male' });
    await doctorCaller.patients.register({ nationalId: PER_NUMBER, givenName: 'Per', familyName: 'Hansen', dateOfBirth: '1989-07-15', gender: 'unknown' });
  });

  it('JRN-1: a D-number’s date is the day minus 40; an update that contradicts the number is refused too', async () => {
    const { doctorCaller, patientId } = await clinic(database.current);
    // D-number 41019000077: 01.01.1990, a woman (computed independently).
    expect(await fieldsOf(doctorCaller.patients.register({ nationalId: '41019000077', givenName: 'Ana', familyName: 'Silva', dateOfBirth: '1990-01-02', gender: 'female' }))).toEqual([
      ['dateOfBirth', 'validation.dateOfBirth_contradicts_number'],
    ]);
    await doctorCaller.patients.register({ nationalId: '41019000077', givenName: 'Ana', familyName: 'Silva', dateOfBirth: '1990-01-01', gender: 'female' });

    expect(await fieldsOf(doctorCaller.patients.update({ patientId, details: { ...KARI, gender: 'male' } }))).toEqual([['details.gender', 'validation.gender_contradicts_number']]);
    expect(await fieldsOf(doctorCaller.patients.update({ patientId, details: { ...KARI, dateOfBirth: '1965-07-16' } }))).toEqual([['details.dateOfBirth', 'validation.dateOfBirth_contradicts_number']]);
    const row = await database.current.db.selectFrom('patient').select(['date_of_birth', 'gender']).where('id', '=', patientId).executeTakeFirstOrThrow();
    expect(row).toEqual({ date_of_birth: '1965-07-15', gender: 'female' });
    await doctorCaller.patients.update({ patientId, details: { ...KARI, phone: '+4791234567' } });
  });

  it('JRN-1, PLAT-5: every demo patient’s date of birth and gender agree with their synthetic number', async () => {
    const { seedDemo } = await import('../../../src/server/demo/seed');
    const { claimInstallationMode } = await import('../../../src/server/db/installation');
    const { testSecretBox } = await import('../support/test-server');
    await claimInstallationMode(database.current.db, 'demo');
    await seedDemo(database.current.db, testSecretBox);
    const patients = await database.current.db.selectFrom('patient').select(['national_id', 'date_of_birth', 'gender']).execute();
    expect(patients.length).toBeGreaterThanOrEqual(5);
    for (const patient of patients) {
      expect(parseNationalIdentityNumber(patient.national_id, { allowSynthetic: true }), patient.national_id).toMatchObject({ ok: true, birthDate: patient.date_of_birth, gender: patient.gender });
    }
  });
});

describe('registering a number that is already registered (JRN-1, ACC-3, ACC-5, ADR 0010)', () => {
  const database = useTestDatabase();

  it('JRN-1: a clinician who may open the patient is told the number is taken (and finds them by searching it)', async () => {
    const { doctorCaller, patientId } = await clinic(database.current);
    expect(await fieldsOf(doctorCaller.patients.register({ ...KARI, givenName: 'Kari Anne' }))).toEqual([['nationalId', 'validation.nationalId_taken']]);
    expect((await doctorCaller.patients.search({ query: KARI.nationalId })).map((patient) => patient.id)).toEqual([patientId]);
  });

  it('ACC-5, ACC-3: a clinician without access learns no name or data, only the way through break-glass; the attempt is logged with the patient concerned, flagged for the DPO', async () => {
    const { colleagueCaller, colleague, patientId } = await clinic(database.current);
    const patientsBefore = await database.current.db.selectFrom('patient').select('id').execute();
    const error = await errorOf(colleagueCaller.patients.register({ ...KARI, givenName: 'Karianne', familyName: 'Olsen' }));
    expect({ code: error.code, message: error.message }).toEqual({ code: 'CONFLICT', message: 'patient.may_exist' });
    const answer = JSON.stringify({ message: error.message, cause: error.cause });
    for (const secret of [patientId, 'Kari', 'Nordmann', KARI.dateOfBirth]) expect(answer).not.toContain(secret);
    expect(await database.current.db.selectFrom('patient').select('id').execute()).toEqual(patientsBefore);

    const attempts = await eventsOf(database.current.db, { action: 'patient.registered', userId: colleague.id });
    expect(attempts.map((event) => ({ outcome: event.outcome, reason: event.reason, patientId: event.patient_id }))).toEqual([{ outcome: 'denied', reason: 'national_id_registered', patientId }]);
    expect(attempts[0]?.details).toMatchObject({ flag: 'dpo_review', decision: 'no_basis' });

    // The way offered: break-glass by the number, with its warning, logged and granted.
    const granted = await colleagueCaller.access.breakGlass({ nationalId: KARI.nationalId, reasonCode: 'emergency_treatment', reasonText: null, isWarningAcknowledged: true });
    expect(granted.patientId).toBe(patientId);
    expect((await colleagueCaller.journal.open({ patientId })).basis).toBe('break_glass');
    // With break-glass access the clinician may open the patient: now the number is simply taken.
    expect(await fieldsOf(colleagueCaller.patients.register(KARI))).toEqual([['nationalId', 'validation.nationalId_taken']]);
  });

  it('ACC-4, ACC-5: a blocked clinician gets the same answer as one without a basis', async () => {
    const { doctorCaller, colleagueCaller, colleague, patientId, clock } = await clinic(database.current);
    const unrelated = await errorOf(colleagueCaller.patients.register(KARI));
    await doctorCaller.access.setBlock({ patientId, blockedUserId: colleague.id, scope: 'whole_journal', requestedAt: clock.now().toISOString() });
    const blocked = await errorOf(colleagueCaller.patients.register(KARI));
    expect({ code: blocked.code, message: blocked.message }).toEqual({ code: unrelated.code, message: unrelated.message });
  });

  it('ACC-5: changing a patient’s number to another patient’s takes the same logged path', async () => {
    const { doctorCaller, colleagueCaller, colleague, patientId } = await clinic(database.current);
    const { patientId: perId } = await colleagueCaller.patients.register({ nationalId: PER_NUMBER, givenName: 'Per', familyName: 'Hansen', dateOfBirth: '1989-07-15', gender: 'male' });
    const error = await errorOf(colleagueCaller.patients.update({ patientId: perId, details: { ...KARI, givenName: 'Per', familyName: 'Hansen' } }));
    expect({ code: error.code, message: error.message }).toEqual({ code: 'CONFLICT', message: 'patient.may_exist' });
    const attempts = await eventsOf(database.current.db, { action: 'patient.updated', userId: colleague.id });
    expect(attempts.map((event) => [event.outcome, event.reason, event.patient_id])).toEqual([['denied', 'national_id_registered', patientId]]);
    const per = await database.current.db.selectFrom('patient').select('national_id').where('id', '=', perId).executeTakeFirstOrThrow();
    expect(per.national_id).toBe(PER_NUMBER);
    // The doctor treats both? No: only Kari. For the doctor, Per's number is the unreachable one.
    expect((await errorOf(doctorCaller.patients.update({ patientId, details: { ...KARI, nationalId: PER_NUMBER, dateOfBirth: '1989-07-15', gender: 'male' } }))).message).toBe('patient.may_exist');
  });
});
