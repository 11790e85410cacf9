import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { claimInstallationMode } from '../../../src/server/db/installation';
import { DEMO_PASSWORD, seedDemo } from '../../../src/server/demo/seed';
import { verifyJournalHashes } from '../../../src/server/journal/verify';
import { sealEverything } from '../audit/audit-helpers';
import { callerAs, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller, testSecretBox } from '../support/test-server';

describe('the demo journal (PLAT-5)', () => {
  const database = useTestDatabase();

  it('PLAT-5, JRN-6: the demo shows each access case (relationships, a booked consultation, a read-share with consent, a block) and a clinician\'s day', async () => {
    await claimInstallationMode(database.current.db, 'demo');
    const demo = await seedDemo(database.current.db, testSecretBox);
    const clock = new TestClock(new Date());
    const loginAs = async (email: string) => {
      const login = demo.logins.find((candidate) => candidate.email === email)!;
      const caller = createTestCaller(database.current, { now: clock.now, config: { isDemo: true } });
      const first = await caller.auth.login.password({ email, password: DEMO_PASSWORD, deviceId: null });
      if (first.step !== 'second_factor') throw new Error('demo users are enrolled');
      const { token } = await caller.auth.login.secondFactor({ ticket: first.ticket, code: await totpCodeAt(login.totpSecret, clock.now()) });
      clock.advance(30_000);
      return callerAs(database.current, token, clock);
    };
    const lars = await loginAs('lege@demo.journalkontor.no');
    expect((await lars.patients.search({ query: 'nordmann' })).map((patient) => patient.familyName)).toEqual(['Nordmann']);
    const kari = (await lars.patients.search({ query: 'kari' }))[0]!;
    const { notes } = await lars.journal.notes({ patientId: kari.id });
    expect(notes.length).toBe(5);
    expect(notes.some((note) => note.status === 'amended')).toBe(true);
    // JRN-4: one note deleted by a documented decision; the record shows the decision, not the note.
    const deletions = await lars.journal.deletions({ patientId: kari.id });
    expect(deletions).toEqual([expect.objectContaining({ decidedByName: 'Lars Lege', legalGround: 'incorrect_or_misleading', versionsDeleted: 1, authorNotConsultedReason: 'author_is_decider' })]);
    expect(notes.map((note) => note.id)).not.toContain(deletions[0]!.noteId);

    const pia = await loginAs('psykolog@demo.journalkontor.no');
    const names = (await Promise.all(['berg', 'hansen', 'solberg'].map((query) => pia.patients.search({ query })))).flat().map((patient) => patient.familyName);
    expect(names.sort()).toEqual(['Berg', 'Hansen']);
    const ola = (await lars.patients.search({ query: 'hansen' }))[0]!;
    expect((await pia.journal.open({ patientId: ola.id })).basis).toBe('read_share');
    const ingrid = (await lars.patients.search({ query: 'solberg' }))[0]!;
    await expect(pia.journal.open({ patientId: ingrid.id })).rejects.toMatchObject({ message: 'access.blocked' });
    // JRN-6: the demo's day — Lars has consultations and a home visit today, and a draft past the 3-day limit; Pia sees Per.
    const larsDay = await lars.start.today();
    expect(larsDay.appointments.map((entry) => [entry.kind, entry.patient?.familyName])).toEqual([
      ['consultation', 'Nordmann'],
      ['consultation', 'Hansen'],
      ['home_visit', 'Ødegård'],
      ['consultation', 'Solberg'],
    ]);
    expect(larsDay.drafts).toEqual([expect.objectContaining({ isOverdue: true, ageDays: 5, patient: expect.objectContaining({ familyName: 'Hansen' }) })]);
    expect((await pia.start.today()).appointments.map((entry) => entry.patient?.familyName)).toEqual(['Berg']);
    // AUD-4: the seeded journal is anchored in its audit log; the seeded events verify.
    expect(await sealEverything(database.current.db)).toMatchObject({ isIntact: true });
    expect(await verifyJournalHashes(database.current.db)).toEqual({ checkedVersions: 9, mismatches: [], anchorProblems: [], pendingVersions: 0, legacyVersions: 0, deletedVersions: 1 });
  });
});
