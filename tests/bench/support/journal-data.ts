// Bulk data for the `journal` benchmark: one organisation's patients, their journals and every kind
// of access basis, generated inside PostgreSQL as the owner with INSERT … SELECT generate_series.
import pg from 'pg';
import { round } from './stats';

export interface JournalDataOptions {
  url: string;
  organisationId: string;
  /** The clinicians (already made, logged in or not): patient g's assigned clinician is number g mod n. */
  clinicianIds: readonly string[];
  patients: number;
  notesPerPatient: number;
  /** The time the access bases are laid out around (relationships started before it, shares end after it …). */
  now: Date;
}

export interface JournalDataReport {
  /** Seconds per step; steps in the same lane ran one after another, the two lanes side by side. */
  steps: { name: string; lane: number; seconds: number; rows: number }[];
  seconds: number;
  /** Whether foreign-key triggers were skipped while loading (session_replication_role = replica, superuser only). */
  skippedForeignKeyChecks: boolean;
}

/**
 * Ids are md5 of a tag and the row's number (made a valid v4 uuid), so every table can name its patient
 * or note without a join: patient g is from md5('p' || g), note n from md5('n' || n). Notes are
 * numbered (and so stored) in time order across all patients, as a journal fills up: note n is
 * patient (n - 1) % patients + 1's note number (n - 1) / patients, so one patient's notes lie on
 * different pages, not side by side.
 */
