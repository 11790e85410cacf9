import { type KyselyPlugin, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestCaller } from '../support/test-server';
import { eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { twoCliniciansAndPatient } from './journal-support';

/** Counts the statements a database handle executes (each is one round trip: reads run without a transaction). */
function countingPlugin() {
  const statements: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      statements.push(args.queryId.queryId);
      return args.result;
    },
  };
  return { plugin, statements };
}

describe('issue 13: opening a journal is one request and one statement with its events (ADR 0017)', () => {
  const database = useTestDatabase();

  async function journalWithNotes(count: number) {
    const setting = await twoCliniciansAndPatient(database.current);
    for (let index = 0; index < count; index++) {
      const { noteId } = await setting.doctorCaller.journal.createDraft({ patientId: setting.patientId, noteType: 'consultation', consultationDate: `2026-10-${String(index + 1).padStart(2, '0')}`, body: `Notat ${index + 1}.` });
      await setting.doctorCaller.journal.sign({ noteId });
    }
    return setting;
  }

  it('ACC-2, AUD-6: journal.open returns header, basis and the first page, and logs one event naming exactly the notes shown', async () => {
    const { doctorCaller, doctor, patientId } = await journalWithNotes(3);
    const opened = await doctorCaller.journal.open({ patientId, limit: 2 });
    expect(opened.patient).toMatchObject({ id: patientId, familyName: 'Nordmann' });
    expect(opened.basis).toBe('treatment_relationship');
    expect(opened.notes.notes.map((note) => note.body)).toEqual(['Notat 3.', 'Notat 2.']);
    expect(opened.notes.next).not.toBeNull();
    const events = (await eventsOf(database.current.db, { userId: doctor.id })).filter((event) => event.action.startsWith('journal.') && event.action !== 'journal.note.signed' && event.action !== 'journal.note.draft_created');
    // One event for the open: the header and the first page, with the ids of the notes it showed.
    expect(events.map((event) => [event.action, event.outcome, event.basis, event.patient_id, event.object_type, event.object_id])).toEqual([
      ['journal.record.opened', 'allowed', 'treatment_relationship', patientId, 'patient', patientId],
    ]);
    expect((events[0]?.details as { noteIds: string[] }).noteIds).toEqual(opened.notes.notes.map((note) => note.id));

    // The next page through journal.notes: the rest, and its own event naming them.
    const rest = await doctorCaller.journal.notes({ patientId, limit: 2, after: opened.notes.next! });
    expect(rest.notes.map((note) => note.body)).toEqual(['Notat 1.']);
    expect(rest.next).toBeNull();
    const read = await eventsOf(database.current.db, { action: 'journal.notes.read', userId: doctor.id });
    expect((read.at(-1)?.details as { noteIds: string[] }).noteIds).toEqual(rest.notes.map((note) => note.id));
  });

  it('AUD-3: when the open event cannot be written, journal.open returns nothing and no event of the statement remains', async () => {
    const { doctorCaller, doctor, patientId } = await journalWithNotes(1);
    await database.current.asOwner((owner) => sql`alter table audit_event add constraint test_block check (action <> 'journal.record.opened')`.execute(owner));
    let result: unknown;
    const error = await doctorCaller.journal.open({ patientId }).then((value) => {
      result = value;
      return undefined;
    }, (caught: unknown) => caught as { code: string; message: string });
    expect(result).toBeUndefined();
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(error)).not.toContain('Nordmann');
    // No event of the read remains either.
    const reads = (await eventsOf(database.current.db, { userId: doctor.id })).filter((event) => event.action === 'journal.notes.read' || event.action === 'journal.record.opened');
    expect(reads).toEqual([]);

    await database.current.asOwner((owner) => sql`alter table audit_event drop constraint test_block`.execute(owner));
    await expect(doctorCaller.journal.open({ patientId })).resolves.toMatchObject({ basis: 'treatment_relationship' });
  });

  it('AUD-3: when the notes-read event cannot be written, journal.notes returns nothing, and the open (its own event) is not affected', async () => {
    const { doctorCaller, doctor, patientId } = await journalWithNotes(1);
    await database.current.asOwner((owner) => sql`alter table audit_event add constraint test_block check (action <> 'journal.notes.read')`.execute(owner));
    let result: unknown;
    const error = await doctorCaller.journal.notes({ patientId }).then((value) => {
      result = value;
      return undefined;
    }, (caught: unknown) => caught);
    expect(result).toBeUndefined();
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(error)).not.toContain('Notat');
    expect(await eventsOf(database.current.db, { action: 'journal.notes.read', userId: doctor.id })).toEqual([]);
    await expect(doctorCaller.journal.open({ patientId })).resolves.toMatchObject({ basis: 'treatment_relationship' });
    expect(await eventsOf(database.current.db, { action: 'journal.record.opened', userId: doctor.id })).toHaveLength(1);
  });

  it('ACC-5: a denied open writes its one denial and returns no patient data; an unknown id names no patient', async () => {
    const { colleagueCaller, colleague, patientId } = await journalWithNotes(1);
    const denied = await colleagueCaller.journal.open({ patientId }).then(() => undefined, (caught: unknown) => caught);
    expect(denied).toMatchObject({ code: 'FORBIDDEN', message: 'access.no_basis' });
    expect(JSON.stringify(denied)).not.toContain('Nordmann');
    const unknownId = '7f1f6d2e-0000-4000-8000-000000000000';
    const notFound = await colleagueCaller.journal.notes({ patientId: unknownId }).then(() => undefined, (caught: unknown) => caught);
    expect(notFound).toMatchObject({ code: 'NOT_FOUND' });
    const events = (await eventsOf(database.current.db, { userId: colleague.id })).filter((event) => event.action.startsWith('journal.'));
    expect(events.map((event) => [event.action, event.outcome, event.reason, event.patient_id, event.object_id])).toEqual([
      ['journal.record.opened', 'denied', 'no_basis', patientId, patientId],
      ['journal.notes.read', 'denied', 'patient_not_found', null, unknownId],
    ]);
    expect(events[0]?.details).toMatchObject({ hasBreakGlassOption: true, procedure: 'journal.open' });
  });

  it('issue 13: journal.open costs at most two statements, the session check included', async () => {
    const { clock, doctor, patientId } = await journalWithNotes(2);
    const counter = countingPlugin();
    const { login } = await import('../support/identity');
    const { token } = await login(database.current, doctor, clock);
    const counted = createTestCaller({ ...database.current, db: database.current.db.withPlugin(counter.plugin) }, { now: clock.now }, { bearerToken: token });
    // Once to mark the session as used (the 15-s touch is not part of every call), then counted.
    await counted.journal.open({ patientId });
    counter.statements.length = 0;
    const opened = await counted.journal.open({ patientId });
    expect(opened.notes.notes).toHaveLength(2);
    expect(counter.statements.length).toBeGreaterThanOrEqual(1);
    expect(counter.statements.length).toBeLessThanOrEqual(2);
  });
});
