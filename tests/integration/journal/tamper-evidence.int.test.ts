import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { signedContentHash } from '../../../src/server/journal/content-hash';
import { verifyJournalHashes } from '../../../src/server/journal/verify';
import { sealEverything } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';

// AUD-4, JRN-3: the journal is anchored in the sealed audit log, so an insider with the database
// owner's rights and the triggers switched off cannot rewrite, unsign or drop a signed version
// without `journal:verify` naming it. Each attack here passed the content-hash check alone.

/** As the owner, with every trigger off (immutability and append-only included), in one transaction. */
function asOwnerWithoutTriggers(database: TestDatabase, fn: (trx: Kysely<any>) => Promise<void>): Promise<void> {
  return database.asOwner((owner) =>
    owner.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await fn(trx);
    }),
  );
}

/** A signed and amended note (versions 1 and 2) and a second signed note, all sealed. */
async function sealedJournal(database: TestDatabase) {
  const clock = new TestClock();
  const organisation = await createOrganisation(database.db);
  const clinician = await createUser(database.db, organisation.id, { roles: ['clinician'] });
  const caller = callerAs(database, (await login(database, clinician, clock)).token, clock);
  const { patientId } = await caller.patients.register({ nationalId: '15076500050', givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
  const { noteId: amendedNoteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-20', body: 'Hoste i tre uker.' });
  await caller.journal.sign({ noteId: amendedNoteId });
  await caller.journal.amend({ noteId: amendedNoteId, body: 'Hoste i fire uker.', reason: 'Feil varighet' });
  const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'phone', consultationDate: '2026-11-21', body: 'Prøvesvar normale.' });
  await caller.journal.sign({ noteId });
  expect(await sealEverything(database.db)).toMatchObject({ isIntact: true, pendingEvents: 0 });
  expect(await verifyJournalHashes(database.db)).toEqual({ checkedVersions: 3, mismatches: [], anchorProblems: [], pendingVersions: 0, legacyVersions: 0, deletedVersions: 0 });
  const eventOf = async (action: string, id: string) => {
    const events = (await eventsOf(database.db, { action })).filter((event) => event.object_id === id);
    expect(events, `${action} ${id}`).toHaveLength(1);
    return String(events[0]?.id);
  };
  return { patientId, noteId, amendedNoteId, eventOf, caller, clinician };
}

describe('AUD-4/JRN-3: signed journal versions are anchored in the sealed audit log', () => {
  const database = useTestDatabase();

  it('AUD-4/JRN-3: every signing event carries the version and its anchor, and nothing of the text', async () => {
    const { noteId, amendedNoteId } = await sealedJournal(database.current);
    const { db } = database.current;
    const signed = await eventsOf(db, { action: 'journal.note.signed' });
    const amended = await eventsOf(db, { action: 'journal.note.amended' });
    expect(signed.map((event) => [event.object_id, event.details.version])).toEqual([
      [amendedNoteId, 1],
      [noteId, 1],
    ]);
    expect(amended.map((event) => [event.object_id, event.details.version])).toEqual([[amendedNoteId, 2]]);
    for (const event of [...signed, ...amended]) {
      expect(event.details.anchor).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(event.details)).not.toMatch(/Hoste|Prøvesvar|varighet/);
    }
    // The anchor is not the content hash itself (ADR 0004: a bare hash of short text can be guessed).
    const hashes = await db.selectFrom('journal_note_version').select('content_hash').execute();
    const contentHashes = hashes.map((row) => Buffer.from(row.content_hash!).toString('hex'));
    for (const event of signed) expect(contentHashes).not.toContain(event.details.anchor);
  });

  it('AUD-4/JRN-3: a signed text changed and its content hash recomputed by the owner is found, naming note, version and event', async () => {
    const { noteId, eventOf } = await sealedJournal(database.current);
    await asOwnerWithoutTriggers(database.current, async (trx) => {
      const row = await trx
        .selectFrom('journal_note_version as v')
        .innerJoin('journal_note as n', 'n.id', 'v.note_id')
        .select(['v.id', 'n.patient_id', 'n.note_type', 'n.consultation_date', 'v.amendment_reason', 'v.signed_by', 'v.signed_at', 'v.signed_auth_method'])
        .where('v.note_id', '=', noteId)
        .executeTakeFirstOrThrow();
      const body = 'Prøvesvar viste forhøyet verdi; pasienten ble ikke informert.';
      const contentHash = signedContentHash({
        noteId,
        patientId: row.patient_id,
        version: 1,
        noteType: row.note_type,
        consultationDate: row.consultation_date,
        body,
        amendmentReason: row.amendment_reason,
        signedBy: row.signed_by,
        signedAt: row.signed_at,
        signedAuthMethod: row.signed_auth_method,
      });
      await sql`update journal_note_version set body = ${body}, content_hash = ${contentHash} where id = ${row.id}`.execute(trx);
    });
    const report = await verifyJournalHashes(database.current.db);
    // The content hash alone is fooled; the anchor is not.
    expect(report.mismatches).toEqual([]);
    expect(report.anchorProblems).toEqual([{ kind: 'anchor_mismatch', noteId, version: 1, eventId: await eventOf('journal.note.signed', noteId) }]);
  });

  it('AUD-4/JRN-3: a note "unsigned" by the owner (signer, time and hash cleared, text changed) is found, naming its signing event', async () => {
    const { noteId, eventOf } = await sealedJournal(database.current);
    await asOwnerWithoutTriggers(database.current, async (trx) => {
      await sql`update journal_note_version set signed_by = null, signed_at = null, signed_auth_method = null, content_hash = null, body = 'Ingen funn.'
                 where note_id = ${noteId}`.execute(trx);
      await sql`update journal_note set status = 'draft' where id = ${noteId}`.execute(trx);
    });
    const report = await verifyJournalHashes(database.current.db);
    expect(report).toMatchObject({ checkedVersions: 2, mismatches: [] });
    expect(report.anchorProblems).toEqual([{ kind: 'signature_removed', noteId, version: 1, eventId: await eventOf('journal.note.signed', noteId) }]);
  });

  it('AUD-4/JRN-4: an amendment deleted by the owner (the note reset to version 1) is found, naming the amendment event', async () => {
    const { amendedNoteId, eventOf } = await sealedJournal(database.current);
    await asOwnerWithoutTriggers(database.current, async (trx) => {
      await sql`delete from journal_note_version where note_id = ${amendedNoteId} and version = 2`.execute(trx);
      await sql`update journal_note set status = 'signed', current_version = 1 where id = ${amendedNoteId}`.execute(trx);
    });
    const report = await verifyJournalHashes(database.current.db);
    expect(report).toMatchObject({ checkedVersions: 2, mismatches: [] });
    expect(report.anchorProblems).toEqual([{ kind: 'version_missing', noteId: amendedNoteId, version: 2, eventId: await eventOf('journal.note.amended', amendedNoteId) }]);
  });

  it('AUD-4/JRN-4: a deletion decision forged without its deletion event does not account for the versions it removed', async () => {
    const { amendedNoteId, patientId, clinician, eventOf } = await sealedJournal(database.current);
    await asOwnerWithoutTriggers(database.current, async (trx) => {
      await trx
        .insertInto('journal_deletion')
        .values({
          organisation_id: clinician.organisationId,
          patient_id: patientId,
          note_id: amendedNoteId,
          versions_deleted: 2,
          legal_ground: 'not_necessary',
          is_harmless_for_general_interests: true,
          is_compatible_with_archive_law: true,
          requested_at: '2026-11-21',
          reason: 'Forfalsket vedtak.',
          decided_by: clinician.id,
          decided_at: new Date('2026-11-22T10:00:00Z'),
          consulted_author_id: null,
          author_not_consulted_reason: 'author_is_decider',
          // The insert trigger that sets it is off: the owner fills it in as the trigger would.
          txid: sql`pg_current_xact_id()::text::bigint`,
        })
        .execute();
      await sql`delete from journal_note_version where note_id = ${amendedNoteId}`.execute(trx);
      await sql`delete from journal_note where id = ${amendedNoteId}`.execute(trx);
    });
    const report = await verifyJournalHashes(database.current.db);
    expect(report).toMatchObject({ checkedVersions: 1, mismatches: [], deletedVersions: 0 });
    expect(report.anchorProblems).toEqual([
      { kind: 'version_missing', noteId: amendedNoteId, version: 1, eventId: await eventOf('journal.note.signed', amendedNoteId) },
      { kind: 'version_missing', noteId: amendedNoteId, version: 2, eventId: await eventOf('journal.note.amended', amendedNoteId) },
    ]);
  });

  it('AUD-4/JRN-3: a signed version inserted by the owner with a valid content hash but no signing event is found', async () => {
    const { noteId, clinician } = await sealedJournal(database.current);
    const signedAt = new Date('2026-11-22T09:30:00Z');
    await asOwnerWithoutTriggers(database.current, async (trx) => {
      const note = await trx.selectFrom('journal_note').select(['patient_id', 'note_type', 'consultation_date']).where('id', '=', noteId).executeTakeFirstOrThrow();
      const body = 'Tilføyd i ettertid.';
      const contentHash = signedContentHash({ noteId, patientId: note.patient_id, version: 2, noteType: note.note_type, consultationDate: note.consultation_date, body, amendmentReason: 'Tillegg', signedBy: clinician.id, signedAt, signedAuthMethod: 'password+totp' });
      await trx
        .insertInto('journal_note_version')
        .values({ organisation_id: clinician.organisationId, note_id: noteId, version: 2, body, amendment_reason: 'Tillegg', created_by: clinician.id, created_at: signedAt, updated_at: signedAt, signed_by: clinician.id, signed_at: signedAt, signed_auth_method: 'password+totp', content_hash: contentHash })
        .execute();
      await sql`update journal_note set status = 'amended', current_version = 2 where id = ${noteId}`.execute(trx);
    });
    const report = await verifyJournalHashes(database.current.db);
    expect(report).toMatchObject({ checkedVersions: 4, mismatches: [] });
    expect(report.anchorProblems).toEqual([{ kind: 'version_without_event', noteId, version: 2 }]);
  });

  it('AUD-4: versions whose events are not sealed yet are consistent but counted as pending until the next seal', async () => {
    const { patientId, caller } = await sealedJournal(database.current);
    const { noteId } = await caller.journal.createDraft({ patientId, noteType: 'letter', consultationDate: '2026-11-22', body: 'Epikrise mottatt.' });
    await caller.journal.sign({ noteId });
    expect(await verifyJournalHashes(database.current.db)).toMatchObject({ checkedVersions: 4, anchorProblems: [], pendingVersions: 1 });
    await sealEverything(database.current.db);
    expect(await verifyJournalHashes(database.current.db)).toMatchObject({ checkedVersions: 4, anchorProblems: [], pendingVersions: 0 });
  });

  it('AUD-4/JRN-4: a refused correction request, a signed note, carries its anchor as well', async () => {
    const { patientId, caller, eventOf } = await sealedJournal(database.current);
    const { noteId } = await caller.journal.recordCorrectionRefusal({ patientId, requestedAt: '2026-11-20', requestedChange: 'Fjern diagnosen', reasons: 'Diagnosen er riktig.' });
    await sealEverything(database.current.db);
    expect(await verifyJournalHashes(database.current.db)).toMatchObject({ checkedVersions: 4, anchorProblems: [], pendingVersions: 0 });
    await asOwnerWithoutTriggers(database.current, async (trx) => {
      await sql`delete from journal_note_version where note_id = ${noteId}`.execute(trx);
      await sql`delete from journal_note where id = ${noteId}`.execute(trx);
    });
    expect((await verifyJournalHashes(database.current.db)).anchorProblems).toEqual([
      { kind: 'version_missing', noteId, version: 1, eventId: await eventOf('journal.note.correction_refused', noteId) },
    ]);
  });
});
