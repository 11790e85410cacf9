import type { z } from 'zod';
import { parseNationalIdentityNumber, fieldsContradictingNationalIdentityNumber } from '../../shared/national-identity-number';
import { addDays, osloInstant } from '../../shared/oslo-time';
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
import { AuditedDenial } from '../audit/recorder';
import type { SessionUser } from '../auth/session';
import { activeClinicianOf } from '../consultation/repository';
import type { ServiceDeps } from '../context';
import type { Executor } from '../db/database';
import { assertNotRestricted, type RestrictedSubject } from '../dpo/cases/restriction';
import { fieldError, FieldValidationError } from '../errors';
import { publishChange } from '../live/publish';
import { nationalIdHmac } from '../portal/national-id';
import { scheduleAssignmentCheck, ASSIGNMENT_ACK_JOB } from './assignment-reminder';
import { applyChange, type ChangeActor, requireTransition, requireVersion } from './booking-change';
import {
  ACTIVE_VISIT_STATUSES,
  type BookingRow,
  bookingById,
  bookingsOfDay,
  exceptionCounts,
  exceptionsOf,
  lastChanges,
  lockedBooking,
  shiftsBetween,
  timelineOf,
  userNames,
  zoneNames,
} from './repository';
import type { BoardBooking, BookingDetail, BookingView, DispatchBoard, DoctorOnShift, ExceptionListEntry, VisitZone } from './types';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'isDemo' | 'secretBox'>;
type In<T extends z.ZodType> = z.output<T>;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/** The instants an Oslo calendar day runs between. */
function osloDay(date: string): { start: Date; end: Date } {
  return { start: new Date(osloInstant(date, '00:00')), end: new Date(osloInstant(addDays(date, 1), '00:00')) };
}

const actorOf = (user: SessionUser): ChangeActor => ({ organisationId: user.organisationId, userId: user.userId });
const isCoordinator = (user: SessionUser): boolean => user.roles.includes('coordinator');

/**
 * The booking a caller may act on: any of the organisation's for a coordinator, only one assigned
 * to them for a doctor (`asDoctor`, or a caller who is no coordinator). Anything else — another
 * organisation's id, another doctor's visit — answers as an id that exists nowhere, and is logged.
 */
async function reachableBooking(deps: Deps, user: SessionUser, bookingId: string, options: { lock: boolean; asDoctor?: boolean }): Promise<BookingRow> {
  const booking = options.lock ? await lockedBooking(deps.trx, user.organisationId, bookingId) : await bookingById(deps.trx, user.organisationId, bookingId);
  const mustBeOwn = options.asDoctor === true || !isCoordinator(user);
  if (!booking || (mustBeOwn && booking.doctor_id !== user.userId)) {
    throw new AuditedDenial({ reason: booking ? 'not_assigned_doctor' : 'not_found', objectType: 'home_visit_booking', objectId: bookingId }, 'not_found');
  }
  return booking;
}

/** The person a booking is about, as a restriction matches them: the booking holds the number plain, so it is hashed here. */
export function bookingSubject(deps: Pick<Deps, 'secretBox'>, booking: Pick<BookingRow, 'patient_id' | 'national_id' | 'email' | 'phone'>): RestrictedSubject {
  return { patientId: booking.patient_id, nationalIdHmac: booking.national_id ? nationalIdHmac(deps.secretBox, booking.national_id) : null, email: booking.email, phone: booking.phone };
}

/**
 * DPO-5: a person who asked for restriction of processing (art. 18) is not booked, dispatched or
 * visited further; the refusal is logged and names why. Reading the booking stays allowed, and so do
 * the steps that stop processing (cancel, unassign, a doctor's rejection) and the completion that
 * records the documentation the doctor must write anyway (helsepersonelloven § 39).
 */
