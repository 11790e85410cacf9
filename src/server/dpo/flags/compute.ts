import { sql } from 'kysely';
import type { AuditDetails } from '../../audit/record';
import { sealPendingEvents } from '../../audit/seal';
import { runAuditedUnit, systemActor } from '../../audit/unit-of-work';
import type { SecretBox } from '../../auth/secret-box';
import type { Database, Executor } from '../../db/database';
import { FLAG_RULES, type FlagRule } from '../../db/dpo/flags';
import type { BatchedJobHandler } from '../../jobs/queue';
import { nationalIdHmac } from '../../portal/national-id';
import {
  BREAK_GLASS_ACTION,
  isAfterRelationshipEnded,
  isOutsideWorkingHours,
  isSameSurname,
  isWithoutRelationship,
  JOURNAL_ACCESS_ACTIONS,
  UNUSUAL_VOLUME,
  volumeThreshold,
  type WorkingHours,
} from './rules';

export const FLAGS_JOB_KIND = 'dpo.flags.compute';
/** Every five minutes: a flag is raised within minutes of its event being sealed (the sealer runs every few seconds). */
export const FLAGS_EVERY_MS = 5 * 60_000;
const DEFAULT_BATCH_SIZE = 1_000;
const JOB_NAME = FLAGS_JOB_KIND;
const JUDGED_ACTIONS: readonly string[] = [...JOURNAL_ACCESS_ACTIONS, BREAK_GLASS_ACTION];
const HOUR_MS = 3_600_000;

interface SealedEvent {
  id: string;
  txid: string;
  organisation_id: string;
  occurred_at: Date;
  user_id: string;
  user_roles: string[];
  action: string;
  basis: string | null;
  patient_id: string;
  grant_id: string | null;
}

interface RaisedFlag {
  organisationId: string;
  rule: FlagRule;
  event: SealedEvent;
}

export interface FlagBatchResult {
  /** Another instance holds the watermark: this call did nothing. */
  isSkipped: boolean;
  /** Journal-access events judged in this batch. */
  judged: number;
  raised: Record<FlagRule, number>;
  /** More sealed events wait after this batch. */
  hasMore: boolean;
}

function noCounts(): Record<FlagRule, number> {
  return Object.fromEntries(FLAG_RULES.map((rule) => [rule, 0])) as Record<FlagRule, number>;
}

/**
 * Judges the next batch of SEALED audit events after the watermark and raises flags (DPO-2), in one
 * transaction with the watermark's move and a `dpo.flags.computed` event per organisation (counts
 * per rule, codes only). Sealed means below the last seal's txid horizon: every event there is final
 * and hashed (AUD-4), so nothing committed later can slip in behind the watermark, which walks the
 * (txid, id) order the sealer uses. The watermark row is locked with SKIP LOCKED: a second instance
 * skips rather than judging the same events; `unique (rule, event_id)` keeps a re-run from raising
 * a flag twice.
 */
