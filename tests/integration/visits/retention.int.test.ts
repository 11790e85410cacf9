import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ROLE, type Database, openDatabase } from '../../../src/server/db/database';
import { enqueueMessage } from '../../../src/server/outbox/outbox';
import { ensureRecurring, runDueJobs } from '../../../src/server/jobs/runner';
import { RETENTION_JOB_KIND, retentionJobHandler } from '../../../src/server/retention/job';
import { runRetention } from '../../../src/server/retention/run';
import { bookingRetentionCategory } from '../../../src/server/visits/retention-category';
import { errorOf } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
const DAY = 24 * HOUR;
/** "Now" of the retention runs: bookings are placed relative to it. */
const NOW = new Date('2026-12-06T09:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
/** These tests are about the booking category: the registry's other categories have their own tests. */
const BOOKING_ONLY = [bookingRetentionCategory];
const PERSONAL_FIELDS = ['full_name', 'street', 'postcode', 'city', 'gender', 'date_of_birth', 'national_id', 'phone', 'email', 'reason'] as const;

type BookingStatus = 'requested' | 'assigned' | 'en_route' | 'arrived' | 'completed' | 'cancelled';

interface Clinic {
  organisationId: string;
  doctorId: string;
  patientId: string;
  noteId: string;
}

/** An organisation with a doctor, a patient and the journal note a completed visit points to. */
async function clinic(db: Database, retentionDays?: number): Promise<Clinic> {
  const organisation = await createOrganisation(db);
  if (retentionDays !== undefined) await db.updateTable('organisation').set({ booking_retention_days: retentionDays }).where('id', '=', organisation.id).execute();
  const doctor = await createUser(db, organisation.id, { roles: ['clinician'] });
  const patient = await db
    .insertInto('patient')
    .values({ organisation_id: organisation.id, national_id: '15076500050', given_name: 'Kari', family_name: 'Nordmann', date_of_birth: '1965-07-15', gender: 'female', address: null, phone: null, email: null, next_of_kin: null, created_by: doctor.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const note = await db
    .insertInto('journal_note')
    .values({ organisation_id: organisation.id, patient_id: patient.id, author_id: doctor.id, note_type: 'home_visit', consultation_date: '2026-11-20' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { organisationId: organisation.id, doctorId: doctor.id, patientId: patient.id, noteId: note.id };
}

let phoneSequence = 0;

/** A booking written by direct SQL in the given state; `endedAt` is when it was completed or cancelled. */
async function insertBooking(db: Database, at: Clinic, options: { status: BookingStatus; endedAt?: Date; hold?: 'complaint' | 'incident' }): Promise<string> {
  const { status } = options;
  const endedAt = options.endedAt ?? ago(30 * DAY);
  const hasDoctor = status !== 'requested' && status !== 'cancelled';
  const phone = `+479${String(1_000_000 + ++phoneSequence).slice(-7)}`;
  const { rows } = await sql<{ id: string }>`
    insert into home_visit_booking (
      organisation_id, source, full_name, street, postcode, city, gender, date_of_birth, national_id, phone, email, reason,
      urgency, earliest_at, latest_at, status, doctor_id, assigned_at, eta, completed_at, cancelled_at, cancel_reason,
      patient_id, documentation_note_id, retention_hold, created_at, updated_at)
    values (
      ${at.organisationId}, 'web', 'Kari Nordmann', 'Storgata 1', '0155', 'Oslo', 'female', '1965-07-15', '15076500050', ${phone}, 'kari@example.no', 'Høy feber',
      'urgent', ${new Date(endedAt.getTime() - 3 * HOUR)}, ${new Date(endedAt.getTime() - HOUR)}, ${status},
      ${hasDoctor ? at.doctorId : null}, ${hasDoctor ? new Date(endedAt.getTime() - 2 * HOUR) : null}, ${status === 'en_route' ? endedAt : null},
      ${status === 'completed' ? endedAt : null}, ${status === 'cancelled' ? endedAt : null}, ${status === 'cancelled' ? 'patient_cancelled' : null},
      ${status === 'completed' ? at.patientId : null}, ${status === 'completed' ? at.noteId : null}, ${options.hold ?? null},
      ${new Date(endedAt.getTime() - 4 * HOUR)}, ${endedAt})
    returning id`.execute(db);
  const id = rows[0]?.id;
  if (!id) throw new Error('booking not inserted');
  return id;
}

async function booking(db: Database, id: string) {
  return db.selectFrom('home_visit_booking').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function expectIntact(row: Awaited<ReturnType<typeof booking>>): void {
  expect(row).toMatchObject({ full_name: 'Kari Nordmann', street: 'Storgata 1', postcode: '0155', city: 'Oslo', national_id: '15076500050', reason: 'Høy feber', anonymised_at: null });
}

async function run(db: Database, now: Date, batchSize?: number) {
  const result = await runRetention(db, BOOKING_ONLY, { now, ...(batchSize === undefined ? {} : { batchSize }) });
  if (result.isSkipped || result.isDryRun) throw new Error('expected a full run');
  return result.categories;
}

describe('booking retention (VIS-4, DPO-6)', () => {
  const database = useTestDatabase();

  it('VIS-4: a finished booking is anonymised exactly when due — one second before it is untouched — and keeps its operational facts', async () => {
    const db = database.current.db;
    const at = await clinic(db);
    const completed = await insertBooking(db, at, { status: 'completed', endedAt: ago(7 * DAY) });
    const cancelled = await insertBooking(db, at, { status: 'cancelled', endedAt: ago(7 * DAY) });
    const before = await booking(db, completed);

    expect(await run(db, new Date(NOW.getTime() - SECOND))).toEqual([{ name: 'visit.booking', anonymised: 0, batches: 0 }]);
    expectIntact(await booking(db, completed));
    expectIntact(await booking(db, cancelled));

    expect(await run(db, NOW)).toEqual([{ name: 'visit.booking', anonymised: 2, batches: 1 }]);
    const after = await booking(db, completed);
    for (const field of PERSONAL_FIELDS) expect(after[field]).toBeNull();
    expect(after.anonymised_at).toEqual(NOW);
    // What stays: status, times, doctor, zone, urgency, source, the patient link and the journal note.
    const kept = ['status', 'urgency', 'source', 'earliest_at', 'latest_at', 'assigned_at', 'completed_at', 'doctor_id', 'zone_id', 'patient_id', 'documentation_note_id', 'created_at', 'idempotency_key'] as const;
    for (const field of kept) expect(after[field]).toEqual(before[field]);
    expect(after.version).toBe(before.version + 1);
    expect((await booking(db, cancelled)).anonymised_at).toEqual(NOW);
  });

  it('VIS-4, AUD-1: each batch logs a retention.run event per organisation under the system actor, with the count and the ids it changed', async () => {
    const db = database.current.db;
    const at = await clinic(db);
    const ids = [];
    for (let index = 0; index < 5; index++) ids.push(await insertBooking(db, at, { status: 'completed', endedAt: ago(8 * DAY + index * SECOND) }));
    expect(await run(db, NOW, 2)).toEqual([{ name: 'visit.booking', anonymised: 5, batches: 3 }]);
    const events = await eventsOf(db, { action: 'retention.run' });
    const batches = events.filter((event) => event.organisation_id === at.organisationId);
    expect(batches.map((event) => (event.details as { anonymised: number }).anonymised)).toEqual([2, 2, 1]);
    expect(batches.flatMap((event) => (event.details as { ids: string[] }).ids).sort()).toEqual([...ids].sort());
    for (const event of batches) {
      expect(event).toMatchObject({ user_id: null, user_display_name: 'system:retention', auth_method: 'system', object_type: 'retention_category', object_id: 'visit.booking', occurred_at: NOW });
    }
    // The installation's summary: one per run, with no organisation and no ids.
    const summaries = events.filter((event) => event.organisation_id === null);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.details).toEqual({ category: 'visit.booking', batches: 3, anonymised: 5, isComplete: true });
    // Events hold ids and counts, never what the person typed (AUD-2).
    expect(JSON.stringify(events)).not.toMatch(/Kari|Storgata|15076500050|feber/);
  });

  it('VIS-4: a hold stops anonymisation of that booking; open bookings are never touched, however old', async () => {
    const db = database.current.db;
    const at = await clinic(db);
    const held = await insertBooking(db, at, { status: 'completed', endedAt: ago(60 * DAY), hold: 'complaint' });
    const open = [];
    for (const status of ['requested', 'assigned', 'en_route', 'arrived'] as const) open.push(await insertBooking(db, at, { status, endedAt: ago(60 * DAY) }));
    const due = await insertBooking(db, at, { status: 'completed', endedAt: ago(60 * DAY) });

    expect(await run(db, NOW)).toEqual([{ name: 'visit.booking', anonymised: 1, batches: 1 }]);
    expectIntact(await booking(db, held));
    for (const id of open) expectIntact(await booking(db, id));
    expect((await booking(db, due)).anonymised_at).toEqual(NOW);

    // Lifted: the next run takes it.
    await db.updateTable('home_visit_booking').set({ retention_hold: null }).where('id', '=', held).execute();
    expect(await run(db, NOW)).toEqual([{ name: 'visit.booking', anonymised: 1, batches: 1 }]);
    expect((await booking(db, held)).full_name).toBeNull();
  });

  it("VIS-4: each organisation's own number of days counts, and its events name only its bookings", async () => {
    const db = database.current.db;
    const weekly = await clinic(db);
    const short = await clinic(db, 2);
    const weeklyBooking = await insertBooking(db, weekly, { status: 'completed', endedAt: ago(3 * DAY) });
    const shortBooking = await insertBooking(db, short, { status: 'completed', endedAt: ago(3 * DAY) });
    const shortNotYet = await insertBooking(db, short, { status: 'cancelled', endedAt: ago(2 * DAY - SECOND) });

    expect(await run(db, NOW)).toEqual([{ name: 'visit.booking', anonymised: 1, batches: 1 }]);
    expectIntact(await booking(db, weeklyBooking));
    expectIntact(await booking(db, shortNotYet));
    expect((await booking(db, shortBooking)).anonymised_at).toEqual(NOW);
    const events = (await eventsOf(db, { action: 'retention.run' })).filter((event) => event.organisation_id !== null);
    expect(events).toEqual([expect.objectContaining({ organisation_id: short.organisationId, details: expect.objectContaining({ ids: [shortBooking], anonymised: 1 }) })]);

    // Four days later the weekly one is due too (7 days after its end).
    expect(await run(db, new Date(NOW.getTime() + 4 * DAY))).toEqual([{ name: 'visit.booking', anonymised: 2, batches: 1 }]);
    expect((await booking(db, weeklyBooking)).anonymised_at).not.toBeNull();
  });

  it('VIS-4: running again changes nothing', async () => {
    const db = database.current.db;
    const at = await clinic(db);
    await insertBooking(db, at, { status: 'completed', endedAt: ago(10 * DAY) });
    await insertBooking(db, at, { status: 'requested' });
    await run(db, NOW);
    const snapshot = await db.selectFrom('home_visit_booking').selectAll().orderBy('id').execute();
    expect(await run(db, new Date(NOW.getTime() + HOUR))).toEqual([{ name: 'visit.booking', anonymised: 0, batches: 0 }]);
    expect(await db.selectFrom('home_visit_booking').selectAll().orderBy('id').execute()).toEqual(snapshot);
    // The second run is logged (AUD-1) as a summary with nothing changed, and names no booking.
    const runs = (await eventsOf(db, { action: 'retention.run' })).filter((event) => event.organisation_id === null);
    expect(runs.map((event) => event.details)).toEqual([
      { category: 'visit.booking', batches: 1, anonymised: 1, isComplete: true },
      { category: 'visit.booking', batches: 0, anonymised: 0, isComplete: true },
    ]);
  });

  it('PLAT-7, VIS-4: an SMS or e-mail to the person still pending in the outbox loses its body with the booking', async () => {
    const db = database.current.db;
    const at = await clinic(db);
    const id = await insertBooking(db, at, { status: 'completed', endedAt: ago(10 * DAY) });
    const { phone } = await booking(db, id);
    await enqueueMessage(db, { organisationId: at.organisationId, channel: 'sms', recipient: phone ?? '', template: 'visit.booking_echo', body: 'Vi har mottatt: Kari Nordmann, Storgata 1' });
    await enqueueMessage(db, { organisationId: at.organisationId, channel: 'sms', recipient: '+4790000000', template: 'visit.booking_echo', body: 'Someone else' });
    await run(db, NOW);
    const messages = await db.selectFrom('outbox_message').select(['recipient', 'body', 'status', 'purged_at']).orderBy('created_at').execute();
    expect(messages.find((message) => message.recipient === phone)).toMatchObject({ body: null, status: 'failed', purged_at: NOW });
    expect(messages.find((message) => message.recipient === '+4790000000')).toMatchObject({ body: 'Someone else', status: 'pending', purged_at: null });
  });

  it('VIS-4, DPO-6: a dry run reports per category what the next run would do and writes nothing but its event', async () => {
    const db = database.current.db;
    const at = await clinic(db);
    const other = await clinic(db, 1);
    await insertBooking(db, at, { status: 'completed', endedAt: ago(9 * DAY) });
    await insertBooking(db, at, { status: 'cancelled', endedAt: ago(8 * DAY) });
    await insertBooking(db, at, { status: 'completed', endedAt: ago(6 * DAY) });
    await insertBooking(db, other, { status: 'completed', endedAt: ago(5 * DAY) });
    const snapshot = await db.selectFrom('home_visit_booking').selectAll().orderBy('id').execute();

    const result = await runRetention(db, BOOKING_ONLY, { now: NOW, dryRun: true });
    expect(result).toEqual({
      isSkipped: false,
      isDryRun: true,
      report: [
        {
          name: 'visit.booking',
          descriptionKey: 'retention.category.visitBooking.description',
          keeps: bookingRetentionCategory.keeps,
          due: 3,
          // The other organisation's booking became due 1 day after its end, 4 days ago: the oldest.
          oldestDueAt: ago(4 * DAY).toISOString(),
        },
      ],
    });
    expect(await db.selectFrom('home_visit_booking').selectAll().orderBy('id').execute()).toEqual(snapshot);
    expect(await eventsOf(db, { action: 'retention.run' })).toHaveLength(0);
    const [event] = await eventsOf(db, { action: 'retention.dry_run' });
    expect(event).toMatchObject({ user_display_name: 'system:retention', details: { categories: ['visit.booking'], 'due:visit.booking': 3 } });
  });

  it("VIS-4, ACC-1: retention.dryRun shows a DPO their own organisation's figures only, and is logged", async () => {
    const db = database.current.db;
    const clock = new TestClock(NOW);
    const at = await clinic(db);
    const other = await clinic(db);
    await insertBooking(db, at, { status: 'completed', endedAt: ago(8 * DAY) });
    await insertBooking(db, other, { status: 'completed', endedAt: ago(8 * DAY) });
    await insertBooking(db, other, { status: 'completed', endedAt: ago(9 * DAY) });
    const dpo = await createUser(db, at.organisationId, { roles: ['dpo'] });
    const caller = callerAs(database.current, (await login(database.current, dpo, clock)).token, clock);
    const answer = await caller.retention.dryRun();
    // The procedure reports every registered category; the others have nothing due here.
    expect(answer.categories).toEqual([
      expect.objectContaining({ name: 'visit.booking', due: 1, oldestDueAt: ago(DAY).toISOString() }),
      expect.objectContaining({ name: 'crm.lead_contact', due: 0 }),
      expect.objectContaining({ name: 'portal.employee', due: 0 }),
      expect.objectContaining({ name: 'crm.correspondence', due: 0 }),
      expect.objectContaining({ name: 'user.inactive_account', due: 0, warnings: { due: 0, oldestDueAt: null } }),
    ]);
    const [event] = await eventsOf(db, { action: 'retention.dry_run' });
    expect(event).toMatchObject({ user_id: dpo.id, organisation_id: at.organisationId, details: { categories: ['visit.booking', 'crm.lead_contact', 'portal.employee', 'crm.correspondence', 'user.inactive_account'], 'due:visit.booking': 1 } });

    const clinician = await createUser(db, at.organisationId, { roles: ['clinician'] });
    const refused = await errorOf(callerAs(database.current, (await login(database.current, clinician, clock)).token, clock).retention.dryRun());
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('PLAT-10, VIS-4: two runs at once — the second one skips instead of running beside the first', async () => {
    const current: TestDatabase = database.current;
    const db = current.db;
    const at = await clinic(db);
    for (let index = 0; index < 4; index++) await insertBooking(db, at, { status: 'completed', endedAt: ago(10 * DAY) });
    // On PostgreSQL the second run comes from another "instance" (its own pool): the advisory lock
    // decides. PGlite is one process with one connection: the second run is in the same process.
    const second = current.applicationUrl ? await openDatabase({ kind: 'postgres', url: current.applicationUrl, poolSize: 2, role: APPLICATION_ROLE }) : undefined;
    try {
      let secondResult: Awaited<ReturnType<typeof runRetention>> | undefined;
      const first = await runRetention(db, BOOKING_ONLY, {
        now: NOW,
        batchSize: 2,
        onBatch: async () => {
          secondResult ??= await runRetention(second?.db ?? db, BOOKING_ONLY, { now: NOW, batchSize: 2 });
        },
      });
      expect(secondResult).toEqual({ isSkipped: true });
      expect(first).toEqual({ isSkipped: false, isDryRun: false, categories: [{ name: 'visit.booking', anonymised: 4, batches: 2 }] });
      // Released at the end: the next run goes ahead (and finds nothing).
      expect(await runRetention(second?.db ?? db, BOOKING_ONLY, { now: NOW })).toEqual({ isSkipped: false, isDryRun: false, categories: [{ name: 'visit.booking', anonymised: 0, batches: 0 }] });
    } finally {
      await second?.close();
    }
  });

  it('VIS-4, PLAT-10: the scheduled run is a recurring job of the one runner: it anonymises, records progress and queues its next occurrence', async () => {
    const db = database.current.db;
    const at = await clinic(db);
    const id = await insertBooking(db, at, { status: 'completed', endedAt: ago(10 * DAY) });
    await ensureRecurring(db, RETENTION_JOB_KIND, HOUR, { now: NOW });
    expect(await runDueJobs(db, [retentionJobHandler(BOOKING_ONLY)], NOW, { instanceId: 'a' })).toMatchObject({ claimed: 1, done: 1 });
    expect((await booking(db, id)).anonymised_at).toEqual(NOW);
    const jobs = await db.selectFrom('background_job').select(['status', 'run_at', 'progress']).where('kind', '=', RETENTION_JOB_KIND).orderBy('id').execute();
    expect(jobs).toEqual([
      { status: 'done', run_at: NOW, progress: { category: 'visit.booking', batches: 1, anonymised: 1 } },
      { status: 'queued', run_at: new Date(NOW.getTime() + HOUR), progress: null },
    ]);
  });
});
