import {
  assignBookingSchema,
  bookingRefSchema,
  bulkAssignSchema,
  cancelBookingSchema,
  completeVisitSchema,
  createShiftSchema,
  dispatchBoardSchema,
  doctorVisitsSchema,
  linkPatientSchema,
  recordExceptionSchema,
  rejectAssignmentSchema,
  setEnRouteSchema,
  setRetentionHoldSchema,
  unassignBookingSchema,
  visitExceptionsSchema,
} from '../../shared/visit-schemas';
import { visitLiveProcedures } from '../live/router';
import { roleProcedure, router } from '../trpc';
import { visitIntakeProcedures } from './intake-router';
import {
  acceptAssignment,
  assignBooking,
  bookingView,
  bulkAssign,
  cancelBooking,
  completeVisit,
  createShift,
  dispatchBoard,
  eraseBooking,
  exceptionsOfDay,
  linkPatient,
  myVisits,
  recordException,
  rejectAssignment,
  setArrived,
  setEnRoute,
  setRetentionHold,
  unassignBooking,
  zones,
} from './service';

/**
 * Home-visit dispatch (VIS-2, VIS-3, docs/adr/0013). Coordinators run the board; a doctor (the
 * `clinician` role) works only the visits assigned to them: the services answer "not found" for
 * any other, as for another organisation's id. Who may call what is also in docs/access-matrix.md.
 */
const coordinator = roleProcedure(['coordinator']);
const doctor = roleProcedure(['clinician']);
/** The services narrow a clinician to the bookings assigned to them. */
const coordinatorOrDoctor = roleProcedure(['coordinator', 'clinician']);

export const visitsRouter = router({
  // VIS-1: `visits.create`, the coordinator's intake form (the intake branch's procedures).
  ...visitIntakeProcedures,
  // PLAT-10: `visits.live`, the board's live channel (the live branch's procedure).
  ...visitLiveProcedures,
  board: coordinator
    .meta({ audit: ['visit.board.read'] })
    .input(dispatchBoardSchema)
    .query(({ ctx, input }) => dispatchBoard(ctx.deps, ctx.session, input)),

  booking: coordinatorOrDoctor
    .meta({ audit: ['visit.booking.read'] })
    .input(bookingRefSchema)
    .query(({ ctx, input }) => bookingView(ctx.deps, ctx.session, input)),

  assign: coordinator
    .meta({ audit: ['visit.booking.assigned', 'visit.booking.reassigned', 'dpo.processing.restricted'] })
    .input(assignBookingSchema)
    .mutation(({ ctx, input }) => assignBooking(ctx.deps, ctx.session, input)),

  bulkAssign: coordinator
    .meta({ audit: ['visit.booking.assigned', 'visit.booking.reassigned', 'dpo.processing.restricted'] })
    .input(bulkAssignSchema)
    .mutation(({ ctx, input }) => bulkAssign(ctx.deps, ctx.session, input)),

  unassign: coordinator
    .meta({ audit: ['visit.booking.unassigned'] })
    .input(unassignBookingSchema)
    .mutation(({ ctx, input }) => unassignBooking(ctx.deps, ctx.session, input)),

  cancel: coordinatorOrDoctor
    .meta({ audit: ['visit.booking.cancelled'] })
    .input(cancelBookingSchema)
    .mutation(({ ctx, input }) => cancelBooking(ctx.deps, ctx.session, input)),

  accept: doctor
    .meta({ audit: ['visit.booking.accepted', 'dpo.processing.restricted'] })
    .input(bookingRefSchema)
    .mutation(({ ctx, input }) => acceptAssignment(ctx.deps, ctx.session, input)),

  reject: doctor
    .meta({ audit: ['visit.booking.rejected'] })
    .input(rejectAssignmentSchema)
    .mutation(({ ctx, input }) => rejectAssignment(ctx.deps, ctx.session, input)),

  setEnRoute: doctor
    .meta({ audit: ['visit.booking.en_route', 'dpo.processing.restricted'] })
    .input(setEnRouteSchema)
    .mutation(({ ctx, input }) => setEnRoute(ctx.deps, ctx.session, input)),

  setArrived: doctor
    .meta({ audit: ['visit.booking.arrived', 'dpo.processing.restricted'] })
    .input(bookingRefSchema)
    .mutation(({ ctx, input }) => setArrived(ctx.deps, ctx.session, input)),

  complete: doctor
    .meta({ audit: ['visit.booking.completed'] })
    .input(completeVisitSchema)
    .mutation(({ ctx, input }) => completeVisit(ctx.deps, ctx.session, input)),

  linkPatient: coordinatorOrDoctor
    .meta({ audit: ['visit.booking.patient_linked', 'patient.registered', 'dpo.processing.restricted'] })
    .input(linkPatientSchema)
    .mutation(({ ctx, input }) => linkPatient(ctx.deps, ctx.session, input)),

  recordException: coordinatorOrDoctor
    .meta({ audit: ['visit.exception.recorded', 'dpo.processing.restricted'] })
    .input(recordExceptionSchema)
    .mutation(({ ctx, input }) => recordException(ctx.deps, ctx.session, input)),

  exceptions: coordinator
    .meta({ audit: ['visit.exceptions.read'] })
    .input(visitExceptionsSchema)
    .query(({ ctx, input }) => exceptionsOfDay(ctx.deps, ctx.session, input)),

  setRetentionHold: roleProcedure(['coordinator', 'dpo'])
    .meta({ audit: ['visit.retention.hold_set', 'visit.retention.hold_lifted'] })
    .input(setRetentionHoldSchema)
    .mutation(({ ctx, input }) => setRetentionHold(ctx.deps, ctx.session, input)),

  erase: roleProcedure(['dpo'])
    .meta({ audit: ['visit.booking.erased'], stepUp: true })
    .input(bookingRefSchema)
    .mutation(({ ctx, input }) => eraseBooking(ctx.deps, ctx.session, input)),

  mine: doctor
    .meta({ audit: ['visit.mine.read'] })
    .input(doctorVisitsSchema)
    .query(({ ctx, input }) => myVisits(ctx.deps, ctx.session, input)),

  // The zones are configuration, not personal data: nothing to log.
  zones: coordinator.query(({ ctx }) => zones(ctx.deps, ctx.session)),

  createShift: coordinator
    .meta({ audit: ['visit.shift.created'] })
    .input(createShiftSchema)
    .mutation(({ ctx, input }) => createShift(ctx.deps, ctx.session, input)),
});
