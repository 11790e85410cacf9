import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyJournalHashes } from '../../../src/server/journal/verify';
import type { NoteDeletionInput } from '../../../src/shared/journal-deletion';
import { errorOf, fieldErrorsFrom, sealEverything } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';

// JRN-4 (helsepersonelloven §§ 43–44, NORMEN-NOTES R-HPL-3, R-INN-4): journal content is deleted
// only through a documented deletion decision, which keeps that it happened, by whom and why, and
// not what was deleted.

const DAY = 24 * 60 * 60 * 1000;
const ORIGINAL = 'HEMMELIG-OPPRINNELIG: pasienten fortalte om ekteskapet.';
const AMENDED = 'HEMMELIG-RETTET: pasienten fortalte om ekteskapet og om naboen.';
const AMENDMENT_REASON = 'HEMMELIG-RETTEGRUNN naboen';
const REASON = 'Pasienten ba om sletting; notatet gjaldt en annen pasient (forveksling).';

async function setting(database: TestDatabase, clock = new TestClock()) {
  const db = database.db;
  const organisation = await createOrganisation(db);
  const author = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Forfatter' });
  const decider = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Journalansvarlig' });
  const colleague = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Kollega' });
  const authorCaller = callerAs(database, (await login(database, author, clock)).token, clock);
  const deciderCaller = callerAs(database, (await login(database, decider, clock)).token, clock);
  const colleagueCaller = callerAs(database, (await login(database, colleague, clock)).token, clock);
  const { patientId } = await authorCaller.patients.register({ nationalId: '15076500050', givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
  await authorCaller.access.addCareTeamMember({ patientId, userId: decider.id });
  const { noteId } = await authorCaller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-01', body: ORIGINAL });
  await authorCaller.journal.sign({ noteId });
  await authorCaller.journal.amend({ noteId, body: AMENDED, reason: AMENDMENT_REASON });
  const { noteId: keptNoteId } = await authorCaller.journal.createDraft({ patientId, noteType: 'phone', consultationDate: '2026-11-02', body: 'Et notat som blir stående.' });
  await authorCaller.journal.sign({ noteId: keptNoteId });
  const request = (overrides: Partial<NoteDeletionInput> = {}) =>
    ({
      noteId,
      legalGround: 'incorrect_or_misleading',
      isHarmlessForGeneralInterests: true,
      isCompatibleWithArchiveLaw: true,
      requestedAt: '2026-11-20',
      authorConsultation: 'consulted',
      reason: REASON,
      ...overrides,
    }) as NoteDeletionInput & { isHarmlessForGeneralInterests: true; isCompatibleWithArchiveLaw: true };
  return { clock, organisation, author, decider, colleague, authorCaller, deciderCaller, colleagueCaller, patientId, noteId, keptNoteId, request };
}

/** Everything the owner can see of a note: its row and its versions (the application role may be limited). */
async function remainsOf(database: TestDatabase, noteId: string) {
  return database.asOwner(async (owner) => ({
    notes: await owner.selectFrom('journal_note').selectAll().where('id', '=', noteId).execute(),
    versions: await owner.selectFrom('journal_note_version').selectAll().where('note_id', '=', noteId).execute(),
  }));
}

describe('the documented deletion decision (JRN-4)', () => {
  const database = useTestDatabase();

  it('JRN-4, VIS-3: a note that documents a completed home visit can still be deleted by decision; the visit keeps its reference to the deleted note', async () => {
    const { clock, organisation, author, deciderCaller, patientId, noteId, request } = await setting(database.current);
    const now = clock.now();
    const { id: bookingId } = await database.current.db
      .insertInto('home_visit_booking')
      .values({
        organisation_id: organisation.id, source: 'phone', idempotency_key: null, full_name: 'Kari Nordmann', street: 'Gate 1', postcode: '0150', city: 'Oslo',
        gender: 'female', date_of_birth: '1965-07-15', national_id: null, phone: '+4791234567', email: null, reason: 'Besøk', urgency: 'normal',
        earliest_at: now, latest_at: new Date(now.getTime() + 3_600_000), zone_id: null, status: 'completed', doctor_id: author.id, assigned_at: now,
        accepted_at: now, eta: now, en_route_at: now, arrived_at: now, completed_at: now, cancelled_at: null, cancel_reason: null, patient_id: patientId,
        documentation_note_id: noteId, appointment_id: null, retention_hold: null, retention_hold_by: null, retention_hold_at: null, anonymised_at: null,
        created_at: now, created_by: null, updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const result = await deciderCaller.journal.deleteNote(request());

    expect(result.versionsDeleted).toBe(2);
    expect(await remainsOf(database.current, noteId)).toEqual({ notes: [], versions: [] });
    // The visit still says which note documented it: the id the deletion decision names.
    const booking = await database.current.db.selectFrom('home_visit_booking').select(['status', 'documentation_note_id']).where('id', '=', bookingId).executeTakeFirstOrThrow();
    expect(booking).toEqual({ status: 'completed', documentation_note_id: noteId });
  });

  it('JRN-4: deletion removes every version of the text and records who decided, when, on what ground and why — not the content', async () => {
    const { clock, author, decider, deciderCaller, authorCaller, patientId, noteId, keptNoteId, request } = await setting(database.current);
    const result = await deciderCaller.journal.deleteNote(request());
    expect(result.versionsDeleted).toBe(2);

    // Gone for everyone, the owner included: no note row, no version of its text.
    expect(await remainsOf(database.current, noteId)).toEqual({ notes: [], versions: [] });
    expect((await authorCaller.journal.notes({ patientId })).notes.map((note) => note.id)).toEqual([keptNoteId]);
    expect(await errorOf(authorCaller.journal.history({ noteId }))).toMatchObject({ code: 'NOT_FOUND' });

    const [decision, ...others] = await database.current.asOwner((owner) => owner.selectFrom('journal_deletion').selectAll().execute());
    expect(others).toEqual([]);
    expect(decision).toMatchObject({
      id: result.deletionId,
      patient_id: patientId,
      note_id: noteId,
      versions_deleted: 2,
      legal_ground: 'incorrect_or_misleading',
      is_harmless_for_general_interests: true,
      is_compatible_with_archive_law: true,
      requested_at: '2026-11-20',
      reason: REASON,
      decided_by: decider.id,
      decided_at: clock.now(),
      consulted_author_id: author.id,
      author_not_consulted_reason: null,
    });
    expect(JSON.stringify(decision)).not.toMatch(/HEMMELIG|ekteskapet|naboen/);

    // The event: ids and codes only — neither the deleted text nor the reason.
    const [event] = await eventsOf(database.current.db, { action: 'journal.note.deleted' });
    expect(event).toMatchObject({
      outcome: 'allowed',
      user_id: decider.id,
      patient_id: patientId,
      object_type: 'journal_note',
      object_id: noteId,
      basis: 'treatment_relationship',
      details: { deletionId: result.deletionId, legalGround: 'incorrect_or_misleading', versionsDeleted: 2, authorConsultation: 'consulted' },
    });
    const everyEvent = JSON.stringify(await eventsOf(database.current.db));
    expect(everyEvent).not.toMatch(/HEMMELIG|ekteskapet|naboen|forveksling/);

    // The record shows the fact to those who may read the journal, and logs that it did.
    const deletions = await authorCaller.journal.deletions({ patientId });
    expect(deletions).toEqual([
      {
        id: result.deletionId,
        noteId,
        decidedAt: clock.now().toISOString(),
        decidedByName: 'Dr. Journalansvarlig',
        legalGround: 'incorrect_or_misleading',
        requestedAt: '2026-11-20',
        versionsDeleted: 2,
        consultedAuthorName: 'Dr. Forfatter',
        authorNotConsultedReason: null,
        reason: REASON,
      },
    ]);
    expect(await eventsOf(database.current.db, { action: 'journal.deletions.read', userId: author.id })).toEqual([
      expect.objectContaining({ patient_id: patientId, basis: 'treatment_relationship', details: expect.objectContaining({ deletionIds: [result.deletionId] }) }),
    ]);

    // journal:verify checks what is left and finds nothing wrong; the audit log's seals still prove it intact.
    // AUD-4: the two signing events of the deleted note are accounted for by its decision and event.
    expect(await sealEverything(database.current.db)).toMatchObject({ isIntact: true, firstProblem: undefined });
    expect(await verifyJournalHashes(database.current.db)).toEqual({ checkedVersions: 1, mismatches: [], anchorProblems: [], pendingVersions: 0, legacyVersions: 0, deletedVersions: 2 });
  });

  it('JRN-4: the author may decide on their own note, saying so; a note can be deleted only once', async () => {
    const { authorCaller, author, patientId, noteId, request } = await setting(database.current);
    await authorCaller.journal.deleteNote(request({ authorConsultation: 'author_is_decider', legalGround: 'not_necessary' }));
    const [decision] = await authorCaller.journal.deletions({ patientId });
    expect(decision).toMatchObject({ noteId, consultedAuthorName: null, authorNotConsultedReason: 'author_is_decider', legalGround: 'not_necessary' });
    const again = await errorOf(authorCaller.journal.deleteNote(request({ authorConsultation: 'author_is_decider' })));
    expect(again).toMatchObject({ code: 'NOT_FOUND', message: 'error.not_found' });
    expect(await eventsOf(database.current.db, { action: 'journal.note.deleted', userId: author.id })).toEqual([
      expect.objectContaining({ outcome: 'allowed' }),
      expect.objectContaining({ outcome: 'denied', reason: 'not_found', patient_id: null }),
    ]);
  });

  it('JRN-4: an amendment racing a deletion either comes first and is deleted with the rest, or finds the note gone', async () => {
    const { authorCaller, deciderCaller, noteId, request } = await setting(database.current);
    const [amended, deleted] = await Promise.allSettled([authorCaller.journal.amend({ noteId, body: 'Tredje versjon.', reason: 'Tillegg' }), deciderCaller.journal.deleteNote(request())]);
    expect(deleted.status).toBe('fulfilled');
    if (amended.status === 'rejected') expect(amended.reason).toMatchObject({ code: 'NOT_FOUND' });
    expect(deleted.status === 'fulfilled' ? deleted.value.versionsDeleted : 0).toBe(amended.status === 'fulfilled' ? 3 : 2);
    expect(await remainsOf(database.current, noteId)).toEqual({ notes: [], versions: [] });
  });

  it('AUTH-5: deleting needs a second factor within the last 5 minutes', async () => {
    const { clock, deciderCaller, noteId, request } = await setting(database.current);
    clock.advance(6 * 60_000);
    expect(await errorOf(deciderCaller.journal.deleteNote(request()))).toMatchObject({ code: 'FORBIDDEN', message: 'auth.step_up_required' });
    expect((await remainsOf(database.current, noteId)).versions).toHaveLength(2);
  });
});

describe('who may delete (JRN-4, ACC-2…5)', () => {
  const database = useTestDatabase();

  async function expectRefused(database: TestDatabase, call: Promise<unknown>, refusal: { userId: string; noteId: string; message: string; object: [string, string] }) {
    expect(await errorOf(call)).toMatchObject({ code: 'FORBIDDEN', message: refusal.message });
    expect((await remainsOf(database, refusal.noteId)).versions).toHaveLength(2);
    expect(await database.asOwner((owner) => owner.selectFrom('journal_deletion').selectAll().execute())).toEqual([]);
    const events = await eventsOf(database.db, { action: 'journal.note.deleted', userId: refusal.userId });
    expect(events).toEqual([expect.objectContaining({ outcome: 'denied', object_type: refusal.object[0], object_id: refusal.object[1] })]);
  }

  it('ACC-2, SHR-1: a read-share is for reading: the grantee is refused, and the refusal logged', async () => {
    const { clock, authorCaller, colleagueCaller, colleague, patientId, noteId, request } = await setting(database.current);
    const { consentId } = await authorCaller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'verbal', givenAt: clock.now().toISOString(), scope: 'whole_journal', purpose: 'Veiledning' });
    await authorCaller.sharing.grant({ patientId, granteeId: colleague.id, consentId, scope: 'whole_journal', purpose: 'Veiledning', endsAt: new Date(clock.now().getTime() + 7 * DAY).toISOString() });
    await expectRefused(database.current, colleagueCaller.journal.deleteNote(request({ authorConsultation: 'author_unavailable' })), { userId: colleague.id, noteId, message: 'access.no_basis', object: ['journal_note', noteId] });
    const [event] = await eventsOf(database.current.db, { action: 'journal.note.deleted', userId: colleague.id });
    expect(event).toMatchObject({ reason: 'needs_treatment_relationship', patient_id: patientId });
  });

  it('ACC-3: break-glass is for emergencies, not for deleting: refused and logged', async () => {
    const { colleagueCaller, colleague, patientId, noteId, request } = await setting(database.current);
    await colleagueCaller.access.breakGlass({ patientId, reasonCode: 'emergency_treatment', reasonText: null, isWarningAcknowledged: true });
    await expectRefused(database.current, colleagueCaller.journal.deleteNote(request()), { userId: colleague.id, noteId, message: 'access.no_basis', object: ['journal_note', noteId] });
  });

  it('ACC-4: a clinician blocked from the journal, or from the note, is refused and the refusal logged', async () => {
    const { clock, authorCaller, deciderCaller, decider, patientId, noteId, request } = await setting(database.current);
    const { blockId } = await authorCaller.access.setBlock({ patientId, blockedUserId: decider.id, scope: 'selected_notes', noteIds: [noteId], requestedAt: clock.now().toISOString() });
    await expectRefused(database.current, deciderCaller.journal.deleteNote(request()), { userId: decider.id, noteId, message: 'access.blocked', object: ['journal_note', noteId] });
    await authorCaller.access.liftBlock({ blockId });
    await authorCaller.access.setBlock({ patientId, blockedUserId: decider.id, scope: 'whole_journal', requestedAt: clock.now().toISOString() });
    expect(await errorOf(deciderCaller.journal.deleteNote(request()))).toMatchObject({ code: 'FORBIDDEN', message: 'access.blocked' });
    expect((await remainsOf(database.current, noteId)).versions).toHaveLength(2);
  });

  it('ACC-2: a clinician with no basis at all is refused', async () => {
    const { colleagueCaller, colleague, patientId, noteId, request } = await setting(database.current);
    // Refused by the access decision itself, before the note matters: logged against the patient.
    await expectRefused(database.current, colleagueCaller.journal.deleteNote(request()), { userId: colleague.id, noteId, message: 'access.no_basis', object: ['patient', patientId] });
  });

  it('JRN-2, PLAT-3: a draft, an unknown id and a note of another organisation get the same answer as an unknown note', async () => {
    const { clock, authorCaller, author, patientId, request } = await setting(database.current);
    const { noteId: draftId } = await authorCaller.journal.createDraft({ patientId, noteType: 'other', consultationDate: '2026-11-22', body: 'Et utkast.' });
    const other = await createOrganisation(database.current.db);
    const stranger = await createUser(database.current.db, other.id, { roles: ['clinician'] });
    const strangerCaller = callerAs(database.current, (await login(database.current, stranger, clock)).token, clock);
    const { patientId: strangerPatientId } = await strangerCaller.patients.register({ nationalId: '15076500565', givenName: 'Ola', familyName: 'Fremmed', dateOfBirth: '1965-07-15', gender: 'male' });
    const { noteId: foreignNoteId } = await strangerCaller.journal.createDraft({ patientId: strangerPatientId, noteType: 'other', consultationDate: '2026-11-22', body: 'Fremmed notat.' });
    await strangerCaller.journal.sign({ noteId: foreignNoteId });

    const shape = (error: { code: string; message: string; cause?: unknown }) => ({ code: error.code, message: error.message, cause: error.cause });
    const own = { authorConsultation: 'author_is_decider' as const };
    const draft = shape(await errorOf(authorCaller.journal.deleteNote(request({ noteId: draftId, ...own }))));
    const unknown = shape(await errorOf(authorCaller.journal.deleteNote(request({ noteId: '00000000-0000-4000-8000-000000000000', ...own }))));
    const foreign = shape(await errorOf(authorCaller.journal.deleteNote(request({ noteId: foreignNoteId, ...own }))));
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: 'error.not_found' });
    expect(draft).toEqual(unknown);
    expect(foreign).toEqual(unknown);
    expect(await database.current.asOwner((owner) => owner.selectFrom('journal_note').select('id').where('id', 'in', [draftId, foreignNoteId]).execute())).toHaveLength(2);
    // Logged alike too: no patient named, whatever the id was.
    const denied = await eventsOf(database.current.db, { action: 'journal.note.deleted', userId: author.id });
    expect(denied.map((event) => [event.outcome, event.reason, event.patient_id])).toEqual([
      ['denied', 'not_found', null],
      ['denied', 'not_found', null],
      ['denied', 'not_found', null],
    ]);
  });

  it('ACC-4, SHR-1: the deletion decisions follow the notes’ own visibility', async () => {
    const { clock, authorCaller, colleagueCaller, colleague, organisation, patientId, noteId, keptNoteId, request } = await setting(database.current);
    await database.current.db
      .insertInto('appointment')
      .values({ organisation_id: organisation.id, patient_id: patientId, clinician_id: colleague.id, kind: 'consultation', starts_at: clock.now() })
      .execute();
    await authorCaller.access.setBlock({ patientId, blockedUserId: colleague.id, scope: 'selected_notes', noteIds: [noteId], requestedAt: clock.now().toISOString() });
    const { deletionId } = await authorCaller.journal.deleteNote(request({ authorConsultation: 'author_is_decider' }));
    expect(await colleagueCaller.journal.deletions({ patientId })).toEqual([]);
    const { consentId } = await authorCaller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'written', givenAt: clock.now().toISOString(), scope: 'selected_notes', purpose: 'Second opinion' });
    const third = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const thirdCaller = callerAs(database.current, (await login(database.current, third, clock)).token, clock);
    await authorCaller.sharing.grant({ patientId, granteeId: third.id, consentId, scope: 'selected_notes', noteIds: [keptNoteId], purpose: 'Second opinion', endsAt: new Date(clock.now().getTime() + DAY).toISOString() });
    expect(await thirdCaller.journal.deletions({ patientId })).toEqual([]);
    expect((await authorCaller.journal.deletions({ patientId })).map((deletion) => deletion.id)).toEqual([deletionId]);
  });
});