async function refuseRestrictedBooking(deps: Deps, user: SessionUser, booking: BookingRow, also: readonly RestrictedSubject[] = []): Promise<void> {
  await assertNotRestricted(deps.trx, user.organisationId, [bookingSubject(deps, booking), ...also], 'home_visits', { objectType: 'home_visit_booking', objectId: booking.id });
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

async function toBoardBookings(db: Executor, organisationId: string, rows: readonly BookingRow[]): Promise<(BoardBooking & { row: BookingRow })[]> {
  const ids = rows.map((row) => row.id);
  const [doctors, zones, changes, exceptions] = await Promise.all([
    userNames(db, organisationId, rows.map((row) => row.doctor_id)),
    zoneNames(db, organisationId, rows.map((row) => row.zone_id)),
    lastChanges(db, organisationId, ids),
    exceptionCounts(db, organisationId, ids),
  ]);
  return rows.map((row) => {
    const last = changes.get(row.id);
    return {
      row,
      id: row.id,
      status: row.status,
      urgency: row.urgency,
      source: row.source,
      fullName: row.full_name,
      postcode: row.postcode,
      city: row.city,
      zoneName: row.zone_id ? (zones.get(row.zone_id) ?? null) : null,
      reason: row.reason,
      earliestAt: row.earliest_at.toISOString(),
      latestAt: row.latest_at.toISOString(),
      createdAt: row.created_at.toISOString(),
      doctor: row.doctor_id ? { id: row.doctor_id, name: doctors.get(row.doctor_id) ?? '' } : null,
      assignedAt: iso(row.assigned_at),
      acceptedAt: iso(row.accepted_at),
      eta: iso(row.eta),
      // Back in the queue because a doctor turned it down or nobody accepted it: someone must act.
      needsAttention: row.status === 'requested' && last !== undefined && last.to_status === 'requested' && (last.is_automatic || (last.reason ?? '').startsWith('rejected:')),
      version: row.version,
      patientId: row.patient_id,
      retentionHold: row.retention_hold as BoardBooking['retentionHold'],
      exceptionCount: exceptions.get(row.id) ?? 0,
    };
  });
}

function toDetail(board: BoardBooking & { row: BookingRow }): BookingDetail {
  const { row, ...rest } = board;
  return {
    ...rest,
    street: row.street,
    gender: row.gender,
    dateOfBirth: row.date_of_birth,
    nationalId: row.national_id,
    phone: row.phone,
    email: row.email,
    enRouteAt: iso(row.en_route_at),
    arrivedAt: iso(row.arrived_at),
    completedAt: iso(row.completed_at),
    cancelledAt: iso(row.cancelled_at),
    cancelReason: row.cancel_reason as BookingDetail['cancelReason'],
    documentationNoteId: row.documentation_note_id,
    anonymisedAt: iso(row.anonymised_at),
  };
}

const URGENCY_ORDER = { urgent: 0, normal: 1 } as const;

/** Ids of the linked patients a list showed (AUD-6), once each. */
const linkedPatientIds = (rows: readonly { patient_id: string | null }[]): string[] => [...new Set(rows.flatMap((row) => (row.patient_id ? [row.patient_id] : [])))];

/**
 * VIS-3: the board of one Oslo day — its bookings in every status and the still-open ones from
 * before, urgent first, then by the latest acceptable arrival; and the doctors on shift that day
 * with their zone and load against the shift's cap. Intake data only: no journal content.
 */
export async function dispatchBoard(deps: Deps, user: SessionUser, input: In<typeof dispatchBoardSchema>): Promise<DispatchBoard> {
  const day = osloDay(input.date);
  const [rows, shifts] = await Promise.all([bookingsOfDay(deps.trx, user.organisationId, day.start, day.end), shiftsBetween(deps.trx, user.organisationId, day.start, day.end)]);
  rows.sort((a, b) => URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] || a.latest_at.getTime() - b.latest_at.getTime() || a.id.localeCompare(b.id));
  const bookings = (await toBoardBookings(deps.trx, user.organisationId, rows)).map(({ row: _row, ...booking }) => booking);

  const load = new Map<string, number>();
  for (const row of rows) if (row.doctor_id && ACTIVE_VISIT_STATUSES.includes(row.status)) load.set(row.doctor_id, (load.get(row.doctor_id) ?? 0) + 1);
  const doctors = shifts.map(
    (shift): DoctorOnShift => ({
      id: shift.doctor_id,
      name: shift.display_name,
      shiftId: shift.id,
      startsAt: shift.starts_at.toISOString(),
      endsAt: shift.ends_at.toISOString(),
      zoneName: shift.zone_name,
      load: load.get(shift.doctor_id) ?? 0,
      cap: shift.visit_cap,
    }),
  );
  const shownPatientIds = linkedPatientIds(rows);
  deps.audit.record({ objectType: 'dispatch_board', details: { date: input.date, shownBookingIds: rows.map((row) => row.id), shownPatientIds, resultCount: rows.length } });
  return { bookings, doctors };
}

