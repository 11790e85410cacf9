import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/test-database';
import { sealEverything, sealsOf, tamper } from './audit-helpers';

/**
 * Regression tests for ordering by number, not by text: seal 10 after seal 9, event 100 after 99,
 * and transactions too large for one seal (AUD-4). Each was broken once.
 */
async function insertEvents(db: Parameters<typeof sealEverything>[0], count: number, action = 'audit.read.own') {
  await sql`insert into audit_event (occurred_at, action, outcome, details)
    select now(), ${action}, 'allowed', jsonb_build_object('n', g) from generate_series(1, ${count}) as g`.execute(db);
}

describe('sealing and verifying in numeric order (AUD-4)', () => {
  const database = useTestDatabase();

  it('AUD-4: twelve seals verify intact (seal 10 follows seal 9)', async () => {
    for (let round = 0; round < 12; round++) {
      await insertEvents(database.current.db, 3);
      await sealEverything(database.current.db);
    }
    expect((await sealsOf(database.current.db)).length).toBeGreaterThanOrEqual(12);
    const report = await sealEverything(database.current.db);
    expect(report).toMatchObject({ isIntact: true, checkedEvents: 36, pendingEvents: 0 });
  });

  it('AUD-4: one seal over ids 1…150 keeps numeric order, and names event 100 when it is altered', async () => {
    await insertEvents(database.current.db, 150);
    expect(await sealEverything(database.current.db)).toMatchObject({ isIntact: true, checkedEvents: 150 });
    const [seal] = await sealsOf(database.current.db);
    expect(seal?.event_ids.slice(8, 11)).toEqual(['9', '10', '11']);
    await tamper(database.current, 'audit_event', sql`update audit_event set action = 'forged' where id = 100`);
    const report = await sealEverything(database.current.db);
    expect(report.firstProblem).toEqual({ kind: 'event_altered', eventId: '100', seq: '1' });
  });

  it('AUD-4: a transaction with more events than one seal holds is still sealed whole', async () => {
    await insertEvents(database.current.db, 50_001);
    await insertEvents(database.current.db, 10);
    const report = await sealEverything(database.current.db);
    expect(report).toMatchObject({ isIntact: true, checkedEvents: 50_011, pendingEvents: 0 });
  });
});
