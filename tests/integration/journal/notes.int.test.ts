import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyJournalHashes } from '../../../src/server/journal/verify';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';

// A synthetic-free, valid fødselsnummer (checksum-valid, 15.07.1965, a woman's).
const NATIONAL_ID = '15076500050';

const patientDetails = {
  nationalId: NATIONAL_ID,
  givenName: 'Kari',
  familyName: 'Nordmann',
  dateOfBirth: '1965-07-15',
  gender: 'female' as const,
};

describe('journal notes (JRN-2, JRN-3, JRN-4)', () => {
  const database = useTestDatabase();

  async function clinicianWithPatient() {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const { token } = await login(database.current, user, clock);
    const caller = callerAs(database.current, token, clock);
    const { patientId } = await caller.patients.register(patientDetails);
    return { clock, organisation, user, token, caller, patientId };
  }

  it('JRN-2/JRN-3: a draft is saved, signed with hash and auth method, and then listed as signed', async () => {
    const { caller, patientId, user } = await clinicianWithPatient();
    const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: 'Utkast' });
    await caller.journal.saveDraft({ noteId, body: 'Pasienten har vondt i halsen.' });
    await caller.journal.sign({ noteId });
    const { notes } = await caller.journal.notes({ patientId });
    expect(notes).toEqual([expect.objectContaining({ id: noteId, status: 'signed', body: 'Pasienten har vondt i halsen.', authorId: user.id })]);
    const version = await database.current.db.selectFrom('journal_note_version').selectAll().where('note_id', '=', noteId).executeTakeFirstOrThrow();
    expect(version).toMatchObject({ signed_by: user.id, signed_auth_method: 'password+totp' });
    expect(version.content_hash).toHaveLength(32);
    const signed = await eventsOf(database.current.db, { action: 'journal.note.signed' });
    expect(signed).toEqual([expect.objectContaining({ patient_id: patientId, object_id: noteId, basis: 'treatment_relationship', client_ip: null })]);
  });

  it('JRN-3: signed text cannot change, even by direct SQL as the application role', async () => {
    const { caller, patientId } = await clinicianWithPatient();
    const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'phone', consultationDate: '2026-11-22', body: 'Telefon med pasient.' });
    await caller.journal.sign({ noteId });
    await expect(sql`update journal_note_version set body = 'forfalsket' where note_id = ${noteId}`.execute(database.current.db)).rejects.toThrow();
    await expect(sql`delete from journal_note_version where note_id = ${noteId}`.execute(database.current.db)).rejects.toThrow();
    // Not even the owner, whose rights are not limited by grants: the trigger holds.
    await expect(database.current.asOwner((owner) => sql`update journal_note_version set body = 'forfalsket' where note_id = ${noteId}`.execute(owner))).rejects.toThrow(/signed journal version/);
    await expect(caller.journal.saveDraft({ noteId, body: 'ny tekst' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('JRN-4: amending keeps the original; history shows both with who, when and why', async () => {
    const { caller, patientId, clock } = await clinicianWithPatient();
    const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-20', body: 'Opprinnelig tekst.' });
    await caller.journal.sign({ noteId });
    clock.advance(60_000);
    await caller.journal.amend({ noteId, body: 'Rettet tekst.', reason: 'Feil dosering ført opp' });
    const history = await caller.journal.history({ noteId });
    expect(history.status).toBe('amended');
    expect(history.versions.map((version) => [version.version, version.body, version.amendmentReason])).toEqual([
      [1, 'Opprinnelig tekst.', null],
      [2, 'Rettet tekst.', 'Feil dosering ført opp'],
    ]);
    expect(history.versions.every((version) => version.signedAt !== null)).toBe(true);
  });

  it('AUTH-5: signing needs a second factor within the last 5 minutes', async () => {
    const { caller, patientId, clock } = await clinicianWithPatient();
    const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: 'Tekst.' });
    clock.advance(6 * 60_000);
    await expect(caller.journal.sign({ noteId })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'auth.step_up_required' });
    const status = await database.current.db.selectFrom('journal_note').select('status').where('id', '=', noteId).executeTakeFirstOrThrow();
    expect(status.status).toBe('draft');
  });

  it('JRN-2: another clinician neither sees nor edits a draft that is not theirs', async () => {
    const { caller, patientId, organisation, clock } = await clinicianWithPatient();
    const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: 'Mitt utkast.' });
    const colleague = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    await database.current.db
      .insertInto('care_relationship')
      .values({ organisation_id: organisation.id, patient_id: patientId, user_id: colleague.id, kind: 'care_team', starts_at: new Date('2026-01-01'), ends_at: null, created_by: null })
      .execute();
    const colleagueCaller = callerAs(database.current, (await login(database.current, colleague, clock)).token, clock);
    expect((await colleagueCaller.journal.notes({ patientId })).notes).toEqual([]);
    await expect(colleagueCaller.journal.saveDraft({ noteId, body: 'endret' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('journal:verify and concurrent amendments (JRN-3, JRN-4)', () => {
  const database = useTestDatabase();

  it('JRN-3: journal:verify finds nothing wrong, then names a version whose text was altered behind the triggers', async () => {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const caller = callerAs(database.current, (await login(database.current, user, clock)).token, clock);
    const { patientId } = await caller.patients.register(patientDetails);
    const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: 'Original.' });
    await caller.journal.sign({ noteId });
    await caller.journal.amend({ noteId, body: 'Rettet.', reason: 'Skrivefeil' });
    expect(await verifyJournalHashes(database.current.db)).toEqual({ checkedVersions: 2, mismatches: [], anchorProblems: [], pendingVersions: 2, legacyVersions: 0, deletedVersions: 0 });
    await database.current.asOwner(async (owner) => {
      await sql`alter table journal_note_version disable trigger journal_note_version_immutable`.execute(owner);
      await sql`update journal_note_version set body = 'Forfalsket.' where note_id = ${noteId} and version = 1`.execute(owner);
      await sql`alter table journal_note_version enable trigger journal_note_version_immutable`.execute(owner);
    });
    expect(await verifyJournalHashes(database.current.db)).toMatchObject({ checkedVersions: 2, mismatches: [{ noteId, version: 1 }] });
  });

  it('JRN-4: two clinicians amending the same note at once both get their version; none is lost', async () => {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const first = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const second = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const firstCaller = callerAs(database.current, (await login(database.current, first, clock)).token, clock);
    const secondCaller = callerAs(database.current, (await login(database.current, second, clock)).token, clock);
    const { patientId } = await firstCaller.patients.register(patientDetails);
    await firstCaller.access.addCareTeamMember({ patientId, userId: second.id });
    const { noteId } = await firstCaller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: 'Original.' });
    await firstCaller.journal.sign({ noteId });
    const results = await Promise.all([
      firstCaller.journal.amend({ noteId, body: 'Rettelse A.', reason: 'Grunn A' }),
      secondCaller.journal.amend({ noteId, body: 'Rettelse B.', reason: 'Grunn B' }),
    ]);
    expect(results.map((result) => result.version).sort()).toEqual([2, 3]);
    const history = await firstCaller.journal.history({ noteId });
    expect(history.versions.map((version) => version.body).sort()).toEqual(['Original.', 'Rettelse A.', 'Rettelse B.']);
  });
});