/** VIS-3: one booking with its timeline and exceptions; a doctor only for a visit assigned to them. */
export async function bookingView(deps: Deps, user: SessionUser, input: In<typeof bookingRefSchema>): Promise<BookingView> {
  const booking = await reachableBooking(deps, user, input.bookingId, { lock: false });
  const [[board], timeline, exceptions] = await Promise.all([
    toBoardBookings(deps.trx, user.organisationId, [booking]),
    timelineOf(deps.trx, user.organisationId, booking.id),
    exceptionsOf(deps.trx, user.organisationId, booking.id),
  ]);
  const names = await userNames(deps.trx, user.organisationId, [...timeline.flatMap((entry) => [entry.doctor_id, entry.changed_by]), ...exceptions.map((entry) => entry.recorded_by)]);
  deps.audit.record({ objectType: 'home_visit_booking', objectId: booking.id, ...(booking.patient_id ? { patientId: booking.patient_id } : {}) });
  return {
    booking: toDetail(board as BoardBooking & { row: BookingRow }),
    timeline: timeline.map((entry) => ({
      id: String(entry.id),
      fromStatus: entry.from_status,
      toStatus: entry.to_status,
      doctorName: entry.doctor_id ? (names.get(entry.doctor_id) ?? null) : null,
      changedBy: entry.changed_by ? (names.get(entry.changed_by) ?? null) : 'system',
      isAutomatic: entry.is_automatic,
      reason: entry.reason,
      changedAt: entry.changed_at.toISOString(),
    })),
    exceptions: exceptions.map((entry) => ({ id: entry.id, kind: entry.kind, recordedAt: entry.recorded_at.toISOString(), recordedBy: entry.recorded_by ? (names.get(entry.recorded_by) ?? null) : null })),
  };
}

/** The doctor's bookings of a day (with the still-open ones from before), in the order of the round: ETA, else the wanted time. */
async function doctorDay(db: Executor, user: SessionUser, date: string): Promise<(BoardBooking & { row: BookingRow })[]> {
  const day = osloDay(date);
  const rows = await bookingsOfDay(db, user.organisationId, day.start, day.end, user.userId);
  const at = (row: BookingRow) => (row.eta ?? row.earliest_at).getTime();
  rows.sort((a, b) => at(a) - at(b) || a.id.localeCompare(b.id));
  return toBoardBookings(db, user.organisationId, rows);
}

/** VIS-3: "my visits today" — the doctor's own, with address, reason and contact. */
export async function myVisits(deps: Deps, user: SessionUser, input: In<typeof doctorVisitsSchema>): Promise<{ visits: BookingDetail[] }> {
  const visits = await doctorDay(deps.trx, user, input.date);
  const rows = visits.map((visit) => visit.row);
  deps.audit.record({ objectType: 'home_visit_list', details: { date: input.date, shownBookingIds: rows.map((row) => row.id), shownPatientIds: linkedPatientIds(rows), resultCount: rows.length } });
  return { visits: visits.map(toDetail) };
}

/** The doctor's home visits of a day for the start page (its caller logs what the page shows). */
export async function homeVisitsOfDay(db: Executor, user: SessionUser, date: string): Promise<BookingDetail[]> {
  return (await doctorDay(db, user, date)).map(toDetail);
}