describe('bad input (JRN-4, PLAT-6)', () => {
  const database = useTestDatabase();

  async function nothingWritten(database: TestDatabase, noteId: string) {
    expect((await remainsOf(database, noteId)).versions).toHaveLength(2);
    expect(await database.asOwner((owner) => owner.selectFrom('journal_deletion').selectAll().execute())).toEqual([]);
    expect(await eventsOf(database.db, { action: 'journal.note.deleted' })).toEqual([]);
  }

  it('PLAT-6: unconfirmed conditions, an unknown ground, a short reason and a bad date are coded field errors, with nothing written', async () => {
    const { deciderCaller, noteId, request } = await setting(database.current);
    const error = await errorOf(
      deciderCaller.journal.deleteNote({
        ...request(),
        legalGround: 'because' as never,
        isHarmlessForGeneralInterests: false as never,
        isCompatibleWithArchiveLaw: false as never,
        requestedAt: '20.11.2026',
        authorConsultation: 'nobody' as never,
        reason: ' kort ',
      }),
    );
    const byField = Object.fromEntries(fieldErrorsFrom(error).map((fieldError) => [fieldError.field, fieldError.messageKey]));
    expect(byField).toEqual({
      legalGround: 'validation.deletion_ground',
      isHarmlessForGeneralInterests: 'validation.deletion_condition',
      isCompatibleWithArchiveLaw: 'validation.deletion_condition',
      requestedAt: 'validation.date',
      authorConsultation: 'validation.required',
      reason: 'validation.deletion_reason_short',
    });
    expect(fieldErrorsFrom(error).find((fieldError) => fieldError.field === 'reason')?.params).toMatchObject({ limit: 20 });
    expect(JSON.stringify(error)).not.toContain('kort');
    await nothingWritten(database.current, noteId);
  });

  it('PLAT-6: a request date in the future (Oslo time), and an author consultation that is not true, are field errors', async () => {
    // 00:10 in Oslo on 23.11 is still 22.11 in UTC: the 23rd is today for the patient, the 24th the future.
    const { deciderCaller, authorCaller, patientId, noteId, request } = await setting(database.current, new TestClock(new Date('2026-11-22T23:10:00Z')));
    expect(fieldErrorsFrom(await errorOf(deciderCaller.journal.deleteNote(request({ requestedAt: '2026-11-24' }))))).toEqual([
      expect.objectContaining({ field: 'requestedAt', messageKey: 'validation.date_in_future' }),
    ]);
    expect(fieldErrorsFrom(await errorOf(deciderCaller.journal.deleteNote(request({ authorConsultation: 'author_is_decider' }))))).toEqual([
      expect.objectContaining({ field: 'authorConsultation', messageKey: 'validation.deletion_not_author' }),
    ]);
    expect(fieldErrorsFrom(await errorOf(authorCaller.journal.deleteNote(request({ authorConsultation: 'consulted' }))))).toEqual([
      expect.objectContaining({ field: 'authorConsultation', messageKey: 'validation.deletion_is_author' }),
    ]);
    await nothingWritten(database.current, noteId);
    await deciderCaller.journal.deleteNote(request({ requestedAt: '2026-11-23' }));
    expect((await deciderCaller.journal.deletions({ patientId })).map((deletion) => deletion.requestedAt)).toEqual(['2026-11-23']);
  });
});

