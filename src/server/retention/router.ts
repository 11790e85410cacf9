import { updateRetentionScheduleSchema } from '../../shared/dpo-report-schemas';
import { roleProcedure, router } from '../trpc';
import { RETENTION_CATEGORIES } from './categories';
import { retentionRuns, retentionSchedule, updateRetentionSchedule } from './schedule';
import { retentionDryRun } from './service';

/** Retention (DPO-6): the DPO's workspace reads what the schedule will do next; the admin may check it too. */
export const retentionRouter = router({
  dryRun: roleProcedure(['dpo', 'admin'])
    .meta({ audit: ['retention.dry_run'] })
    .query(({ ctx }) => retentionDryRun(ctx.deps, ctx.session, RETENTION_CATEGORIES)),

  // DPO-6: the schedule (editable days and the fixed periods), its changes, and the last runs.
  schedule: roleProcedure(['dpo', 'admin'])
    .meta({ audit: ['retention.schedule.read'] })
    .query(({ ctx }) => retentionSchedule(ctx.deps, ctx.session)),

  updateSchedule: roleProcedure(['dpo'])
    .meta({ audit: ['retention.schedule.updated'] })
    .input(updateRetentionScheduleSchema)
    .mutation(({ ctx, input }) => updateRetentionSchedule(ctx.deps, ctx.session, input)),

  runs: roleProcedure(['dpo', 'admin'])
    .meta({ audit: ['retention.runs.read'] })
    .query(({ ctx }) => retentionRuns(ctx.deps, ctx.session)),
});