export async function exceptionsOfDay(deps: Deps, user: SessionUser, input: In<typeof visitExceptionsSchema>): Promise<{ exceptions: ExceptionListEntry[] }> {
  const day = osloDay(input.date);
  const rows = await deps.trx
    .selectFrom('visit_exception')
    .innerJoin('home_visit_booking', 'home_visit_booking.id', 'visit_exception.booking_id')
    .select([
      'visit_exception.id',
      'visit_exception.kind',
      'visit_exception.recorded_at',
      'visit_exception.recorded_by',
      'visit_exception.booking_id',
      'home_visit_booking.status',
      'home_visit_booking.doctor_id',
      'home_visit_booking.patient_id',
    ])
    .where('visit_exception.organisation_id', '=', user.organisationId)
    .where('home_visit_booking.organisation_id', '=', user.organisationId)
    .where('visit_exception.recorded_at', '>=', day.start)
    .where('visit_exception.recorded_at', '<', day.end)
    .orderBy('visit_exception.recorded_at')
    .orderBy('visit_exception.id')
    .execute();
  const names = await userNames(deps.trx, user.organisationId, rows.flatMap((row) => [row.recorded_by, row.doctor_id]));
  deps.audit.record({
    objectType: 'visit_exception_list',
    details: { date: input.date, shownBookingIds: [...new Set(rows.map((row) => row.booking_id))], shownPatientIds: linkedPatientIds(rows), resultCount: rows.length },
  });
  return {
    exceptions: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      recordedAt: row.recorded_at.toISOString(),
      recordedBy: row.recorded_by ? (names.get(row.recorded_by) ?? null) : null,
      bookingId: row.booking_id,
      bookingStatus: row.status,
      doctor: row.doctor_id ? { id: row.doctor_id, name: names.get(row.doctor_id) ?? '' } : null,
    })),
  };
}

export async function zones(deps: Deps, user: SessionUser): Promise<{ zones: VisitZone[] }> {
  const rows = await deps.trx.selectFrom('visit_zone').select(['id', 'name', 'postcode_prefixes']).where('organisation_id', '=', user.organisationId).orderBy('name').execute();
  return { zones: rows.map((row) => ({ id: row.id, name: row.name, postcodePrefixes: row.postcode_prefixes })) };
}

// ---------------------------------------------------------------------------------------------
// Coordinators' changes (each with the version the coordinator saw)
// ---------------------------------------------------------------------------------------------

async function activeDoctor(trx: Executor, organisationId: string, doctorId: string, field: string): Promise<string> {
  const doctor = await activeClinicianOf(trx, organisationId, doctorId);
  if (!doctor) throw fieldError(field, 'validation.unknown_doctor');
  return doctor.id;
}

async function assignOne(deps: Deps, user: SessionUser, input: { bookingId: string; doctorId: string; version: number }, fieldPrefix = ''): Promise<number> {
  const booking = await reachableBooking(deps, user, input.bookingId, { lock: true });
  requireVersion(booking, input.version);
  requireTransition(booking, 'assigned');
  if (booking.status === 'assigned' && booking.doctor_id === input.doctorId) throw fieldError(`${fieldPrefix}doctorId`, 'validation.already_assigned');
  await refuseRestrictedBooking(deps, user, booking);
  const doctorId = await activeDoctor(deps.trx, user.organisationId, input.doctorId, `${fieldPrefix}doctorId`);
  const isReassignment = booking.status === 'assigned';
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: 'assigned',
    // A new doctor starts afresh: not accepted, no ETA yet.
    set: { doctor_id: doctorId, assigned_at: deps.now, accepted_at: null, eta: null },
    timeline: { reason: isReassignment ? 'reassigned' : null, doctorId },
    action: isReassignment ? 'visit.booking.reassigned' : 'visit.booking.assigned',
    details: { doctorId, ...(isReassignment ? { previousDoctorId: booking.doctor_id } : {}) },
  });
  await scheduleAssignmentCheck(deps.trx, { id: booking.id, organisationId: user.organisationId, version: updated.version }, deps.now);
  return updated.version;
}

/** VIS-3: assign a doctor, or reassign to another (assigned → assigned). */
export async function assignBooking(deps: Deps, user: SessionUser, input: In<typeof assignBookingSchema>): Promise<{ version: number }> {
  return { version: await assignOne(deps, user, input) };
}

/**
 * VIS-3: several assignments in the one transaction of the call: one refused (a stale version, an
 * unknown doctor) rolls all of them back. Bookings are locked in id order, so two bulk assignments
 * over the same bookings wait for each other instead of deadlocking.
 */