export async function computeFlagBatch(db: Database, secretBox: SecretBox, options: { now: Date; batchSize?: number }): Promise<FlagBatchResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const raised = noCounts();
  return runAuditedUnit(
    { db, actor: systemActor(null, JOB_NAME), actions: ['dpo.flags.computed'], mode: 'write', now: options.now, clientIp: undefined, origin: `job:${JOB_NAME}`, isEventRequired: false },
    async ({ trx, audit }) => {
      const watermark = await sql<{ last_txid: string; last_event_id: string }>`
        select last_txid::text, last_event_id::text from audit_flag_watermark where id for update skip locked`.execute(trx);
      const mark = watermark.rows[0];
      if (!mark) return { isSkipped: true, judged: 0, raised, hasMore: false };
      const horizonRow = await sql<{ horizon: string | null }>`select max(txid_to)::text as horizon from audit_seal`.execute(trx);
      const horizon = horizonRow.rows[0]?.horizon ?? null;
      if (horizon === null || BigInt(horizon) <= BigInt(mark.last_txid)) return { isSkipped: false, judged: 0, raised, hasMore: false };

      const { rows: events } = await sql<SealedEvent>`
        select id::text, txid::text, organisation_id, occurred_at, user_id, user_roles, action, basis, patient_id,
               details ->> 'grantId' as grant_id
          from audit_event
         where (txid, id) > (${mark.last_txid}::bigint, ${mark.last_event_id}::bigint)
           and txid < ${horizon}::bigint
           and action = any(${JUDGED_ACTIONS}::text[])
           and outcome = 'allowed'
           and organisation_id is not null and user_id is not null and patient_id is not null
         -- Qualified: a bare "txid, id" would name the text columns above and sort as text ('100' < '99'),
         -- and the watermark (compared as numbers) would then skip events.
         order by audit_event.txid, audit_event.id
         limit ${batchSize}`.execute(trx);
      const hasMore = events.length === batchSize;
      const last = events.at(-1);
      // A short batch reached the horizon: everything below it is judged.
      const next = hasMore && last ? { txid: last.txid, id: last.id } : { txid: horizon, id: '0' };

      const flags = events.length > 0 ? await judge(trx, secretBox, events) : [];
      const inserted =
        flags.length === 0
          ? []
          : await trx
              .insertInto('audit_flag')
              .values(
                flags.map((flag) => ({
                  organisation_id: flag.organisationId,
                  rule: flag.rule,
                  event_id: flag.event.id,
                  user_id: flag.event.user_id,
                  patient_id: flag.event.patient_id,
                  occurred_at: flag.event.occurred_at,
                  raised_at: options.now,
                })),
              )
              .onConflict((conflict) => conflict.columns(['rule', 'event_id']).doNothing())
              .returning(['organisation_id', 'rule'])
              .execute();
      const perOrganisation = new Map<string, Record<FlagRule, number>>();
      for (const row of inserted) {
        const counts = perOrganisation.get(row.organisation_id) ?? noCounts();
        counts[row.rule]++;
        raised[row.rule]++;
        perOrganisation.set(row.organisation_id, counts);
      }
      // One event per organisation judged in this batch, in that organisation's log: how many events, how many flags per rule.
      for (const organisationId of new Set(events.map((event) => event.organisation_id))) {
        const counts = perOrganisation.get(organisationId) ?? noCounts();
        const details: AuditDetails = { judged: events.filter((event) => event.organisation_id === organisationId).length };
        for (const rule of FLAG_RULES) details[`raised_${rule}`] = counts[rule];
        audit.record({ actor: systemActor(organisationId, JOB_NAME), action: 'dpo.flags.computed', details });
      }
      await sql`update audit_flag_watermark set last_txid = ${next.txid}::bigint, last_event_id = ${next.id}::bigint, updated_at = ${options.now} where id`.execute(trx);
      return { isSkipped: false, judged: events.length, raised, hasMore };
    },
  );
}

