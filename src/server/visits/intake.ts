import { sql } from 'kysely';
import type { z } from 'zod';
import { parseNationalIdentityNumber } from '../../shared/national-identity-number';
import { BOOKING_HORIZON_DAYS, type bookingIntakeSchema, LATEST_ARRIVAL_HOURS } from '../../shared/visit-schemas';
import type { AuditActor } from '../audit/record';
import { ANONYMOUS_ACTOR } from '../audit/record';
import type { AuditRecorder } from '../audit/recorder';
import type { SecretBox } from '../auth/secret-box';
import type { Executor } from '../db/database';
import { fieldError } from '../errors';
import { publishChange } from '../live/publish';
import { nationalIdHmac } from '../portal/national-id';
import { enqueueBookingMessages } from './messages';

export type BookingIntake = z.output<typeof bookingIntakeSchema>;

/** How far in the past a wanted window may start: a form filled in slowly is still accepted. */
export const EARLIEST_GRACE_MINUTES = 15;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface CreateBookingCommand {
  organisationId: string;
  source: 'web' | 'phone';
  /** The coordinator who took a phone booking; null for the public form. */
  createdBy: string | null;
  input: BookingIntake;
  idempotencyKey: string;
  now: Date;
  /** Synthetic national identity numbers (month + 40/80) are accepted in demo mode only (JRN-1). */
  isDemo: boolean;
  /** Where the booking sits in the caller's input, for field errors ('booking.' for the coordinator's form). */
  fieldPrefix?: string;
  /** The clinic's name for the messages, when the caller has already read it (the public route has). */
  clinicName?: string;
  /** Hashes the number for the booking's `national_id_hmac`, which legal holds and restrictions match (DPO-5). */
  secretBox: SecretBox;
}

export interface CreatedBooking {
  bookingId: string;
  isDuplicate: boolean;
}

/**
 * The public form has no user: its events name the organisation the form belongs to, so the
 * clinic's log (and its DPO) sees every web booking, with nobody as the actor.
 */
export function publicFormActor(organisationId: string): AuditActor {
  return { ...ANONYMOUS_ACTOR, organisationId, displayName: 'public:booking-form' };
}

/**
 * The zone of a postcode (VIS-3: dispatch by postcode, no map): the zone with the longest matching
 * prefix, so "0150" can belong to a narrower zone than "01"; none when no prefix matches.
 */
export async function zoneOfPostcode(trx: Executor, organisationId: string, postcode: string): Promise<string | null> {
  const row = await sql<{ id: string }>`
    select zone.id from visit_zone zone, unnest(zone.postcode_prefixes) as prefix
     where zone.organisation_id = ${organisationId} and starts_with(${postcode}, prefix)
     order by length(prefix) desc, zone.name limit 1`.execute(trx);
  return row.rows[0]?.id ?? null;
}

/** The checks only the server can make: its own clock, and whether this is the demo (VIS-1, JRN-1). */
function checkAgainstServer(command: CreateBookingCommand): { earliestAt: Date; latestAt: Date } {
  const { input, now } = command;
  const prefix = command.fieldPrefix ?? '';
  const earliestAt = new Date(input.earliestAt);
  if (earliestAt.getTime() < now.getTime() - EARLIEST_GRACE_MINUTES * MINUTE_MS) throw fieldError(`${prefix}earliestAt`, 'validation.date_in_past');
  const horizon = now.getTime() + BOOKING_HORIZON_DAYS * DAY_MS;
  if (earliestAt.getTime() > horizon) throw fieldError(`${prefix}earliestAt`, 'validation.date_too_late');
  const latestAt = input.latestAt === null ? new Date(earliestAt.getTime() + LATEST_ARRIVAL_HOURS[input.urgency] * HOUR_MS) : new Date(input.latestAt);
  // A window given by hand ends within the horizon too (one wanted day past it at most).
  if (input.latestAt !== null && latestAt.getTime() > horizon + DAY_MS) throw fieldError(`${prefix}latestAt`, 'validation.date_too_late');
  if (input.nationalId !== null) {
    const parsed = parseNationalIdentityNumber(input.nationalId, { allowSynthetic: command.isDemo });
    if (!parsed.ok) throw fieldError(`${prefix}nationalId`, `validation.nationalIdentityNumber.${parsed.reason}`);
  }
  return { earliestAt, latestAt };
}

/**
 * VIS-1, VIS-2: takes a booking in, from the public form (web) or a coordinator's phone call, in
 * the caller's transaction. A booking is intake data: it never creates a patient (a fake or
 * duplicate web booking must not reach the patient register); linking is a later, audited step.
 *
 * Idempotent per (organisation, key): a retried submission finds the booking the first one made
 * and writes nothing. Race-safe without a lock: the insert skips on the unique index, and a
 * concurrent twin waits for the first transaction, then finds its row.
 */
export async function createBooking(trx: Executor, audit: AuditRecorder, command: CreateBookingCommand): Promise<CreatedBooking> {
  const { organisationId, input, now } = command;
  const { earliestAt, latestAt } = checkAgainstServer(command);
  const zoneId = await zoneOfPostcode(trx, organisationId, input.postcode);
  const action = command.source === 'web' ? 'visit.booking.received' : 'visit.booking.created';
  const actor = command.source === 'web' ? publicFormActor(organisationId) : undefined;

  const inserted = await trx
    .insertInto('home_visit_booking')
    .values({
      organisation_id: organisationId,
      source: command.source,
      idempotency_key: command.idempotencyKey,
      full_name: input.fullName,
      street: input.street,
      postcode: input.postcode,
      city: input.city,
      gender: input.gender,
      date_of_birth: input.dateOfBirth,
      national_id: input.nationalId,
      national_id_hmac: input.nationalId === null ? null : nationalIdHmac(command.secretBox, input.nationalId),
      phone: input.phone,
      email: input.email,
      reason: input.reason,
      urgency: input.urgency,
      earliest_at: earliestAt,
      latest_at: latestAt,
      zone_id: zoneId,
      status: 'requested',
      created_at: now,
      created_by: command.createdBy,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(['organisation_id', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();

  if (!inserted) {
    const existing = await trx
      .selectFrom('home_visit_booking')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('idempotency_key', '=', command.idempotencyKey)
      .executeTakeFirstOrThrow();
    // A coordinator's repeated click still leaves their event (the unit requires one); a web retry leaves none.
    if (command.source === 'phone') audit.record({ action, objectType: 'home_visit_booking', objectId: existing.id, details: { isDuplicate: true } });
    return { bookingId: existing.id, isDuplicate: true };
  }

  const bookingId = inserted.id;
  await trx
    .insertInto('booking_status_change')
    .values({ organisation_id: organisationId, booking_id: bookingId, from_status: null, to_status: 'requested', doctor_id: null, changed_by: command.createdBy, is_automatic: false, reason: null, changed_at: now })
    .execute();
  const clinicName = command.clinicName ?? (await trx.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow()).name;
  const messages = await enqueueBookingMessages(trx, { organisationId, clinicName, input, earliestAt, latestAt, now });
  await publishChange(trx, { organisationId, topic: 'visits', ids: [bookingId] });
  // Codes and ids only: the name, address and reason stay in the booking (AUD-2).
  audit.record({
    action,
    ...(actor ? { actor } : {}),
    objectType: 'home_visit_booking',
    objectId: bookingId,
    details: { urgency: input.urgency, source: command.source, zoneId, doctorsNotified: messages.doctorsNotified },
  });
  return { bookingId, isDuplicate: false };
}