describe('refused correction requests (JRN-4)', () => {
  const database = useTestDatabase();

  it('JRN-4: a refused correction request is recorded in the journal as a signed note with its reasons', async () => {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const caller = callerAs(database.current, (await login(database.current, user, clock)).token, clock);
    const { patientId } = await caller.patients.register(patientDetails);
    const { noteId } = await caller.journal.recordCorrectionRefusal({ patientId, requestedAt: '2026-11-20', requestedChange: 'Fjerne diagnosen F32', reasons: 'Diagnosen er faglig begrunnet og riktig ført.' });
    const { notes } = await caller.journal.notes({ patientId });
    expect(notes).toEqual([expect.objectContaining({ id: noteId, noteType: 'correction_refused', status: 'signed' })]);
    expect(notes[0]?.body).toContain('Anmodning om retting mottatt 20.11.2026');
    expect(notes[0]?.body).toContain('Diagnosen er faglig begrunnet');
    expect(await verifyJournalHashes(database.current.db)).toMatchObject({ mismatches: [] });
    const [event] = await eventsOf(database.current.db, { action: 'journal.note.correction_refused' });
    expect(JSON.stringify(event)).not.toContain('F32');
  });
});

describe('input the database cannot store (PLAT-6)', () => {
  const database = useTestDatabase();

  it('PLAT-6: a NUL character in a note is a 400 with nothing written, not a 500', async () => {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const caller = callerAs(database.current, (await login(database.current, user, clock)).token, clock);
    const { patientId } = await caller.patients.register(patientDetails);
    await expect(caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: 'før\u0000etter' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await database.current.db.selectFrom('journal_note').selectAll().execute()).toEqual([]);
  });
});
