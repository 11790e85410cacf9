import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuditActor, writeAuditEvent } from '../../../src/server/audit/record';
import { planAuditRetirement, retireExpiredAuditMonths } from '../../../src/server/audit/retirement';
import { verifyAuditLog } from '../../../src/server/audit/verify';
import { lastWitnessLine } from '../../../src/server/audit/witness';
import type { Database, Executor } from '../../../src/server/db/database';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import { sealEverything, sealsOf } from './audit-helpers';

/**
 * DPO-6: audit events are kept ten years, then their month leaves the log whole (the partition is
 * detached and dropped by the owner's function), recorded in audit_retirement; the seals stay and
 * the verifier accounts for the missing events by those records (AUD-4).
 */

/** A day in the middle of the month `years` and `months` before now (UTC), so no zone moves it out. */
function monthsAgo(now: Date, years: number, months = 0): Date {
  return new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth() - months, 10, 12));
}

const partitionName = (at: Date) => `audit_event_${at.toISOString().slice(0, 7).replace('-', '_')}`;
const monthOf = (at: Date) => at.toISOString().slice(0, 7);

async function partitions(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = 'public.audit_event'::regclass order by c.relname`.execute(db);
  return rows.map((row) => row.name);
}

function actorOf(organisationId: string): AuditActor {
  return { organisationId, userId: null, displayName: 'Dr. Gammel', roles: ['clinician'], profession: 'lege', sessionId: null, authMethod: 'password+totp', deviceId: null };
}

/**
 * Events written as the product would have written them then (each month's partition made first,
 * as the server would have), in one transaction: a seal holds whole transactions, so these end up
 * in one seal whatever else the sealer's horizon waits for on a shared server.
 */
async function writeEventsAt(db: Database, actor: AuditActor, batches: readonly { at: Date; count: number }[]): Promise<void> {
  for (const { at } of batches) await sql`select audit_event_ensure_partition(${at.toISOString().slice(0, 10)}::date)`.execute(db);
  await db.transaction().execute(async (trx) => {
    for (const { at, count } of batches) {
      for (let index = 0; index < count; index++) {
        await writeAuditEvent(trx, actor, { action: 'journal.record.opened', objectType: 'patient', objectId: `old-${index}` }, { now: new Date(at.getTime() + index * 1000), clientIp: undefined });
      }
    }
  });
}

async function idsAt(db: Executor, at: Date): Promise<string[]> {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const to = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  const { rows } = await sql<{ id: string }>`select id::text from audit_event where occurred_at >= ${from} and occurred_at < ${to} order by id`.execute(db);
  return rows.map((row) => row.id);
}

/** Removes events as the owner would, with the triggers off (the tamper the verifier must catch). */
async function removeEvents(database: TestDatabase, ids: readonly string[]): Promise<void> {
  await database.asOwner((owner) =>
    owner.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`delete from audit_event where id = any(${`{${ids.join(',')}}`}::bigint[])`.execute(trx);
    }),
  );
}

/** The witness file's lines, parsed. */
async function witnessLines(path: string): Promise<Record<string, unknown>[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Inserts a retirement record as the database's owner can (AUD-4 threat model: a superuser covering
 * tracks): it names the seals given, with the chain hash read from audit_seal and the count the
 * verifier will expect, so hashes and counts agree.
 */
async function forgeRetirement(database: TestDatabase, claim: { month: Date; firstSeq: string; lastSeq: string; events: number }): Promise<void> {
  const from = new Date(Date.UTC(claim.month.getUTCFullYear(), claim.month.getUTCMonth(), 1));
  const to = new Date(Date.UTC(claim.month.getUTCFullYear(), claim.month.getUTCMonth() + 1, 1));
  await database.asOwner((owner) =>
    sql`insert into audit_retirement (month, range_from, range_to, partition_name, event_count, first_seal_seq, last_seal_seq, chain_hash, cutoff, run_id)
        select ${from.toISOString().slice(0, 10)}::date, ${from}, ${to}, ${partitionName(claim.month)}, ${claim.events},
               ${claim.firstSeq}::bigint, ${claim.lastSeq}::bigint, s.hash, ${to}, gen_random_uuid()
          from audit_seal as s where s.seq = ${claim.lastSeq}::bigint`.execute(owner),
  );
}

describe('DPO-6: audit events past ten years leave the log, month by month', () => {
  const database = useTestDatabase();
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  /**
   * An organisation's history: three events eleven years old, sealed; two from nine years and eleven
   * months ago, sealed; two of today, sealed. Each period its own seals, as years apart they would be.
   */
  async function history(options: { witnessPath?: string } = {}) {
    const db = database.current.db;
    const now = new Date();
    const organisation = await createOrganisation(db);
    const actor = actorOf(organisation.id);
    const old = monthsAgo(now, 11);
    const young = monthsAgo(now, 9, 11);
    await writeEventsAt(db, actor, [{ at: old, count: 3 }]);
    await sealEverything(db, options);
    await writeEventsAt(db, actor, [{ at: young, count: 2 }]);
    await sealEverything(db, options);
    await writeEventsAt(db, actor, [{ at: now, count: 2 }]);
    expect(await sealEverything(db, options)).toMatchObject({ isIntact: true, pendingEvents: 0 });
    return { db, now, organisation, old, young };
  }

  it('DPO-6: a month eleven years old is retired — detached, dropped, recorded and logged — one nine years eleven months old is kept; the log still verifies, with its witness', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'jk-witness-'));
    folders.push(folder);
    const witnessPath = join(folder, 'audit-witness.jsonl');
    const { db, now, organisation, old, young } = await history({ witnessPath });
    const oldIds = await idsAt(db, old);
    const oldSeal = (await sealsOf(db)).find((seal) => seal.event_ids.includes(oldIds[0] as string));
    expect(oldSeal?.event_ids).toEqual(oldIds);

    const plan = await planAuditRetirement(db, now);
    expect(plan.months.find((month) => month.month === monthOf(old))).toMatchObject({ willRetire: true, heldBecause: null });
    expect(plan.months.some((month) => month.month === monthOf(young))).toBe(false);

    const { runId, retired } = await retireExpiredAuditMonths(db, { now, witnessPath });
    expect(retired).toEqual([
      { month: monthOf(old), events: 3, firstSealSeq: oldSeal?.seq, lastSealSeq: oldSeal?.seq, chainHash: expect.stringMatching(/^[0-9a-f]{64}$/), byOrganisation: [{ organisationId: organisation.id, count: 3 }] },
    ]);
    const names = await partitions(db);
    expect(names).not.toContain(partitionName(old));
    expect(names).toContain(partitionName(young));
    expect(await idsAt(db, old)).toEqual([]);
    expect(await idsAt(db, young)).toHaveLength(2);

    // The record: the month, its count, its seals and the chain's hash there, when, which run.
    const sealHash = await sql<{ hash: Buffer }>`select hash from audit_seal where seq = ${oldSeal?.seq}`.execute(db);
    const records = await db.selectFrom('audit_retirement').selectAll().execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ month: `${monthOf(old)}-01`, partition_name: partitionName(old), run_id: runId });
    // bigint: a string from PostgreSQL, a number from PGlite.
    expect([records[0]?.first_seal_seq, records[0]?.last_seal_seq, records[0]?.event_count].map(String)).toEqual([oldSeal?.seq, oldSeal?.seq, '3']);
    expect(Buffer.from(records[0]?.chain_hash as Buffer).equals(Buffer.from(sealHash.rows[0]?.hash as Buffer))).toBe(true);
    expect(records[0]?.retired_at).toBeInstanceOf(Date);
    expect(records[0]?.range_to.getTime()).toBeLessThanOrEqual(records[0]?.cutoff.getTime() as number);

    // Logged: the installation's event with the seals, and the organisation's own with its count.
    const events = await eventsOf(db, { action: 'audit.partition_retired' });
    expect(events.map((event) => [event.organisation_id, event.user_display_name, event.object_id, event.details.events, event.details.runId])).toEqual([
      [null, 'system:audit-retirement', monthOf(old), 3, runId],
      [organisation.id, 'system:audit-retirement', monthOf(old), 3, runId],
    ]);
    expect(events[0]?.details).toMatchObject({ firstSealSeq: oldSeal?.seq, lastSealSeq: oldSeal?.seq, chainHash: retired[0]?.chainHash });

    // The seals stay; their events are accounted for by the record; the witness still agrees.
    const report = await sealEverything(db, { witnessPath });
    expect(report).toMatchObject({ isIntact: true, retiredEvents: 3, pendingEvents: 0, firstProblem: undefined });
    expect(report.witness?.problem).toBeUndefined();

    // A second run is a no-op: nothing dropped, recorded, logged or witnessed.
    expect((await retireExpiredAuditMonths(db, { now, witnessPath })).retired).toEqual([]);
    expect((await witnessLines(witnessPath)).filter((line) => line.kind === 'retired')).toHaveLength(1);
    expect(await db.selectFrom('audit_retirement').selectAll().execute()).toHaveLength(1);
    expect(await eventsOf(db, { action: 'audit.partition_retired' })).toHaveLength(2);
  });

  it('DPO-6, AUD-4: after a retirement, a live event deleted is still caught as event_missing, and so is one of a month kept', async () => {
    const { db, now, young } = await history();
    await retireExpiredAuditMonths(db, { now });
    expect((await verifyAuditLog(db)).isIntact).toBe(true);
    const [keptId] = await idsAt(db, young);
    await removeEvents(database.current, [keptId as string]);
    expect((await verifyAuditLog(db)).firstProblem).toMatchObject({ kind: 'event_missing', eventId: keptId });
  });

  it('DPO-6, AUD-4: an event of today deleted after a retirement is caught too', async () => {
    const { db, now } = await history();
    await retireExpiredAuditMonths(db, { now });
    const [todayId] = await idsAt(db, now);
    await removeEvents(database.current, [todayId as string]);
    expect((await verifyAuditLog(db)).firstProblem).toMatchObject({ kind: 'event_missing', eventId: todayId });
  });

  it('DPO-6: a seal spanning a month past ten years and a live month keeps both (the safe rule); two old months sharing a seal go together', async () => {
    const db = database.current.db;
    const now = new Date();
    const organisation = await createOrganisation(db);
    const actor = actorOf(organisation.id);
    const oldest = monthsAgo(now, 11);
    const old = monthsAgo(now, 10, 6);
    const young = monthsAgo(now, 9, 11);
    // Oldest and old in one seal; old (a second batch) and young in the next: that seal spans a live month.
    await writeEventsAt(db, actor, [{ at: oldest, count: 2 }, { at: old, count: 1 }]);
    await sealEverything(db);
    await writeEventsAt(db, actor, [{ at: new Date(old.getTime() + 60_000), count: 1 }, { at: young, count: 1 }]);
    await sealEverything(db);
    await writeEventsAt(db, actor, [{ at: now, count: 1 }]);
    await sealEverything(db);

    // Cutting after `old` would split the second seal, cutting after `oldest` the first: nothing goes.
    const plan = await planAuditRetirement(db, now);
    expect(plan.months.filter((month) => [monthOf(oldest), monthOf(old)].includes(month.month))).toEqual([
      expect.objectContaining({ month: monthOf(oldest), willRetire: false, heldBecause: 'seal_spans_live_month' }),
      expect.objectContaining({ month: monthOf(old), willRetire: false, heldBecause: 'seal_spans_live_month' }),
    ]);
    expect((await retireExpiredAuditMonths(db, { now })).retired).toEqual([]);
    expect(await partitions(db)).toEqual(expect.arrayContaining([partitionName(oldest), partitionName(old), partitionName(young)]));
    expect(await verifyAuditLog(db)).toMatchObject({ isIntact: true, checkedEvents: 6 });
  });

  it('DPO-6: two months past ten years that share a seal are retired together, each recorded with that seal', async () => {
    const db = database.current.db;
    const now = new Date();
    const organisation = await createOrganisation(db);
    const actor = actorOf(organisation.id);
    const oldest = monthsAgo(now, 11);
    const old = monthsAgo(now, 10, 6);
    await writeEventsAt(db, actor, [{ at: oldest, count: 2 }, { at: old, count: 1 }]);
    await sealEverything(db);
    await writeEventsAt(db, actor, [{ at: now, count: 1 }]);
    await sealEverything(db);
    const [shared] = await sealsOf(db);

    const { retired } = await retireExpiredAuditMonths(db, { now });
    expect(retired.map((month) => [month.month, month.events, month.firstSealSeq, month.lastSealSeq])).toEqual([
      [monthOf(oldest), 2, shared?.seq, shared?.seq],
      [monthOf(old), 1, shared?.seq, shared?.seq],
    ]);
    expect(await verifyAuditLog(db)).toMatchObject({ isIntact: true, checkedEvents: 1, retiredEvents: 3 });
  });

  it('DPO-6, AUD-4: an old event removed before the run stops it (nothing dropped over a gap); the verifier names the event', async () => {
    const { db, now, old } = await history();
    const [victim] = await idsAt(db, old);
    await removeEvents(database.current, [victim as string]);
    const plan = await planAuditRetirement(db, now);
    expect(plan.months.find((month) => month.month === monthOf(old))).toMatchObject({ willRetire: false, heldBecause: 'events_do_not_match_seals' });
    expect((await retireExpiredAuditMonths(db, { now })).retired).toEqual([]);
    expect(await partitions(db)).toContain(partitionName(old));
    expect((await verifyAuditLog(db)).firstProblem).toMatchObject({ kind: 'event_missing', eventId: victim });
  });

  it('DPO-6: old events not yet sealed keep their month until they are', async () => {
    const db = database.current.db;
    const now = new Date();
    const organisation = await createOrganisation(db);
    const old = monthsAgo(now, 11);
    await writeEventsAt(db, actorOf(organisation.id), [{ at: old, count: 1 }]);
    const plan = await planAuditRetirement(db, now);
    expect(plan.months.find((month) => month.month === monthOf(old))).toMatchObject({ willRetire: false, heldBecause: 'events_unsealed' });
    expect((await retireExpiredAuditMonths(db, { now })).retired).toEqual([]);
    await sealEverything(db);
    expect((await retireExpiredAuditMonths(db, { now })).retired.map((month) => month.month)).toEqual([monthOf(old)]);
  });

  it('DPO-6, AUD-4: the application role cannot drop or detach a partition, delete events or write retirement records; a clock far ahead does not make a young month due', async () => {
    const { db, now, old, young } = await history();
    const youngPartition = `audit_partition.${partitionName(young)}`;
    for (const statement of [
      sql.raw(`drop table ${youngPartition}`),
      sql.raw(`alter table audit_event detach partition ${youngPartition}`),
      sql`delete from audit_event where occurred_at < ${now}`,
      sql`truncate audit_event`,
      sql`insert into audit_retirement (month, range_from, range_to, partition_name, event_count, cutoff, run_id)
            values ('2000-01-01', '2000-01-01', '2000-02-01', 'x', 0, '2000-03-01', gen_random_uuid())`,
      sql`delete from audit_retirement`,
    ]) {
      await expect(statement.execute(db)).rejects.toThrow(/permission denied|must be owner/);
    }
    expect(await partitions(db)).toContain(partitionName(young));

    // The function judges by its own clock: asked as if twenty years had passed, it drops only the old month.
    const farAhead = new Date(Date.UTC(now.getUTCFullYear() + 20, 0, 1));
    const retired = await sql<{ month: string }>`select month::text as month from audit_retire_partitions(${farAhead}, gen_random_uuid())`.execute(db);
    expect(retired.rows.map((row) => row.month.slice(0, 7))).toEqual([monthOf(old)]);
    expect(await partitions(db)).toContain(partitionName(young));
    expect(await idsAt(db, young)).toHaveLength(2);

    // The record is append-only for the owner too.
    await database.current.asOwner(async (owner) => {
      await expect(sql`update audit_retirement set event_count = 0`.execute(owner)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_retirement`.execute(owner)).rejects.toThrow(/append-only/);
    });
  });

  it('DPO-6, AUD-4: a retired seal is no blind spot: an event forged into its range afterwards is named', async () => {
    const { db, now, old } = await history();
    const { retired } = await retireExpiredAuditMonths(db, { now });
    const seal = await sql<{ txid_from: string }>`select txid_from::text from audit_seal where seq = ${retired[0]?.firstSealSeq}`.execute(db);
    // The month made again (the application may make any month) and an event slipped in under the retired seal's transactions.
    await sql`select audit_event_ensure_partition(${old.toISOString().slice(0, 10)}::date)`.execute(db);
    const forged = await database.current.asOwner((owner) =>
      sql<{ id: string }>`
        insert into audit_event (txid, organisation_id, occurred_at, action, outcome)
        values (${seal.rows[0]?.txid_from}::bigint, null, ${old}, 'journal.record.opened', 'allowed') returning id::text`.execute(owner),
    );
    expect((await verifyAuditLog(db)).firstProblem).toMatchObject({ kind: 'event_unexpected', eventId: forged.rows[0]?.id, seq: retired[0]?.firstSealSeq });
  });

  it('DPO-6, AUD-4: a retirement record that does not match its seal is named by the verifier', async () => {
    const { db, now } = await history();
    await retireExpiredAuditMonths(db, { now });
    await database.current.asOwner((owner) =>
      owner.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`update audit_retirement set event_count = event_count + 5`.execute(trx);
      }),
    );
    expect((await verifyAuditLog(db)).firstProblem).toMatchObject({ kind: 'retirement_mismatch' });
  });

  it('DPO-6: the dry run tells the DPO how many of the organisation’s events the next run would remove, and the months it removed', async () => {
    const db = database.current.db;
    const now = new Date();
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const other = await createOrganisation(db);
    const old = monthsAgo(now, 11);
    await writeEventsAt(db, actorOf(organisation.id), [{ at: old, count: 3 }]);
    await writeEventsAt(db, actorOf(other.id), [{ at: old, count: 2 }]);
    await sealEverything(db);
    const dpo = callerAs(database.current, (await login(database.current, await createUser(db, organisation.id, { roles: ['dpo'] }), clock)).token, clock);

    const before = await dpo.retention.dryRun();
    expect(before.auditLog).toMatchObject({ due: 3, oldestDueAt: old.toISOString(), held: [], retired: [] });
    expect((await eventsOf(db, { action: 'retention.dry_run' })).at(-1)?.details).toMatchObject({ 'due:audit.event': 3 });

    await retireExpiredAuditMonths(db, { now });
    const after = await dpo.retention.dryRun();
    expect(after.auditLog).toMatchObject({ due: 0, oldestDueAt: null, retired: [{ month: monthOf(old), events: 3, retiredAt: expect.any(String) }] });
  });
  it('DPO-6, AUD-4: the owner deletes today’s events and forges a retirement record for their seal: its month is not ten years old, so the verifier names it', async () => {
    const { db, now } = await history();
    const todayIds = await idsAt(db, now);
    const todaySeal = (await sealsOf(db)).find((seal) => seal.event_ids.includes(todayIds[0] as string));
    expect(todaySeal?.event_ids).toEqual(todayIds);
    await removeEvents(database.current, todayIds);
    expect((await verifyAuditLog(db)).firstProblem).toMatchObject({ kind: 'event_missing', eventId: todayIds[0] });

    // Counts and chain hash agree with the seal; only the month can give it away.
    await forgeRetirement(database.current, { month: now, firstSeq: todaySeal?.seq as string, lastSeq: todaySeal?.seq as string, events: todayIds.length });
    expect((await verifyAuditLog(db)).firstProblem).toEqual({ kind: 'retirement_mismatch', seq: todaySeal?.seq, month: monthOf(now) });
    // A verifier's clock far ahead does not make it due: as in the database function, the earlier of its clock and the database's counts.
    const tenYearsOn = new Date(Date.UTC(now.getUTCFullYear() + 10, now.getUTCMonth() + 2, 1));
    expect((await verifyAuditLog(db, { now: tenYearsOn })).firstProblem).toEqual({ kind: 'retirement_mismatch', seq: todaySeal?.seq, month: monthOf(now) });
  });

  it('DPO-6, AUD-4: a forged record claiming a month past ten years for seals after live seals with newer events is named (seals never hold events older than earlier seals’)', async () => {
    const { db, now } = await history();
    // A genuine retirement first: the records before the forged one are judged and pass.
    expect((await retireExpiredAuditMonths(db, { now })).retired).toHaveLength(1);
    await sealEverything(db);
    expect(await verifyAuditLog(db)).toMatchObject({ isIntact: true, retiredEvents: 3 });

    const todayIds = await idsAt(db, now);
    const todaySeal = (await sealsOf(db)).find((seal) => seal.event_ids.includes(todayIds[0] as string));
    await removeEvents(database.current, todayIds);
    // Ten years and a half back: due by age, older than the events (nine years eleven months) sealed before it.
    const claimed = monthsAgo(now, 10, 6);
    await forgeRetirement(database.current, { month: claimed, firstSeq: todaySeal?.seq as string, lastSeq: todaySeal?.seq as string, events: todayIds.length });
    expect((await verifyAuditLog(db)).firstProblem).toEqual({ kind: 'retirement_mismatch', seq: todaySeal?.seq, month: monthOf(claimed) });
  });

  it('DPO-6, AUD-4: with the witness, a genuine retirement passes and a forged record the witness never saw is named, even one that age and order cannot refute', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'jk-witness-'));
    folders.push(folder);
    const witnessPath = join(folder, 'audit-witness.jsonl');
    const { db, now, old, young } = await history({ witnessPath });
    const seals = await sealsOf(db);
    const { retired } = await retireExpiredAuditMonths(db, { now, witnessPath });
    expect(retired.map((month) => month.month)).toEqual([monthOf(old)]);

    // The run's line: a seal line as well (the last seal and its hash), so a reader without retirement lines stays valid.
    const lines = await witnessLines(witnessPath);
    const [month] = retired;
    expect(lines.at(-1)).toEqual({ kind: 'retired', seq: month?.lastSealSeq, hash: month?.chainHash, events: 3, lastEventId: null, at: now.toISOString(), month: monthOf(old), firstSeq: month?.firstSealSeq });
    // The sealer's check before sealing looks past it, at the last seal witnessed.
    expect((await lastWitnessLine(witnessPath))?.seq).toBe(seals.at(-1)?.seq);
    const genuine = await sealEverything(db, { witnessPath });
    expect(genuine).toMatchObject({ isIntact: true, retiredEvents: 3, witness: { witnessedRetirements: 1, problem: undefined } });

    // The months that follow the retired one, deleted and "retired" under a month past ten years but newer than the one really retired:
    // nothing live precedes them and the month is old enough, so only the witness can tell.
    const youngIds = await idsAt(db, young);
    const youngSeal = seals.find((seal) => seal.event_ids.includes(youngIds[0] as string));
    await removeEvents(database.current, youngIds);
    const claimed = monthsAgo(now, 10, 6);
    await forgeRetirement(database.current, { month: claimed, firstSeq: youngSeal?.seq as string, lastSeq: youngSeal?.seq as string, events: youngIds.length });
    expect(await verifyAuditLog(db)).toMatchObject({ isIntact: true, retiredEvents: 3 + youngIds.length });
    expect(await verifyAuditLog(db, { witnessPath })).toMatchObject({
      isIntact: false,
      firstProblem: { kind: 'retirement_mismatch', seq: youngSeal?.seq, month: monthOf(claimed) },
      witness: { witnessedRetirements: 1, problem: { kind: 'retirement_mismatch', seq: youngSeal?.seq } },
    });
  });

  it('DPO-6: a record of an empty month (no seals) is still held to ten years', async () => {
    const { db, now } = await history();
    await database.current.asOwner((owner) =>
      sql`insert into audit_retirement (month, range_from, range_to, partition_name, event_count, cutoff, run_id)
          values (${`${monthOf(now)}-01`}::date, ${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))}, ${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))},
                  ${partitionName(now)}, 0, ${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))}, gen_random_uuid())`.execute(owner),
    );
    expect((await verifyAuditLog(db)).firstProblem).toEqual({ kind: 'retirement_mismatch', seq: '0', month: monthOf(now) });
  });
});
