import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../db/database';

/**
 * The DPO's reads of the audit log (DPO-1). Every query is of one organisation. The plans rest on
 * the audit log's own indexes (migrations/2026-11-22T09-00_identity_and_audit.ts): a user filter
 * walks (organisation_id, user_id, occurred_at desc, id desc) in keyset order, a patient filter
 * (organisation_id, patient_id, occurred_at desc), anything else the BRIN index on occurred_at
 * bounded by the period (which every search has). No index is added for the review marks' join
 * beyond audit_review's own (organisation_id, event_id, …).
 */

export interface LogRow {
  id: string;
  at_micros: string;
  occurred_at: Date;
  user_id: string | null;
  user_display_name: string | null;
  user_roles: string[];
  profession: string | null;
  auth_method: string | null;
  action: string;
  outcome: string;
  reason: string | null;
  patient_id: string | null;
  patient_given_name: string | null;
  patient_family_name: string | null;
  object_type: string | null;
  object_id: string | null;
  basis: string | null;
  reviewed_at: Date | null;
  reviewed_by_name: string | null;
  review_comment: string | null;
  review_count: string;
}

export interface LogFilter {
  organisationId: string;
  patientId?: string | undefined;
  userId?: string | undefined;
  /** Exactly this action. */
  action?: string | undefined;
  /** Actions starting with `<prefix>.`. */
  actionPrefix?: string | undefined;
  basis?: string | undefined;
  outcome?: 'allowed' | 'denied' | undefined;
  reviewed?: 'reviewed' | 'not_reviewed' | undefined;
  /** Oslo calendar days, both included. */
  from: string;
  to: string;
}

export interface Keyset {
  atMicros: string;
  id: string;
}

/** An event's time as microseconds since the epoch: exact, unlike a JavaScript Date. */
const AT_MICROS = sql<string>`(extract(epoch from e.occurred_at) * 1000000)::bigint::text`;
const fromMicros = (micros: string) => sql<Date>`(timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond')`;