const PATIENT = (g: string) => uuidOf(`'p' || ${g}`);
const NOTE = (n: string) => uuidOf(`'n' || ${n}`);
/** md5 of the text as a well-formed version-4 uuid (the API's input validation checks the version and variant digits). */
function uuidOf(text: string): string {
  return `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;
}
/** Clinician number (expression) + offset, 1-based into $2. */
const CLINICIAN = (g: string, offset = 0) => `($2::uuid[])[1 + ((${g}) + ${offset}) % $4::int]`;

const BODY_TEXT =
  'Pasienten kommer til kontroll etter forrige konsultasjon. Oppgir bedre søvn, men fortsatt noe uro om kvelden. ' +
  'Ingen nye legemidler siden sist. Blodtrykk 128/82, puls 72 regelmessig. Lunger: vesikulær respirasjon bilateralt, ' +
  'ingen fremmedlyder. Hjerte: regelmessig aksjon, ingen bilyder. Samtale om mestringsstrategier og søvnhygiene. ' +
  'Vurdering: stabil tilstand, god effekt av tiltakene. Plan: fortsetter som før, ny time om seks uker, tar kontakt ' +
  'ved forverring. Henvisning til fysioterapeut er sendt. Pårørende informert etter samtykke fra pasienten. ' +
  'Telefonsamtale med pasienten om prøvesvar: hemoglobin og CRP innen normalområdet, lett forhøyet kolesterol. ' +
  'Kostråd gitt muntlig, skriftlig informasjon sendt via helsenett. Hjemmebesøk: pasienten bor alene, klarer ' +
  'dagliglivets gjøremål, noe nedsatt gangfunksjon. Rullator vurderes. Avtalt oppfølging med hjemmesykepleien.';

/** The read-shares made (and the consent each rests on): tag, scope, grantee offset, withdrawn, revoked. */
const SHARES = `
  select g, 'w' as tag, 'whole_journal' as scope, 11 as offset_, false as is_withdrawn, false as is_revoked from generate_series(33, $3::int, 33) as g
  union all select g, 's', 'selected_notes', 17, false, false from generate_series(50, $3::int, 50) as g
  union all select g, 'x', 'whole_journal', 31, true, false from generate_series(70, $3::int, 70) as g
  union all select g, 'r', 'whole_journal', 35, false, true from generate_series(90, $3::int, 90) as g`;

/**
 * Each clinician's drafts: clinician c (0-based) has 5–30 unsigned drafts, draft j for their own
 * assigned patient n·(10 + j) + c, started j × 9 hours ago (from j = 8 older than the clinic's
 * 3-day limit). One draft per patient at most, none on the patients the refusal checks use (< 400).
 */
const DRAFTS = `
  from generate_series(0, $4::int - 1) as c, generate_series(0, 29) as j,
       lateral (select $4::int * (10 + j) + c as g, $5::timestamptz - j * interval '9 hours' - c * interval '1 minute' as at) as d
 where j < 5 + (c * 11) % 26 and $4::int * (10 + j) + c <= $3::int`;
const DRAFT = (g: string) => uuidOf(`'d' || ${g}`);

/** Audit history per clinician: this many events over this many days before the run (one in ten a journal opened). */
export const AUDIT_HISTORY = { eventsPerClinician: 12_000, days: 120 } as const;

/** Each step: a label, the lane it runs in (two lanes run side by side when FK checks are off), and its SQL. */
function steps(options: JournalDataOptions): { name: string; lane: number; text: string; values: unknown[] }[] {
  const base = [options.organisationId, options.clinicianIds, options.patients, options.clinicianIds.length, options.now];
  const perPatient = options.notesPerPatient;
  /** Note number of patient g's k-th note (0 = oldest): notes are numbered in time order across all patients. */
  const noteOf = (g: string, k: number) => `(${k} * $3::int + ${g})`;
  return [
    {
      name: 'patients',
      lane: 1,
      text: `
        insert into patient (id, organisation_id, national_id, given_name, family_name, date_of_birth, gender, address, phone, created_by, created_at, updated_at)
        select ${PATIENT('g')}, $1, lpad(g::text, 11, '0'),
               (array['Kari','Ola','Ingrid','Per','Anne','Lars','Sigrid','Nils','Liv','Jon','Astrid','Erik','Solveig','Knut'])[1 + g % 14],
               (array['Nordmann','Hansen','Johansen','Olsen','Larsen','Andersen','Pedersen','Nilsen','Kristiansen','Jensen','Karlsen','Berg','Haugen','Hagen','Bakken','Dahl'])[1 + (g / 14) % 16],
               date '1930-01-01' + (g * 37) % 32000,
               case when g % 97 = 0 then 'other' when g % 2 = 0 then 'female' else 'male' end,
               'Storgata ' || g % 200 || ', ' || lpad((g % 9000 + 1000)::text, 4, '0') || ' Oslo', '+47' || (40000000 + g), ${CLINICIAN('g')}, $5, $5
          from generate_series(1, $3::int) as g`,
      values: base,
    },
    {
      // Every patient has an assigned clinician; every tenth a care-team member too; every 17th an ended relationship (no basis).
      name: 'care_relationship',
      lane: 1,
      text: `
        insert into care_relationship (organisation_id, patient_id, user_id, kind, starts_at, ends_at, created_by)
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g')}, 'assigned_clinician', $5::timestamptz - (1 + g % 1500) * interval '1 day', null::timestamptz, ($2::uuid[])[1]
          from generate_series(1, $3::int) as g
        union all
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g', 7)}, 'care_team', $5::timestamptz - (1 + g % 300) * interval '1 day', null::timestamptz, ($2::uuid[])[1]
          from generate_series(10, $3::int, 10) as g
        union all
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g', 13)}, 'care_team', $5::timestamptz - interval '2 years', $5::timestamptz - interval '1 year', ($2::uuid[])[1]
          from generate_series(17, $3::int, 17) as g`,
      values: base,
    },
    {
      // Every 20th patient has an appointment that admits (within 90 days before, 14 after); some cancelled or too old ones that do not.
      name: 'appointment',
      lane: 1,
      text: `
        insert into appointment (organisation_id, patient_id, clinician_id, kind, starts_at, status)
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g', 3)}, case when g % 40 = 0 then 'home_visit' else 'consultation' end,
               case when (g / 20) % 4 = 0 then $5::timestamptz + (1 + (g / 20) % 10) * interval '1 day' else $5::timestamptz - ((g / 20) % 80) * interval '1 day' end,
               case when (g / 20) % 4 = 0 then 'booked' else 'completed' end
          from generate_series(20, $3::int, 20) as g
        union all
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g', 5)}, 'consultation', $5::timestamptz + interval '2 days', 'cancelled'
          from generate_series(25, $3::int, 25) as g
        union all
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g', 9)}, 'consultation', $5::timestamptz - interval '200 days', 'completed'
          from generate_series(30, $3::int, 30) as g`,
      values: base,
    },
    {
      // Today (the Oslo day of the run) for every clinician: 10–20 consultations from 08:00, 25 minutes
      // apart, every sixth a home visit, every seventh by video; patients n·(60 + j) + c, + 1 or + 2
      // (their own and two colleagues' patients, where the appointment is the basis). Those already
      // over are completed.
      name: 'appointment (today)',
      lane: 1,
      text: `
        insert into appointment (organisation_id, patient_id, clinician_id, kind, starts_at, status, duration_minutes, mode, created_by, created_at)
        select $1::uuid, ${PATIENT('g')}, ($2::uuid[])[1 + c], case when j % 6 = 5 then 'home_visit' else 'consultation' end, t,
               case when t + interval '20 minutes' <= $5::timestamptz then 'completed' else 'booked' end, 20,
               case when j % 7 = 3 then 'video' else 'in_person' end, ($2::uuid[])[1 + c], $5::timestamptz - interval '14 days'
          from generate_series(0, $4::int - 1) as c, generate_series(0, 19) as j,
               lateral (select $4::int * (60 + j) + (c + j % 3) % $4::int as g,
                               (date_trunc('day', $5::timestamptz at time zone 'Europe/Oslo') + time '08:00' + j * interval '25 minutes') at time zone 'Europe/Oslo' as t) as a
         where j < 10 + (c * 7) % 11 and g <= $3::int`,
      values: base,
    },
    {
      // What the clinicians did before the run, as the application would have logged it (the start
      // page reads their own journal.record.opened events by the index on organisation, user and
      // time, so the other reads in the same range count too): per clinician one event every
      // ~14 minutes over 120 days, one in ten opening an assigned patient's journal, the rest notes
      // read, start pages and searches. Inserted as the owner (the append-only triggers refuse only
      // changes); never sealed, as the journal benchmark does not run the sealer.
      name: 'audit_event (history)',
      lane: 1,
      text: `
        insert into audit_event (organisation_id, occurred_at, user_id, user_display_name, user_roles, profession, session_id, auth_method, device_id,
                                 action, outcome, patient_id, object_type, object_id, basis, details)
        select $1::uuid, $5::timestamptz - (e + 1) * (interval '1 day' * ${AUDIT_HISTORY.days} / ${AUDIT_HISTORY.eventsPerClinician}) - c * interval '1 second',
               ($2::uuid[])[1 + c], 'Kliniker ' || (c + 1), '{clinician}', 'lege', md5('s' || c || '-' || e / 200)::uuid, 'password+totp', 'device-' || c,
               action, 'allowed', patient, object_type, case when object_type = 'patient' then patient::text end, basis, details
          from generate_series(0, $4::int - 1) as c, generate_series(0, ${AUDIT_HISTORY.eventsPerClinician - 1}) as e,
               lateral (select ${PATIENT('$4::int * (1 + (e * 7919) % greatest(1, $3::int / $4::int - 1)) + c')} as patient) as p,
               lateral (select case when e % 10 = 0 then 'journal.record.opened' when e % 10 = 7 then 'start.page.read' when e % 10 = 8 then 'patient.search' else 'journal.notes.read' end as action) as a,
               lateral (select case action when 'journal.record.opened' then 'patient' when 'journal.notes.read' then 'journal_note' when 'start.page.read' then 'start_page' else 'patient_search' end as object_type) as o,
               lateral (select case when action in ('journal.record.opened', 'journal.notes.read') then 'treatment_relationship' end as basis,
                               case action when 'journal.notes.read' then jsonb_build_object('noteIds', '[]'::jsonb, 'grantId', null)
                                           when 'start.page.read' then jsonb_build_object('shownPatientIds', jsonb_build_array(patient), 'resultCount', 1)
                                           when 'patient.search' then jsonb_build_object('shownPatientIds', jsonb_build_array(patient), 'resultCount', 1)
                                           else jsonb_build_object('grantId', null) end as details) as d`,
      values: base,
    },
    {
      // Consents: one per share (whole journal every 33rd, chosen notes every 50th, withdrawn every 70th, revoked share every 90th).
      name: 'patient_consent',
      lane: 1,
      text: `
        insert into patient_consent (id, organisation_id, patient_id, given_by, method, given_at, recorded_by, scope, purpose, withdrawn_at, withdrawn_by)
        select md5('c' || tag || g)::uuid, $1::uuid, ${PATIENT('g')}, 'patient', 'verbal', $5::timestamptz - interval '10 days', ${CLINICIAN('g')}, scope, 'Veiledning',
               case when is_withdrawn then $5::timestamptz - interval '1 day' end, case when is_withdrawn then ${CLINICIAN('g')} end
          from (${SHARES}) as shares`,
      values: base,
    },
    {
      name: 'read_share',
      lane: 1,
      text: `
        insert into read_share (organisation_id, patient_id, grantee_id, granted_by, consent_id, scope, note_ids, purpose, starts_at, ends_at, revoked_at, revoked_by)
        select $1::uuid, ${PATIENT('g')}, ($2::uuid[])[1 + (g + offset_) % $4::int], ${CLINICIAN('g')}, md5('c' || tag || g)::uuid, scope,
               case when scope = 'selected_notes' then array[${NOTE(noteOf('g', 0))}, ${NOTE(noteOf('g', Math.floor(perPatient / 4)))}, ${NOTE(noteOf('g', Math.floor(perPatient / 2)))}] else '{}' end,
               'Veiledning', $5::timestamptz - interval '5 days', $5::timestamptz + interval '30 days',
               case when is_revoked then $5::timestamptz - interval '1 day' end, case when is_revoked then ${CLINICIAN('g')} end
          from (${SHARES}) as shares`,
      values: base,
    },
    {
      // Break-glass: an open one every 200th patient, an expired one every 150th.
      name: 'break_glass_access',
      lane: 1,
      text: `
        insert into break_glass_access (organisation_id, patient_id, user_id, reason_code, reason_text, started_at, expires_at, ended_at)
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g', 23)}, 'emergency_treatment', null::text, $5::timestamptz - interval '1 hour', $5::timestamptz + interval '3 hours', null::timestamptz
          from generate_series(200, $3::int, 200) as g
        union all
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g', 27)}, 'emergency_treatment', null::text, $5::timestamptz - interval '1 day', $5::timestamptz - interval '20 hours', null::timestamptz
          from generate_series(150, $3::int, 150) as g`,
      values: base,
    },
    {
      // Blocks: every 50th patient (from 1) bars the assigned clinician from the two newest notes; every
      // 30th (from 2) bars a clinician with no basis from the whole journal; every 45th (from 3) a lifted block.
      name: 'patient_block',
      lane: 1,
      text: `
        insert into patient_block (organisation_id, patient_id, blocked_user_id, scope, note_ids, requested_at, recorded_by, lifted_at, lifted_by)
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g')}, 'selected_notes', array[${NOTE(noteOf('g', perPatient - 1))}, ${NOTE(noteOf('g', perPatient - 2))}],
               $5::timestamptz - interval '30 days', ${CLINICIAN('g', 1)}, null::timestamptz, null::uuid
          from generate_series(1, $3::int, 50) as g
        union all
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g', 29)}, 'whole_journal', '{}'::uuid[], $5::timestamptz - interval '30 days', ${CLINICIAN('g')}, null::timestamptz, null::uuid
          from generate_series(2, $3::int, 30) as g
        union all
        select $1::uuid, ${PATIENT('g')}, ${CLINICIAN('g')}, 'whole_journal', '{}'::uuid[], $5::timestamptz - interval '60 days', ${CLINICIAN('g', 1)}, $5::timestamptz - interval '40 days', ${CLINICIAN('g', 1)}
          from generate_series(3, $3::int, 45) as g`,
      values: base,
    },
    {
      // Notes: patient p's note k (0 = oldest) about every half year from 2016, written in time order
      // (all patients' first notes, then their second …); every fifth by the care-team colleague.
      name: 'journal_note',
      lane: 1,
      text: `
        insert into journal_note (id, organisation_id, patient_id, author_id, note_type, consultation_date, status, current_version, created_at, updated_at)
        select ${NOTE('n')}, $1, ${PATIENT('p')}, ${CLINICIAN('p + case when k % 5 = 4 then 7 else 0 end')},
               (array['consultation','phone','home_visit','letter','other','consultation'])[1 + n % 6], d, 'signed', 1,
               d + time '08:00' + (n % 480) * interval '1 minute', d + time '08:00' + (n % 480) * interval '1 minute' + interval '20 minutes'
          from generate_series(1, $3::int * ${perPatient}) as n,
               lateral (select (n - 1) % $3::int + 1 as p, (n - 1) / $3::int as k) as i,
               lateral (select date '2016-01-01' + k * 180 + p % 150 as d) as dd`,
      values: base.slice(0, 4),
    },
    {
      // One signed version per note, ~200–500 characters of text.
      name: 'journal_note_version',
      lane: 2,
      text: `
        insert into journal_note_version (organisation_id, note_id, version, body, amendment_reason, created_by, created_at, updated_at, signed_by, signed_at, signed_auth_method, content_hash)
        select $1::uuid, ${NOTE('n')}, 1, body, null, author, at, at + interval '20 minutes', author, at + interval '20 minutes', 'password+totp', sha256(convert_to(body, 'UTF8'))
          from generate_series(1, $3::int * ${perPatient}) as n,
               lateral (select (n - 1) % $3::int + 1 as p, (n - 1) / $3::int as k) as i,
               lateral (select ${CLINICIAN('p + case when k % 5 = 4 then 7 else 0 end')} as author,
                               date '2016-01-01' + k * 180 + p % 150 + time '08:00' + (n % 480) * interval '1 minute' as at,
                               'Notat ' || n || '. ' || substr($5::text, 1 + (n * 13) % 500, 180 + ((n::bigint * 7919) % 320)::int) as body) as b`,
      values: [...base.slice(0, 4), BODY_TEXT],
    },
    {
      name: 'journal_note (drafts)',
      lane: 1,
      text: `
        insert into journal_note (id, organisation_id, patient_id, author_id, note_type, consultation_date, status, current_version, created_at, updated_at)
        select ${DRAFT('g')}, $1::uuid, ${PATIENT('g')}, ($2::uuid[])[1 + c], case when j % 4 = 3 then 'phone' else 'consultation' end,
               (at at time zone 'Europe/Oslo')::date, 'draft', 1, at, at
        ${DRAFTS}`,
      values: base,
    },
    {
      name: 'journal_note_version (drafts)',
      lane: 2,
      text: `
        insert into journal_note_version (organisation_id, note_id, version, body, created_by, created_at, updated_at)
        select $1::uuid, ${DRAFT('g')}, 1, 'Utkast. ' || substr($6::text, 1 + (g * 13) % 500, 120), ($2::uuid[])[1 + c], at, at
        ${DRAFTS}`,
      values: [...base, BODY_TEXT],
    },
  ];
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  await client.query(`set maintenance_work_mem = '256MB'`);
  return client;
}

/**
 * Loads the data as the owner. With superuser rights the foreign-key triggers are skipped
 * (session_replication_role = replica; the generated rows are consistent by construction) and the
 * notes and their versions load side by side on two connections; otherwise one after another in
 * foreign-key order. Then VACUUM ANALYZE, so the reads measured later neither set hint bits nor
 * guess at statistics.
 */
export async function generateJournalData(options: JournalDataOptions, log: (line: string) => void): Promise<JournalDataReport> {
  const started = performance.now();
  const clients = [await connect(options.url), await connect(options.url)] as const;
  try {
    let skippedForeignKeyChecks = true;
    for (const client of clients) {
      await client.query('set session_replication_role = replica').catch(() => {
        skippedForeignKeyChecks = false;
      });
    }
    if (!skippedForeignKeyChecks) for (const client of clients) await client.query('set session_replication_role = origin');
    const all = steps(options);
    const report: JournalDataReport['steps'] = [];
    const runLane = async (lane: number, client: pg.Client) => {
      for (const step of all.filter((candidate) => (skippedForeignKeyChecks ? candidate.lane === lane : true))) {
        const begun = performance.now();
        const result = await client.query(step.text, step.values);
        const seconds = round((performance.now() - begun) / 1000, 1);
        report.push({ name: step.name, lane: skippedForeignKeyChecks ? lane : 1, seconds, rows: result.rowCount ?? 0 });
        log(`  ${step.name}: ${(result.rowCount ?? 0).toLocaleString('en')} rows in ${seconds} s`);
      }
    };
    await Promise.all([runLane(1, clients[0]), ...(skippedForeignKeyChecks ? [runLane(2, clients[1])] : [])]);

    const vacuum = async (client: pg.Client, tables: readonly string[]) => {
      const begun = performance.now();
      for (const table of tables) await client.query(`vacuum (analyze) ${table}`);
      report.push({ name: `vacuum (analyze) ${tables.join(', ')}`, lane: client === clients[0] ? 1 : 2, seconds: round((performance.now() - begun) / 1000, 1), rows: 0 });
    };
    await Promise.all([
      vacuum(clients[0], ['journal_note', 'audit_event', 'patient', 'care_relationship', 'appointment', 'patient_consent', 'read_share', 'break_glass_access', 'patient_block', 'app_user', 'role_grant', 'session']),
      vacuum(clients[1], ['journal_note_version']),
    ]);
    log(`  vacuum (analyze): ${report.filter((step) => step.name.startsWith('vacuum')).map((step) => `${step.seconds} s`).join(' + ')}`);
    return { steps: report, seconds: round((performance.now() - started) / 1000, 1), skippedForeignKeyChecks };
  } finally {
    for (const client of clients) await client.end().catch(() => {});
  }
}

/** Which kind of basis a (clinician, patient) pair was given, as generated. */
export type PairKind = 'assigned_clinician' | 'care_team' | 'appointment' | 'read_share_whole' | 'read_share_selected' | 'break_glass';

export const EXPECTED_BASIS: Record<PairKind, string> = {
  assigned_clinician: 'treatment_relationship',
  care_team: 'treatment_relationship',
  appointment: 'treatment_relationship',
  read_share_whole: 'read_share',
  read_share_selected: 'read_share',
  break_glass: 'break_glass',
};

export interface AccessPair {
  userId: string;
  patientId: string;
  kind: PairKind;
  /** A partial block bars this user from some of the patient's notes. */
  hasPartialBlock: boolean;
  /** This user's own unsigned drafts in the journal (part of their page, nobody else's). */
  ownDrafts: number;
}

/**
 * Every (clinician, patient) pair with a basis at `now`, read from the generated rows (not from the
 * application's decision, which the benchmark then checks against it), without whole-journal blocks.
 */
export async function admittedPairs(url: string, now: Date): Promise<AccessPair[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ user_id: string; patient_id: string; kind: PairKind; has_partial_block: boolean; own_drafts: number }>(
      `
      with pairs as (
        select user_id, patient_id, kind from care_relationship where starts_at <= $1 and (ends_at is null or ends_at > $1)
        union all
        select clinician_id, patient_id, 'appointment' from appointment
         where status <> 'cancelled' and starts_at between $1::timestamptz - interval '90 days' and $1::timestamptz + interval '14 days'
        union all
        select s.grantee_id, s.patient_id, case s.scope when 'whole_journal' then 'read_share_whole' else 'read_share_selected' end
          from read_share s join patient_consent c on c.id = s.consent_id
         where s.revoked_at is null and s.starts_at <= $1 and s.ends_at > $1 and c.withdrawn_at is null
        union all
        select user_id, patient_id, 'break_glass' from break_glass_access where started_at <= $1 and expires_at > $1 and ended_at is null
      )
      select distinct on (p.user_id, p.patient_id) p.user_id, p.patient_id, p.kind,
             exists (select 1 from patient_block b where b.patient_id = p.patient_id and b.blocked_user_id = p.user_id
                      and b.lifted_at is null and b.scope = 'selected_notes') as has_partial_block,
             (select count(*)::int from journal_note n where n.patient_id = p.patient_id and n.author_id = p.user_id and n.status = 'draft') as own_drafts
        from pairs p
       where not exists (select 1 from patient_block b where b.patient_id = p.patient_id and b.blocked_user_id = p.user_id
                          and b.lifted_at is null and b.scope = 'whole_journal')
       order by p.user_id, p.patient_id, p.kind`,
      [now],
    );
    return rows.map((row) => ({ userId: row.user_id, patientId: row.patient_id, kind: row.kind, hasPartialBlock: row.has_partial_block, ownDrafts: row.own_drafts }));
  } finally {
    await client.end();
  }
}
