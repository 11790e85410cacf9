import { roleProcedure, router } from '../trpc';
import { RETENTION_CATEGORIES } from './categories';
import { retentionDryRun } from './service';

/** Retention (DPO-6): the DPO's workspace reads what the schedule will do next; the admin may check it too. */
export const retentionRouter = router({
  dryRun: roleProcedure(['dpo', 'admin'])
    .meta({ audit: ['retention.dry_run'] })
    .query(({ ctx }) => retentionDryRun(ctx.deps, ctx.session, RETENTION_CATEGORIES)),
});
