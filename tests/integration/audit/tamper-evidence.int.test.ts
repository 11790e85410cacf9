import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_HASH_SQL } from '../../../src/server/audit/canonical';
import { sealHash, sealPendingEvents } from '../../../src/server/audit/seal';
import { BACKDATING_TOLERANCE_MS, verifyAuditLog } from '../../../src/server/audit/verify';
import { WitnessAheadError } from '../../../src/server/audit/witness';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import { eventCount, eventIdsOf, sealEverything, sealsOf, tamper } from './audit-helpers';

/**
 * A small but real history: logins and admin actions, sealed in three rounds, so there is a first,
 * a middle and a last seal to tamper with.
 */
async function sealedHistory(database: TestDatabase, witnessPath?: string) {
  const { db } = database;
  const clock = new TestClock();
  const organisation = await createOrganisation(db);
  const admin = await createUser(db, organisation.id, { roles: ['admin'] });
  const clinician = await createUser(db, organisation.id, { roles: ['clinician'] });
  const adminSession = await login(database, admin, clock, { deviceId: 'device-admin-0001' });
  const asAdmin = callerAs(database, adminSession.token, clock);
  await asAdmin.users.list();
  await sealEverything(db, { witnessPath });
  await asAdmin.users.lock({ userId: clinician.id });
  await asAdmin.users.unlock({ userId: clinician.id });
  await sealEverything(db, { witnessPath });
  await login(database, clinician, clock, { deviceId: 'device-clin-0001' });
  await asAdmin.users.revokeSessions({ userId: clinician.id });
  const report = await sealEverything(db, { witnessPath });
  const only = async (action: string) => {
    const events = await eventsOf(db, { action });
    expect(events, action).toHaveLength(1);
    return String(events[0]?.id);
  };
  /** The seal whose list holds the event. */
  const sealOf = async (eventId: string) => {
    const seal = (await sealsOf(db)).find((candidate) => candidate.event_ids.includes(eventId));
    if (!seal) throw new Error(`event ${eventId} is in no seal`);
    return seal.seq;
  };
  return { organisation, admin, clinician, asAdmin, clock, report, only, sealOf };
}

describe('AUD-4: the audit log is append-only', () => {
  const database = useTestDatabase();

  it('AUD-4: the application role may insert and read events and seals, but never update, delete or truncate them', async () => {
    await sealedHistory(database.current);
    const { db } = database.current;
    const before = await eventCount(db);
    expect(before).toBeGreaterThan(0);
    expect((await sealsOf(db)).length).toBeGreaterThan(0);
    for (const statement of [
      sql`update audit_event set action = 'auth.logout'`,
      sql`delete from audit_event`,
      sql`truncate audit_event`,
      sql`update audit_seal set event_count = 0`,
      sql`delete from audit_seal`,
      sql`truncate audit_seal`,
    ]) {
      await expect(statement.execute(db), statement.compile(db).sql).rejects.toThrow(/permission denied/);
    }
    expect(await eventCount(db)).toBe(before);
    expect((await verifyAuditLog(db)).isIntact).toBe(true);
  });

  it('AUD-4: even the owner is refused by the trigger (update, delete, truncate on events and seals)', async () => {
    await sealedHistory(database.current);
    const { db } = database.current;
    const before = await eventCount(db);
    const seals = (await sealsOf(db)).length;
    for (const statement of [
      sql`update audit_event set action = 'auth.logout'`,
      sql`delete from audit_event`,
      sql`truncate audit_event`,
      sql`update audit_seal set event_count = 0`,
      sql`delete from audit_seal`,
      sql`truncate audit_seal`,
    ]) {
      await expect(database.current.asOwner((owner) => statement.execute(owner)), statement.compile(db).sql).rejects.toThrow(/append-only/);
    }
    expect(await eventCount(db)).toBe(before);
    expect((await sealsOf(db)).length).toBe(seals);
    const report = await verifyAuditLog(db);
    expect(report).toMatchObject({ isIntact: true, checkedEvents: before, pendingEvents: 0 });
  });
});

