// Benchmark 2: sealing and verifying a large audit log (target: audit:verify at ≥ 500,000 events/s).
import { sql } from 'kysely';
import pg from 'pg';
import { AUDIT_ACTIONS } from '../../src/server/audit/actions';
import { sealPendingEvents } from '../../src/server/audit/seal';
import { verifyAuditLog, type VerifyReport } from '../../src/server/audit/verify';
import { createBenchDatabase } from './support/database';
import { createOrganisation } from './support/identity';
import { log, round } from './support/stats';

export interface VerifyRun {
  seconds: number;
  eventsPerSecond: number;
}

export interface VerifySpeedReport {
  events: number;
  transactions: number;
  insertSeconds: number;
  seal: { seconds: number; eventsPerSecond: number; seals: number };
  verify: { runs: VerifyRun[]; bestEventsPerSecond: number; targetEventsPerSecond: number; meetsTarget: boolean };
  tableSizeMb: number;
}

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const arrayLiteral = (values: readonly string[]) => `array[${values.map(literal).join(',')}]`;

/**
 * Fills audit_event with `total` synthetic events as the owner, quickly: one DO block that inserts
 * with INSERT … SELECT generate_series and commits after each batch, so the events belong to many
 * transactions (batches of varied size, 1–2,000 events) as the sealer expects, with varied fields.
 */
async function fillAuditLog(url: string, total: number, organisationIds: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set synchronous_commit = off');
    // Transaction control (COMMIT) inside DO needs the simple query protocol: no parameters, so the
    // constants are written in as literals (all of them ours: organisation ids and action names).
    const result = await client.query(`
      do $fill$
      declare
        orgs uuid[] := ${arrayLiteral(organisationIds)}::uuid[];
        actions text[] := ${arrayLiteral(AUDIT_ACTIONS)};
        done bigint := 0;
        batch bigint;
        batches bigint := 0;
      begin
        while done < ${total} loop
          batch := least(${total} - done, 1 + (batches * 7919) % 2000);
          insert into audit_event (organisation_id, occurred_at, user_id, user_display_name, user_roles, profession,
            session_id, auth_method, device_id, action, outcome, reason, patient_id, object_type, object_id, basis,
            client_ip, details)
          select orgs[1 + g % array_length(orgs, 1)],
                 timestamptz '2026-01-01 08:00:00+01' + g * interval '37 milliseconds',
                 md5('user' || g % 500)::uuid,
                 'Bruker Nummer ' || g % 500,
                 (case g % 4 when 0 then '{clinician}' when 1 then '{admin}' when 2 then '{clinician,dpo}' else '{coordinator}' end)::text[],
                 case when g % 4 in (0, 2) then 'lege' end,
                 case when g % 11 = 0 then null else md5('session' || g / 40)::uuid end,
                 case when g % 11 = 0 then null else 'password+totp' end,
                 case when g % 5 = 0 then null else 'device-' || g % 97 end,
                 actions[1 + g % array_length(actions, 1)],
                 case when g % 23 = 0 then 'denied' else 'allowed' end,
                 case when g % 23 = 0 then 'role_not_admitted' end,
                 case when g % 3 = 0 then md5('patient' || g % 5000)::uuid end,
                 case g % 3 when 0 then 'patient' when 1 then 'user' else 'session' end,
                 (g % 10000)::text,
                 case when g % 3 = 0 then 'treatment_relationship' end,
                 case when g % 50 = 0 then ('10.0.' || g % 256 || '.' || g % 199)::inet end,
                 case when g % 7 = 0 then '{}'::jsonb
                      else jsonb_build_object('procedure', 'bench.op' || g % 13, 'count', g % 100, 'flag', g % 2 = 0, 'ids', jsonb_build_array(g % 17, g % 19)) end
            from generate_series(done + 1, done + batch) as g;
          done := done + batch;
          batches := batches + 1;
          commit;
        end loop;
        raise notice 'batches=%', batches;
      end
      $fill$`);
    void result;
    const count = await client.query<{ transactions: string }>('select count(distinct txid)::text as transactions from audit_event');
    return Number(count.rows[0]?.transactions ?? 0);
  } finally {
    await client.end();
  }
}

export async function benchVerifySpeed(options: { events: number; verifyRuns: number; targetEventsPerSecond: number }): Promise<VerifySpeedReport> {
  const database = await createBenchDatabase('verify');
  try {
    const organisations = [];
    for (let index = 0; index < 3; index++) organisations.push((await createOrganisation(database.owner.db)).id);

    let started = performance.now();
    const transactions = await fillAuditLog(database.url, options.events, organisations);
    await sql`analyze audit_event`.execute(database.owner.db);
    const insertSeconds = (performance.now() - started) / 1000;
    log(`  inserted ${options.events} events in ${transactions} transactions in ${insertSeconds.toFixed(1)} s`);

    // Sealing and verifying run as the application, as the server's job and audit:verify do.
    const app = await database.openAsApplication(2);
    started = performance.now();
    const sealed = await sealPendingEvents(app.db);
    const sealSeconds = (performance.now() - started) / 1000;
    if (sealed !== options.events) throw new Error(`Sealed ${sealed} events, expected ${options.events}`);
    const seals = await sql<{ count: string }>`select count(*)::text as count from audit_seal`.execute(app.db);
    log(`  sealed ${sealed} events in ${seals.rows[0]?.count} seals in ${sealSeconds.toFixed(1)} s (${Math.round(sealed / sealSeconds)} events/s)`);

    const runs: VerifyRun[] = [];
    for (let index = 0; index < options.verifyRuns; index++) {
      started = performance.now();
      const report: VerifyReport = await verifyAuditLog(app.db);
      const seconds = (performance.now() - started) / 1000;
      if (!report.isIntact || report.checkedEvents !== options.events) throw new Error(`verifyAuditLog did not prove the log: ${JSON.stringify(report)}`);
      runs.push({ seconds: round(seconds, 2), eventsPerSecond: Math.round(report.checkedEvents / seconds) });
      log(`  verify run ${index + 1}: ${report.checkedEvents} events in ${report.sealCount} seals in ${seconds.toFixed(2)} s (${Math.round(report.checkedEvents / seconds)} events/s)`);
    }
    const size = await sql<{ bytes: string }>`select pg_total_relation_size('audit_event')::text as bytes`.execute(app.db);
    const best = Math.max(...runs.map((run) => run.eventsPerSecond));
    return {
      events: options.events,
      transactions,
      insertSeconds: round(insertSeconds, 1),
      seal: { seconds: round(sealSeconds, 2), eventsPerSecond: Math.round(sealed / sealSeconds), seals: Number(seals.rows[0]?.count ?? 0) },
      verify: { runs, bestEventsPerSecond: best, targetEventsPerSecond: options.targetEventsPerSecond, meetsTarget: best >= options.targetEventsPerSecond },
      tableSizeMb: round(Number(size.rows[0]?.bytes ?? 0) / 1024 / 1024, 0),
    };
  } finally {
    await database.drop();
  }
}
