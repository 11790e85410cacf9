import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../src/server/db/database';
import { PREPARED_STATEMENTS_PER_CONNECTION } from '../../../src/server/db/prepared-statements';
import { useTestDatabase } from '../support/test-database';

// The PostgreSQL pool prepares each parameterised statement once per connection
// (src/server/db/prepared-statements.ts). PGlite runs in-process and has no such pool.
const isPostgres = Boolean(process.env.DATABASE_URL);
if (!isPostgres) console.info('prepared-statements.int.test.ts: PostgreSQL only (set DATABASE_URL); PGlite has no connection pool to prepare on');

describe.skipIf(!isPostgres)('PLAT-1: statements are prepared once per PostgreSQL connection', () => {
  const database = useTestDatabase();

  /** The prepared statements of the connection the transaction holds, by text. */
  async function preparedOn(trx: Executor) {
    const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx);
    return rows;
  }

  it('PLAT-1: a query run again on the same connection reuses its statement, with each call its own values', async () => {
    const { db } = database.current;
    await db.transaction().execute(async (trx) => {
      const first = await trx.selectFrom('organisation').select('id').where('name', '=', 'ingen slik klinikk').execute();
      const again = await trx.selectFrom('organisation').select('id').where('name', '=', 'heller ikke denne').execute();
      expect(first).toEqual([]);
      expect(again).toEqual([]);
      const prepared = (await preparedOn(trx)).filter((row) => row.statement.includes('from "organisation"'));
      expect(prepared).toHaveLength(1);
      // begin/commit and unparameterised statements stay unnamed.
      expect((await preparedOn(trx)).some((row) => /^begin/i.test(row.statement))).toBe(false);
    });
  });

  it('PLAT-1: a connection keeps a bounded number of statements; texts beyond it still run, unnamed', async () => {
    const { db } = database.current;
    await db.transaction().execute(async (trx) => {
      const extra = 25;
      for (let index = 0; index < PREPARED_STATEMENTS_PER_CONNECTION + extra; index++) {
        // A different text each time (the alias), one parameter: each would be a statement of its own.
        const { rows } = await sql<Record<string, number>>`select ${index}::int as ${sql.id(`value_${index}`)}`.execute(trx);
        expect(rows[0]?.[`value_${index}`]).toBe(index);
      }
      const prepared = await preparedOn(trx);
      expect(prepared.length).toBeLessThanOrEqual(PREPARED_STATEMENTS_PER_CONNECTION);
      expect(prepared.some((row) => row.statement.includes(`value_${PREPARED_STATEMENTS_PER_CONNECTION + extra - 1}`))).toBe(false);
    });
  });
});