export async function bulkAssign(deps: Deps, user: SessionUser, input: In<typeof bulkAssignSchema>): Promise<{ versions: Record<string, number> }> {
  const seen = new Set<string>();
  input.assignments.forEach((assignment, index) => {
    if (seen.has(assignment.bookingId)) throw fieldError(`assignments.${index}.bookingId`, 'validation.duplicate_booking');
    seen.add(assignment.bookingId);
  });
  const ordered = input.assignments.map((assignment, index) => ({ assignment, index })).sort((a, b) => a.assignment.bookingId.localeCompare(b.assignment.bookingId));
  const versions: Record<string, number> = {};
  for (const { assignment, index } of ordered) {
    try {
      versions[assignment.bookingId] = await assignOne(deps, user, assignment, `assignments.${index}.`);
    } catch (error) {
      // A refused transition names the booking's row in the form.
      if (error instanceof FieldValidationError && error.fieldErrors.some((fieldError) => fieldError.field === 'bookingId')) {
        throw new FieldValidationError(error.fieldErrors.map((fieldError) => (fieldError.field === 'bookingId' ? { ...fieldError, field: `assignments.${index}.bookingId` } : fieldError)));
      }
      throw error;
    }
  }
  return { versions };
}

/** VIS-3: take the doctor off (assigned → requested). */
export async function unassignBooking(deps: Deps, user: SessionUser, input: In<typeof unassignBookingSchema>): Promise<{ version: number }> {
  const booking = await reachableBooking(deps, user, input.bookingId, { lock: true });
  requireVersion(booking, input.version);
  if (booking.status !== 'assigned') throw fieldError('bookingId', 'validation.booking_transition');
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: 'requested',
    set: { doctor_id: null, assigned_at: null, accepted_at: null, eta: null },
    timeline: { reason: 'unassigned', doctorId: booking.doctor_id },
    action: 'visit.booking.unassigned',
    details: { doctorId: booking.doctor_id },
  });
  return { version: updated.version };
}

/** VIS-3: cancel with a reason code (a coordinator, or the doctor of the visit). */
export async function cancelBooking(deps: Deps, user: SessionUser, input: In<typeof cancelBookingSchema>): Promise<{ version: number }> {
  const booking = await reachableBooking(deps, user, input.bookingId, { lock: true });
  requireVersion(booking, input.version);
  requireTransition(booking, 'cancelled');
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: 'cancelled',
    set: { cancelled_at: deps.now, cancel_reason: input.reason },
    timeline: { reason: input.reason, doctorId: booking.doctor_id },
    action: 'visit.booking.cancelled',
    details: { reason: input.reason },
  });
  return { version: updated.version };
}

// ---------------------------------------------------------------------------------------------
// The doctor's changes (their own visit, at its current state)
// ---------------------------------------------------------------------------------------------

async function ownVisit(deps: Deps, user: SessionUser, bookingId: string): Promise<BookingRow> {
  return reachableBooking(deps, user, bookingId, { lock: true, asDoctor: true });
}

/** VIS-3: the doctor takes the assignment (the reminder then leaves it alone). */
export async function acceptAssignment(deps: Deps, user: SessionUser, input: In<typeof bookingRefSchema>): Promise<{ version: number }> {
  const booking = await ownVisit(deps, user, input.bookingId);
  if (booking.status !== 'assigned' || booking.accepted_at !== null) throw fieldError('bookingId', 'validation.booking_transition');
  await refuseRestrictedBooking(deps, user, booking);
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: 'assigned',
    set: { accepted_at: deps.now },
    timeline: { reason: 'accepted', doctorId: user.userId },
    action: 'visit.booking.accepted',
  });
  return { version: updated.version };
}

/** VIS-3: the doctor turns it down with a reason; it goes back to the queue, flagged. */
export async function rejectAssignment(deps: Deps, user: SessionUser, input: In<typeof rejectAssignmentSchema>): Promise<{ version: number }> {
  const booking = await ownVisit(deps, user, input.bookingId);
  if (booking.status !== 'assigned') throw fieldError('bookingId', 'validation.booking_transition');
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: 'requested',
    set: { doctor_id: null, assigned_at: null, accepted_at: null, eta: null },
    timeline: { reason: `rejected:${input.reason}`, doctorId: user.userId },
    action: 'visit.booking.rejected',
    details: { reason: input.reason },
  });
  return { version: updated.version };
}

