import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../../src/server/db/database';

/**
 * The DPO's log at scale (issue 12's benchmark): `events` audit events over two years for one
 * organisation of `users` users and `patients` patients, as a busy clinic writes them:
 * - half are journal reads (journal.record.opened / journal.notes.read) of a patient the user treats
 *   (each user has a panel of about 400 patients), on treatment relationship, one in 200 a break-glass
 *   access (access.break_glass, basis break_glass: the flags job raises those);
 * - a tenth are lists that showed patients (patient.search, start.page.read) with five patient ids
 *   in details.shownPatientIds (AUD-6), so "saw them in a list" has something to find;
 * - the rest have no patient (logins, CRM, consultations moved …).
 * Events are dated in id order across the two years (the log is appended in time), on weekdays in
 * clinic hours (06:30–14:30 UTC, inside the default 07:00–17:00 Oslo in winter and summer) but for
 * the last 1 % of each day, which runs into the evening (15:00–19:00 UTC: mostly outside hours, so
 * the outside-hours rule has something to find, as it would in a clinic). Each month has its own
 * partition (made here first, as the live server would have made them month by month), and events
 * are written in transactions of 1–2,000 so the sealer meets what it meets in production.
 * A user's k-th event (k = g / users) walks their panel of 400 patients, so every patient is seen
 * by the few users who treat them (about 50 reads and 50 list appearances in two years).
 * After the load the log is vacuumed, as autovacuum would have done it over two years: the GIN
 * index of list ids then has no pending list left from the bulk load.
 */
export interface DpoLogData {
  organisationId: string;
  userIds: string[];
  patientIds: string[];
  from: Date;
  to: Date;
  insertSeconds: number;
}