/** Every rule over one batch: a few statements for the whole batch, not one per event. */
async function judge(trx: Executor, secretBox: SecretBox, events: readonly SealedEvent[]): Promise<RaisedFlag[]> {
  const flags: RaisedFlag[] = [];
  const raise = (rule: FlagRule, event: SealedEvent) => flags.push({ organisationId: event.organisation_id, rule, event });
  const userIds = [...new Set(events.map((event) => event.user_id))];
  const patientIds = [...new Set(events.map((event) => event.patient_id))];
  const organisationIds = [...new Set(events.map((event) => event.organisation_id))];

  // One after another: a transaction is one connection.
  const users = await trx.selectFrom('app_user').select(['id', 'organisation_id', 'display_name', 'national_id_hmac']).where('id', 'in', userIds).execute();
  const patients = await trx.selectFrom('patient').select(['id', 'organisation_id', 'family_name', 'national_id']).where('id', 'in', patientIds).execute();
  const organisations = await trx
    .selectFrom('organisation')
    .select(['id', 'working_hours_start_minute', 'working_hours_end_minute', 'working_days'])
    .where('id', 'in', organisationIds)
    .execute();
  const relationships = await trx
    .selectFrom('care_relationship')
    .select(['id', 'patient_id', 'user_id', 'starts_at', 'ends_at'])
    .where('patient_id', 'in', patientIds)
    .where('user_id', 'in', userIds)
    .execute();
  const appointments = await trx
    .selectFrom('appointment')
    .select(['patient_id', 'clinician_id', 'starts_at'])
    .where('patient_id', 'in', patientIds)
    .where('clinician_id', 'in', userIds)
    .where('status', '!=', 'cancelled')
    .execute();
  const userById = new Map(users.map((user) => [user.id, user]));
  const patientById = new Map(patients.map((patient) => [patient.id, patient]));
  const hoursOf = new Map<string, WorkingHours>(
    organisations.map((organisation) => [
      organisation.id,
      { startMinute: organisation.working_hours_start_minute, endMinute: organisation.working_hours_end_minute, days: organisation.working_days },
    ]),
  );
  // The HMAC of each patient's number, with the key and purpose of every other national-id hash.
  const patientHmac = new Map(patients.map((patient) => [patient.id, nationalIdHmac(secretBox, patient.national_id)]));

  for (const event of events) {
    // A user and a patient of another organisation than the event's never match (ids are global, rows are not).
    const user = userById.get(event.user_id);
    const patient = patientById.get(event.patient_id);
    if (!user || !patient || user.organisation_id !== event.organisation_id || patient.organisation_id !== event.organisation_id) continue;
    if (event.action === BREAK_GLASS_ACTION) {
      raise('break_glass', event);
      continue;
    }
    if (isWithoutRelationship(event.basis)) raise('no_relationship', event);
    const userHmac = user.national_id_hmac ? Buffer.from(user.national_id_hmac) : null;
    const hmac = patientHmac.get(patient.id);
    const isOwn = userHmac !== null && hmac !== undefined && userHmac.equals(hmac);
    if (isOwn) raise('own_record', event);
    else if (isSameSurname(user.display_name, patient.family_name)) raise('same_surname', event);
    const hours = hoursOf.get(event.organisation_id);
    if (hours && isOutsideWorkingHours(event.occurred_at, hours)) raise('outside_hours', event);
    const facts = {
      careRelationships: relationships
        .filter((row) => row.patient_id === event.patient_id && row.user_id === event.user_id)
        .map((row) => ({ id: row.id, startsAt: row.starts_at, endsAt: row.ends_at })),
      appointmentStarts: appointments.filter((row) => row.patient_id === event.patient_id && row.clinician_id === event.user_id).map((row) => row.starts_at),
    };
    if (isAfterRelationshipEnded({ basis: event.basis, grantId: event.grant_id, occurredAt: event.occurred_at }, facts)) raise('after_relationship_ended', event);
  }
  for (const event of await unusualVolumeEvents(trx, events)) raise('unusual_volume', event);
  return flags;
}

/**
 * unusual_volume (rules.ts UNUSUAL_VOLUME): per user and clock hour touched by the batch, the distinct
 * patients of that hour; only above the minimum are the peers asked. One flag per user and hour: the
 * batch's last event of that hour, unless the hour already has its flag.
 */
