import { confirmCustomerErasureSchema, erasureCaseSchema, executeErasureSchema, legalHoldsSchema, liftLegalHoldSchema, setLegalHoldSchema } from '../../../shared/dpo-erasure-schemas';
import { roleProcedure, router } from '../../trpc';
import { confirmCustomerErasure } from './customer-confirmation';
import { erasureReport, executeErasure, findForCase, liftLegalHold, listHolds, planErasure, setHold } from './service';

const dpo = roleProcedure(['dpo']);

/** Erasure and legal holds for a request (DPO-5, DPO-6). Who may call what: docs/access-matrix.md. */
export const dpoErasureRouter = router({
  find: dpo
    .meta({ audit: ['dpo.case.person_searched'] })
    .input(erasureCaseSchema)
    .query(({ ctx, input }) => findForCase(ctx.deps, ctx.session, input)),

  plan: dpo
    .meta({ audit: ['dpo.erasure.planned'] })
    .input(erasureCaseSchema)
    .mutation(({ ctx, input }) => planErasure(ctx.deps, ctx.session, input)),

  execute: dpo
    // Irreversible: a second factor within the step-up window, like the booking's erasure (visits.erase).
    .meta({ audit: ['dpo.erasure.executed', 'dpo.erasure.receipt'], stepUp: true })
    .input(executeErasureSchema)
    .mutation(({ ctx, input }) => executeErasure(ctx.deps, ctx.session, input)),

  // Irreversible as the run is: the customer's confirmation erases its employee at once.
  confirmCustomer: dpo
    .meta({ audit: ['dpo.erasure.customer_confirmed', 'dpo.erasure.receipt'], stepUp: true })
    .input(confirmCustomerErasureSchema)
    .mutation(({ ctx, input }) => confirmCustomerErasure(ctx.deps, ctx.session, input)),

  report: dpo
    .meta({ audit: ['dpo.erasure.report_read'] })
    .input(erasureCaseSchema)
    .query(({ ctx, input }) => erasureReport(ctx.deps, ctx.session, input)),

  holds: dpo
    .meta({ audit: ['dpo.legal_holds.read'] })
    .input(legalHoldsSchema)
    .query(({ ctx, input }) => listHolds(ctx.deps, ctx.session, input)),

  setHold: dpo
    .meta({ audit: ['dpo.legal_hold.set'] })
    .input(setLegalHoldSchema)
    .mutation(({ ctx, input }) => setHold(ctx.deps, ctx.session, input)),

  liftHold: dpo
    .meta({ audit: ['dpo.legal_hold.lifted'] })
    .input(liftLegalHoldSchema)
    .mutation(({ ctx, input }) => liftLegalHold(ctx.deps, ctx.session, input)),
});