/** VIS-3: on the way, with an ETA (going implies accepting). */
export async function setEnRoute(deps: Deps, user: SessionUser, input: In<typeof setEnRouteSchema>): Promise<{ version: number }> {
  const booking = await ownVisit(deps, user, input.bookingId);
  requireTransition(booking, 'en_route');
  await refuseRestrictedBooking(deps, user, booking);
  const eta = new Date(input.eta);
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: 'en_route',
    set: { eta, en_route_at: deps.now, accepted_at: booking.accepted_at ?? deps.now },
    timeline: { reason: null, doctorId: user.userId },
    action: 'visit.booking.en_route',
    details: { eta: eta.toISOString() },
  });
  return { version: updated.version };
}

export async function setArrived(deps: Deps, user: SessionUser, input: In<typeof bookingRefSchema>): Promise<{ version: number }> {
  const booking = await ownVisit(deps, user, input.bookingId);
  requireTransition(booking, 'arrived');
  await refuseRestrictedBooking(deps, user, booking);
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: 'arrived',
    set: { arrived_at: deps.now },
    timeline: { reason: null, doctorId: user.userId },
    action: 'visit.booking.arrived',
  });
  return { version: updated.version };
}

/**
 * VIS-3: completed with its documentation — a journal note of the booking's patient written by this
 * doctor (the visit's appointment is what let them write it, ACC-2).
 */
export async function completeVisit(deps: Deps, user: SessionUser, input: In<typeof completeVisitSchema>): Promise<{ version: number }> {
  const booking = await ownVisit(deps, user, input.bookingId);
  requireTransition(booking, 'completed');
  if (!booking.patient_id) throw fieldError('documentationNoteId', 'validation.booking_needs_patient');
  const note = await deps.trx
    .selectFrom('journal_note')
    .select('id')
    .where('id', '=', input.documentationNoteId)
    .where('organisation_id', '=', user.organisationId)
    .where('patient_id', '=', booking.patient_id)
    .where('author_id', '=', user.userId)
    .executeTakeFirst();
  if (!note) throw fieldError('documentationNoteId', 'validation.documentation_note');
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: 'completed',
    set: { completed_at: deps.now, documentation_note_id: note.id },
    timeline: { reason: null, doctorId: user.userId },
    action: 'visit.booking.completed',
    details: { documentationNoteId: note.id },
  });
  return { version: updated.version };
}

// ---------------------------------------------------------------------------------------------
// Linking to the patient register, exceptions, holds, erasure, shifts
// ---------------------------------------------------------------------------------------------

/**
 * A booking is what someone typed: it may be linked only to a patient it agrees with, so linking
 * (which gives the assigned doctor access through the appointment, ACC-2) is no way into an
 * unrelated patient's journal.
 */
function requireAgreement(booking: BookingRow, patient: { date_of_birth: string; national_id: string }, field: string): void {
  if ((booking.date_of_birth !== null && booking.date_of_birth !== patient.date_of_birth) || (booking.national_id !== null && booking.national_id !== patient.national_id)) {
    throw fieldError(field, 'validation.patient_booking_mismatch');
  }
}

/** "Ola Nordmann Hansen" → given "Ola Nordmann", family "Hansen" (a single name stands for both). */
function splitName(fullName: string): { givenName: string; familyName: string } {
  const words = fullName.trim().split(/\s+/);
  const familyName = words.at(-1) as string;
  return { givenName: words.length > 1 ? words.slice(0, -1).join(' ') : familyName, familyName };
}

