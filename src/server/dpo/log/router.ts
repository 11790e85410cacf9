import { findPatientSchema, logContextSchema, logSearchSchema, markReviewedSchema } from '../../../shared/dpo-log-schemas';
import { roleProcedure, router } from '../../trpc';
import { findPatient, logContext, logUsers, markReviewed, searchLog } from './service';

const dpo = roleProcedure(['dpo']);

/** Log review (DPO-1): search, context, reviewed marks. Who may call what: docs/access-matrix.md. */
export const dpoLogRouter = router({
  search: dpo
    .meta({ audit: ['dpo.log.searched'] })
    .input(logSearchSchema)
    .query(({ ctx, input }) => searchLog(ctx.deps, ctx.session, input)),

  context: dpo
    .meta({ audit: ['dpo.log.context_read'] })
    .input(logContextSchema)
    .query(({ ctx, input }) => logContext(ctx.deps, ctx.session, input)),

  markReviewed: dpo
    .meta({ audit: ['dpo.log.reviewed'] })
    .input(markReviewedSchema)
    .mutation(({ ctx, input }) => markReviewed(ctx.deps, ctx.session, input)),

  findPatient: dpo
    .meta({ audit: ['dpo.patient.looked_up'] })
    .input(findPatientSchema)
    .query(({ ctx, input }) => findPatient(ctx.deps, ctx.session, input)),

  /** The user filter's choices: names and roles of the organisation's users, no event (as access.colleagues). */
  users: dpo.query(({ ctx }) => logUsers(ctx.deps, ctx.session)),
});
