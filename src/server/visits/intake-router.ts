import { coordinatorIntakeSchema } from '../../shared/visit-schemas';
import { assertNotRestricted } from '../dpo/cases/restriction';
import { nationalIdHmac } from '../portal/national-id';
import { roleProcedure } from '../trpc';
import { createBooking } from './intake';

/**
 * VIS-1: the coordinator's intake form (a phone booking). Spread into the visits router as
 * `visits.create`; the public form's route is public-route.ts. Both go through createBooking.
 *
 * DPO-5: a coordinator does not book a person who asked for restriction of processing in the home
 * visits (refused, logged, the form says why). The public form is not refused: it is the person's
 * own request (art. 18(2), their consent), and its anonymous answer must not tell whoever knows a
 * number that the person asked for restriction; the booking it leaves cannot be dispatched until
 * the DPO has lifted the restriction.
 */
export const visitIntakeProcedures = {
  create: roleProcedure(['coordinator'])
    .meta({ audit: ['visit.booking.created', 'dpo.processing.restricted'] })
    .input(coordinatorIntakeSchema)
    .mutation(async ({ ctx, input }) => {
      const { booking } = input;
      await assertNotRestricted(
        ctx.deps.trx,
        ctx.session.organisationId,
        { nationalIdHmac: booking.nationalId ? nationalIdHmac(ctx.deps.secretBox, booking.nationalId) : null, email: booking.email, phone: booking.phone },
        'home_visits',
        { objectType: 'home_visit_booking' },
      );
      return createBooking(ctx.deps.trx, ctx.deps.audit, {
        organisationId: ctx.session.organisationId,
        source: 'phone',
        createdBy: ctx.session.userId,
        input: booking,
        idempotencyKey: input.idempotencyKey,
        now: ctx.deps.now,
        isDemo: ctx.deps.isDemo,
        secretBox: ctx.deps.secretBox,
        fieldPrefix: 'booking.',
      });
    }),
};
