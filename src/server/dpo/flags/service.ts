import { type SqlBool, sql } from 'kysely';
import type { z } from 'zod';
import { API_ERROR_MESSAGES } from '../../../shared/api-errors';
import { type closeFlagSchema, FLAG_RULE_CODES, FLAG_TREND_WEEKS, type FlagRuleCode, type flagListSchema, type reopenFlagSchema } from '../../../shared/dpo-flags-schemas';
import { addDays, osloCalendarDate, osloInstant } from '../../../shared/oslo-time';
import { AuditedDenial } from '../../audit/recorder';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import type { FlagOutcome, FlagRule, FlagStatus } from '../../db/dpo/flags';
import { DomainError, fieldError } from '../../errors';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;
type In<T extends z.ZodType> = z.output<T>;

export interface FlagDashboard {
  openByRule: Record<FlagRuleCode, number>;
  openTotal: number;
  /** The last FLAG_TREND_WEEKS ISO weeks (Oslo), oldest first: flags raised for events of that week, per rule. */
  weeks: { weekStart: string; isoWeek: string; counts: Record<FlagRuleCode, number>; total: number }[];
}

export interface FlagRow {
  id: string;
  rule: FlagRule;
  status: FlagStatus;
  eventId: string;
  occurredAt: string;
  raisedAt: string;
  user: { id: string; name: string };
  patient: { id: string; name: string };
  outcome: FlagOutcome | null;
  comment: string | null;
  closedAt: string | null;
  closedByName: string | null;
  version: number;
}

