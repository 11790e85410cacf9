import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditActor, AuditDetails } from '../../../src/server/audit/record';
import { runAuditedUnit, runSystemJob, systemActor } from '../../../src/server/audit/unit-of-work';
import { PreparedStatementClient } from '../../../src/server/db/prepared-statements';
import { createOrganisation, eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';

// An audited write sends its events in the message that commits it (docs/adr/0019): on PostgreSQL a
// simple query `insert … from json_populate_recordset(…, '<escaped JSON>'); commit`. PGlite runs one
// statement per query and keeps the INSERT of its own; the tests that do not count round trips run
// on both, so each path proves the same behaviour.
const isPostgres = Boolean(process.env.DATABASE_URL);
if (!isPostgres) console.info('commit-events.int.test.ts: the round-trip count runs on PostgreSQL only (set DATABASE_URL)');

const NOW = new Date('2026-12-10T12:34:56.789Z');

/** Strings that a hand-built literal or a careless escape would get wrong. */
const AWKWARD = [
  "O'Brien",
  "''",
  'back\\slash',
  '\\',
  "\\'",
  "end with a backslash \\",
  'E\'\\x41\'',
  '$$ dollar $$ and $tag$',
  "'); commit; drop table audit_event; --",
  '"double" {braces}, [brackets]',
  'tab\tnewline\ncarriage\r',
  '\\u0041 \\n (escape sequences as text)',
  'Bjørnstjerne Æbelø Åsane',
  'عربي עברית',
  'emoji 🧾👩‍⚕️',
  '\u0001\u001f control',
];

describe('AUD-3, PLAT-10: an audited write sends its events with its commit', () => {
  const database = useTestDatabase();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('AUD-2, AUD-3: events with quotes, backslashes, dollar quotes, unicode and control characters are stored exactly as recorded', async () => {
    const { db } = database.current;
    const organisation = await createOrganisation(db);
    const actor: AuditActor = {
      ...systemActor(organisation.id, 'probe'),
      displayName: AWKWARD.join(' | '),
      roles: [...AWKWARD, 'NULL', ''],
      profession: "lege's \\ profession",
      deviceId: '$$\\$$',
      authMethod: 'password+totp',
    };
    const details = Object.fromEntries(AWKWARD.map((text, index) => [`text${index}`, text]));
    const cases: { objectId: string; reason: string; details: AuditDetails }[] = [
      { objectId: AWKWARD.join(''), reason: "a 'reason' \\ with $$", details: { ...details, count: 3, flag: true, none: null, list: AWKWARD } },
      { objectId: 'second', reason: 'plain', details: { nested: 'no \\ escape " here' } },
    ];
    await runAuditedUnit(
      { db, actor, actions: ['admin.user.unlocked'], mode: 'write', now: NOW, clientIp: '10.0.0.1', origin: 'test', isEventRequired: true },
      async ({ audit }) => {
        for (const event of cases) audit.record({ objectType: 'probe', ...event });
      },
    );
    const stored = await eventsOf(db, { action: 'admin.user.unlocked' });
    expect(stored).toHaveLength(2);
    for (const [index, event] of stored.entries()) {
      expect(event).toMatchObject({
        organisation_id: organisation.id,
        occurred_at: NOW,
        user_id: null,
        user_display_name: actor.displayName,
        user_roles: actor.roles,
        profession: actor.profession,
        session_id: null,
        auth_method: 'password+totp',
        device_id: '$$\\$$',
        action: 'admin.user.unlocked',
        outcome: 'allowed',
        patient_id: null,
        object_type: 'probe',
        object_id: cases[index]?.objectId,
        reason: cases[index]?.reason,
        basis: null,
        // Not an action that keeps the client's address.
        client_ip: null,
      });
      expect(event.details).toEqual(cases[index]?.details);
    }
  });

  it('AUD-2: an event keeps its client address and time zone-free instant; a lone surrogate is stored as U+FFFD, as a bound parameter stores it', async () => {
    const { db } = database.current;
    const organisation = await createOrganisation(db);
    await runAuditedUnit(
      {
        db,
        actor: { ...systemActor(organisation.id, 'probe'), displayName: 'half \uD83D pair \uDE00 end' },
        actions: ['journal.printed'],
        mode: 'write',
        now: NOW,
        clientIp: '2001:db8::1',
        origin: 'test',
        isEventRequired: true,
      },
      async () => {},
    );
    const [event] = await eventsOf(db, { action: 'journal.printed' });
    expect(event).toMatchObject({ client_ip: '2001:db8::1', occurred_at: NOW, user_display_name: 'half \uFFFD pair \uFFFD end', details: {} });
  });

  it('AUD-3: with standard_conforming_strings off in the transaction, backslashes and quotes still arrive unchanged', async () => {
    const { db } = database.current;
    const organisation = await createOrganisation(db);
    await runSystemJob(db, { name: 'probe', organisationId: organisation.id, actions: ['admin.user.unlocked'], now: NOW }, async ({ trx, audit }) => {
      // Off, a plain '…' literal would read \ as an escape: the events' literal must not depend on it.
      await sql`set local standard_conforming_strings = off`.execute(trx);
      audit.record({ objectId: "back\\slash 'quote' \\'", details: { text: '\\n\\\\ and \'' } });
    });
    const [event] = await eventsOf(db, { action: 'admin.user.unlocked' });
    expect(event?.object_id).toBe("back\\slash 'quote' \\'");
    expect(event?.details).toEqual({ text: '\\n\\\\ and \'' });
  });

  it('AUD-3: when the event cannot be written (a value the table refuses), the write is rolled back and the next write on the pool works', async () => {
    const { db } = database.current;
    const organisation = await createOrganisation(db);
    const unit = (clientIp: string, name: string) =>
      runAuditedUnit(
        { db, actor: systemActor(organisation.id, 'probe'), actions: ['journal.printed'], mode: 'write', now: NOW, clientIp, origin: 'test', isEventRequired: true },
        async ({ trx, audit }) => {
          await trx.updateTable('organisation').set({ name }).where('id', '=', organisation.id).execute();
          audit.record({ objectId: organisation.id });
        },
      );
    // journal.printed keeps the client address: one that is not an inet fails the events' insert.
    await expect(unit('not an address', 'Halvveis')).rejects.toThrow(/inet/);
    expect((await db.selectFrom('organisation').select('name').where('id', '=', organisation.id).executeTakeFirstOrThrow()).name).not.toBe('Halvveis');
    expect(await eventsOf(db, { action: 'journal.printed' })).toHaveLength(0);

    // Each connection of the pool is still usable (none left in an aborted transaction).
    for (let round = 0; round < 6; round++) await unit('192.0.2.7', `Runde ${round}`);
    expect((await db.selectFrom('organisation').select('name').where('id', '=', organisation.id).executeTakeFirstOrThrow()).name).toBe('Runde 5');
    expect(await eventsOf(db, { action: 'journal.printed' })).toHaveLength(6);
  });

  it('AUD-3: when the audit log refuses the event (a constraint added for the test), neither the change nor any event remains', async () => {
    const { db } = database.current;
    const organisation = await createOrganisation(db);
    await database.current.asOwner((owner) => sql`alter table audit_event add constraint test_block check (action <> 'admin.user.unlocked')`.execute(owner));
    try {
      await expect(
        runSystemJob(db, { name: 'probe', organisationId: organisation.id, actions: ['admin.user.unlocked', 'admin.user.locked'], now: NOW }, async ({ trx, audit }) => {
          await trx.updateTable('organisation').set({ name: 'Halvveis' }).where('id', '=', organisation.id).execute();
          // The first event alone would pass: the statement writes all of them or none.
          audit.record({ action: 'admin.user.locked' });
          audit.record({ action: 'admin.user.unlocked' });
        }),
      ).rejects.toThrow(/test_block/);
    } finally {
      await database.current.asOwner((owner) => sql`alter table audit_event drop constraint test_block`.execute(owner));
    }
    expect((await db.selectFrom('organisation').select('name').where('id', '=', organisation.id).executeTakeFirstOrThrow()).name).not.toBe('Halvveis');
    expect(await eventsOf(db, { action: 'admin.user.locked' })).toHaveLength(0);
    expect(await eventsOf(db, { action: 'admin.user.unlocked' })).toHaveLength(0);
  });

  it.skipIf(!isPostgres)('PLAT-10: an audited write costs the database round trips of the same write unaudited (begin, its statement, commit)', async () => {
    const { db } = database.current;
    const organisation = await createOrganisation(db);
    const change = (name: string) => db.updateTable('organisation').set({ name }).where('id', '=', organisation.id);
    // Every query the pool's clients send is one round trip (pg sends a parse/bind/execute with its sync).
    const sent: string[] = [];
    const query = PreparedStatementClient.prototype.query;
    vi.spyOn(PreparedStatementClient.prototype, 'query').mockImplementation(function (this: PreparedStatementClient, config: unknown, values?: unknown, callback?: unknown) {
      sent.push(typeof config === 'string' ? config : String((config as { text?: string }).text));
      return query.call(this, config, values, callback);
    });
    const roundTrips = async (write: () => Promise<unknown>) => {
      sent.length = 0;
      await write();
      return [...sent];
    };

    const unaudited = await roundTrips(() => db.transaction().execute((trx) => trx.updateTable('organisation').set({ name: 'Uten logg' }).where('id', '=', organisation.id).execute()));
    const audited = await roundTrips(() =>
      runSystemJob(db, { name: 'probe', organisationId: organisation.id, actions: ['admin.user.unlocked'], now: NOW }, async ({ trx, audit }) => {
        await trx.updateTable('organisation').set({ name: 'Med logg' }).where('id', '=', organisation.id).execute();
        audit.record({ objectId: organisation.id });
      }),
    );
    const quiet = await roundTrips(() =>
      runAuditedUnit(
        { db, actor: systemActor(organisation.id, 'probe'), actions: ['admin.user.unlocked'], mode: 'write', now: NOW, clientIp: undefined, origin: 'test', isEventRequired: false },
        ({ trx }) => trx.updateTable('organisation').set({ name: 'Uten hendelse' }).where('id', '=', organisation.id).execute(),
      ),
    );
    expect(change('x').compile().sql).toBe(unaudited[1]);
    expect(unaudited).toHaveLength(3);
    expect(audited).toHaveLength(unaudited.length);
    expect(audited[0]).toBe('begin');
    // The connection's first carried insert prepares it; later ones only execute it.
    expect(audited[2]).toMatch(/^(prepare jk_audit_events\(json\) as insert into audit_event \(.*\) select .* from json_populate_recordset\(null::audit_event, \$1\);\n)?execute jk_audit_events\((?: E)?'\[.*\]'\);\ncommit$/s);
    const again: string[][] = [];
    for (let round = 0; round < 8; round++) {
      again.push(
        await roundTrips(() =>
          runSystemJob(db, { name: 'probe', organisationId: organisation.id, actions: ['admin.user.unlocked'], now: NOW }, ({ audit }) => {
            audit.record({ objectId: `round ${round}` });
            return Promise.resolve();
          }),
        ),
      );
    }
    // begin, commit with the insert: no statement of the work here.
    expect(again.map((sentInRound) => sentInRound.length)).toEqual(Array.from({ length: 8 }, () => 2));
    // At most once per pooled connection (5 in the test database).
    expect(again.filter(([, commit]) => commit?.startsWith('prepare')).length).toBeLessThanOrEqual(4);
    expect(again.filter(([, commit]) => commit?.startsWith('execute jk_audit_events(')).length).toBeGreaterThanOrEqual(4);

    // Nothing recorded and none required: a plain commit.
    expect(quiet).toEqual(unaudited);
    expect((await db.selectFrom('organisation').select('name').where('id', '=', organisation.id).executeTakeFirstOrThrow()).name).toBe('Uten hendelse');
    expect(await eventsOf(db, { action: 'admin.user.unlocked' })).toHaveLength(9);
  });
});
