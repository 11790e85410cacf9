import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { DEFAULT_NOTE_TEMPLATES } from '../../../src/server/journal/templates';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import { twoCliniciansAndPatient } from './journal-support';

const DAY = 24 * 60 * 60 * 1000;

/** A doctor with a patient and three signed notes of different types, dates and authors. */
async function journalWithNotes(database: TestDatabase) {
  const { clock, organisation, doctor, colleague, doctorCaller, colleagueCaller, patientId } = await twoCliniciansAndPatient(database, new TestClock(new Date('2026-11-22T10:00:00Z')));
  const write = async (caller: typeof doctorCaller, noteType: 'consultation' | 'phone' | 'letter', consultationDate: string, body: string) => {
    const { noteId } = await caller.journal.createDraft({ patientId, noteType, consultationDate, body });
    await caller.journal.sign({ noteId });
    return noteId;
  };
  const kneeNote = await write(doctorCaller, 'consultation', '2026-10-01', 'Smerter i høyre kne. Startet Metformin 500 mg.');
  const phoneNote = await write(doctorCaller, 'phone', '2026-11-01', 'Ringte om blodtrykk; 100% bedre.');
  await doctorCaller.access.addCareTeamMember({ patientId, userId: colleague.id });
  const letterNote = await write(colleagueCaller, 'letter', '2026-11-15', 'Henvisning til fysioterapi for kneet.');
  return { clock, organisation, doctor, colleague, doctorCaller, colleagueCaller, patientId, kneeNote, phoneNote, letterNote };
}

const idsOf = (page: { notes: { id: string }[] }) => page.notes.map((note) => note.id);