/** A new patient from the booking's details, when no patient has the number (VIS-1: an audited step, never automatic). */
async function patientFromBooking(deps: Deps, user: SessionUser, booking: BookingRow, nationalId: string): Promise<{ id: string; isNew: boolean }> {
  if (!booking.full_name || !booking.date_of_birth || !booking.gender) throw fieldError('bookingId', 'validation.booking_closed');
  if (fieldsContradictingNationalIdentityNumber(nationalId, { dateOfBirth: booking.date_of_birth, gender: booking.gender }, { allowSynthetic: deps.isDemo }).length > 0) {
    throw fieldError('nationalId', 'validation.patient_booking_mismatch');
  }
  const { givenName, familyName } = splitName(booking.full_name);
  const address = booking.street && booking.postcode && booking.city ? `${booking.street}, ${booking.postcode} ${booking.city}` : null;
  const row = await deps.trx
    .insertInto('patient')
    .values({
      organisation_id: user.organisationId,
      national_id: nationalId,
      given_name: givenName.slice(0, 100),
      family_name: familyName.slice(0, 100),
      date_of_birth: booking.date_of_birth,
      gender: booking.gender,
      address,
      phone: booking.phone,
      email: booking.email,
      next_of_kin: null,
      created_by: user.userId,
    })
    // A patient with this number registered meanwhile by someone else: link that one (checked below).
    .onConflict((conflict) => conflict.columns(['organisation_id', 'national_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) {
    // No care relationship for whoever linked: the visit's appointment is the doctor's basis (ACC-2).
    deps.audit.record({ action: 'patient.registered', patientId: row.id, objectType: 'patient', objectId: row.id, details: { source: 'home_visit_booking', bookingId: booking.id } });
    return { id: row.id, isNew: true };
  }
  const existing = await deps.trx.selectFrom('patient').select(['id', 'date_of_birth', 'national_id']).where('organisation_id', '=', user.organisationId).where('national_id', '=', nationalId).executeTakeFirstOrThrow();
  requireAgreement(booking, existing, 'nationalId');
  return { id: existing.id, isNew: false };
}

/**
 * VIS-1, VIS-3: link the booking to the register — a patient by id, or the patient with this
 * fødselsnummer (created from the booking when there is none). With a doctor assigned, the
 * home-visit appointment follows (ACC-2).
 */
export async function linkPatient(deps: Deps, user: SessionUser, input: In<typeof linkPatientSchema>): Promise<{ patientId: string; isNewPatient: boolean }> {
  const booking = await reachableBooking(deps, user, input.bookingId, { lock: true });
  if (booking.anonymised_at !== null || booking.status === 'completed' || booking.status === 'cancelled') throw fieldError('bookingId', 'validation.booking_closed');
  let patient: { id: string; isNew: boolean };
  if (input.patientId !== undefined) {
    const found = await deps.trx.selectFrom('patient').select(['id', 'date_of_birth', 'national_id']).where('id', '=', input.patientId).where('organisation_id', '=', user.organisationId).executeTakeFirst();
    if (!found) throw fieldError('patientId', 'validation.unknown_patient');
    requireAgreement(booking, found, 'patientId');
    patient = { id: found.id, isNew: false };
  } else {
    // The schema admits exactly one of the two: no patient id, so a number.
    const nationalId = input.nationalId ?? '';
    // As patient registration: synthetic test numbers only in demo mode (JRN-1).
    const parsed = parseNationalIdentityNumber(nationalId, { allowSynthetic: deps.isDemo });
    if (!parsed.ok) throw fieldError('nationalId', `validation.nationalIdentityNumber.${parsed.reason}`);
    const found = await deps.trx.selectFrom('patient').select(['id', 'date_of_birth', 'national_id']).where('organisation_id', '=', user.organisationId).where('national_id', '=', nationalId).executeTakeFirst();
    if (found) requireAgreement(booking, found, 'nationalId');
    patient = found ? { id: found.id, isNew: false } : await patientFromBooking(deps, user, booking, nationalId);
  }
  // Linking joins the booking to the journal: refused for a restricted person, whether the booking or the patient names them.
  await refuseRestrictedBooking(deps, user, booking, [{ patientId: patient.id }]);
  await applyChange(deps, actorOf(user), booking, {
    to: booking.status,
    set: { patient_id: patient.id },
    action: 'visit.booking.patient_linked',
    details: { isNewPatient: patient.isNew, matchedBy: input.patientId !== undefined ? 'patient_id' : 'national_id', previousPatientId: booking.patient_id },
  });
  return { patientId: patient.id, isNewPatient: patient.isNew };
}

/** VIS-3: an exception on a visit (late start, patient not home …): a code, who, when. */
export async function recordException(deps: Deps, user: SessionUser, input: In<typeof recordExceptionSchema>): Promise<{ exceptionId: string }> {
  const booking = await reachableBooking(deps, user, input.bookingId, { lock: true });
  await refuseRestrictedBooking(deps, user, booking);
  const row = await deps.trx
    .insertInto('visit_exception')
    .values({ organisation_id: user.organisationId, booking_id: booking.id, kind: input.kind, recorded_by: user.userId, recorded_at: deps.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await publishChange(deps.trx, { organisationId: user.organisationId, topic: 'visits', ids: [booking.id] });
  deps.audit.record({ objectType: 'home_visit_booking', objectId: booking.id, ...(booking.patient_id ? { patientId: booking.patient_id } : {}), details: { kind: input.kind, exceptionId: row.id } });
  return { exceptionId: row.id };
}

/** VIS-4: a hold (complaint, incident …) keeps the booking from anonymisation until lifted (null). */
export async function setRetentionHold(deps: Deps, user: SessionUser, input: In<typeof setRetentionHoldSchema>): Promise<{ version: number }> {
  const booking = await lockedBooking(deps.trx, user.organisationId, input.bookingId);
  if (!booking) throw new AuditedDenial({ reason: 'not_found', objectType: 'home_visit_booking', objectId: input.bookingId }, 'not_found');
  const updated = await applyChange(deps, actorOf(user), booking, {
    to: booking.status,
    set: input.hold === null ? { retention_hold: null, retention_hold_by: null, retention_hold_at: null } : { retention_hold: input.hold, retention_hold_by: user.userId, retention_hold_at: deps.now },
    action: input.hold === null ? 'visit.retention.hold_lifted' : 'visit.retention.hold_set',
    details: { hold: input.hold, previousHold: booking.retention_hold },
  });
  return { version: updated.version };
}

/**
 * VIS-4: erasure on the person's request (the DPO, with step-up): the booking, its timeline and its
 * exceptions are deleted; the event keeps the booking's id only. The register (a linked patient, the
 * appointment, the journal) is not touched here: that is a journal matter with its own rules.
 */
export async function eraseBooking(deps: Deps, user: SessionUser, input: In<typeof bookingRefSchema>): Promise<void> {
  const booking = await lockedBooking(deps.trx, user.organisationId, input.bookingId);
  if (!booking) throw new AuditedDenial({ reason: 'not_found', objectType: 'home_visit_booking', objectId: input.bookingId }, 'not_found');
  await deps.trx.deleteFrom('visit_exception').where('organisation_id', '=', user.organisationId).where('booking_id', '=', booking.id).execute();
  await deps.trx.deleteFrom('booking_status_change').where('organisation_id', '=', user.organisationId).where('booking_id', '=', booking.id).execute();
  await deps.trx.deleteFrom('home_visit_booking').where('organisation_id', '=', user.organisationId).where('id', '=', booking.id).execute();
  // A reminder waiting for this booking would find nothing; cancel it rather than leave it to run.
  await deps.trx
    .updateTable('background_job')
    .set({ status: 'cancelled', finished_at: deps.now })
    .where('kind', '=', ASSIGNMENT_ACK_JOB)
    .where('organisation_id', '=', user.organisationId)
    .where('status', '=', 'queued')
    .where('dedupe_key', 'like', `${ASSIGNMENT_ACK_JOB}:${booking.id}:%`)
    .execute();
  await publishChange(deps.trx, { organisationId: user.organisationId, topic: 'visits', ids: [booking.id] });
  deps.audit.record({ objectType: 'home_visit_booking', objectId: booking.id });
}

/** A doctor's shift: an active clinician of the organisation, in one of its zones (or none). */
export async function createShift(deps: Deps, user: SessionUser, input: In<typeof createShiftSchema>): Promise<{ shiftId: string }> {
  const doctorId = await activeDoctor(deps.trx, user.organisationId, input.doctorId, 'doctorId');
  if (input.zoneId !== null) {
    const zone = await deps.trx.selectFrom('visit_zone').select('id').where('id', '=', input.zoneId).where('organisation_id', '=', user.organisationId).executeTakeFirst();
    if (!zone) throw fieldError('zoneId', 'validation.unknown_zone');
  }
  const row = await deps.trx
    .insertInto('doctor_shift')
    .values({ organisation_id: user.organisationId, doctor_id: doctorId, zone_id: input.zoneId, starts_at: new Date(input.startsAt), ends_at: new Date(input.endsAt), visit_cap: input.visitCap })
    .returning('id')
    .executeTakeFirstOrThrow();
  await publishChange(deps.trx, { organisationId: user.organisationId, topic: 'visits', ids: [] });
  deps.audit.record({ objectType: 'doctor_shift', objectId: row.id, details: { doctorId, zoneId: input.zoneId, startsAt: input.startsAt, endsAt: input.endsAt, visitCap: input.visitCap } });
  return { shiftId: row.id };
}

