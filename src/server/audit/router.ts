import { activityQuerySchema } from '../../shared/activity-filters';
import { authenticatedProcedure, router } from '../trpc';
import { myActivity } from './activity';

/** AUD-7: every user sees the events about their own actions (Normen). Reading is itself logged. */
export const activityRouter = router({
  mine: authenticatedProcedure
    .meta({ audit: ['audit.read.own'] })
    .input(activityQuerySchema)
    .query(({ ctx, input }) => myActivity(ctx.deps, ctx.session, input)),
});