describe('AUD-4: sealing and verification', () => {
  const database = useTestDatabase();

  it('AUD-4: a sealed log verifies intact with every event checked; sealing again seals nothing', async () => {
    const { report } = await sealedHistory(database.current);
    const { db } = database.current;
    const total = await eventCount(db);
    expect(total).toBeGreaterThanOrEqual(8);
    expect(report).toEqual({ isIntact: true, sealCount: expect.any(Number), checkedEvents: total, pendingEvents: 0, firstProblem: undefined });
    expect(report.sealCount).toBeGreaterThanOrEqual(3);
    // Every event is in exactly one seal, seals cover contiguous transaction ranges from 0.
    const seals = await sealsOf(db);
    expect(seals.flatMap((seal) => seal.event_ids).sort()).toEqual((await eventIdsOf(db)).map((event) => event.id).sort());
    seals.forEach((seal, index) => {
      expect(seal.seq).toBe(String(index + 1));
      expect(seal.txid_from).toBe(index === 0 ? '0' : seals[index - 1]?.txid_to);
    });
    // Idempotent: nothing new, nothing sealed, no empty seal added.
    expect(await sealPendingEvents(db)).toBe(0);
    expect(await sealsOf(db)).toHaveLength(seals.length);
  });

  it('AUD-4: events written after the last seal are reported as pending, and the next sealing includes them', async () => {
    const { asAdmin } = await sealedHistory(database.current);
    const { db } = database.current;
    const sealed = await eventCount(db);
    await asAdmin.users.list();
    await asAdmin.activity.mine({});
    const pending = await verifyAuditLog(db);
    expect(pending).toMatchObject({ isIntact: true, checkedEvents: sealed, pendingEvents: 2 });
    const after = await sealEverything(db);
    expect(after).toMatchObject({ isIntact: true, checkedEvents: sealed + 2, pendingEvents: 0 });
    expect(after.sealCount).toBeGreaterThan(pending.sealCount);
    expect(await sealPendingEvents(db)).toBe(0);
  });

  it.each([
    ['action', (id: string) => sql`update audit_event set action = 'admin.user.unlocked' where id = ${id}`],
    ['occurred_at (by one microsecond)', (id: string) => sql`update audit_event set occurred_at = occurred_at + interval '1 microsecond' where id = ${id}`],
    ['details', (id: string) => sql`update audit_event set details = details || '{"sessionsEnded": 7}'::jsonb where id = ${id}`],
    ['user_display_name', (id: string) => sql`update audit_event set user_display_name = 'Noen Andre' where id = ${id}`],
    ['client_ip', (id: string) => sql`update audit_event set client_ip = '198.51.100.1' where id = ${id}`],
  ])('AUD-4: changing one event’s %s is found and the event named (event_altered)', async (_field, change) => {
    const { only, sealOf } = await sealedHistory(database.current);
    const id = await only('admin.user.locked');
    await tamper(database.current, 'audit_event', change(id));
    const report = await verifyAuditLog(database.current.db);
    expect(report.isIntact).toBe(false);
    expect(report.firstProblem).toEqual({ kind: 'event_altered', eventId: id, seq: await sealOf(id) });
  });

  it('AUD-4: a deleted event is found and named (event_missing)', async () => {
    const { only, sealOf } = await sealedHistory(database.current);
    const id = await only('admin.user.locked');
    const seq = await sealOf(id);
    await tamper(database.current, 'audit_event', sql`delete from audit_event where id = ${id}`);
    const report = await verifyAuditLog(database.current.db);
    expect(report).toMatchObject({ isIntact: false, firstProblem: { kind: 'event_missing', eventId: id, seq } });
  });

  it('AUD-4: the last event of the log deleted is found too (event_missing)', async () => {
    await sealedHistory(database.current);
    const { db } = database.current;
    const last = (await eventIdsOf(db)).at(-1);
    if (!last) throw new Error('no events');
    await tamper(database.current, 'audit_event', sql`delete from audit_event where id = ${last.id}`);
    expect((await verifyAuditLog(db)).firstProblem).toMatchObject({ kind: 'event_missing', eventId: last.id });
  });

  it('AUD-4: an event moved out of its sealed range (txid changed) is found as missing', async () => {
    const { only, sealOf } = await sealedHistory(database.current);
    const id = await only('admin.user.unlocked');
    const seq = await sealOf(id);
    await tamper(database.current, 'audit_event', sql`update audit_event set txid = txid + 1000000000 where id = ${id}`);
    const report = await verifyAuditLog(database.current.db);
    expect(report.firstProblem).toEqual({ kind: 'event_missing', eventId: id, seq });
  });

  it('AUD-4: two events whose contents are swapped (reordered) are found; the first of them is named', async () => {
    const { only } = await sealedHistory(database.current);
    const first = await only('admin.user.list');
    const second = await only('admin.user.sessions_revoked');
    expect(BigInt(first)).toBeLessThan(BigInt(second));
    await tamper(
      database.current,
      'audit_event',
      sql`update audit_event as target
             set action = source.action, user_id = source.user_id, details = source.details
            from audit_event as source
           where (target.id, source.id) in ((${first}, ${second}), (${second}, ${first}))`,
    );
    const { db } = database.current;
    const swapped = await eventsOf(db, { action: 'admin.user.list' });
    expect(swapped.map((event) => String(event.id))).toEqual([second]);
    const report = await verifyAuditLog(db);
    expect(report.firstProblem).toMatchObject({ kind: 'event_altered', eventId: first });
  });

  it('AUD-4: a forged event inserted into a sealed range is found (event_unexpected), even when the application role inserts it', async () => {
    const { only, sealOf, organisation, admin } = await sealedHistory(database.current);
    const { db } = database.current;
    const neighbour = await only('admin.user.locked');
    const seq = await sealOf(neighbour);
    // The application role may insert; it sets the txid of a transaction long sealed.
    const { rows } = await sql<{ id: string }>`
      insert into audit_event (txid, organisation_id, occurred_at, user_id, action, outcome)
      select txid, ${organisation.id}, occurred_at, ${admin.id}, 'admin.user.unlocked', 'allowed'
        from audit_event where id = ${neighbour}
      returning id::text`.execute(db);
    const forged = rows[0]?.id;
    const report = await verifyAuditLog(db);
    expect(report).toMatchObject({ isIntact: false, firstProblem: { kind: 'event_unexpected', eventId: forged, seq } });
  });

  it('AUD-4: an altered seal is found (seal_altered)', async () => {
    await sealedHistory(database.current);
    await tamper(database.current, 'audit_seal', sql`update audit_seal set txid_to = txid_to + 1 where seq = 1`);
    const report = await verifyAuditLog(database.current.db);
    expect(report).toMatchObject({ isIntact: false, firstProblem: { kind: 'seal_altered', seq: '1' } });
  });

  it('AUD-4: rewriting an event and re-sealing its seal consistently is caught by the chain (the next seal)', async () => {
    const { only, sealOf } = await sealedHistory(database.current);
    const { db } = database.current;
    const id = await only('admin.user.list');
    const seq = await sealOf(id);
    const seals = await sealsOf(db);
    expect(Number(seq)).toBeLessThan(seals.length);
    await database.current.asOwner((owner) =>
      owner.transaction().execute(async (trx) => {
        await sql`alter table audit_event disable trigger audit_event_append_only`.execute(trx);
        await sql`alter table audit_seal disable trigger audit_seal_append_only`.execute(trx);
        await sql`update audit_event set details = '{}'::jsonb, action = 'auth.logout' where id = ${id}`.execute(trx);
        const seal = (await sql<{ txid_from: string; txid_to: string; event_count: number; previous_hash: Buffer }>`
          select txid_from::text, txid_to::text, event_count, previous_hash from audit_seal where seq = ${seq}`.execute(trx)).rows[0];
        if (!seal) throw new Error('no seal');
        const hashes = await sql<{ hash: Buffer }>`
          select ${EVENT_HASH_SQL} as hash from audit_event where txid >= ${seal.txid_from} and txid < ${seal.txid_to} order by id`.execute(trx);
        const eventHashes = Buffer.concat(hashes.rows.map((row) => Buffer.from(row.hash)));
        const hash = sealHash({ seq, txidFrom: seal.txid_from, txidTo: seal.txid_to, eventCount: seal.event_count, previousHash: Buffer.from(seal.previous_hash), eventHashes });
        await sql`update audit_seal set event_hashes = ${eventHashes}, hash = ${hash} where seq = ${seq}`.execute(trx);
        await sql`alter table audit_seal enable trigger audit_seal_append_only`.execute(trx);
        await sql`alter table audit_event enable trigger audit_event_append_only`.execute(trx);
      }),
    );
    const report = await verifyAuditLog(db);
    expect(report).toMatchObject({ isIntact: false, firstProblem: { kind: 'seal_altered', seq: String(Number(seq) + 1) } });
  });

  it('AUD-4: a deleted middle seal is found (seal_missing)', async () => {
    await sealedHistory(database.current);
    const { db } = database.current;
    expect((await sealsOf(db)).length).toBeGreaterThanOrEqual(3);
    await tamper(database.current, 'audit_seal', sql`delete from audit_seal where seq = 2`);
    const report = await verifyAuditLog(db);
    expect(report).toMatchObject({ isIntact: false, firstProblem: { kind: 'seal_missing', seq: '2' } });
  });

  it('AUD-4: a deleted last seal leaves its events pending (not proven), and sealing again covers them', async () => {
    await sealedHistory(database.current);
    const { db } = database.current;
    const total = await eventCount(db);
    const seals = await sealsOf(db);
    const last = seals.at(-1);
    if (!last) throw new Error('no seals');
    await tamper(database.current, 'audit_seal', sql`delete from audit_seal where seq = ${last.seq}`);
    const report = await verifyAuditLog(db);
    expect(report).toMatchObject({ isIntact: true, sealCount: seals.length - 1, checkedEvents: total - last.event_count, pendingEvents: last.event_count });
    expect(report.checkedEvents).toBeLessThan(total);
    const resealed = await sealEverything(db);
    expect(resealed).toMatchObject({ isIntact: true, checkedEvents: total, pendingEvents: 0 });
  });

  it('AUD-4: the tamper helper really re-enables the trigger afterwards', async () => {
    const { only, asAdmin } = await sealedHistory(database.current);
    const id = await only('admin.user.locked');
    await tamper(database.current, 'audit_event', sql`update audit_event set reason = 'x' where id = ${id}`);
    await expect(database.current.asOwner((owner) => sql`delete from audit_event where id = ${id}`.execute(owner))).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event where id = ${id}`.execute(database.current.db)).rejects.toThrow(/permission denied/);
    // The application still runs as its own role and still writes events afterwards.
    await asAdmin.users.list();
    expect(await eventsOf(database.current.db, { action: 'admin.user.list' })).toHaveLength(2);
  });
});

/**
 * ADR 0007: attacks by someone with the owner's rights that the seal chain alone does not catch — a
 * forged event dated into the sealed past, and the newest seals deleted with their events.
 */
describe('AUD-4: tamper evidence against the database owner (ADR 0007)', () => {
  const database = useTestDatabase();
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'jk-witness-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('AUD-4: an event forged with a past id and a past time before the next seal is sealed, and then named as backdated', async () => {
    const { db } = database.current;
    // A rolled-back transaction leaves an unused id behind, as happens in production.
    const gap = await db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ id: string }>`insert into audit_event (occurred_at, action, outcome) values (now(), 'audit.read.own', 'allowed') returning id::text`.execute(trx);
        throw Object.assign(new Error('rolled back'), { id: rows[0]?.id });
      })
      .catch((error: { id?: string }) => error.id);
    expect(gap).toBeDefined();
    const { only, organisation, admin, clinician, asAdmin, clock } = await sealedHistory(database.current);
    const past = await only('admin.user.list');
    const pastEvent = (await eventsOf(db, { action: 'admin.user.list' }))[0]!;
    // Work goes on (within the session's idle limit): more is sealed, later than the tolerance.
    clock.advance(BACKDATING_TOLERANCE_MS + 4 * 60 * 1000);
    await asAdmin.activity.mine({});
    await sealEverything(db);
    // The insider covers tracks: an "unlock" dated before the lock, in the gap's id, now.
    const { rows } = await database.current.asOwner((owner) =>
      sql<{ id: string }>`
        insert into audit_event (id, organisation_id, occurred_at, user_id, user_display_name, user_roles, action, outcome, object_type, object_id)
        overriding system value
        values (${gap}, ${organisation.id}, ${pastEvent.occurred_at}, ${admin.id}, 'Test admin', '{admin}', 'admin.user.unlocked', 'allowed', 'user', ${clinician.id})
        returning id::text`.execute(owner),
    );
    expect(rows[0]?.id).toBe(gap);
    expect(BigInt(gap!)).toBeLessThan(BigInt(past));
    // Before the next seal it is already named; the sealer then seals it like any other event.
    expect((await verifyAuditLog(db)).firstProblem).toEqual({ kind: 'event_backdated', eventId: gap, seq: null });
    await sealPendingEvents(db);
    const sealed = (await sealsOf(db)).find((seal) => seal.event_ids.includes(gap!));
    expect(sealed).toBeDefined();
    const report = await verifyAuditLog(db);
    expect(report).toMatchObject({ isIntact: false, firstProblem: { kind: 'event_backdated', eventId: gap, seq: sealed?.seq } });
  });

  it('AUD-4: events a little older than the last sealed one (a request that ran across a seal) are not flagged', async () => {
    const { db } = database.current;
    const { asAdmin, clock } = await sealedHistory(database.current);
    // Within the tolerance: a request that started before the last sealed event and ended after.
    clock.advance(-(BACKDATING_TOLERANCE_MS - 60_000));
    await asAdmin.users.list();
    expect(await sealEverything(db)).toMatchObject({ isIntact: true, pendingEvents: 0 });
    // Beyond it: flagged.
    clock.advance(-2 * BACKDATING_TOLERANCE_MS);
    await asAdmin.users.list();
    const forged = (await eventsOf(db, { action: 'admin.user.list' })).at(-1)!;
    expect((await sealEverything(db)).firstProblem).toMatchObject({ kind: 'event_backdated', eventId: String(forged.id) });
  });

  it('AUD-4: the sealer appends every seal to the witness; the database checked against it is intact', async () => {
    const witnessPath = join(folder, 'audit-witness.jsonl');
    const { report } = await sealedHistory(database.current, witnessPath);
    const seals = await sealsOf(database.current.db);
    expect(report).toMatchObject({ isIntact: true, witness: { path: witnessPath, witnessedSeals: seals.length, lastWitnessedSeq: seals.at(-1)?.seq, problem: undefined } });
    const lines = (await readFile(witnessPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { seq: string; hash: string; events: number });
    expect(lines.map((line) => line.seq)).toEqual(seals.map((seal) => seal.seq));
    expect(lines.map((line) => line.events)).toEqual(seals.map((seal) => seal.event_count));
    // Ids, counts and hashes only.
    expect(Object.keys(lines[0]!).sort()).toEqual(['at', 'events', 'hash', 'lastEventId', 'seq']);
  });

  it('AUD-4: the newest seals deleted with their events read as intact without the witness, and as missing, named, with it', async () => {
    const witnessPath = join(folder, 'audit-witness.jsonl');
    const { asAdmin } = await sealedHistory(database.current, witnessPath);
    await asAdmin.users.list();
    await sealEverything(database.current.db, { witnessPath });
    const { db } = database.current;
    const seals = await sealsOf(db);
    expect(seals.length).toBeGreaterThanOrEqual(3);
    const removed = seals.slice(-2);
    const removedEvents = removed.flatMap((seal) => seal.event_ids);
    await database.current.asOwner((owner) =>
      owner.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`delete from audit_seal where seq >= ${removed[0]!.seq}`.execute(trx);
        await sql`delete from audit_event where id = any(${`{${removedEvents.join(',')}}`}::bigint[])`.execute(trx);
      }),
    );
    // The chain that is left is whole: without a witness, nothing shows.
    expect(await verifyAuditLog(db)).toMatchObject({ isIntact: true, pendingEvents: 0, sealCount: seals.length - 2 });
    const report = await verifyAuditLog(db, { witnessPath });
    expect(report.isIntact).toBe(false);
    expect(report.firstProblem).toEqual({
      kind: 'witnessed_seal_missing',
      seq: removed[0]!.seq,
      lastSeq: removed[1]!.seq,
      events: removed[0]!.event_count + removed[1]!.event_count,
      lastEventId: removedEvents.map(BigInt).reduce((a, b) => (a > b ? a : b)).toString(),
    });
    // The sealer refuses to seal new events over the gap, so the evidence stays as it is.
    await asAdmin.users.list();
    await expect(sealPendingEvents(db, { witnessPath })).rejects.toBeInstanceOf(WitnessAheadError);
    expect(await sealsOf(db)).toHaveLength(seals.length - 2);
  });

  it('AUD-4: the newest seal rewritten by the owner (a seal re-made after its events were changed) differs from the witness, named', async () => {
    const witnessPath = join(folder, 'audit-witness.jsonl');
    const { only } = await sealedHistory(database.current, witnessPath);
    const { db } = database.current;
    const seals = await sealsOf(db);
    const last = seals.at(-1)!;
    const id = await only('admin.user.sessions_revoked');
    expect(last.event_ids).toContain(id);
    // Change an event of the last seal and re-make that seal consistently: the chain holds.
    await database.current.asOwner((owner) =>
      owner.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`update audit_event set action = 'auth.logout', details = '{}'::jsonb where id = ${id}`.execute(trx);
        const seal = (await sql<{ txid_from: string; txid_to: string; event_count: number; previous_hash: Buffer }>`
          select txid_from::text, txid_to::text, event_count, previous_hash from audit_seal where seq = ${last.seq}`.execute(trx)).rows[0]!;
        const hashes = await sql<{ hash: Buffer }>`
          select ${EVENT_HASH_SQL} as hash from audit_event where txid >= ${seal.txid_from} and txid < ${seal.txid_to} order by id`.execute(trx);
        const eventHashes = Buffer.concat(hashes.rows.map((row) => Buffer.from(row.hash)));
        const hash = sealHash({ seq: last.seq, txidFrom: seal.txid_from, txidTo: seal.txid_to, eventCount: seal.event_count, previousHash: Buffer.from(seal.previous_hash), eventHashes });
        await sql`update audit_seal set event_hashes = ${eventHashes}, hash = ${hash} where seq = ${last.seq}`.execute(trx);
      }),
    );
    expect((await verifyAuditLog(db)).isIntact).toBe(true);
    expect(await verifyAuditLog(db, { witnessPath })).toMatchObject({ isIntact: false, firstProblem: { kind: 'witness_mismatch', seq: last.seq } });
  });

  it('AUD-4: a witness that does not exist yet holds nothing to compare; sealing creates it', async () => {
    const witnessPath = join(folder, 'not-yet.jsonl');
    await sealedHistory(database.current);
    expect(await verifyAuditLog(database.current.db, { witnessPath })).toMatchObject({ isIntact: true, witness: { witnessedSeals: 0, problem: undefined } });
    await database.current.db.insertInto('audit_event').values({ occurred_at: new Date('2026-11-22T10:00:00Z'), action: 'audit.read.own', outcome: 'allowed', organisation_id: null, user_id: null, user_display_name: null, user_roles: [], profession: null, session_id: null, auth_method: null, device_id: null, reason: null, patient_id: null, object_type: null, object_id: null, basis: null, client_ip: null, details: '{}' }).execute();
    expect(await sealEverything(database.current.db, { witnessPath })).toMatchObject({ isIntact: true, witness: { witnessedSeals: 1 } });
  });
});
