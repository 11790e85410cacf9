import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type AuditActor, writeAuditEvent, writeAuditEvents } from '../../../../src/server/audit/record';
import type { FlagRule } from '../../../../src/server/db/dpo/flags';
import { computeAllFlags, computeFlagBatch, FLAGS_JOB_KIND, flagsJobHandler } from '../../../../src/server/dpo/flags/compute';
import { isOutsideWorkingHours, isSameSurname, UNUSUAL_VOLUME } from '../../../../src/server/dpo/flags/rules';
import { ensureRecurring, runDueJobs } from '../../../../src/server/jobs/runner';
import { nationalIdHmac } from '../../../../src/server/portal/national-id';
import type { FlagListInput } from '../../../../src/shared/dpo-flags-schemas';
import { errorOf, fieldErrorsFrom, sealEverything } from '../../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, login, TestClock, type TestUser } from '../../support/identity';
import { type TestDatabase, useTestDatabase } from '../../support/test-database';
import { testSecretBox } from '../../support/test-server';

/**
 * DPO-2: flags for retrospective control, computed by a job over SEALED audit events. Each rule has
 * an event that must raise it and one that must not; the job reads only sealed events and never
 * raises a flag twice; another organisation's flags never show; closing needs an outcome and a
 * comment, is logged without the comment, and a stale version is refused; only the DPO may call.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Tuesday 24 November 2026, 10:00 in Oslo (09:00 UTC): inside the default working hours. */
const TUESDAY_10 = new Date('2026-11-24T09:00:00Z');

let nationalSequence = 10_000;
const nextNationalId = () => `0101${String(nationalSequence++).padStart(7, '0')}`.slice(0, 11);