describe('the database holds the rule (JRN-3, JRN-4)', () => {
  const database = useTestDatabase();

  it('JRN-4: as the application role, a signed note or version cannot be deleted without a decision, nor can a decision be recorded without the deletion', async () => {
    const { organisation, author, decider, patientId, noteId } = await setting(database.current);
    const { db } = database.current;
    await expect(sql`delete from journal_note_version where note_id = ${noteId}`.execute(db)).rejects.toThrow(/deletion decision/);
    await expect(sql`delete from journal_note where id = ${noteId}`.execute(db)).rejects.toThrow();
    const decisionValues = {
      organisation_id: organisation.id,
      patient_id: patientId,
      note_id: noteId,
      versions_deleted: 2,
      legal_ground: 'not_necessary' as const,
      is_harmless_for_general_interests: true,
      is_compatible_with_archive_law: true,
      requested_at: '2026-11-20',
      reason: REASON,
      decided_by: decider.id,
      decided_at: new Date(),
      consulted_author_id: author.id,
      author_not_consulted_reason: null,
    };
    // A decision that is not carried out cannot commit: it would record a deletion that did not happen.
    await expect(db.transaction().execute((trx) => trx.insertInto('journal_deletion').values(decisionValues).execute())).rejects.toThrow(/not deleted/);
    // A decision that does not tell the truth about the note is refused.
    await expect(db.transaction().execute((trx) => trx.insertInto('journal_deletion').values({ ...decisionValues, versions_deleted: 1 }).execute())).rejects.toThrow(/every version/);
    await expect(db.transaction().execute((trx) => trx.insertInto('journal_deletion').values({ ...decisionValues, consulted_author_id: decider.id }).execute())).rejects.toThrow(/author/);
    expect((await remainsOf(database.current, noteId)).versions).toHaveLength(2);
    expect(await db.selectFrom('journal_deletion').selectAll().execute()).toEqual([]);
  });

  it('JRN-4: a decision lets only its own transaction delete; it can be neither changed nor removed afterwards, even by the owner', async () => {
    const { organisation, patientId, noteId, author, deciderCaller, request } = await setting(database.current);
    const { db } = database.current;
    const { deletionId } = await deciderCaller.journal.deleteNote(request());
    await expect(sql`update journal_deletion set reason = 'annen grunn som er lang nok' where id = ${deletionId}`.execute(db)).rejects.toThrow();
    await expect(sql`delete from journal_deletion where id = ${deletionId}`.execute(db)).rejects.toThrow();
    await expect(database.current.asOwner((owner) => sql`update journal_deletion set reason = 'annen grunn som er lang nok' where id = ${deletionId}`.execute(owner))).rejects.toThrow(/cannot change/);
    await expect(database.current.asOwner((owner) => sql`delete from journal_deletion where id = ${deletionId}`.execute(owner))).rejects.toThrow(/cannot change/);
    await expect(database.current.asOwner((owner) => sql`truncate journal_deletion`.execute(owner))).rejects.toThrow(/cannot change/);
    // A note written later under the same id is not covered by the old decision.
    await db.insertInto('journal_note').values({ id: noteId, organisation_id: organisation.id, patient_id: patientId, author_id: author.id, note_type: 'other', consultation_date: '2026-11-22', status: 'signed' }).execute();
    await expect(sql`delete from journal_note where id = ${noteId}`.execute(db)).rejects.toThrow(/deletion decision/);
    expect(await db.selectFrom('journal_deletion').select('id').execute()).toEqual([{ id: deletionId }]);
  });

  it('JRN-3: signed text still cannot be changed, and the journal cannot be truncated', async () => {
    const { noteId } = await setting(database.current);
    await expect(sql`update journal_note_version set body = 'forfalsket' where note_id = ${noteId}`.execute(database.current.db)).rejects.toThrow(/signed journal version/);
    await expect(database.current.asOwner((owner) => sql`truncate journal_note_version, journal_note`.execute(owner))).rejects.toThrow(/truncated/);
    expect((await remainsOf(database.current, noteId)).versions).toHaveLength(2);
  });
});
