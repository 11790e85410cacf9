import { roleProcedure, router } from '../trpc';
import { startPageFor } from './service';

/** The clinician's start page (JRN-6): it names patients, so it is the clinicians' alone. */
export const startRouter = router({
  today: roleProcedure(['clinician'])
    .meta({ audit: ['start.page.read'] })
    .query(({ ctx }) => startPageFor(ctx.deps, ctx.session)),
});