async function newPatient(db: TestDatabase['db'], organisationId: string, familyName = 'Pasient', nationalId = nextNationalId()) {
  const row = await db
    .insertInto('patient')
    .values({ organisation_id: organisationId, national_id: nationalId, given_name: 'Test', family_name: familyName, date_of_birth: '1980-01-01', gender: 'unknown' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, nationalId };
}

function actorOf(user: TestUser, displayName: string): AuditActor {
  return { organisationId: user.organisationId, userId: user.id, displayName, roles: user.roles, profession: 'lege', sessionId: null, authMethod: 'password', deviceId: null };
}

async function setting(database: TestDatabase) {
  const db = database.db;
  const clock = new TestClock(new Date(TUESDAY_10.getTime() - 2 * 60_000));
  const organisation = await createOrganisation(db);
  const otherOrganisation = await createOrganisation(db);
  const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'], displayName: 'Petter Personvern' });
  const otherDpoUser = await createUser(db, otherOrganisation.id, { roles: ['dpo'], displayName: 'Anne Annenorg' });
  const names = new Map<string, string>();
  const clinician = async (displayName: string, organisationId = organisation.id) => {
    const user = await createUser(db, organisationId, { roles: ['clinician'], displayName });
    names.set(user.id, displayName);
    return user;
  };
  const dpo = callerAs(database, (await login(database, dpoUser, clock)).token, clock);
  const otherDpo = callerAs(database, (await login(database, otherDpoUser, clock)).token, clock);
  clock.set(TUESDAY_10);
  /** One journal access written as the journal writes it, at a chosen time. */
  const access = async (user: TestUser, patientId: string, options: { at?: Date; basis?: string | null; grantId?: string; action?: 'journal.record.opened' | 'journal.notes.read' } = {}) => {
    const basis = options.basis === undefined ? 'treatment_relationship' : options.basis;
    await writeAuditEvent(
      db,
      actorOf(user, names.get(user.id) ?? 'Test'),
      {
        action: options.action ?? 'journal.record.opened',
        patientId,
        objectType: 'patient',
        objectId: patientId,
        ...(basis === null ? {} : { basis }),
        ...(options.grantId ? { details: { grantId: options.grantId } } : {}),
      },
      { now: options.at ?? TUESDAY_10, clientIp: undefined },
    );
  };
  /** Seal what is written (on PostgreSQL, waiting out other databases' transactions below the horizon), then run the job's batches to the end. */
  const judge = async () => {
    await sealEverything(db);
    return computeAllFlags(db, testSecretBox, { now: clock.now() });
  };
  const flagsOf = async (userId: string) =>
    (await db.selectFrom('audit_flag').select(['rule', 'event_id', 'patient_id', 'organisation_id']).where('user_id', '=', userId).orderBy('event_id').execute()).map((row) => row.rule);
  return { db, clock, organisation, otherOrganisation, dpoUser, dpo, otherDpo, clinician, access, judge, flagsOf };
}

describe('DPO-2: the rules', () => {
  const database = useTestDatabase();

  it('DPO-2: an ordinary access (treatment relationship, Tuesday 10:00, no shared surname) raises no flag', async () => {
    const s = await setting(database.current);
    const user = await s.clinician('Dr. Ola Hansen');
    const patient = await newPatient(s.db, s.organisation.id, 'Nordmann');
    await s.access(user, patient.id);
    await s.judge();
    expect(await s.flagsOf(user.id)).toEqual([]);
  });

  it('DPO-2 break_glass: the break-glass procedure raises a flag; the reads under it raise no second break-glass flag', async () => {
    const s = await setting(database.current);
    const user = await s.clinician('Dr. Nød Bruker');
    const patient = await newPatient(s.db, s.organisation.id, 'Olsen');
    const caller = callerAs(database.current, (await login(database.current, user, s.clock)).token, s.clock);
    await caller.access.breakGlass({ patientId: patient.id, reasonCode: 'emergency_treatment', reasonText: 'Bevisstløs i venterommet', isWarningAcknowledged: true });
    await caller.journal.open({ patientId: patient.id });
    await s.judge();
    expect(await s.flagsOf(user.id)).toEqual(['break_glass']);
  });

  it('DPO-2 no_relationship: an allowed access without a basis is flagged; a read-share, break-glass or DSR-case basis is not', async () => {
    const s = await setting(database.current);
    const user = await s.clinician('Dr. Uten Grunnlag');
    const patient = await newPatient(s.db, s.organisation.id, 'Berg');
    await s.access(user, patient.id, { basis: null });
    await s.access(user, patient.id, { basis: 'read_share' });
    await s.access(user, patient.id, { basis: 'dsr_case' });
    await s.judge();
    expect(await s.flagsOf(user.id)).toEqual(['no_relationship']);
  });

  it('DPO-2 own_record: a user whose fødselsnummer hash matches the patient is flagged (and not also as same surname); another user is not', async () => {
    const s = await setting(database.current);
    const patient = await newPatient(s.db, s.organisation.id, 'Selvik');
    const self = await s.clinician('Dr. Siri Selvik');
    const other = await s.clinician('Dr. Per Annen');
    await s.db.updateTable('app_user').set({ national_id_hmac: nationalIdHmac(testSecretBox, patient.nationalId) }).where('id', '=', self.id).execute();
    await s.db.updateTable('app_user').set({ national_id_hmac: nationalIdHmac(testSecretBox, nextNationalId()) }).where('id', '=', other.id).execute();
    await s.access(self, patient.id);
    await s.access(other, patient.id);
    await s.judge();
    expect(await s.flagsOf(self.id)).toEqual(['own_record']);
    expect(await s.flagsOf(other.id)).toEqual([]);
  });

  it('DPO-2 same_surname: the display name’s last word equals the family name (case and Norwegian letters); another surname does not', async () => {
    const s = await setting(database.current);
    const relative = await s.clinician('Dr. Åse SØRBØ');
    const stranger = await s.clinician('Dr. Åse Sørby');
    const patient = await newPatient(s.db, s.organisation.id, 'Sørbø');
    await s.access(relative, patient.id);
    await s.access(stranger, patient.id);
    await s.judge();
    expect(await s.flagsOf(relative.id)).toEqual(['same_surname']);
    expect(await s.flagsOf(stranger.id)).toEqual([]);
    expect(isSameSurname('Dr. Ole Ærø', 'ærø')).toBe(true);
  });

  it('DPO-2 outside_hours: Saturday, and before 07:00 Oslo time, are flagged; 07:00 on a Tuesday is not; an organisation working Saturdays is not flagged then', async () => {
    const s = await setting(database.current);
    const user = await s.clinician('Dr. Natt Ugle');
    const patient = await newPatient(s.db, s.organisation.id, 'Lie');
    const saturday = new Date('2026-11-28T09:00:00Z');
    await s.access(user, patient.id, { at: saturday });
    await s.access(user, patient.id, { at: new Date('2026-11-24T05:59:00Z') }); // 06:59 in Oslo (UTC+1)
    await s.access(user, patient.id, { at: new Date('2026-11-24T06:00:00Z') }); // 07:00 in Oslo
    await s.judge();
    expect(await s.flagsOf(user.id)).toEqual(['outside_hours', 'outside_hours']);

    await s.db.updateTable('organisation').set({ working_days: [1, 2, 3, 4, 5, 6] }).where('id', '=', s.organisation.id).execute();
    const weekender = await s.clinician('Dr. Helg Vakt');
    await s.access(weekender, patient.id, { at: saturday });
    await s.judge();
    expect(await s.flagsOf(weekender.id)).toEqual([]);
    // Summer time: 06:30 UTC in June is 08:30 in Oslo.
    expect(isOutsideWorkingHours(new Date('2026-06-16T06:30:00Z'), { startMinute: 480, endMinute: 1020, days: [1, 2, 3, 4, 5] })).toBe(false);
  });

  it('DPO-2 unusual_volume: distinct patients in an hour far above the role peers is flagged once for that hour; at the threshold it is not', async () => {
    const s = await setting(database.current);
    const busy = await s.clinician('Dr. Mange Pasienter');
    const normal = await s.clinician('Dr. Vanlig Dag');
    const peer = await s.clinician('Dr. Kollega Jevn');
    const patients = [];
    for (let index = 0; index < UNUSUAL_VOLUME.minimum + 5; index++) patients.push(await newPatient(s.db, s.organisation.id, 'Mengde'));
    // Peers: 8 distinct patients an hour on earlier days: p95 8, threshold max(20, 24) = 24.
    for (let day = 1; day <= 3; day++) for (const patient of patients.slice(0, 8)) await s.access(peer, patient.id, { at: new Date(TUESDAY_10.getTime() - day * DAY) });
    for (const patient of patients) await s.access(busy, patient.id); // 25 > 24
    for (const patient of patients.slice(0, 24)) await s.access(normal, patient.id); // 24: not above
    await s.judge();
    expect((await s.flagsOf(busy.id)).filter((rule) => rule === 'unusual_volume')).toEqual(['unusual_volume']);
    expect(await s.flagsOf(normal.id)).toEqual([]);
    // More accesses in the same hour, judged later: still one flag for that hour.
    await s.access(busy, patients[0]?.id ?? '', { at: new Date(TUESDAY_10.getTime() + 10 * 60_000) });
    await s.judge();
    expect((await s.flagsOf(busy.id)).filter((rule) => rule === 'unusual_volume')).toHaveLength(1);
  });

  it('DPO-2 after_relationship_ended: a former therapist reading on a share after the care relationship ended is flagged; during a current relationship not; an end set back before a read on that relationship is flagged', async () => {
    const s = await setting(database.current);
    const former = await s.clinician('Dr. Tidligere Behandler');
    const current = await s.clinician('Dr. Nåværende Behandler');
    const backdated = await s.clinician('Dr. Tilbakedatert Slutt');
    const patient = await newPatient(s.db, s.organisation.id, 'Dahl');
    const relationship = (userId: string, startsAt: Date, endsAt: Date | null) =>
      s.db
        .insertInto('care_relationship')
        .values({ organisation_id: s.organisation.id, patient_id: patient.id, user_id: userId, kind: 'care_team', starts_at: startsAt, ends_at: endsAt, created_by: null })
        .returning('id')
        .executeTakeFirstOrThrow();
    await relationship(former.id, new Date(TUESDAY_10.getTime() - 100 * DAY), new Date(TUESDAY_10.getTime() - 2 * DAY));
    await relationship(current.id, new Date(TUESDAY_10.getTime() - 100 * DAY), null);
    const ended = await relationship(backdated.id, new Date(TUESDAY_10.getTime() - 100 * DAY), new Date(TUESDAY_10.getTime() - HOUR));
    await s.access(former, patient.id, { basis: 'read_share' });
    await s.access(current, patient.id, { basis: 'treatment_relationship' });
    await s.access(backdated, patient.id, { basis: 'treatment_relationship', grantId: ended.id });
    await s.judge();
    expect(await s.flagsOf(former.id)).toEqual(['after_relationship_ended']);
    expect(await s.flagsOf(current.id)).toEqual([]);
    expect(await s.flagsOf(backdated.id)).toEqual(['after_relationship_ended']);
  });
});

describe('DPO-2: the job', () => {
  const database = useTestDatabase();

  it('DPO-2: only sealed events are judged; a re-run from the start raises nothing twice; each batch writes its counts (codes only)', async () => {
    const s = await setting(database.current);
    const user = await s.clinician('Dr. Ingen Grunn');
    const patient = await newPatient(s.db, s.organisation.id, 'Moe');
    await s.access(user, patient.id, { basis: null });
    // Not sealed yet: nothing judged.
    const unsealed = await computeFlagBatch(s.db, testSecretBox, { now: s.clock.now() });
    expect(unsealed.judged).toBe(0);
    expect(await s.flagsOf(user.id)).toEqual([]);
    await s.judge();
    expect(await s.flagsOf(user.id)).toEqual(['no_relationship']);
    // The watermark put back to the start (as after a crash between batches): the same flags, once.
    await sql`update audit_flag_watermark set last_txid = 0, last_event_id = 0 where id`.execute(s.db);
    await s.judge();
    expect(await s.flagsOf(user.id)).toEqual(['no_relationship']);
    const computed = await s.db.selectFrom('audit_event').select(['organisation_id', 'details', 'user_id']).where('action', '=', 'dpo.flags.computed').where('organisation_id', '=', s.organisation.id).orderBy('id').execute();
    expect(computed.length).toBeGreaterThanOrEqual(1);
    expect(computed[0]?.user_id).toBeNull();
    expect(computed[0]?.details).toMatchObject({ raised_no_relationship: 1 });
  });

  it('DPO-2: batches follow the log in number order — ids crossing a power of ten (99, 100, 101 in one transaction) are each judged once', async () => {
    const s = await setting(database.current);
    const user = await s.clinician('Dr. Tall Rekke');
    const patient = await newPatient(s.db, s.organisation.id, 'Aune');
    // Move the id sequence to just below the next power of ten, so the three events get ids like 99, 100, 101:
    // sorted as text ('100' < '101' < '99') a batch of two would end at 101, and the watermark would skip 99.
    const { rows } = await sql<{ last: string }>`select nextval('audit_event_id')::text as last`.execute(s.db);
    const last = Number(rows[0]?.last ?? 1);
    const power = 10 ** Math.ceil(Math.log10(last + 3));
    await sql`select nextval('audit_event_id') from generate_series(1, ${power - 2 - last})`.execute(s.db);
    await s.db.transaction().execute(async (trx) => {
      const events = [0, 1, 2].map((index) => ({
        actor: actorOf(user, 'Dr. Tall Rekke'),
        event: { action: 'journal.record.opened', patientId: patient.id, objectType: 'patient', objectId: patient.id, details: { index } } as const,
      }));
      for (const event of events) await writeAuditEvents(trx, [event], { now: TUESDAY_10, clientIp: undefined });
    });
    const ids = (await s.db.selectFrom('audit_event').select(sql<string>`id::text`.as('id')).where('user_id', '=', user.id).execute()).map((row) => Number(row.id)).sort((a, b) => a - b);
    expect(ids).toEqual([power - 1, power, power + 1]);
    await sealEverything(s.db);
    for (let batch = 0; batch < 100; batch++) {
      const result = await computeFlagBatch(s.db, testSecretBox, { now: s.clock.now(), batchSize: 2 });
      if (!result.hasMore) break;
    }
    expect(await s.flagsOf(user.id)).toEqual(['no_relationship', 'no_relationship', 'no_relationship']);
  });

  it('DPO-2: as a recurring job of the one runner, in small batches, the whole backlog is judged', async () => {
    const s = await setting(database.current);
    const user = await s.clinician('Dr. Batch Kjøring');
    const patient = await newPatient(s.db, s.organisation.id, 'Vik');
    for (let index = 0; index < 5; index++) await s.access(user, patient.id, { basis: null, at: new Date(TUESDAY_10.getTime() + index * 60_000) });
    await sealEverything(s.db);
    await ensureRecurring(s.db, FLAGS_JOB_KIND, 300_000, { now: s.clock.now() });
    const report = await runDueJobs(s.db, [flagsJobHandler(testSecretBox, { batchSize: 2 })], s.clock.now());
    expect(report.done).toBe(1);
    expect(await s.flagsOf(user.id)).toEqual(Array(5).fill('no_relationship'));
  });
});

describe('DPO-2: the DPO reviews flags', () => {
  const database = useTestDatabase();

  async function withFlag(s: Awaited<ReturnType<typeof setting>>) {
    const user = await s.clinician('Dr. Brekker Glass');
    const patient = await newPatient(s.db, s.organisation.id, 'Strand');
    await s.access(user, patient.id, { basis: null });
    await s.judge();
    const page = await s.dpo.dpo.flags.list({ rule: 'no_relationship' });
    const flag = page.rows.find((row) => row.user.id === user.id);
    if (!flag) throw new Error('no flag');
    return { user, patient, flag };
  }

  it('DPO-2: the dashboard counts open flags per rule and per ISO week; the list names user and patient and logs the patients shown', async () => {
    const s = await setting(database.current);
    const { patient, flag } = await withFlag(s);
    const dashboard = await s.dpo.dpo.flags.dashboard();
    expect(dashboard.openByRule.no_relationship).toBe(1);
    expect(dashboard.weeks).toHaveLength(12);
    expect(dashboard.weeks.at(-1)).toMatchObject({ weekStart: '2026-11-23', isoWeek: '2026-W48', total: 1 });
    expect(flag).toMatchObject({ rule: 'no_relationship', status: 'open', user: { name: 'Dr. Brekker Glass' }, patient: { id: patient.id, name: 'Test Strand' } });
    const reads = await s.db.selectFrom('audit_event').select('details').where('action', '=', 'dpo.flags.read').where('user_id', '=', s.dpoUser.id).orderBy('id').execute();
    expect(reads.map((read) => read.details)).toEqual([
      { view: 'list', status: 'open', rule: 'no_relationship', shown: 1, shownPatientIds: [patient.id] },
      { view: 'dashboard', openTotal: 1 },
    ]);
  });

  it('DPO-2: closing needs an outcome and a comment; it is logged without the comment; a stale version is refused; the closed flag leaves the open list and can be reopened', async () => {
    const s = await setting(database.current);
    const { flag } = await withFlag(s);
    const comment = 'Snakket med legen: akutt situasjon, dokumentert i avviksmelding 2026-17.';
    const attempt = (input: Record<string, unknown>) =>
      s.dpo.dpo.flags.close(input as never).then(
        () => 'OK',
        (error: unknown) => (error as { code?: string }).code ?? 'THROWN',
      );
    expect(await attempt({ flagId: flag.id, outcome: 'justified', comment: '   ', expectedVersion: flag.version })).toBe('BAD_REQUEST');
    expect(await attempt({ flagId: flag.id, comment, expectedVersion: flag.version })).toBe('BAD_REQUEST');
    expect(await attempt({ flagId: flag.id, outcome: 'justified', comment: 'x'.repeat(2001), expectedVersion: flag.version })).toBe('BAD_REQUEST');
    expect(await attempt({ flagId: flag.id, outcome: 'justified', comment, expectedVersion: flag.version + 1 })).toBe('CONFLICT');
    expect(await attempt({ flagId: flag.id, outcome: 'justified', comment, expectedVersion: flag.version })).toBe('OK');
    // Twice with the old version: refused.
    expect(await attempt({ flagId: flag.id, outcome: 'followed_up', comment, expectedVersion: flag.version })).toBe('CONFLICT');

    const closedEvent = await s.db.selectFrom('audit_event').selectAll().where('action', '=', 'dpo.flag.closed').executeTakeFirstOrThrow();
    expect(closedEvent).toMatchObject({ user_id: s.dpoUser.id, object_id: flag.id, outcome: 'allowed' });
    expect(closedEvent.details).toMatchObject({ outcome: 'justified', rule: 'no_relationship' });
    expect(JSON.stringify(closedEvent)).not.toContain('avviksmelding');

    expect((await s.dpo.dpo.flags.list({})).rows.map((row) => row.id)).not.toContain(flag.id);
    const closed = (await s.dpo.dpo.flags.list({ status: 'closed' })).rows.find((row) => row.id === flag.id);
    expect(closed).toMatchObject({ outcome: 'justified', comment, closedByName: 'Petter Personvern', version: flag.version + 1 });
    await s.dpo.dpo.flags.reopen({ flagId: flag.id, expectedVersion: flag.version + 1 });
    expect((await s.dpo.dpo.flags.list({})).rows.map((row) => row.id)).toContain(flag.id);
  });

  it('DPO-2: another organisation’s flags never show, and its flag id is not found', async () => {
    const s = await setting(database.current);
    const { flag } = await withFlag(s);
    expect((await s.otherDpo.dpo.flags.list({})).rows).toEqual([]);
    expect((await s.otherDpo.dpo.flags.dashboard()).openTotal).toBe(0);
    const outcome = await s.otherDpo.dpo.flags.close({ flagId: flag.id, outcome: 'justified', comment: 'Ikke min', expectedVersion: flag.version }).then(
      () => 'OK',
      (error: unknown) => (error as { code?: string }).code,
    );
    expect(outcome).toBe('NOT_FOUND');
  });

  /** Every page of a list, following the cursor to the end. */
  async function allPages(s: Awaited<ReturnType<typeof setting>>, input: Omit<FlagListInput, 'cursor'>) {
    const pages: Awaited<ReturnType<typeof s.dpo.dpo.flags.list>>[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof s.dpo.dpo.flags.list>> = await s.dpo.dpo.flags.list({ ...input, ...(cursor ? { cursor } : {}) });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 100);
    return pages;
  }

  it('DPO-2: keyset paging returns every flag exactly once across pages, newest event first, the id breaking ties (flags of one instant, microseconds apart)', async () => {
    const s = await setting(database.current);
    const user = await s.clinician('Dr. Side Bla');
    const patient = await newPatient(s.db, s.organisation.id, 'Ås');
    // Through the job: five accesses without a basis, three of them in the same millisecond.
    for (const minutes of [0, 0, 0, 1, 2]) await s.access(user, patient.id, { basis: null, at: new Date(TUESDAY_10.getTime() - minutes * 60_000) });
    await s.judge();
    // Straight into the table: flags whose events lie microseconds apart (as the database's own clock writes them), and two in one microsecond.
    for (const [index, micros] of ['000001', '000002', '000002', '999999'].entries()) {
      await sql`
        insert into audit_flag (organisation_id, rule, event_id, user_id, patient_id, occurred_at, raised_at)
        values (${s.organisation.id}, 'outside_hours', ${String(9_000_000_000 + index)}, ${user.id}, ${patient.id}, ${`2026-11-24T08:30:00.${micros}Z`}::timestamptz, now())`.execute(s.db);
    }
    const expected = await sql<{ id: string }>`select id from audit_flag where organisation_id = ${s.organisation.id} order by occurred_at desc, id desc`.execute(s.db);
    expect(expected.rows).toHaveLength(9);
    for (const limit of [1, 2, 4]) {
      const pages = await allPages(s, { status: 'all', limit });
      const seen = pages.flatMap((page) => page.rows.map((row) => row.id));
      expect(seen, `pages of ${limit}`).toEqual(expected.rows.map((row) => row.id));
      expect(pages.at(-1)?.nextCursor).toBeNull();
    }
    // The open list pages the same way, and each page logged the patients it showed.
    const openPages = await allPages(s, { limit: 3 });
    expect(openPages.flatMap((page) => page.rows)).toHaveLength(9);
    const reads = await s.db.selectFrom('audit_event').select('details').where('action', '=', 'dpo.flags.read').where('user_id', '=', s.dpoUser.id).orderBy('id', 'desc').limit(openPages.length).execute();
    expect(reads.every((read) => JSON.stringify(read.details.shownPatientIds) === JSON.stringify([patient.id]))).toBe(true);
  });

  it('DPO-2: a cursor that is not one the server handed out is refused, naming the field (also one past the years a timestamp holds)', async () => {
    const s = await setting(database.current);
    for (const made of ['not-a-keyset', '9999999999999999999:6f1c2b1e-0000-4000-8000-000000000000']) {
      const error = await errorOf(s.dpo.dpo.flags.list({ cursor: Buffer.from(made).toString('base64url') }));
      expect(fieldErrorsFrom(error)).toEqual([expect.objectContaining({ field: 'cursor', messageKey: 'validation.invalid_value' })]);
    }
  });

  it('DPO-2: the closed filter shows a closed flag with its outcome, comment, who closed it and when; "all" shows open and closed; another organisation sees none', async () => {
    const s = await setting(database.current);
    const { flag } = await withFlag(s);
    const other = await s.clinician('Dr. Annen Åpen');
    await s.access(other, (await newPatient(s.db, s.organisation.id, 'Vik')).id, { basis: null });
    await s.judge();
    const comment = 'Fulgt opp med leder.';
    await s.dpo.dpo.flags.close({ flagId: flag.id, outcome: 'followed_up', comment, expectedVersion: flag.version });

    const closed = await s.dpo.dpo.flags.list({ status: 'closed' });
    expect(closed.rows.map((row) => row.id)).toEqual([flag.id]);
    expect(closed.rows[0]).toMatchObject({ status: 'closed', outcome: 'followed_up', comment, closedByName: 'Petter Personvern', closedAt: s.clock.now().toISOString() });
    const open = await s.dpo.dpo.flags.list({ status: 'open' });
    expect(open.rows.map((row) => row.id)).not.toContain(flag.id);
    expect(open.rows.length).toBeGreaterThan(0);
    const all = await s.dpo.dpo.flags.list({ status: 'all' });
    expect(all.rows.map((row) => row.id).sort()).toEqual([...open.rows.map((row) => row.id), flag.id].sort());
    for (const status of ['open', 'closed', 'all'] as const) expect((await s.otherDpo.dpo.flags.list({ status })).rows).toEqual([]);
  });

  it('DPO-2: only the DPO may call dpo.flags.*', async () => {
    const s = await setting(database.current);
    const clinicianUser = await s.clinician('Dr. Ikke Ombud');
    const admin = await createUser(s.db, s.organisation.id, { roles: ['admin'] });
    for (const user of [clinicianUser, admin]) {
      const caller = callerAs(database.current, (await login(database.current, user, s.clock)).token, s.clock);
      const code = await caller.dpo.flags.dashboard().then(
        () => 'OK',
        (error: unknown) => (error as { code?: string }).code,
      );
      expect(code).toBe('FORBIDDEN');
    }
  });
});

export type { FlagRule };

describe('DPO-2: the demo', () => {
  const database = useTestDatabase();

  it('DPO-2, PLAT-5: a new demo shows flags at once — two break-glass accesses, a clinician’s own record, an access late on a Sunday', async () => {
    const { seedDemo } = await import('../../../../src/server/demo/seed');
    const { claimInstallationMode } = await import('../../../../src/server/db/installation');
    const { computeDemoFlags } = await import('../../../../src/server/dpo/flags/compute');
    await claimInstallationMode(database.current.db, 'demo');
    const demo = await seedDemo(database.current.db, testSecretBox);
    await sealEverything(database.current.db);
    await computeDemoFlags(database.current.db, testSecretBox, undefined);
    const flags = await database.current.db.selectFrom('audit_flag').select('rule').where('organisation_id', '=', demo.organisationId).execute();
    const rules = flags.map((flag) => flag.rule);
    expect(rules.filter((rule) => rule === 'break_glass')).toHaveLength(2);
    expect(rules).toContain('own_record');
    expect(rules).toContain('outside_hours');
    expect(rules).not.toContain('no_relationship');
  });
});
