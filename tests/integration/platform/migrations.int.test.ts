import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations';
import { appliedMigrations, MigrationError, migrateToLatest } from '../../../src/server/db/migrate';
import { useTestDatabase } from '../support/test-database';

async function tableExists(db: Kysely<any>, name: string): Promise<boolean> {
  const result = await sql<{ exists: boolean }>`select to_regclass(${`public.${name}`}) is not null as exists`.execute(db);
  return result.rows[0]?.exists === true;
}

describe('migrations (PLAT-2)', () => {
  const database = useTestDatabase();

  it('PLAT-2: every migration in the list has run, in order', async () => {
    expect(await appliedMigrations(database.current.db)).toEqual(Object.keys(migrations));
    expect(await tableExists(database.current.db, 'organisation')).toBe(true);
  });

  it('PLAT-2: running them again changes nothing', async () => {
    expect(await database.current.asOwner((owner) => migrateToLatest(owner))).toEqual([]);
  });

  it('PLAT-2: a failed migration leaves the database exactly as it was (transactional DDL)', async () => {
    const broken = {
      ...migrations,
      '2099-01-01T00-00_creates_then_fails': {
        up: async (db: Kysely<any>) => {
          await db.schema.createTable('half_written').addColumn('id', 'integer').execute();
          await sql`alter table organisation add column doomed text`.execute(db);
          await sql`select this_is_not_sql(`.execute(db);
        },
      },
    };
    // Migrations run as the owner, as the server runs them (the application role may not create tables).
    const attempt = database.current.asOwner((owner) => migrateToLatest(owner, broken));
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toMatchObject({ migrationName: '2099-01-01T00-00_creates_then_fails' });
    expect(await tableExists(database.current.db, 'half_written')).toBe(false);
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'organisation'`.execute(database.current.db);
    expect(columns.rows.map((row) => row.column_name)).not.toContain('doomed');
    expect(await appliedMigrations(database.current.db)).toEqual(Object.keys(migrations));
  });

  it('PLAT-3: the organisation is the tenant root and every later table must reference it', async () => {
    // Guards the rule written in docs/adr/0002: any table (other than the installation's own and the
    // migrator's) without an organisation_id column fails this test.
    // audit_seal is installation-wide: one seal covers the events of every organisation in its range.
    // rate_limit_counter is the installation's too: a limit applies before anyone (or any organisation) is known.
    // audit_flag_watermark is the flags job's place in the sealed log, which is one for the installation (DPO-2);
    // audit_retirement records months of that log dropped after ten years: a month holds every organisation's events (DPO-6).
    // retention_exception is the register of what the law says must be kept, the same law for every organisation (DPO-5).
    const exempt = new Set(['organisation', 'installation_setting', 'audit_seal', 'kysely_migration', 'kysely_migration_lock', 'rate_limit_counter', 'audit_flag_watermark', 'retention_exception', 'audit_retirement']);
    const result = await sql<{ table_name: string; has_org: boolean }>`
      select t.table_name,
             exists (select 1 from information_schema.columns c
                      where c.table_schema = t.table_schema and c.table_name = t.table_name
                        and c.column_name = 'organisation_id') as has_org
        from information_schema.tables t
       where t.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(database.current.db);
    const missing = result.rows.filter((row) => !exempt.has(row.table_name) && !row.has_org).map((row) => row.table_name);
    expect(missing).toEqual([]);
  });
});
