import { describe, expect, it } from 'vitest';
import { callerAs, createOrganisation, createUser, eventsOf, login, type TestUser } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import { twoCliniciansAndPatient } from './journal-support';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function setting(database: TestDatabase) {
  const { clock, organisation, doctor, colleague, doctorCaller, colleagueCaller, patientId } = await twoCliniciansAndPatient(database);
  const { noteId } = await doctorCaller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-01', body: 'Signert notat.' });
  await doctorCaller.journal.sign({ noteId });
  const { noteId: secondNoteId } = await doctorCaller.journal.createDraft({ patientId, noteType: 'phone', consultationDate: '2026-11-02', body: 'Andre notat.' });
  await doctorCaller.journal.sign({ noteId: secondNoteId });
  // After the clock jumps past the session's idle or absolute timeout, log in again at the new time.
  const relogin = async (user: TestUser) => callerAs(database, (await login(database, user, clock)).token, clock);
  return { clock, organisation, doctor, colleague, doctorCaller, colleagueCaller, patientId, noteId, secondNoteId, relogin };
}

async function basisOf(caller: ReturnType<typeof callerAs>, patientId: string): Promise<string> {
  try {
    return (await caller.journal.open({ patientId })).basis;
  } catch (error) {
    return `denied:${(error as { message: string }).message}`;
  }
}

async function addAppointment(database: TestDatabase, organisationId: string, patientId: string, clinician: TestUser, startsAt: Date, status: 'booked' | 'completed' | 'cancelled' = 'booked') {
  await database.db.insertInto('appointment').values({ organisation_id: organisationId, patient_id: patientId, clinician_id: clinician.id, kind: 'consultation', starts_at: startsAt, status }).execute();
}

