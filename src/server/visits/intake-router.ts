import { coordinatorIntakeSchema } from '../../shared/visit-schemas';
import { roleProcedure } from '../trpc';
import { createBooking } from './intake';

/**
 * VIS-1: the coordinator's intake form (a phone booking). Spread into the visits router as
 * `visits.create`; the public form's route is public-route.ts. Both go through createBooking.
 */
export const visitIntakeProcedures = {
  create: roleProcedure(['coordinator'])
    .meta({ audit: ['visit.booking.created'] })
    .input(coordinatorIntakeSchema)
    .mutation(({ ctx, input }) =>
      createBooking(ctx.deps.trx, ctx.deps.audit, {
        organisationId: ctx.session.organisationId,
        source: 'phone',
        createdBy: ctx.session.userId,
        input: input.booking,
        idempotencyKey: input.idempotencyKey,
        now: ctx.deps.now,
        isDemo: ctx.deps.isDemo,
        fieldPrefix: 'booking.',
      }),
    ),
};