async function unusualVolumeEvents(trx: Executor, events: readonly SealedEvent[]): Promise<SealedEvent[]> {
  const hours = new Map<string, SealedEvent>();
  for (const event of events) {
    if (event.action === BREAK_GLASS_ACTION) continue;
    const hourStart = Math.floor(event.occurred_at.getTime() / HOUR_MS) * HOUR_MS;
    hours.set(`${event.organisation_id}|${event.user_id}|${hourStart}`, event);
  }
  const found: SealedEvent[] = [];
  if (hours.size === 0) return found;
  // Every (user, hour) of the batch in one statement: the distinct patients of each hour, only the
  // hours above the minimum back (rare). One query a key made the job judge ~1,000 events/s.
  const keys = [...hours.entries()].map(([key, event]) => ({ key, event, hourStart: new Date(Number(key.split('|')[2])) }));
  const { rows: busy } = await sql<{ index: number; patients: number }>`
    select k.index::int as index, count(distinct e.patient_id)::int as patients
      from unnest(${keys.map((entry) => entry.event.organisation_id)}::uuid[], ${keys.map((entry) => entry.event.user_id)}::uuid[],
                  ${keys.map((entry) => entry.hourStart.toISOString())}::timestamptz[]) with ordinality as k(organisation_id, user_id, hour_start, index)
      join audit_event as e
        on e.organisation_id = k.organisation_id and e.user_id = k.user_id
       and e.occurred_at >= k.hour_start and e.occurred_at < k.hour_start + interval '1 hour'
     where e.action = any(${JOURNAL_ACCESS_ACTIONS as readonly string[]}::text[]) and e.outcome = 'allowed' and e.patient_id is not null
     group by k.index
    having count(distinct e.patient_id) > ${UNUSUAL_VOLUME.minimum}`.execute(trx);
  for (const { index, patients } of busy) {
    const entry = keys[index - 1];
    if (!entry) continue;
    const { event, hourStart } = entry;
    const hourEnd = new Date(hourStart.getTime() + HOUR_MS);
    const peers = await sql<{ p: number | null }>`
      select percentile_cont(${UNUSUAL_VOLUME.percentile}) within group (order by n)::float8 as p from (
        select count(distinct patient_id) as n from audit_event
         where organisation_id = ${event.organisation_id} and user_id <> ${event.user_id}
           and user_roles = ${event.user_roles}::text[]
           and occurred_at >= ${new Date(hourStart.getTime() - UNUSUAL_VOLUME.peerDays * 86_400_000)} and occurred_at < ${hourStart}
           and action = any(${JOURNAL_ACCESS_ACTIONS as readonly string[]}::text[]) and outcome = 'allowed' and patient_id is not null
         group by user_id, date_trunc('hour', occurred_at)) as per_hour`.execute(trx);
    if (patients <= volumeThreshold(peers.rows[0]?.p ?? null)) continue;
    const already = await trx
      .selectFrom('audit_flag')
      .select('id')
      .where('organisation_id', '=', event.organisation_id)
      .where('user_id', '=', event.user_id)
      .where('rule', '=', 'unusual_volume')
      .where('occurred_at', '>=', hourStart)
      .where('occurred_at', '<', hourEnd)
      .executeTakeFirst();
    if (!already) found.push(event);
  }
  return found;
}

/**
 * The recurring job of the one runner: batches until the sealed log is judged, each batch its own
 * short transaction with its events; progress (counts) after each.
 */
export function flagsJobHandler(secretBox: SecretBox, options: { batchSize?: number } = {}): BatchedJobHandler {
  return {
    kind: FLAGS_JOB_KIND,
    mode: 'batched',
    run: async ({ db, now, heartbeat }) => {
      let batches = 0;
      let judged = 0;
      let raised = 0;
      for (;;) {
        const result = await computeFlagBatch(db, secretBox, { now, ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }) });
        if (result.isSkipped) {
          await heartbeat({ isSkipped: true });
          return;
        }
        batches++;
        judged += result.judged;
        raised += Object.values(result.raised).reduce((sum, count) => sum + count, 0);
        await heartbeat({ batches, judged, raised });
        if (!result.hasMore) return;
      }
    },
  };
}

/** Runs batches until the sealed log is judged (the demo seed, tests). */
export async function computeAllFlags(db: Database, secretBox: SecretBox, options: { now: Date; batchSize?: number }): Promise<number> {
  let raised = 0;
  for (;;) {
    const result = await computeFlagBatch(db, secretBox, options);
    raised += Object.values(result.raised).reduce((sum, count) => sum + count, 0);
    if (result.isSkipped || !result.hasMore) return raised;
  }
}

/** A new demo's flags at start-up: seals what the seed wrote (with the witness, as the sealer always does) and judges it. */
export async function computeDemoFlags(db: Database, secretBox: SecretBox, witnessPath: string | undefined): Promise<number> {
  await sealPendingEvents(db, { witnessPath });
  return computeAllFlags(db, secretBox, { now: new Date() });
}