function reviewedExists(organisationId: string): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from audit_review as r where r.organisation_id = ${organisationId} and r.event_id = e.id)`;
}

/** The columns every list shows: the event, its patient's name, and its latest review. */
function baseQuery(db: Executor, organisationId: string) {
  return db
    .selectFrom('audit_event as e')
    .leftJoin('patient as p', (join) => join.onRef('p.id', '=', 'e.patient_id').on('p.organisation_id', '=', organisationId))
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('audit_review as r')
          .innerJoin('app_user as u', (join) => join.onRef('u.id', '=', 'r.reviewed_by').onRef('u.organisation_id', '=', 'r.organisation_id'))
          .select(['r.reviewed_at', 'u.display_name as reviewed_by_name', 'r.comment', sql<string>`count(*) over ()`.as('review_count')])
          .where('r.organisation_id', '=', organisationId)
          .whereRef('r.event_id', '=', 'e.id')
          .orderBy('r.reviewed_at', 'desc')
          .orderBy('r.id', 'desc')
          .limit(1)
          .as('rv'),
      (join) => join.onTrue(),
    )
    .select([
      sql<string>`e.id::text`.as('id'),
      AT_MICROS.as('at_micros'),
      'e.occurred_at',
      'e.user_id',
      'e.user_display_name',
      'e.user_roles',
      'e.profession',
      'e.auth_method',
      'e.action',
      'e.outcome',
      'e.reason',
      'e.patient_id',
      'p.given_name as patient_given_name',
      'p.family_name as patient_family_name',
      'e.object_type',
      'e.object_id',
      'e.basis',
      'rv.reviewed_at',
      'rv.reviewed_by_name',
      'rv.comment as review_comment',
      sql<string>`coalesce(rv.review_count, 0)::text`.as('review_count'),
    ])
    .where('e.organisation_id', '=', organisationId);
}

/** One page of the search, in keyset order (time, then id), `limit + 1` rows to tell if more follow. */
export async function searchEvents(db: Executor, filter: LogFilter, order: 'asc' | 'desc', after: Keyset | undefined, limit: number): Promise<LogRow[]> {
  const direction = order === 'desc' ? sql`<` : sql`>`;
  const rows = await baseQuery(db, filter.organisationId)
    .$if(filter.patientId !== undefined, (q) => q.where('e.patient_id', '=', filter.patientId as string))
    .$if(filter.userId !== undefined, (q) => q.where('e.user_id', '=', filter.userId as string))
    .$if(filter.action !== undefined, (q) => q.where('e.action', '=', filter.action as string))
    .$if(filter.actionPrefix !== undefined, (q) => q.where(sql<SqlBool>`starts_with(e.action, ${`${filter.actionPrefix}.`})`))
    .$if(filter.basis !== undefined, (q) => q.where('e.basis', '=', filter.basis as string))
    .$if(filter.outcome !== undefined, (q) => q.where('e.outcome', '=', filter.outcome as 'allowed' | 'denied'))
    .$if(filter.reviewed === 'reviewed', (q) => q.where(reviewedExists(filter.organisationId)))
    .$if(filter.reviewed === 'not_reviewed', (q) => q.where(sql<SqlBool>`not ${reviewedExists(filter.organisationId)}`))
    // Oslo days: midnight to midnight in Europe/Oslo, whatever the offset that day.
    .where('e.occurred_at', '>=', sql<Date>`(${filter.from}::date)::timestamp at time zone 'Europe/Oslo'`)
    .where('e.occurred_at', '<', sql<Date>`(${filter.to}::date + 1)::timestamp at time zone 'Europe/Oslo'`)
    .$if(after !== undefined, (q) => q.where(sql<SqlBool>`(e.occurred_at, e.id) ${direction} (${fromMicros((after as Keyset).atMicros)}, ${(after as Keyset).id}::bigint)`))
    .orderBy('e.occurred_at', order)
    .orderBy('e.id', order)
    .limit(limit + 1)
    .execute();
  return rows as LogRow[];
}

export interface EventAnchor {
  id: string;
  at_micros: string;
  user_id: string | null;
  user_display_name: string | null;
}

export async function eventOfOrganisation(db: Executor, organisationId: string, eventId: string): Promise<EventAnchor | undefined> {
  return db
    .selectFrom('audit_event as e')
    .select([sql<string>`e.id::text`.as('id'), AT_MICROS.as('at_micros'), 'e.user_id', 'e.user_display_name'])
    .where('e.organisation_id', '=', organisationId)
    .where('e.id', '=', eventId)
    .executeTakeFirst();
}

/**
 * The same actor's events around one: up to `count` before and after it, within `minutes`. A user
 * is matched by id (the user/time index); a system actor (no user) by its name.
 */
export async function contextOf(db: Executor, organisationId: string, anchor: EventAnchor, minutes: number, count: number): Promise<LogRow[]> {
  const side = (order: 'asc' | 'desc') => {
    const window = sql<Date>`${fromMicros(anchor.at_micros)} ${order === 'desc' ? sql`-` : sql`+`} make_interval(mins => ${minutes})`;
    return baseQuery(db, organisationId)
      .$if(anchor.user_id !== null, (q) => q.where('e.user_id', '=', anchor.user_id as string))
      .$if(anchor.user_id === null, (q) => q.where('e.user_id', 'is', null).where('e.user_display_name', 'is not distinct from', anchor.user_display_name))
      .where(sql<SqlBool>`(e.occurred_at, e.id) ${order === 'desc' ? sql`<` : sql`>`} (${fromMicros(anchor.at_micros)}, ${anchor.id}::bigint)`)
      .where('e.occurred_at', order === 'desc' ? '>=' : '<=', window)
      .orderBy('e.occurred_at', order)
      .orderBy('e.id', order)
      .limit(count)
      .execute();
  };
  const before = (await side('desc')) as LogRow[];
  const self = (await baseQuery(db, organisationId).where('e.id', '=', anchor.id).execute()) as LogRow[];
  const after = (await side('asc')) as LogRow[];
  return [...after.reverse(), ...self, ...before];
}

/** How many of these ids are events of the organisation. */
export async function countEventsOfOrganisation(db: Executor, organisationId: string, eventIds: readonly string[]): Promise<number> {
  const row = await db
    .selectFrom('audit_event')
    .select(sql<string>`count(*)::text`.as('count'))
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', [...eventIds])
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface PatientHit {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (match) => `\\${match}`);

/** A patient by fødselsnummer (exactly) or by name (every word somewhere in the name). */
export async function findPatients(db: Executor, organisationId: string, query: string, limit: number): Promise<PatientHit[]> {
  const isNationalId = /^\d{11}$/.test(query.replace(/\s/g, ''));
  const words = query.split(/\s+/).filter((word) => word !== '');
  return db
    .selectFrom('patient')
    .select(['id', 'given_name', 'family_name', sql<string>`date_of_birth::text`.as('date_of_birth')])
    .where('organisation_id', '=', organisationId)
    .$if(isNationalId, (q) => q.where('national_id', '=', query.replace(/\s/g, '')))
    .$if(!isNationalId, (q) =>
      q.where((eb) => eb.and(words.map((word) => eb(sql`given_name || ' ' || family_name`, 'ilike', `%${escapeLike(word)}%`)))),
    )
    .orderBy('family_name')
    .orderBy('given_name')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export interface OrganisationUser {
  id: string;
  display_name: string;
  profession: string | null;
  roles: string[];
}

export async function usersOfOrganisation(db: Executor, organisationId: string): Promise<OrganisationUser[]> {
  return db
    .selectFrom('app_user as u')
    .select([
      'u.id',
      'u.display_name',
      'u.profession',
      sql<string[]>`coalesce((select array_agg(g.role order by g.role) from role_grant as g where g.user_id = u.id and g.revoked_at is null), '{}')`.as('roles'),
    ])
    .where('u.organisation_id', '=', organisationId)
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute();
}

export async function patientExists(db: Executor, organisationId: string, patientId: string): Promise<boolean> {
  return (await db.selectFrom('patient').select('id').where('organisation_id', '=', organisationId).where('id', '=', patientId).executeTakeFirst()) !== undefined;
}

export async function userExists(db: Executor, organisationId: string, userId: string): Promise<boolean> {
  return (await db.selectFrom('app_user').select('id').where('organisation_id', '=', organisationId).where('id', '=', userId).executeTakeFirst()) !== undefined;
}
