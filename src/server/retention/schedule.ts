import type { z } from 'zod';
import { RETENTION_DAY_BOUNDS, type RetentionDaysField, type updateRetentionScheduleSchema } from '../../shared/dpo-report-schemas';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import { RETENTION_CATEGORIES } from './categories';
import { RETENTION_JOB_KIND } from './job';

/** How the schedule names the daily retirement of audit months past ten years. */
export const AUDIT_RETIREMENT_NAME = 'audit.event_month';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

/** Each editable period: the organisation's column and the registry category it governs. */
const EDITABLE: readonly { field: RetentionDaysField; column: 'booking_retention_days' | 'crm_lead_retention_days' | 'crm_employee_retention_days'; category: string }[] = [
  { field: 'bookingRetentionDays', column: 'booking_retention_days', category: 'visit.booking' },
  { field: 'crmLeadRetentionDays', column: 'crm_lead_retention_days', category: 'crm.lead_contact' },
  { field: 'crmEmployeeRetentionDays', column: 'crm_employee_retention_days', category: 'portal.employee' },
];

/**
 * The periods the law fixes (DPO-6): shown beside the editable ones, read-only. Codes the screen
 * translates (with the legal ground); `years` where the period is a number; `category`, the
 * registry's category that runs the period, where one does.
 */
export const FIXED_RETENTION: readonly { code: string; years: number | null; category?: string }[] = [
  // Not a registry category: whole months leave the log by the owner's function (ADR 0003), run daily.
  { code: 'audit_event', years: 10, category: AUDIT_RETIREMENT_NAME },
  { code: 'accounting', years: 5 },
  { code: 'inactive_account', years: 4, category: 'user.inactive_account' },
  { code: 'correspondence', years: 1, category: 'crm.correspondence' },
  { code: 'journal', years: null },
];

export interface RetentionSchedule {
  editable: { field: RetentionDaysField; category: string; days: number; min: number; max: number }[];
  /** `runsAs`: the registered category that runs the period, null where nothing runs it (kept by law, or kept as long as the journal). */
  fixed: { code: string; years: number | null; runsAs: string | null }[];
}

/** DPO-6: the schedule of the caller's organisation: the editable days and the fixed periods. */
export async function retentionSchedule(deps: Deps, user: SessionUser): Promise<RetentionSchedule> {
  const organisation = await deps.trx
    .selectFrom('organisation')
    .select(['booking_retention_days', 'crm_lead_retention_days', 'crm_employee_retention_days'])
    .where('id', '=', user.organisationId)
    .executeTakeFirstOrThrow();
  const editable = EDITABLE.map(({ field, column, category }) => ({ field, category, days: organisation[column], ...RETENTION_DAY_BOUNDS[field] }));
  deps.audit.record({ objectType: 'retention_schedule', details: Object.fromEntries(editable.map((entry) => [entry.field, entry.days])) });
  const registered = new Set([...RETENTION_CATEGORIES.map((category) => category.name), AUDIT_RETIREMENT_NAME]);
  const fixed = FIXED_RETENTION.map(({ code, years, category }) => ({ code, years, runsAs: category !== undefined && registered.has(category) ? category : null }));
  return { editable, fixed };
}

/**
 * DPO-6: the DPO changes the organisation's days (within the bounds the schema and the table's
 * checks hold). The event holds the old and the new number of every period, changed or not.
 */
export async function updateRetentionSchedule(deps: Deps, user: SessionUser, input: z.output<typeof updateRetentionScheduleSchema>): Promise<{ changed: RetentionDaysField[] }> {
  const before = await deps.trx
    .selectFrom('organisation')
    .select(['booking_retention_days', 'crm_lead_retention_days', 'crm_employee_retention_days'])
    .where('id', '=', user.organisationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const changed = EDITABLE.filter(({ field, column }) => before[column] !== input[field]).map(({ field }) => field);
  if (changed.length > 0) {
    await deps.trx
      .updateTable('organisation')
      .set({ booking_retention_days: input.bookingRetentionDays, crm_lead_retention_days: input.crmLeadRetentionDays, crm_employee_retention_days: input.crmEmployeeRetentionDays })
      .where('id', '=', user.organisationId)
      .execute();
  }
  const numbers = EDITABLE.flatMap(({ field, column }) => [
    [`old:${field}`, before[column]],
    [`new:${field}`, input[field]],
  ]);
  deps.audit.record({ objectType: 'retention_schedule', objectId: user.organisationId, details: { changed, ...Object.fromEntries(numbers) } });
  return { changed };
}

export interface RetentionRunView {
  id: string;
  runAt: string;
  finishedAt: string | null;
  status: string;
  attempts: number;
  /** What the run did in the caller's organisation, per category (other organisations' counts are not theirs to see). */
  anonymised: { category: string; count: number }[];
  /** What it warned there (inactive accounts), per category. */
  warned: { category: string; count: number }[];
}

/** How many of the last runs the page shows. */
const RUNS_SHOWN = 10;

/**
 * DPO-6: the last scheduled runs (the job runner's `retention.run` jobs: when, status, attempts)
 * and, for each, what it anonymised in the caller's organisation — from that organisation's own
 * `retention.run` events, not from the job's installation-wide progress.
 */
export async function retentionRuns(deps: Deps, user: SessionUser): Promise<RetentionRunView[]> {
  const jobs = await deps.trx
    .selectFrom('background_job')
    .select(['id', 'run_at', 'finished_at', 'status', 'attempts'])
    .where('kind', '=', RETENTION_JOB_KIND)
    .where('organisation_id', 'is', null)
    .where('status', 'in', ['running', 'done', 'failed'])
    .orderBy('run_at', 'desc')
    .orderBy('id', 'desc')
    .limit(RUNS_SHOWN)
    .execute();
  const earliest = jobs.at(-1)?.run_at;
  const events = earliest
    ? await deps.trx
        .selectFrom('audit_event')
        .select(['occurred_at', 'action', 'details'])
        .where('organisation_id', '=', user.organisationId)
        .where('user_id', 'is', null)
        .where('action', 'in', ['retention.run', 'retention.warned'])
        .where('occurred_at', '>=', earliest)
        .execute()
    : [];
  const runs = jobs.map((job) => {
    const until = job.finished_at ?? deps.now;
    const counts = { anonymised: new Map<string, number>(), warned: new Map<string, number>() };
    for (const event of events) {
      if (event.occurred_at < job.run_at || event.occurred_at > until) continue;
      const { category, ids, ...numbers } = event.details as { category?: unknown; ids?: unknown; anonymised?: unknown; warned?: unknown };
      // Batch events hold the ids they changed; the category's closing summary (no ids) is not counted twice.
      if (typeof category !== 'string' || !Array.isArray(ids)) continue;
      const kind = event.action === 'retention.warned' ? 'warned' : 'anonymised';
      const count = numbers[kind];
      if (typeof count !== 'number') continue;
      counts[kind].set(category, (counts[kind].get(category) ?? 0) + count);
    }
    return {
      id: String(job.id),
      runAt: job.run_at.toISOString(),
      finishedAt: job.finished_at?.toISOString() ?? null,
      status: job.status,
      attempts: job.attempts,
      anonymised: [...counts.anonymised].map(([category, count]) => ({ category, count })),
      warned: [...counts.warned].map(([category, count]) => ({ category, count })),
    };
  });
  deps.audit.record({ objectType: 'retention_run', details: { shown: runs.length } });
  return runs;
}
