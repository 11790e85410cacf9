import type { BookingStatusCode, CancelReason, ExceptionKind, RetentionHold, Urgency } from '../../shared/visit-schemas';

/**
 * What dispatch answers (VIS-2, VIS-3): instants as ISO strings. The board shows the intake data a
 * coordinator needs to dispatch, never journal content (only the linked patient's id).
 */
export interface BoardBooking {
  id: string;
  status: BookingStatusCode;
  urgency: Urgency;
  source: 'web' | 'phone';
  fullName: string | null;
  postcode: string | null;
  city: string | null;
  zoneName: string | null;
  reason: string | null;
  earliestAt: string;
  latestAt: string;
  createdAt: string;
  doctor: { id: string; name: string } | null;
  assignedAt: string | null;
  acceptedAt: string | null;
  eta: string | null;
  /** Back to requested after a doctor's rejection or an automatic return: someone must act. */
  needsAttention: boolean;
  version: number;
  patientId: string | null;
  retentionHold: RetentionHold | null;
  exceptionCount: number;
}

export interface DoctorOnShift {
  id: string;
  name: string;
  shiftId: string;
  startsAt: string;
  endsAt: string;
  zoneName: string | null;
  /** Open visits (assigned, en route, arrived) of the day. */
  load: number;
  cap: number;
}

export interface BookingDetail extends BoardBooking {
  street: string | null;
  gender: 'female' | 'male' | 'other' | 'unknown' | null;
  dateOfBirth: string | null;
  nationalId: string | null;
  phone: string | null;
  email: string | null;
  enRouteAt: string | null;
  arrivedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: CancelReason | null;
  documentationNoteId: string | null;
  anonymisedAt: string | null;
}

export interface TimelineEntry {
  id: string;
  fromStatus: BookingStatusCode | null;
  toStatus: BookingStatusCode;
  doctorName: string | null;
  /** The display name of who changed it, or 'system' for an automatic change. */
  changedBy: string | null;
  isAutomatic: boolean;
  reason: string | null;
  changedAt: string;
}

export interface BookingException {
  id: string;
  kind: ExceptionKind;
  recordedAt: string;
  recordedBy: string | null;
}

export interface BookingView {
  booking: BookingDetail;
  timeline: TimelineEntry[];
  exceptions: BookingException[];
}

export interface DispatchBoard {
  bookings: BoardBooking[];
  doctors: DoctorOnShift[];
}

export interface ExceptionListEntry extends BookingException {
  bookingId: string;
  bookingStatus: BookingStatusCode;
  doctor: { id: string; name: string } | null;
}

export interface VisitZone {
  id: string;
  name: string;
  postcodePrefixes: string[];
}
