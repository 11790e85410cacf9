import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations';
import { ANONYMOUS_ACTOR, writeAuditEvent } from '../../../src/server/audit/record';
import { AUDIT_PARTITION_MONTHS_AHEAD, ensureAuditPartitions } from '../../../src/server/audit/partitions';
import { sealPendingEvents } from '../../../src/server/audit/seal';
import { verifyAuditLog } from '../../../src/server/audit/verify';
import { type Executor, openDatabase, PGLITE_OPTIONS } from '../../../src/server/db/database';
import { migrateToLatest } from '../../../src/server/db/migrate';
import { sealEverything } from './audit-helpers';
import { useTestDatabase } from '../support/test-database';

const PARTITIONING = '2026-12-08T15-00_audit_event_partitions';

/** The partition (schema-qualified name) each of these events is stored in. */
async function partitionsOf(db: Executor, ids: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ partition: string }>`
    select tableoid::regclass::text as partition from audit_event where id = any(${`{${ids.join(',')}}`}::bigint[]) order by id`.execute(db);
  return rows.map((row) => row.partition);
}

async function idsOfAction(db: Executor, action: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`select id::text from audit_event where action = ${action} order by id`.execute(db);
  return rows.map((row) => row.id);
}

describe('the audit log partitioned by month (AUD-5, DPO: millions of events a year)', () => {
  const database = useTestDatabase();

  it('AUD-5: audit_event is partitioned by range of occurred_at, a partition per month a year ahead, in a schema of its own', async () => {
    const { rows } = await sql<{ strategy: string; key: string }>`
      select p.partstrat as strategy, pg_get_partkeydef(p.partrelid) as key
        from pg_partitioned_table p where p.partrelid = 'public.audit_event'::regclass`.execute(database.current.db);
    expect(rows).toEqual([{ strategy: 'r', key: 'RANGE (occurred_at)' }]);
    const partitions = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace
       where i.inhparent = 'public.audit_event'::regclass and n.nspname = 'audit_partition' order by c.relname`.execute(database.current.db);
    const names = partitions.rows.map((row) => row.name);
    expect(names).toContain('audit_event_default');
    const now = new Date();
    const inAYear = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 12, 1));
    expect(names).toContain(`audit_event_${inAYear.toISOString().slice(0, 7).replace('-', '_')}`);
  });

  it('AUD-5: each event lands in its own month’s partition; a month without one falls to the default, never refusing the action', async () => {
    const db = database.current.db;
    const context = (at: string) => ({ now: new Date(at), clientIp: undefined });
    await writeAuditEvent(db, ANONYMOUS_ACTOR, { action: 'auth.login.failure', reason: 'month_a' }, context('2027-02-28T23:59:59.999Z'));
    await writeAuditEvent(db, ANONYMOUS_ACTOR, { action: 'auth.login.failure', reason: 'month_b' }, context('2027-03-01T00:00:00.000Z'));
    await writeAuditEvent(db, ANONYMOUS_ACTOR, { action: 'auth.login.failure', reason: 'far' }, context('2040-06-15T12:00:00.000Z'));
    const { rows } = await sql<{ reason: string; partition: string }>`
      select reason, tableoid::regclass::text as partition from audit_event where action = 'auth.login.failure' order by occurred_at`.execute(db);
    expect(rows).toEqual([
      { reason: 'month_a', partition: 'audit_partition.audit_event_2027_02' },
      { reason: 'month_b', partition: 'audit_partition.audit_event_2027_03' },
      { reason: 'far', partition: 'audit_partition.audit_event_default' },
    ]);
  });

  it('AUD-5: the server makes the coming months’ partitions with the application’s rights, once each, and nothing else', async () => {
    const db = database.current.db;
    // Two years on: the months ahead of then do not exist yet.
    const later = new Date(Date.UTC(new Date().getUTCFullYear() + 2, 0, 15));
    const made = await ensureAuditPartitions(db, later);
    expect(made).toHaveLength(AUDIT_PARTITION_MONTHS_AHEAD + 1);
    expect(await ensureAuditPartitions(db, later)).toEqual([]);
    // The application role can make no table of its own, in either schema.
    await expect(sql`create table audit_partition.sneaky (id int)`.execute(db)).rejects.toThrow();
    await expect(sql`create table public.sneaky (id int)`.execute(db)).rejects.toThrow();
  });

  it('AUD-4: append-only holds on the partitions too: no update, delete or truncate through the parent or of a partition, even by the owner', async () => {
    await writeAuditEvent(database.current.db, ANONYMOUS_ACTOR, { action: 'auth.login.failure' }, { now: new Date(), clientIp: undefined });
    const month = new Date().toISOString().slice(0, 7).replace('-', '_');
    await database.current.asOwner(async (owner) => {
      await expect(sql`update audit_event set reason = 'changed'`.execute(owner)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_event`.execute(owner)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_event`.execute(owner)).rejects.toThrow(/append-only/);
      await expect(sql.raw(`update audit_partition.audit_event_${month} set reason = 'changed'`).execute(owner)).rejects.toThrow(/append-only/);
      await expect(sql.raw(`truncate audit_partition.audit_event_${month}`).execute(owner)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_partition.audit_event_default`.execute(owner)).rejects.toThrow(/append-only/);
    });
    // The application role cannot reach a partition by name at all.
    await expect(sql.raw(`select count(*) from audit_partition.audit_event_${month}`).execute(database.current.db)).rejects.toThrow(/permission denied/);
  });

  it('AUD-4: the sealer and the verifier work across partitions; an event changed in one month is named', async () => {
    const db = database.current.db;
    for (const at of ['2027-01-10T10:00:00Z', '2027-02-10T10:00:00Z', '2027-03-10T10:00:00Z']) {
      await writeAuditEvent(db, ANONYMOUS_ACTOR, { action: 'auth.lockout' }, { now: new Date(at), clientIp: undefined });
    }
    expect((await sealEverything(db)).isIntact).toBe(true);
    const ids = await idsOfAction(db, 'auth.lockout');
    expect(await partitionsOf(db, ids)).toEqual(['audit_partition.audit_event_2027_01', 'audit_partition.audit_event_2027_02', 'audit_partition.audit_event_2027_03']);
    await database.current.asOwner(async (owner) => {
      await owner.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`update audit_event set reason = 'covered' where id = ${ids[1]}`.execute(trx);
      });
    });
    const report = await verifyAuditLog(db);
    expect(report.isIntact).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'event_altered', eventId: ids[1] });
  });
});

