import { closeFlagSchema, flagListSchema, reopenFlagSchema } from '../../../shared/dpo-flags-schemas';
import { roleProcedure, router } from '../../trpc';
import { closeFlag, flagDashboard, listFlags, reopenFlag } from './service';

/**
 * Flags for retrospective control (DPO-2): raised by the job in compute.ts over sealed events
 * (never in the request path), reviewed and closed here by the DPO. Every read and decision is
 * logged; the closing comment lives in the flag, never in an event.
 */
const dpo = roleProcedure(['dpo']);

export const dpoFlagsRouter = router({
  dashboard: dpo.meta({ audit: ['dpo.flags.read'] }).query(({ ctx }) => flagDashboard(ctx.deps, ctx.session)),

  list: dpo
    .meta({ audit: ['dpo.flags.read'] })
    .input(flagListSchema)
    .query(({ ctx, input }) => listFlags(ctx.deps, ctx.session, input)),

  close: dpo
    .meta({ audit: ['dpo.flag.closed'] })
    .input(closeFlagSchema)
    .mutation(({ ctx, input }) => closeFlag(ctx.deps, ctx.session, input)),

  reopen: dpo
    .meta({ audit: ['dpo.flag.reopened'] })
    .input(reopenFlagSchema)
    .mutation(({ ctx, input }) => reopenFlag(ctx.deps, ctx.session, input)),
});
