import type { RouterOutputs } from '../../lib/api-types';

/** The dispatch API's shapes, named from the router's outputs (never a service's own types). */
export type BoardData = RouterOutputs['visits']['board'];
export type BoardBooking = BoardData['bookings'][number];
export type DoctorOnShift = BoardData['doctors'][number];
export type BookingView = RouterOutputs['visits']['booking'];
export type DoctorVisit = RouterOutputs['visits']['mine']['visits'][number];