describe('the access decision (ACC-2…5, SHR-1…3)', () => {
  const database = useTestDatabase();

  it('ACC-2/ACC-5: no basis → denied, logged with the reason, and no patient data returned', async () => {
    const { colleagueCaller, patientId, colleague } = await setting(database.current);
    const error = await colleagueCaller.journal.open({ patientId }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: 'access.no_basis' });
    expect(JSON.stringify(error)).not.toContain('Nordmann');
    const denied = (await eventsOf(database.current.db, { userId: colleague.id })).filter((event) => event.outcome === 'denied');
    expect(denied).toEqual([expect.objectContaining({ action: 'journal.record.opened', reason: 'no_basis', patient_id: patientId })]);
  });

  it('ACC-2: each treatment-relationship basis admits; a cancelled or too old appointment does not', async () => {
    const { clock, organisation, colleague, colleagueCaller, patientId } = await setting(database.current);
    await addAppointment(database.current, organisation.id, patientId, colleague, new Date(clock.now().getTime() - 120 * DAY), 'completed');
    await addAppointment(database.current, organisation.id, patientId, colleague, new Date(clock.now().getTime() + DAY), 'cancelled');
    expect(await basisOf(colleagueCaller, patientId)).toBe('denied:access.no_basis');
    await addAppointment(database.current, organisation.id, patientId, colleague, new Date(clock.now().getTime() + 3 * DAY));
    expect(await basisOf(colleagueCaller, patientId)).toBe('treatment_relationship');
  });

  it('ACC-2: a recent consultation admits until the window closes', async () => {
    const { clock, organisation, colleague, colleagueCaller, patientId, relogin } = await setting(database.current);
    await addAppointment(database.current, organisation.id, patientId, colleague, new Date(clock.now().getTime() - 89 * DAY), 'completed');
    expect(await basisOf(colleagueCaller, patientId)).toBe('treatment_relationship');
    clock.advance(2 * DAY);
    expect(await basisOf(await relogin(colleague), patientId)).toBe('denied:access.no_basis');
  });

  it('ACC-2: care-team membership added by the treating clinician admits', async () => {
    const { doctorCaller, colleagueCaller, colleague, patientId } = await setting(database.current);
    await doctorCaller.access.addCareTeamMember({ patientId, userId: colleague.id });
    expect(await basisOf(colleagueCaller, patientId)).toBe('treatment_relationship');
  });

  it('SHR-1…3: a share needs consent; the grantee reads with basis read_share; withdrawal ends it at once', async () => {
    const { clock, doctorCaller, colleagueCaller, colleague, patientId, noteId } = await setting(database.current);
    await expect(
      doctorCaller.sharing.grant({ patientId, granteeId: colleague.id, consentId: '00000000-0000-4000-8000-000000000000', scope: 'whole_journal', purpose: 'Veiledning', endsAt: new Date(clock.now().getTime() + 7 * DAY).toISOString() }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await database.current.db.selectFrom('read_share').selectAll().execute()).toEqual([]);
    const { consentId } = await doctorCaller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'verbal', givenAt: clock.now().toISOString(), scope: 'whole_journal', purpose: 'Veiledning' });
    await doctorCaller.sharing.grant({ patientId, granteeId: colleague.id, consentId, scope: 'whole_journal', purpose: 'Veiledning', endsAt: new Date(clock.now().getTime() + 7 * DAY).toISOString() });
    expect(await basisOf(colleagueCaller, patientId)).toBe('read_share');
    const { notes } = await colleagueCaller.journal.notes({ patientId });
    expect(notes.map((note) => note.id)).toContain(noteId);
    const reads = await eventsOf(database.current.db, { action: 'journal.notes.read', userId: colleague.id });
    expect(reads.at(-1)).toMatchObject({ basis: 'read_share', outcome: 'allowed' });
    // A grantee reads; a grantee does not write.
    await expect(colleagueCaller.journal.createDraft({ patientId, noteType: 'other', consultationDate: '2026-11-22', body: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await doctorCaller.sharing.withdrawConsent({ consentId });
    expect(await basisOf(colleagueCaller, patientId)).toBe('denied:access.no_basis');
  });

  it('SHR-1: a share of chosen notes shows only those, and ends on its end date', async () => {
    const { clock, doctorCaller, colleagueCaller, colleague, patientId, noteId, secondNoteId, relogin } = await setting(database.current);
    const { consentId } = await doctorCaller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'written', givenAt: clock.now().toISOString(), scope: 'selected_notes', purpose: 'Second opinion' });
    await expect(
      doctorCaller.sharing.grant({ patientId, granteeId: colleague.id, consentId, scope: 'whole_journal', purpose: 'Second opinion', endsAt: new Date(clock.now().getTime() + DAY).toISOString() }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await doctorCaller.sharing.grant({ patientId, granteeId: colleague.id, consentId, scope: 'selected_notes', noteIds: [noteId], purpose: 'Second opinion', endsAt: new Date(clock.now().getTime() + DAY).toISOString() });
    expect((await colleagueCaller.journal.notes({ patientId })).notes.map((note) => note.id)).toEqual([noteId]);
    await expect(colleagueCaller.journal.history({ noteId: secondNoteId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    clock.advance(DAY + 1000);
    expect(await basisOf(await relogin(colleague), patientId)).toBe('denied:access.no_basis');
  });

  it('ACC-3: break-glass admits for 4 hours, logged with its coded reason and flagged for the DPO', async () => {
    const { clock, colleagueCaller, colleague, patientId, relogin } = await setting(database.current);
    await expect(colleagueCaller.access.breakGlass({ patientId, reasonCode: 'emergency_treatment', reasonText: 'Bevisstløs', isWarningAcknowledged: false as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await colleagueCaller.access.breakGlass({ patientId, reasonCode: 'emergency_treatment', reasonText: 'Bevisstløs i venterommet', isWarningAcknowledged: true });
    expect(await basisOf(colleagueCaller, patientId)).toBe('break_glass');
    const [event] = await eventsOf(database.current.db, { action: 'access.break_glass', userId: colleague.id });
    expect(event).toMatchObject({ basis: 'break_glass', reason: 'emergency_treatment', patient_id: patientId, details: expect.objectContaining({ flag: 'dpo_review' }) });
    expect(JSON.stringify(event)).not.toContain('Bevisstløs');
    clock.advance(4 * HOUR - 60_000);
    expect(await basisOf(await relogin(colleague), patientId)).toBe('break_glass');
    clock.advance(2 * 60_000);
    expect(await basisOf(await relogin(colleague), patientId)).toBe('denied:access.no_basis');
  });

  it.each(['relationship', 'share', 'break_glass'] as const)('ACC-4: a whole-journal block holds against %s', async (basis) => {
    const { clock, organisation, doctorCaller, colleagueCaller, colleague, patientId } = await setting(database.current);
    if (basis === 'relationship') await addAppointment(database.current, organisation.id, patientId, colleague, clock.now());
    if (basis === 'share') {
      const { consentId } = await doctorCaller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'verbal', givenAt: clock.now().toISOString(), scope: 'whole_journal', purpose: 'Veiledning' });
      await doctorCaller.sharing.grant({ patientId, granteeId: colleague.id, consentId, scope: 'whole_journal', purpose: 'Veiledning', endsAt: new Date(clock.now().getTime() + DAY).toISOString() });
    }
    if (basis === 'break_glass') await colleagueCaller.access.breakGlass({ patientId, reasonCode: 'emergency_treatment', reasonText: null, isWarningAcknowledged: true });
    expect(await basisOf(colleagueCaller, patientId)).not.toMatch(/^denied/);
    await doctorCaller.access.setBlock({ patientId, blockedUserId: colleague.id, scope: 'whole_journal', requestedAt: clock.now().toISOString() });
    expect(await basisOf(colleagueCaller, patientId)).toBe('denied:access.blocked');
    await expect(colleagueCaller.access.breakGlass({ patientId, reasonCode: 'emergency_treatment', reasonText: null, isWarningAcknowledged: true })).rejects.toMatchObject({ message: 'access.blocked' });
  });

  it('ACC-4: a block of chosen notes hides them, and the clinician is told blocked information exists', async () => {
    const { clock, organisation, doctorCaller, colleagueCaller, colleague, patientId, noteId, secondNoteId } = await setting(database.current);
    await addAppointment(database.current, organisation.id, patientId, colleague, clock.now());
    const { blockId } = await doctorCaller.access.setBlock({ patientId, blockedUserId: colleague.id, scope: 'selected_notes', noteIds: [noteId], requestedAt: clock.now().toISOString() });
    const record = await colleagueCaller.journal.open({ patientId });
    expect(record.hasBlockedNotes).toBe(true);
    expect((await colleagueCaller.journal.notes({ patientId })).notes.map((note) => note.id)).toEqual([secondNoteId]);
    await expect(colleagueCaller.journal.history({ noteId })).rejects.toMatchObject({ message: 'access.blocked' });
    await doctorCaller.access.liftBlock({ blockId });
    expect((await colleagueCaller.journal.notes({ patientId })).notes).toHaveLength(2);
  });

  it('JRN-1/AUD-6: search shows only patients the user may open, and logs which it showed', async () => {
    const { doctorCaller, colleagueCaller, colleague, patientId } = await setting(database.current);
    await doctorCaller.patients.register({ nationalId: '01010100131', givenName: 'Ola', familyName: 'Nordmann', dateOfBirth: '1901-01-01', gender: 'male' }).catch(() => undefined);
    expect((await doctorCaller.patients.search({ query: 'nord' })).map((patient) => patient.id)).toContain(patientId);
    expect(await colleagueCaller.patients.search({ query: 'nord' })).toEqual([]);
    expect((await doctorCaller.patients.search({ query: '15076500050' })).map((patient) => patient.id)).toEqual([patientId]);
    expect((await doctorCaller.patients.search({ query: '15.07.1965' })).map((patient) => patient.id)).toEqual([patientId]);
    const searches = await eventsOf(database.current.db, { action: 'patient.search' });
    expect(searches[0]?.details).toMatchObject({ shownPatientIds: expect.arrayContaining([patientId]) });
    expect((await eventsOf(database.current.db, { action: 'patient.search', userId: colleague.id }))[0]?.details).toMatchObject({ shownPatientIds: [] });
  });

  it('PLAT-3: a patient of another organisation is "not found", exactly like a made-up id', async () => {
    const { patientId, clock } = await setting(database.current);
    const other = await createOrganisation(database.current.db);
    const stranger = await createUser(database.current.db, other.id, { roles: ['clinician'] });
    const strangerCaller = callerAs(database.current, (await login(database.current, stranger, clock)).token, clock);
    const foreign = await strangerCaller.journal.open({ patientId }).catch((error: unknown) => error);
    const madeUp = await strangerCaller.journal.open({ patientId: '00000000-0000-4000-8000-000000000000' }).catch((error: unknown) => error);
    // What reaches the client is the code and the message: identical for both.
    const shape = (error: unknown) => ({ code: (error as { code: string }).code, message: (error as { message: string }).message });
    expect(shape(foreign)).toEqual({ code: 'NOT_FOUND', message: 'error.not_found' });
    expect(shape(foreign)).toEqual(shape(madeUp));
  });
});

describe('break-glass by national identity number (ACC-3)', () => {
  const database = useTestDatabase();

  it('ACC-3: a clinician whose search shows nothing can break the glass with the number; an unknown number is "not found"', async () => {
    const { colleagueCaller, colleague, patientId } = await setting(database.current);
    expect(await colleagueCaller.patients.search({ query: '15076500050' })).toEqual([]);
    await expect(
      colleagueCaller.access.breakGlass({ nationalId: '01010100131', reasonCode: 'emergency_treatment', reasonText: null, isWarningAcknowledged: true }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'error.not_found' });
    const granted = await colleagueCaller.access.breakGlass({ nationalId: '15076500050', reasonCode: 'patient_unconscious', reasonText: null, isWarningAcknowledged: true });
    expect(granted.patientId).toBe(patientId);
    expect(await basisOf(colleagueCaller, patientId)).toBe('break_glass');
    const events = await eventsOf(database.current.db, { action: 'access.break_glass', userId: colleague.id });
    expect(events.map((event) => [event.outcome, event.reason])).toEqual([
      ['denied', 'patient_not_found'],
      ['allowed', 'patient_unconscious'],
    ]);
    await expect(
      colleagueCaller.access.breakGlass({ patientId, nationalId: '15076500050', reasonCode: 'emergency_treatment', reasonText: null, isWarningAcknowledged: true }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