export interface FlagPage {
  rows: FlagRow[];
  /** Pass back as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

/** A page's last row: its event time in microseconds (exact, unlike a JavaScript Date) and its id. */
interface FlagKeyset {
  atMicros: string;
  id: string;
}

/** 9999-12-31T23:59:59.999999Z in microseconds since the epoch. */
const LATEST_MICROS = 253_402_300_799_999_999n;
const AT_MICROS = sql<string>`(extract(epoch from flag.occurred_at) * 1000000)::bigint::text`;

export function encodeFlagCursor(keyset: FlagKeyset): string {
  return Buffer.from(`${keyset.atMicros}:${keyset.id}`, 'utf8').toString('base64url');
}

export function decodeFlagCursor(cursor: string): FlagKeyset {
  const match = /^(-?\d{1,19}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // Within the years a timestamp holds (a made-up cursor must not reach the database as an overflow).
  if (!match || BigInt(match[1] as string) < 0n || BigInt(match[1] as string) > LATEST_MICROS) throw fieldError('cursor', 'validation.invalid_value');
  return { atMicros: match[1] as string, id: match[2] as string };
}

const recordChanged = (): DomainError => new DomainError('conflict', API_ERROR_MESSAGES.recordChanged);
const zeroCounts = (): Record<FlagRuleCode, number> => Object.fromEntries(FLAG_RULE_CODES.map((rule) => [rule, 0])) as Record<FlagRuleCode, number>;

/** Monday (yyyy-mm-dd) of the ISO week an Oslo calendar day lies in. */
function mondayOf(isoDate: string): string {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay() || 7;
  return addDays(isoDate, 1 - weekday);
}

/** ISO week label (e.g. 2026-W49) of a Monday. */
function isoWeekLabel(monday: string): string {
  const thursday = new Date(`${addDays(monday, 3)}T00:00:00Z`);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = firstThursday.getTime() - (((firstThursday.getUTCDay() || 7) - 1) * 86_400_000);
  const week = Math.floor((thursday.getTime() - firstMonday) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** DPO-2: open flags per rule and the weekly trend. Counts only: no person is shown. */
export async function flagDashboard(deps: Deps, user: SessionUser): Promise<FlagDashboard> {
  const open = await deps.trx
    .selectFrom('audit_flag')
    .select(['rule', sql<number>`count(*)::int`.as('count')])
    .where('organisation_id', '=', user.organisationId)
    .where('status', '=', 'open')
    .groupBy('rule')
    .execute();
  const openByRule = zeroCounts();
  for (const row of open) openByRule[row.rule] = row.count;

  const thisMonday = mondayOf(osloCalendarDate(deps.now));
  const mondays = Array.from({ length: FLAG_TREND_WEEKS }, (_, index) => addDays(thisMonday, -7 * (FLAG_TREND_WEEKS - 1 - index)));
  const firstMonday = mondays[0] ?? thisMonday;
  const { rows: trend } = await sql<{ week: string; rule: FlagRule; count: number }>`
    select to_char(date_trunc('week', occurred_at at time zone 'Europe/Oslo'), 'YYYY-MM-DD') as week, rule, count(*)::int as count
      from audit_flag
     where organisation_id = ${user.organisationId} and occurred_at >= ${osloInstant(firstMonday, '00:00')}
     group by 1, 2`.execute(deps.trx);
  const weeks = mondays.map((weekStart) => {
    const counts = zeroCounts();
    for (const row of trend) if (row.week === weekStart) counts[row.rule] = row.count;
    return { weekStart, isoWeek: isoWeekLabel(weekStart), counts, total: Object.values(counts).reduce((sum, count) => sum + count, 0) };
  });
  deps.audit.record({ action: 'dpo.flags.read', objectType: 'audit_flag', details: { view: 'dashboard', openTotal: open.reduce((sum, row) => sum + row.count, 0) } });
  return { openByRule, openTotal: open.reduce((sum, row) => sum + row.count, 0), weeks };
}

/**
 * DPO-2: flags by rule, status (open, closed or all) and period, newest event first with the id
 * breaking ties, keyset-paged: every flag once across the pages, however many share an instant.
 * The patients a page shows are logged with it (AUD-6).
 */
export async function listFlags(deps: Deps, user: SessionUser, input: In<typeof flagListSchema>): Promise<FlagPage> {
  const after = input.cursor === undefined ? undefined : decodeFlagCursor(input.cursor);
  let query = deps.trx
    .selectFrom('audit_flag as flag')
    .innerJoin('app_user as accessor', (join) => join.onRef('accessor.organisation_id', '=', 'flag.organisation_id').onRef('accessor.id', '=', 'flag.user_id'))
    .innerJoin('patient', (join) => join.onRef('patient.organisation_id', '=', 'flag.organisation_id').onRef('patient.id', '=', 'flag.patient_id'))
    .leftJoin('app_user as closer', (join) => join.onRef('closer.organisation_id', '=', 'flag.organisation_id').onRef('closer.id', '=', 'flag.closed_by'))
    .select([
      'flag.id',
      'flag.rule',
      'flag.status',
      'flag.event_id',
      'flag.occurred_at',
      AT_MICROS.as('at_micros'),
      'flag.raised_at',
      'flag.user_id',
      'accessor.display_name as user_name',
      'flag.patient_id',
      'patient.given_name',
      'patient.family_name',
      'flag.outcome',
      'flag.comment',
      'flag.closed_at',
      'closer.display_name as closed_by_name',
      'flag.version',
    ])
    .where('flag.organisation_id', '=', user.organisationId);
  if (input.status !== 'all') query = query.where('flag.status', '=', input.status);
  if (input.rule) query = query.where('flag.rule', '=', input.rule);
  if (input.from) query = query.where('flag.occurred_at', '>=', new Date(osloInstant(input.from, '00:00')));
  if (input.to) query = query.where('flag.occurred_at', '<', new Date(osloInstant(addDays(input.to, 1), '00:00')));
  if (after) {
    // One row comparison, in the index's order (occurred_at desc, id desc).
    query = query.where(sql<SqlBool>`(flag.occurred_at, flag.id) < (timestamptz 'epoch' + ${after.atMicros}::bigint * interval '1 microsecond', ${after.id}::uuid)`);
  }
  const found = await query.orderBy('flag.occurred_at', 'desc').orderBy('flag.id', 'desc').limit(input.limit + 1).execute();
  const page = found.slice(0, input.limit);
  const rows: FlagRow[] = page.map((row) => ({
    id: row.id,
    rule: row.rule,
    status: row.status,
    eventId: row.event_id,
    occurredAt: row.occurred_at.toISOString(),
    raisedAt: row.raised_at.toISOString(),
    user: { id: row.user_id, name: row.user_name },
    patient: { id: row.patient_id, name: `${row.given_name} ${row.family_name}` },
    outcome: row.outcome,
    comment: row.comment,
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
    closedByName: row.closed_by_name,
    version: row.version,
  }));
  const last = page.at(-1);
  deps.audit.record({
    action: 'dpo.flags.read',
    objectType: 'audit_flag',
    details: { view: 'list', status: input.status, rule: input.rule ?? null, shown: rows.length, shownPatientIds: [...new Set(rows.map((row) => row.patient.id))] },
  });
  return { rows, nextCursor: found.length > input.limit && last ? encodeFlagCursor({ atMicros: last.at_micros, id: last.id }) : null };
}

async function lockedFlag(deps: Deps, user: SessionUser, flagId: string) {
  const flag = await deps.trx
    .selectFrom('audit_flag')
    .select(['id', 'rule', 'status', 'version', 'event_id'])
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', flagId)
    .forUpdate()
    .executeTakeFirst();
  // Another organisation's flag, or none: the same answer, and the probe is logged.
  if (!flag) throw new AuditedDenial({ reason: 'not_found', objectType: 'audit_flag', objectId: flagId }, 'not_found');
  return flag;
}

/** DPO-2: closes an open flag with its outcome and comment; the comment stays in the flag, never in the event. */
export async function closeFlag(deps: Deps, user: SessionUser, input: In<typeof closeFlagSchema>): Promise<{ version: number }> {
  const flag = await lockedFlag(deps, user, input.flagId);
  if (flag.version !== input.expectedVersion || flag.status !== 'open') throw recordChanged();
  const updated = await deps.trx
    .updateTable('audit_flag')
    .set({ status: 'closed', outcome: input.outcome, comment: input.comment, closed_by: user.userId, closed_at: deps.now, version: flag.version + 1 })
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', flag.id)
    .returning('version')
    .executeTakeFirstOrThrow();
  deps.audit.record({ action: 'dpo.flag.closed', objectType: 'audit_flag', objectId: flag.id, details: { rule: flag.rule, outcome: input.outcome, eventId: flag.event_id } });
  return { version: updated.version };
}

/** DPO-2: opens a closed flag again (its last closing stays on the row until it is closed anew). */
export async function reopenFlag(deps: Deps, user: SessionUser, input: In<typeof reopenFlagSchema>): Promise<{ version: number }> {
  const flag = await lockedFlag(deps, user, input.flagId);
  if (flag.version !== input.expectedVersion || flag.status !== 'closed') throw recordChanged();
  const updated = await deps.trx
    .updateTable('audit_flag')
    .set({ status: 'open', version: flag.version + 1 })
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', flag.id)
    .returning('version')
    .executeTakeFirstOrThrow();
  deps.audit.record({ action: 'dpo.flag.reopened', objectType: 'audit_flag', objectId: flag.id, details: { rule: flag.rule, eventId: flag.event_id } });
  return { version: updated.version };
}
