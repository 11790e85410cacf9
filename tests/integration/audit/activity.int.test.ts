import { describe, expect, it } from 'vitest';
import { errorOf, fieldErrorsFrom } from './audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock, type TestUser } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';

const KARI = { nationalId: '15076500050', givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' as const };
const HOUR = 60 * 60 * 1000;

async function clinic(database: TestDatabase) {
  const clock = new TestClock();
  const organisation = await createOrganisation(database.db);
  const doctor = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const colleague = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const as = async (user: TestUser) => callerAs(database, (await login(database, user, clock)).token, clock);
  const doctorCaller = await as(doctor);
  const { patientId } = await doctorCaller.patients.register(KARI);
  return { clock, doctor, colleague, as, doctorCaller, patientId };
}

describe('Min aktivitet: the patient concerned, filters and paging (AUD-7, AUD-6)', () => {
  const database = useTestDatabase();

  it('AUD-7, ACC-5: the patient is named only where the user may open them now; otherwise "a patient", without id or name', async () => {
    const { clock, colleague, doctor, as, patientId } = await clinic(database.current);
    const colleagueCaller = await as(colleague);
    // The colleague has no basis: the refused registration concerns Kari, but Kari stays unnamed.
    await errorOf(colleagueCaller.patients.register(KARI));
    const refused = await colleagueCaller.activity.mine({ actionGroup: 'patient' });
    expect(refused.events.map((event) => [event.action, event.outcome, event.patient, event.objectId])).toEqual([['patient.registered', 'denied', { isVisible: false }, null]]);
    const answer = JSON.stringify(refused);
    for (const secret of [patientId, 'Kari', 'Nordmann']) expect(answer).not.toContain(secret);

    // Under break-glass the colleague may open Kari, so her name shows, for those four hours only.
    await colleagueCaller.access.breakGlass({ patientId, reasonCode: 'emergency_treatment', reasonText: null, isWarningAcknowledged: true });
    const during = await colleagueCaller.activity.mine({ actionGroup: 'patient' });
    expect(during.events[0]?.patient).toEqual({ isVisible: true, id: patientId, givenName: 'Kari', familyName: 'Nordmann' });
    clock.advance(5 * HOUR);
    const after = await (await as(colleague)).activity.mine({ actionGroup: 'patient' });
    expect(after.events[0]?.patient).toEqual({ isVisible: false });

    // The doctor, who treats Kari, sees her name beside the registration.
    const mine = await (await as(doctor)).activity.mine({ actionGroup: 'patient' });
    expect(mine.events.map((event) => [event.action, event.patient])).toEqual([['patient.registered', { isVisible: true, id: patientId, givenName: 'Kari', familyName: 'Nordmann' }]]);
  });

  it('AUD-6: a page that names patients logs, in its one read event, the ids it named (and only those)', async () => {
    const { colleague, as, doctor, doctorCaller, patientId } = await clinic(database.current);
    const colleagueCaller = await as(colleague);
    await errorOf(colleagueCaller.patients.register(KARI));
    await colleagueCaller.activity.mine({});
    await doctorCaller.activity.mine({});
    const [colleagueRead] = await eventsOf(database.current.db, { action: 'audit.read.own', userId: colleague.id });
    const [doctorRead] = await eventsOf(database.current.db, { action: 'audit.read.own', userId: doctor.id });
    expect(colleagueRead?.details).toMatchObject({ shownPatientIds: [] });
    expect(doctorRead?.details).toMatchObject({ shownPatientIds: [patientId] });
  });

  it('AUD-7: a period in Oslo days and a group of actions narrow the events; keyset pages walk the narrowed list without gaps or overlaps', async () => {
    const { clock, doctor, as } = await clinic(database.current);
    // 22.11 (Oslo) 10:00: the registration above. 23.11 00:30 Oslo is still 22.11 in UTC.
    clock.set(new Date('2026-11-22T23:30:00Z'));
    const lateCaller = await as(doctor);
    await lateCaller.patients.search({ query: 'nord' });
    clock.set(new Date('2026-11-24T12:00:00Z'));
    const caller = await as(doctor);
    for (const query of ['kari', 'nord', 'nordmann']) await caller.patients.search({ query });

    const actionsOf = async (input: Parameters<typeof caller.activity.mine>[0]) => (await caller.activity.mine({ limit: 200, ...input })).events.map((event) => event.action);
    expect(await actionsOf({ from: '2026-11-22', to: '2026-11-22', actionGroup: 'patient' })).toEqual(['patient.registered']);
    expect(await actionsOf({ from: '2026-11-23', to: '2026-11-23', actionGroup: 'patient' })).toEqual(['patient.search']);
    expect(await actionsOf({ from: '2026-11-24', actionGroup: 'patient' })).toHaveLength(3);
    const logins = await actionsOf({ to: '2026-11-23', actionGroup: 'auth' });
    expect(logins.length).toBeGreaterThanOrEqual(2);
    expect(logins.every((action) => action.startsWith('auth.'))).toBe(true);

    const expected = (
      await database.current.db.selectFrom('audit_event').select('id').where('user_id', '=', doctor.id).where('action', 'like', 'patient.%').orderBy('id', 'desc').execute()
    ).map((row) => String(row.id));
    const walked: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await caller.activity.mine({ limit: 2, actionGroup: 'patient', ...(before ? { before } : {}) });
      walked.push(...result.events.map((event) => event.id));
      if (result.nextBefore === null) break;
      before = result.nextBefore;
    }
    expect(walked).toEqual(expected);
    expect(expected).toHaveLength(5);
  });

  it('AUD-7, PLAT-6: a reversed period and an unknown group are refused naming the field, and nothing is read', async () => {
    const { doctor, doctorCaller } = await clinic(database.current);
    const reads = async () => (await eventsOf(database.current.db, { action: 'audit.read.own', userId: doctor.id })).length;
    const before = await reads();
    for (const [input, field] of [
      [{ from: '2026-11-23', to: '2026-11-22' }, 'to'],
      [{ actionGroup: 'dpo' }, 'actionGroup'],
      [{ from: '22.11.2026' }, 'from'],
    ] as const) {
      const error = await errorOf(doctorCaller.activity.mine(input as never));
      expect(fieldErrorsFrom(error).map((fieldError) => fieldError.field), JSON.stringify(input)).toEqual([field]);
    }
    expect(await reads()).toBe(before);
  });
});
