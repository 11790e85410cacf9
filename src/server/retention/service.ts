import { type AuditLogRetentionView, describeAuditLogRetention } from '../audit/retirement';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import type { RetentionCategory } from './category';
import { describeDueRetention, type DryRunCategory, dryRunDetails } from './run';

/**
 * The DPO's (or admin's) dry run (DPO-6, VIS-4): what the next run would do in the caller's own
 * organisation, per category — counts and the oldest due moment, never the items themselves. The
 * read is logged with the counts (`retention.dry_run`).
 *
 * The audit log is reported beside the categories, not as one of them: it does not fit the
 * RetentionCategory interface. Its unit is a whole month of every organisation's events, dropped
 * by a database function the application cannot reach around (no items to find, lock in batches or
 * anonymise by id, and no organisation can retire its share alone), and it runs from the daily
 * partition job, not the hourly retention job. What it shares with them is what the page needs:
 * how many of the organisation's events the next run would remove, and since when they are due.
 */
export async function retentionDryRun(
  deps: Pick<ServiceDeps, 'trx' | 'audit' | 'now'>,
  user: SessionUser,
  categories: readonly RetentionCategory[],
): Promise<{ checkedAt: string; categories: DryRunCategory[]; auditLog: AuditLogRetentionView }> {
  const report = await describeDueRetention(deps.trx, categories, { now: deps.now, organisationId: user.organisationId });
  const auditLog = await describeAuditLogRetention(deps.trx, { now: deps.now, organisationId: user.organisationId });
  deps.audit.record({ objectType: 'retention_run', details: { ...dryRunDetails(report), 'due:audit.event': auditLog.due } });
  return { checkedAt: deps.now.toISOString(), categories: report, auditLog };
}
