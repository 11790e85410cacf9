import { bookConsultationSchema, cancelConsultationSchema, consultationCalendarSchema, moveConsultationSchema } from '../../shared/consultation-schemas';
import { roleProcedure, router } from '../trpc';
import { bookConsultation, cancelConsultation, consultationCalendar, moveConsultation } from './service';

/**
 * Consultations (JRN-6) are the clinicians': a booking gives a treatment relationship (ACC-2), and
 * a calendar names patients, so neither is for a coordinator or an admin (docs/adr/0009).
 */
const clinicianProcedure = roleProcedure(['clinician']);

export const consultationRouter = router({
  book: clinicianProcedure
    .meta({ audit: ['consultation.booked'] })
    .input(bookConsultationSchema)
    .mutation(({ ctx, input }) => bookConsultation(ctx.deps, ctx.session, input)),

  move: clinicianProcedure
    .meta({ audit: ['consultation.moved'] })
    .input(moveConsultationSchema)
    .mutation(({ ctx, input }) => moveConsultation(ctx.deps, ctx.session, input)),

  cancel: clinicianProcedure
    .meta({ audit: ['consultation.cancelled'] })
    .input(cancelConsultationSchema)
    .mutation(({ ctx, input }) => cancelConsultation(ctx.deps, ctx.session, input.consultationId)),

  calendar: clinicianProcedure
    .meta({ audit: ['consultation.calendar.read'] })
    .input(consultationCalendarSchema)
    .query(({ ctx, input }) => consultationCalendar(ctx.deps, ctx.session, input)),
});