describe("the clinician's day in one journal (JRN-2, JRN-4, JRN-5, JRN-7, ACC-2, ACC-4, SHR-1)", () => {
  const database = useTestDatabase();

  it('JRN-2: notes are filtered by type, author and period on the server, and the keyset cursor keeps the filter', async () => {
    const { doctorCaller, colleague, patientId, kneeNote, phoneNote, letterNote } = await journalWithNotes(database.current);
    expect(idsOf(await doctorCaller.journal.notes({ patientId, filter: { noteTypes: ['phone', 'letter'] } }))).toEqual([letterNote, phoneNote]);
    expect(idsOf(await doctorCaller.journal.notes({ patientId, filter: { authorId: colleague.id } }))).toEqual([letterNote]);
    expect(idsOf(await doctorCaller.journal.notes({ patientId, filter: { from: '2026-10-15', to: '2026-11-10' } }))).toEqual([phoneNote]);
    const first = await doctorCaller.journal.notes({ patientId, limit: 1, filter: { noteTypes: ['consultation', 'phone'] } });
    expect(idsOf(first)).toEqual([phoneNote]);
    const second = await doctorCaller.journal.notes({ patientId, limit: 1, after: first.next!, filter: { noteTypes: ['consultation', 'phone'] } });
    expect(idsOf(second)).toEqual([kneeNote]);
    expect(second.next).toBeNull();
    await expect(doctorCaller.journal.notes({ patientId, filter: { from: '2026-11-10', to: '2026-11-01' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('JRN-2/AUD-6: the read event records the filter as codes and ids and the notes shown, never the search words', async () => {
    const { doctorCaller, doctor, patientId, kneeNote } = await journalWithNotes(database.current);
    await doctorCaller.journal.notes({ patientId, filter: { noteTypes: ['consultation'], from: '2026-01-01', text: 'metformin' } });
    const reads = (await eventsOf(database.current.db, { action: 'journal.notes.read', userId: doctor.id })).at(-1)!;
    expect(reads.details).toMatchObject({ noteIds: [kneeNote], filterNoteTypes: ['consultation'], filterFrom: '2026-01-01', textSearch: true });
    expect(JSON.stringify(reads)).not.toMatch(/metformin/iu);
  });

  it('JRN-2: the text search finds every word in any order, case-insensitively, and takes % and _ literally', async () => {
    const { doctorCaller, patientId, kneeNote, phoneNote, letterNote } = await journalWithNotes(database.current);
    expect(idsOf(await doctorCaller.journal.notes({ patientId, filter: { text: 'METFORMIN kne' } }))).toEqual([kneeNote]);
    expect(idsOf(await doctorCaller.journal.notes({ patientId, filter: { text: 'kne' } }))).toEqual([letterNote, kneeNote]);
    expect(idsOf(await doctorCaller.journal.notes({ patientId, filter: { text: '100%' } }))).toEqual([phoneNote]);
    expect(idsOf(await doctorCaller.journal.notes({ patientId, filter: { text: '%' } }))).toEqual([phoneNote]);
    expect(idsOf(await doctorCaller.journal.notes({ patientId, filter: { text: 'kne_' } }))).toEqual([]);
  });

  it('ACC-4: a note blocked for the user never matches a search', async () => {
    const { clock, doctorCaller, colleagueCaller, colleague, patientId, kneeNote, letterNote } = await journalWithNotes(database.current);
    await doctorCaller.access.setBlock({ patientId, blockedUserId: colleague.id, scope: 'selected_notes', noteIds: [kneeNote], requestedAt: clock.now().toISOString() });
    expect(idsOf(await colleagueCaller.journal.notes({ patientId, filter: { text: 'kne' } }))).toEqual([letterNote]);
    expect(idsOf(await colleagueCaller.journal.notes({ patientId, filter: { text: 'metformin' } }))).toEqual([]);
  });

  it('SHR-1: a read-share of chosen notes lets the search match only those notes; the banner shows the basis and its end', async () => {
    const { clock, organisation, doctorCaller, patientId, kneeNote, phoneNote } = await journalWithNotes(database.current);
    const reader = await createUser(database.current.db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Veileder' });
    const readerCaller = callerAs(database.current, (await login(database.current, reader, clock)).token, clock);
    const endsAt = new Date(clock.now().getTime() + 7 * DAY).toISOString();
    const { consentId } = await doctorCaller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'verbal', givenAt: clock.now().toISOString(), scope: 'selected_notes', purpose: 'Veiledning' });
    await doctorCaller.sharing.grant({ patientId, granteeId: reader.id, consentId, scope: 'selected_notes', noteIds: [phoneNote], purpose: 'Veiledning', endsAt });
    expect(idsOf(await readerCaller.journal.notes({ patientId, filter: { text: 'kne' } }))).toEqual([]);
    expect(idsOf(await readerCaller.journal.notes({ patientId, filter: { text: 'blodtrykk' } }))).toEqual([phoneNote]);
    expect(kneeNote).not.toBe(phoneNote);
    const record = await readerCaller.journal.open({ patientId });
    expect(record).toMatchObject({ basis: 'read_share', accessEndsAt: endsAt, isLimitedToSharedNotes: true });
    expect((await doctorCaller.journal.open({ patientId })).accessEndsAt).toBeNull();
  });

  it('ACC-3: the banner shows when break-glass access ends', async () => {
    const { clock, organisation, patientId } = await journalWithNotes(database.current);
    const stranger = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const strangerCaller = callerAs(database.current, (await login(database.current, stranger, clock)).token, clock);
    await strangerCaller.access.breakGlass({ patientId, reasonCode: 'emergency_treatment', reasonText: null, isWarningAcknowledged: true });
    const record = await strangerCaller.journal.open({ patientId });
    expect(record.basis).toBe('break_glass');
    expect(record.accessEndsAt).toBe(new Date(clock.now().getTime() + 4 * 60 * 60 * 1000).toISOString());
  });

  it('JRN-4: an amendment whose text equals the current version is refused with a field error on body, and nothing is written', async () => {
    const { doctorCaller, phoneNote } = await journalWithNotes(database.current);
    const error = await errorOf(doctorCaller.journal.amend({ noteId: phoneNote, body: 'Ringte om blodtrykk; 100% bedre.', reason: 'Ingen endring' }));
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(fieldErrorsFrom(error)).toEqual([expect.objectContaining({ field: 'body', messageKey: 'validation.amendment_unchanged' })]);
    expect((await doctorCaller.journal.history({ noteId: phoneNote })).versions).toHaveLength(1);
    await doctorCaller.journal.amend({ noteId: phoneNote, body: 'Ringte om blodtrykk; mye bedre.', reason: 'Presisering' });
    // The comparison is against the current version, not the original.
    await expect(doctorCaller.journal.amend({ noteId: phoneNote, body: 'Ringte om blodtrykk; mye bedre.', reason: 'Igjen' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('JRN-7: templates default per note type, an admin edits them (audited, without the text), clinicians read but may not edit', async () => {
    const { clock, organisation, doctorCaller } = await journalWithNotes(database.current);
    const admin = await createUser(database.current.db, organisation.id, { roles: ['admin'] });
    const adminCaller = callerAs(database.current, (await login(database.current, admin, clock)).token, clock);
    const defaults = await doctorCaller.journal.templates();
    expect(defaults.find((template) => template.noteType === 'consultation')).toMatchObject({ body: DEFAULT_NOTE_TEMPLATES.consultation, isCustom: false });
    expect(DEFAULT_NOTE_TEMPLATES.consultation).toMatch(/Anamnese[\s\S]*Funn[\s\S]*Vurdering[\s\S]*Tiltak/u);

    await expect(doctorCaller.journal.updateTemplate({ noteType: 'consultation', body: 'Hemmelig mal' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await adminCaller.journal.updateTemplate({ noteType: 'consultation', body: 'Årsak:\n\nPlan:\n' });
    clock.advance(1000);
    await adminCaller.journal.updateTemplate({ noteType: 'consultation', body: 'Årsak til kontakt:\n\nPlan:\n' });
    const edited = await doctorCaller.journal.templates();
    expect(edited.find((template) => template.noteType === 'consultation')).toMatchObject({ body: 'Årsak til kontakt:\n\nPlan:\n', isCustom: true, updatedByName: expect.any(String) });
    expect(edited.find((template) => template.noteType === 'phone')).toMatchObject({ body: DEFAULT_NOTE_TEMPLATES.phone, isCustom: false });

    const events = await eventsOf(database.current.db, { action: 'journal.template.updated' });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ user_id: admin.id, details: { noteType: 'consultation' } });
    expect(JSON.stringify(events)).not.toMatch(/Årsak/u);

    // Another organisation keeps the defaults.
    const other = await createOrganisation(database.current.db);
    const stranger = await createUser(database.current.db, other.id, { roles: ['clinician'] });
    const strangerCaller = callerAs(database.current, (await login(database.current, stranger, clock)).token, clock);
    expect((await strangerCaller.journal.templates()).find((template) => template.noteType === 'consultation')?.isCustom).toBe(false);
  });

  it.skipIf(!hasPdftotext())('JRN-5/JRN-4: the PDF says "Rettet av <name> (versjon n)" for an amended note and is marked confidential on every page', async () => {
    const { doctorCaller, colleagueCaller, patientId, kneeNote } = await journalWithNotes(database.current);
    await colleagueCaller.journal.amend({ noteId: kneeNote, body: 'Smerter i venstre kne.\n'.repeat(150), reason: 'Feil side' });
    const { pdfBase64 } = await doctorCaller.journal.print({ patientId });
    const pages = pdfText(pdfBase64).split('\f').filter((page) => page.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    const whole = pages.join('\n');
    expect(whole).toContain('Rettet av Dr. Kollega (versjon 2)');
    expect(whole).toContain('Begrunnelse for rettingen: Feil side');
    for (const page of pages) expect(page).toContain('Taushetsbelagt – helsepersonelloven § 21');
  });
});

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function pdfText(base64: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'jk-print-'));
  const path = join(folder, 'print.pdf');
  writeFileSync(path, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}