describe('the migration to a partitioned log carries every event over unchanged (AUD-4)', () => {
  it('AUD-4: events of several months, sealed before, are intact after it — ids, txids and hashes the same — and new ids follow on', async () => {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < PARTITIONING));
    const handle = await openDatabase({ kind: 'pglite', instance: new PGlite(PGLITE_OPTIONS) });
    try {
      await migrateToLatest(handle.db, before);
      for (const at of ['2026-10-03T08:00:00Z', '2026-11-20T09:00:00Z', '2026-12-01T00:00:00Z']) {
        await writeAuditEvent(handle.db, ANONYMOUS_ACTOR, { action: 'auth.lockout' }, { now: new Date(at), clientIp: undefined });
      }
      await sealPendingEvents(handle.db);
      const eventsBefore = await sql<{ id: string; txid: string }>`select id::text, txid::text from audit_event order by id`.execute(handle.db);
      expect((await verifyAuditLog(handle.db)).isIntact).toBe(true);

      await migrateToLatest(handle.db);
      const eventsAfter = await sql<{ id: string; txid: string }>`select id::text, txid::text from audit_event order by id`.execute(handle.db);
      expect(eventsAfter.rows).toEqual(eventsBefore.rows);
      expect(await partitionsOf(handle.db, eventsAfter.rows.map((row) => row.id))).toEqual([
        'audit_partition.audit_event_2026_10',
        'audit_partition.audit_event_2026_11',
        'audit_partition.audit_event_2026_12',
      ]);
      const report = await verifyAuditLog(handle.db);
      expect(report).toMatchObject({ isIntact: true, pendingEvents: 0 });
      await writeAuditEvent(handle.db, ANONYMOUS_ACTOR, { action: 'auth.lockout' }, { now: new Date(), clientIp: undefined });
      const newest = await sql<{ id: string }>`select max(id)::text as id from audit_event`.execute(handle.db);
      expect(BigInt(newest.rows[0]!.id)).toBe(BigInt(eventsBefore.rows.at(-1)!.id) + 1n);
    } finally {
      await handle.close();
    }
    // A fresh embedded database migrated twice: slow on a busy machine, whatever the database under test.
  }, 180_000);
});
