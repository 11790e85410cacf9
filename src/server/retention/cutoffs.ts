import { sql } from 'kysely';
import { addCalendarMonths } from '../../shared/dsr-deadline';
import type { Executor } from '../db/database';

const DAY_MS = 86_400_000;

/** The organisation's setting that says how many days a category's data stays. */
export type RetentionDaysSetting = 'booking_retention_days' | 'crm_lead_retention_days';

export interface OrganisationCutoff {
  id: string;
  days: number;
  /** Data last touched at or before this moment is due. */
  cutoff: Date;
}

/**
 * Each organisation's cut-off for a category, as a constant per organisation: the category's scan
 * is then a range of its own index per organisation (no join with organisation, no sort). With
 * `organisationId`, that organisation's only.
 */
export async function organisationCutoffs(trx: Executor, now: Date, setting: RetentionDaysSetting, organisationId: string | undefined): Promise<OrganisationCutoff[]> {
  const { rows } = await sql<{ id: string; days: number }>`
    select id, ${sql.ref(setting)} as days from organisation
     where ${organisationId === undefined ? sql`true` : sql`id = ${organisationId}`}
     order by id`.execute(trx);
  return rows.map((row) => ({ id: row.id, days: row.days, cutoff: new Date(now.getTime() - row.days * DAY_MS) }));
}

/**
 * `at` moved by whole calendar months (negative: back), the time of day kept and the day clamped to
 * the target month's last day (31 August less six months is 28 February): the fixed periods
 * ("four years", "six months", "one year") are counted on the calendar, like a request's deadline.
 */
export function shiftCalendarMonths(at: Date, months: number): Date {
  const iso = at.toISOString();
  return new Date(`${addCalendarMonths(iso.slice(0, 10), months)}${iso.slice(10)}`);
}
