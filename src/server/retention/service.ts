import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import type { RetentionCategory } from './category';
import { describeDueRetention, type DryRunCategory, dryRunDetails } from './run';

/**
 * The DPO's (or admin's) dry run (DPO-6, VIS-4): what the next run would do in the caller's own
 * organisation, per category — counts and the oldest due moment, never the items themselves. The
 * read is logged with the counts (`retention.dry_run`).
 */
export async function retentionDryRun(
  deps: Pick<ServiceDeps, 'trx' | 'audit' | 'now'>,
  user: SessionUser,
  categories: readonly RetentionCategory[],
): Promise<{ checkedAt: string; categories: DryRunCategory[] }> {
  const report = await describeDueRetention(deps.trx, categories, { now: deps.now, organisationId: user.organisationId });
  deps.audit.record({ objectType: 'retention_run', details: dryRunDetails(report) });
  return { checkedAt: deps.now.toISOString(), categories: report };
}
