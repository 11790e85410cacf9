import type { z } from 'zod';
import type {
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
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import type { BookingDetail, BookingView, DispatchBoard, ExceptionListEntry, VisitZone } from './types';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'isDemo'>;
type In<T extends z.ZodType> = z.output<T>;

function notYet(): never {
  throw new Error('not implemented');
}

export async function dispatchBoard(_deps: Deps, _user: SessionUser, _input: In<typeof dispatchBoardSchema>): Promise<DispatchBoard> {
  return notYet();
}
export async function bookingView(_deps: Deps, _user: SessionUser, _input: In<typeof bookingRefSchema>): Promise<BookingView> {
  return notYet();
}
export async function assignBooking(_deps: Deps, _user: SessionUser, _input: In<typeof assignBookingSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function bulkAssign(_deps: Deps, _user: SessionUser, _input: In<typeof bulkAssignSchema>): Promise<{ versions: Record<string, number> }> {
  return notYet();
}
export async function unassignBooking(_deps: Deps, _user: SessionUser, _input: In<typeof unassignBookingSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function cancelBooking(_deps: Deps, _user: SessionUser, _input: In<typeof cancelBookingSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function acceptAssignment(_deps: Deps, _user: SessionUser, _input: In<typeof bookingRefSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function rejectAssignment(_deps: Deps, _user: SessionUser, _input: In<typeof rejectAssignmentSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function setEnRoute(_deps: Deps, _user: SessionUser, _input: In<typeof setEnRouteSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function setArrived(_deps: Deps, _user: SessionUser, _input: In<typeof bookingRefSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function completeVisit(_deps: Deps, _user: SessionUser, _input: In<typeof completeVisitSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function linkPatient(_deps: Deps, _user: SessionUser, _input: In<typeof linkPatientSchema>): Promise<{ patientId: string; isNewPatient: boolean }> {
  return notYet();
}
export async function recordException(_deps: Deps, _user: SessionUser, _input: In<typeof recordExceptionSchema>): Promise<{ exceptionId: string }> {
  return notYet();
}
export async function exceptionsOfDay(_deps: Deps, _user: SessionUser, _input: In<typeof visitExceptionsSchema>): Promise<{ exceptions: ExceptionListEntry[] }> {
  return notYet();
}
export async function setRetentionHold(_deps: Deps, _user: SessionUser, _input: In<typeof setRetentionHoldSchema>): Promise<{ version: number }> {
  return notYet();
}
export async function eraseBooking(_deps: Deps, _user: SessionUser, _input: In<typeof bookingRefSchema>): Promise<void> {
  return notYet();
}
export async function myVisits(_deps: Deps, _user: SessionUser, _input: In<typeof doctorVisitsSchema>): Promise<{ visits: BookingDetail[] }> {
  return notYet();
}
export async function zones(_deps: Deps, _user: SessionUser): Promise<{ zones: VisitZone[] }> {
  return notYet();
}
export async function createShift(_deps: Deps, _user: SessionUser, _input: In<typeof createShiftSchema>): Promise<{ shiftId: string }> {
  return notYet();
}