export async function generateDpoLogData(
  owner: Database,
  url: string,
  options: { organisationId: string; events: number; users: number; patients: number; now: Date },
): Promise<DpoLogData> {
  const { organisationId } = options;
  const to = options.now;
  const from = new Date(Date.UTC(to.getUTCFullYear() - 2, to.getUTCMonth(), to.getUTCDate()));
  // Users and patients in bulk (one statement each): names and numbers synthetic.
  await sql`
    insert into app_user (organisation_id, email, display_name, phone, profession, hpr_number, status, password_hash, totp_enrolled_at)
    select ${organisationId}, 'dpo-bench-' || i || '@bench.example', 'Bruker ' || i || ' ' || (array['Hansen','Olsen','Larsen','Berg','Moen'])[1 + i % 5],
           '+4799' || lpad(i::text, 6, '0'), case when i % 10 < 8 then 'lege' end, case when i % 10 < 8 then lpad(i::text, 7, '0') end,
           'active', 'x', now()
      from generate_series(1, ${options.users}) as i`.execute(owner);
  await sql`
    insert into role_grant (organisation_id, user_id, role)
    select organisation_id, id, case when row_number() over (order by id) % 10 < 8 then 'clinician' when row_number() over (order by id) % 10 = 8 then 'coordinator' else 'sales' end
      from app_user where organisation_id = ${organisationId} and email like 'dpo-bench-%'`.execute(owner);
  await sql`
    insert into patient (organisation_id, national_id, given_name, family_name, date_of_birth, gender, created_by)
    select ${organisationId}, lpad((10000000000 + i)::text, 11, '0'), (array['Kari','Ola','Ingrid','Per','Åse'])[1 + i % 5], 'Pasient' || i,
           date '1940-01-01' + (i % 25000), (array['female','male'])[1 + i % 2],
           (select id from app_user where organisation_id = ${organisationId} order by id limit 1)
      from generate_series(1, ${options.patients}) as i`.execute(owner);
  const userIds = (await sql<{ id: string }>`select id from app_user where organisation_id = ${organisationId} and email like 'dpo-bench-%' order by id`.execute(owner)).rows.map((row) => row.id);
  const patientIds = (await sql<{ id: string }>`select id from patient where organisation_id = ${organisationId} order by id`.execute(owner)).rows.map((row) => row.id);
  // Every month of the two years has its partition, as on a server that ran through them.
  await sql`select audit_event_ensure_partition(month::date) from generate_series(${from}::timestamptz, ${to}::timestamptz + interval '1 month', interval '1 month') as month`.execute(owner);

  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set synchronous_commit = off');
    // Whole weeks from the first Monday; the last partial week is left empty (the bench's own events land there).
    const spanMs = to.getTime() - from.getTime() - 7 * 86_400_000;
    // COMMIT inside DO needs the simple query protocol: the constants are literals (ours: ids, numbers, dates).
    await client.query(`
      do $fill$
      declare
        org uuid := '${organisationId}';
        users uuid[] := array(select id from app_user where organisation_id = org and email like 'dpo-bench-%' order by id);
        names text[] := array(select display_name from app_user where organisation_id = org and email like 'dpo-bench-%' order by id);
        patients uuid[] := array(select id from patient where organisation_id = org order by id);
        user_count int := array_length(users, 1);
        patient_count int := array_length(patients, 1);
        total bigint := ${options.events};
        -- The Monday (UTC midnight) on or after the start, and the weekdays from it to the end.
        monday timestamptz := date_trunc('week', '${from.toISOString()}'::timestamptz at time zone 'UTC' + interval '6 days') at time zone 'UTC';
        weekdays bigint := (floor(${spanMs} / 86400000.0 / 7) * 5)::bigint;
        done bigint := 0;
        batch bigint;
        batches bigint := 0;
      begin
        while done < total loop
          batch := least(total - done, 1 + (batches * 7919) % 2000);
          insert into audit_event (organisation_id, occurred_at, user_id, user_display_name, user_roles, profession,
            session_id, auth_method, device_id, action, outcome, reason, patient_id, object_type, object_id, basis, client_ip, details)
          select org,
                 -- Weekday w (0 = the first Monday) and the place f in [0, 1) of the event in that day.
                 monday + ((w / 5) * 7 + w % 5) * interval '1 day'
                   + case when f < 0.99 then interval '6 hours 30 minutes' + (f / 0.99) * interval '8 hours'
                          else interval '15 hours' + ((f - 0.99) / 0.01) * interval '4 hours' end,
                 users[1 + u],
                 names[1 + u],
                 case when u % 10 < 8 then '{clinician}' when u % 10 = 8 then '{coordinator}' else '{sales}' end::text[],
                 case when u % 10 < 8 then 'lege' end,
                 md5('session' || u || '-' || g / 200)::uuid,
                 'password+totp',
                 'device-' || u,
                 case when k < 10 and g % 200 = 0 then 'access.break_glass'
                      when k < 10 then (case when k % 2 = 0 then 'journal.record.opened' else 'journal.notes.read' end)
                      when k = 10 then 'patient.search' when k = 11 then 'start.page.read'
                      when k < 15 then 'auth.login.success' when k < 18 then 'consultation.moved' else 'crm.companies.read' end,
                 case when g % 97 = 0 then 'denied' else 'allowed' end,
                 case when g % 97 = 0 then 'no_basis' end,
                 case when k < 10 then patients[1 + (u * 397 + (n * 31) % 400) % patient_count] end,
                 case when k < 10 then 'patient' end,
                 case when k < 10 then patients[1 + (u * 397 + (n * 31) % 400) % patient_count]::text end,
                 case when k < 10 then (case when g % 200 = 0 then 'break_glass' else 'treatment_relationship' end) end,
                 null,
                 case when k in (10, 11) then jsonb_build_object('resultCount', 5, 'shownPatientIds', jsonb_build_array(
                        patients[1 + (u * 397 + (n * 7 + 7) % 400) % patient_count], patients[1 + (u * 397 + (n * 11 + 11) % 400) % patient_count],
                        patients[1 + (u * 397 + (n * 13 + 13) % 400) % patient_count], patients[1 + (u * 397 + (n * 17 + 17) % 400) % patient_count],
                        patients[1 + (u * 397 + (n * 19 + 19) % 400) % patient_count]))
                      else '{}'::jsonb end
            from (select g, (g * 7) % user_count as u, (g * 13) % 20 as k, g / user_count as n,
                         floor((g - 1)::numeric * weekdays / total)::bigint as w,
                         ((g - 1)::numeric * weekdays / total) % 1 as f
                    from generate_series(done + 1, done + batch) as g) as s;
          done := done + batch;
          batches := batches + 1;
          commit;
        end loop;
      end
      $fill$`);
  } finally {
    await client.end();
  }
  await sql`vacuum (analyze)`.execute(owner);
  return { organisationId, userIds, patientIds, from, to, insertSeconds: (performance.now() - started) / 1000 };
}
