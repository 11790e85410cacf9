import { describe, expect, it } from 'vitest';
import type { AuditAction } from '../../../../src/server/audit/actions';
import { errorOf } from '../../audit/audit-helpers';
import { eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { actorOf, type LogSetting, logSetting, MINUTE, writeEventAt } from './dpo-log-support';

/**
 * DPO-1: the DPO's log review. A scripted history of 60 events over five days (11.–15.11.2026, before
 * anyone logs in on the 22nd) in organisation A, and events of organisation B in the same days.
 */

const START = Date.parse('2026-11-10T23:30:00Z'); // 11.11.2026 00:30 in Oslo
const ACTIONS: AuditAction[] = ['journal.record.opened', 'journal.notes.read', 'patient.search', 'journal.note.signed'];
const BASES = ['treatment_relationship', 'break_glass', 'read_share'];

interface Scripted {
  id?: string;
  at: Date;
  userId: string;
  action: AuditAction;
  outcome: 'allowed' | 'denied';
  basis: string;
  patientId: string;
}

async function script(s: LogSetting): Promise<Scripted[]> {
  const events: Scripted[] = [];
  const doctors = [
    { user: s.clinicianA, actor: actorOf(s.clinicianA, 'Dr. Anne', ['clinician'], 'lege') },
    { user: s.clinicianB, actor: actorOf(s.clinicianB, 'Dr. Bjørn', ['clinician'], 'sykepleier') },
  ];
  for (let index = 0; index < 60; index++) {
    const doctor = doctors[index % 2] as (typeof doctors)[number];
    // Two hours apart: 60 events over five days. Every fifth has the same time as the one before (ties by id).
    const at = new Date(START + (index - (index % 5 === 4 ? 1 : 0)) * 120 * MINUTE);
    const event: Scripted = {
      at,
      userId: doctor.user.id,
      action: ACTIONS[index % ACTIONS.length] as AuditAction,
      outcome: index % 7 === 0 ? 'denied' : 'allowed',
      basis: BASES[index % 3] as string,
      patientId: index % 3 === 0 ? s.patientKari : s.patientOla,
    };
    await writeEventAt(s.db, doctor.actor, { action: event.action, outcome: event.outcome, basis: event.basis, patientId: event.patientId, objectType: 'patient', objectId: event.patientId }, at);
    events.push(event);
  }
  // Organisation B, the same days: never seen by A's DPO.
  for (let index = 0; index < 10; index++) {
    await writeEventAt(s.db, actorOf(s.otherClinician, 'Dr. Annen', ['clinician']), { action: 'journal.record.opened', patientId: s.otherPatient, basis: 'treatment_relationship' }, new Date(START + index * 60 * MINUTE));
  }
  const rows = await s.db.selectFrom('audit_event').select(['id', 'occurred_at', 'user_id']).where('organisation_id', '=', s.organisation.id).where('occurred_at', '<', new Date('2026-11-16T00:00:00Z')).orderBy('id').execute();
  rows.forEach((row, index) => {
    (events[index] as Scripted).id = String(row.id);
  });
  return events;
}

const PERIOD = { from: '2026-11-11', to: '2026-11-15' } as const;

/** Newest first, ties by id: the order the search promises. */
const newestFirst = (a: Scripted, b: Scripted) => b.at.getTime() - a.at.getTime() || Number(b.id) - Number(a.id);

describe('DPO-1: log review', () => {
  const database = useTestDatabase();

  async function setting() {
    const s = await logSetting(database.current);
    const events = await script(s);
    const dpo = await s.as(s.dpoUser);
    return { s, events, dpo };
  }

  it('DPO-1: each filter narrows to exactly the matching events (patient, user, action, group, basis, outcome, period)', async () => {
    const { s, events, dpo } = await setting();
    const idsOf = async (filter: Record<string, unknown>) => (await dpo.dpo.log.search({ ...PERIOD, limit: 200, ...filter })).events.map((event) => event.id);
    const expected = (predicate: (event: Scripted) => boolean) => events.filter(predicate).sort(newestFirst).map((event) => event.id);

    expect(await idsOf({})).toEqual(expected(() => true));
    expect(await idsOf({ patientId: s.patientKari })).toEqual(expected((event) => event.patientId === s.patientKari));
    expect(await idsOf({ userId: s.clinicianB.id })).toEqual(expected((event) => event.userId === s.clinicianB.id));
    expect(await idsOf({ action: 'journal.notes.read' })).toEqual(expected((event) => event.action === 'journal.notes.read'));
    expect(await idsOf({ action: 'journal' })).toEqual(expected((event) => event.action.startsWith('journal.')));
    expect(await idsOf({ basis: 'break_glass' })).toEqual(expected((event) => event.basis === 'break_glass'));
    expect(await idsOf({ outcome: 'denied' })).toEqual(expected((event) => event.outcome === 'denied'));
    // Oslo days: 12.11 from 00:00 to 24:00 Oslo time (23:00 UTC the day before).
    expect(await idsOf({ from: '2026-11-12', to: '2026-11-12' })).toEqual(
      expected((event) => event.at.getTime() >= Date.parse('2026-11-11T23:00:00Z') && event.at.getTime() < Date.parse('2026-11-12T23:00:00Z')),
    );
    // Filters combine.
    expect(await idsOf({ userId: s.clinicianA.id, patientId: s.patientOla, outcome: 'allowed' })).toEqual(
      expected((event) => event.userId === s.clinicianA.id && event.patientId === s.patientOla && event.outcome === 'allowed'),
    );
    const page = await dpo.dpo.log.search({ ...PERIOD, limit: 1 });
    const first = page.events[0];
    expect(first?.user).toMatchObject({ name: expect.stringMatching(/^Dr\./), roles: ['clinician'] });
    expect(first?.patient?.name).toMatch(/^(Ola Hansen|Kari Lund)$/);
  });

  it('DPO-1: keyset paging returns every event exactly once, in order, both ways', async () => {
    const { events, dpo } = await setting();
    for (const order of ['desc', 'asc'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await dpo.dpo.log.search({ ...PERIOD, order, limit: 7, ...(cursor ? { cursor } : {}) });
        seen.push(...page.events.map((event) => event.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 50);
      const expected = [...events].sort(newestFirst).map((event) => event.id as string);
      expect(seen).toEqual(order === 'desc' ? expected : [...expected].reverse());
      expect(pages).toBe(Math.ceil(events.length / 7));
    }
  });

  it('PLAT-3: another organisation’s events never appear; its patient, user and event ids answer NOT_FOUND', async () => {
    const { s, dpo } = await setting();
    const all = await dpo.dpo.log.search({ from: '2026-11-01', to: '2026-11-30', limit: 200 });
    const ownIds = new Set((await s.db.selectFrom('audit_event').select('id').where('organisation_id', '=', s.organisation.id).execute()).map((row) => String(row.id)));
    expect(all.events.length).toBeGreaterThan(0);
    expect(all.events.every((event) => ownIds.has(event.id))).toBe(true);
    expect((await errorOf(() => dpo.dpo.log.search({ ...PERIOD, patientId: s.otherPatient }))).code).toBe('NOT_FOUND');
    expect((await errorOf(() => dpo.dpo.log.search({ ...PERIOD, userId: s.otherClinician.id }))).code).toBe('NOT_FOUND');
    const foreignEvent = await s.db.selectFrom('audit_event').select('id').where('organisation_id', '=', s.otherOrganisation.id).executeTakeFirstOrThrow();
    expect((await errorOf(() => dpo.dpo.log.context({ eventId: String(foreignEvent.id) }))).code).toBe('NOT_FOUND');
    expect((await errorOf(() => dpo.dpo.log.markReviewed({ eventIds: [String(foreignEvent.id)], comment: 'Sjekket' }))).code).toBe('NOT_FOUND');
    expect(await s.db.selectFrom('audit_review').selectAll().execute()).toEqual([]);
  });

  it('AUD-6: every search writes dpo.log.searched with the filter codes and the patients shown', async () => {
    const { s, dpo } = await setting();
    const page = await dpo.dpo.log.search({ ...PERIOD, patientId: s.patientKari, basis: 'treatment_relationship', limit: 200 });
    expect(page.events.length).toBeGreaterThan(0);
    const [event] = await eventsOf(s.db, { action: 'dpo.log.searched' });
    expect(event).toMatchObject({ user_id: s.dpoUser.id, patient_id: s.patientKari, outcome: 'allowed' });
    expect(event?.details).toMatchObject({ patientId: s.patientKari, basis: 'treatment_relationship', from: PERIOD.from, to: PERIOD.to, shown: page.events.length, shownPatientIds: [s.patientKari] });
  });

  it('DPO-1: the context of an event is the same user’s events within ±30 minutes, logged with the patients shown', async () => {
    const { s, dpo } = await setting();
    const anchorAt = new Date('2026-11-13T10:00:00Z');
    const doctor = actorOf(s.clinicianA, 'Dr. Anne', ['clinician']);
    for (const offset of [-45, -20, -5, 5, 25, 40]) {
      await writeEventAt(s.db, doctor, { action: 'journal.notes.read', patientId: s.patientOla }, new Date(anchorAt.getTime() + offset * MINUTE));
    }
    await writeEventAt(s.db, actorOf(s.clinicianB, 'Dr. Bjørn', ['clinician']), { action: 'journal.notes.read', patientId: s.patientKari }, new Date(anchorAt.getTime() + 2 * MINUTE));
    await writeEventAt(s.db, doctor, { action: 'journal.record.opened', patientId: s.patientKari }, anchorAt);
    const anchor = await s.db.selectFrom('audit_event').select('id').where('action', '=', 'journal.record.opened').where('occurred_at', '=', anchorAt).executeTakeFirstOrThrow();
    const context = await dpo.dpo.log.context({ eventId: String(anchor.id) });
    const minutes = context.events.map((event) => (Date.parse(event.occurredAt) - anchorAt.getTime()) / MINUTE);
    expect(minutes).toEqual([25, 5, 0, -5, -20]);
    expect(context.events.every((event) => event.user.id === s.clinicianA.id)).toBe(true);
    const [logged] = await eventsOf(s.db, { action: 'dpo.log.context_read' });
    expect(logged).toMatchObject({ object_id: String(anchor.id), user_id: s.dpoUser.id });
    expect([...((logged?.details as { shownPatientIds: string[] }).shownPatientIds)].sort()).toEqual([s.patientKari, s.patientOla].sort());
  });

  it('DPO-1: reviews are rows of their own, history kept; the event names the ids, never the comment; the search filters by review', async () => {
    const { s, events, dpo } = await setting();
    const chosen = [events[3]?.id, events[10]?.id] as string[];
    const comment = 'Kontrollert: legen hadde pågående behandling (HEMMELIG-FRITEKST).';
    await dpo.dpo.log.markReviewed({ eventIds: chosen, comment });
    await dpo.dpo.log.markReviewed({ eventIds: [chosen[0] as string], comment: 'Andre gjennomgang' });

    const reviews = await s.db.selectFrom('audit_review').selectAll().orderBy('id').execute();
    expect(reviews.map((row) => [String(row.event_id), row.comment])).toEqual([
      [chosen[0], comment],
      [chosen[1], comment],
      [chosen[0], 'Andre gjennomgang'],
    ]);
    const logged = await eventsOf(s.db, { action: 'dpo.log.reviewed' });
    expect(logged.map((event) => (event.details as { eventIds: string[] }).eventIds)).toEqual([chosen, [chosen[0]]]);
    const allEvents = await s.db.selectFrom('audit_event').select('details').execute();
    expect(JSON.stringify(allEvents)).not.toContain('HEMMELIG-FRITEKST');

    const reviewed = await dpo.dpo.log.search({ ...PERIOD, reviewed: 'reviewed', limit: 200 });
    expect(reviewed.events.map((event) => event.id).sort()).toEqual([...chosen].sort());
    const latest = reviewed.events.find((event) => event.id === chosen[0]);
    expect(latest?.review).toMatchObject({ comment: 'Andre gjennomgang', reviewedBy: 'Petter Personvern' });
    expect(latest?.reviewCount).toBe(2);
    const notReviewed = await dpo.dpo.log.search({ ...PERIOD, reviewed: 'not_reviewed', limit: 200 });
    expect(notReviewed.events).toHaveLength(events.length - 2);
    expect(notReviewed.events.some((event) => chosen.includes(event.id))).toBe(false);
  });

  it('DPO-1: the patient lookup finds by fødselsnummer or name in the own organisation and logs the ids shown, not the query', async () => {
    const { s, dpo } = await setting();
    const byName = await dpo.dpo.log.findPatient({ query: 'ola hans' });
    expect(byName.map((hit) => hit.id)).toEqual([s.patientOla]);
    const ola = await s.db.selectFrom('patient').select('national_id').where('id', '=', s.patientOla).executeTakeFirstOrThrow();
    expect((await dpo.dpo.log.findPatient({ query: ola.national_id })).map((hit) => hit.id)).toEqual([s.patientOla]);
    expect(await dpo.dpo.log.findPatient({ query: 'Per Annen' })).toEqual([]);
    const logged = await eventsOf(s.db, { action: 'dpo.patient.looked_up' });
    expect(logged.map((event) => (event.details as { shownPatientIds: string[] }).shownPatientIds)).toEqual([[s.patientOla], [s.patientOla], []]);
    expect(JSON.stringify(logged)).not.toContain(ola.national_id);
    expect(JSON.stringify(logged)).not.toContain('hans');
  });

  it('ACC-1: clinician, sales, coordinator and admin are refused every dpo.log procedure, and the refusal is logged', async () => {
    const { s } = await setting();
    for (const user of [s.clinicianA, s.salesUser, s.coordinatorUser, s.adminUser]) {
      const caller = await s.as(user);
      const calls = [
        () => caller.dpo.log.search({ ...PERIOD }),
        () => caller.dpo.log.context({ eventId: '1' }),
        () => caller.dpo.log.markReviewed({ eventIds: ['1'], comment: 'x' }),
        () => caller.dpo.log.findPatient({ query: 'Ola' }),
        () => caller.dpo.log.users(),
      ];
      for (const call of calls) expect((await errorOf(call)).code).toBe('FORBIDDEN');
      const denials = (await eventsOf(s.db, { action: 'access.denied', userId: user.id })).map((event) => (event.details as { procedure: string }).procedure);
      expect(denials).toEqual(['dpo.log.search', 'dpo.log.context', 'dpo.log.markReviewed', 'dpo.log.findPatient', 'dpo.log.users']);
    }
    expect(await s.db.selectFrom('audit_review').selectAll().execute()).toEqual([]);
  });

  it('DPO-1: a bad cursor, a reversed period or an empty comment is a translated field error, never a 500', async () => {
    const { dpo } = await setting();
    expect((await errorOf(() => dpo.dpo.log.search({ ...PERIOD, cursor: 'bm90LWEtY3Vyc29y' }))).code).toBe('BAD_REQUEST');
    expect((await errorOf(() => dpo.dpo.log.search({ from: '2026-11-15', to: '2026-11-11' }))).code).toBe('BAD_REQUEST');
    expect((await errorOf(() => dpo.dpo.log.markReviewed({ eventIds: ['1'], comment: '   ' }))).code).toBe('BAD_REQUEST');
  });
});
