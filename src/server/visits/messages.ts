import { formatCalendarDate, formatDateTime } from '../../shared/oslo-time';
import type { Executor } from '../db/database';
import { enqueueMessages, type OutgoingMessage } from '../outbox/outbox';
import type { BookingIntake } from './intake';

/**
 * VIS-2, PLAT-7: what a new booking sends, all through the outbox in the booking's transaction.
 * - SMS to the number given: an echo of exactly what the person typed (PLAT-7 allows that and
 *   nothing more: no zone, no doctor, nothing the clinic added), so a mistake is seen at once.
 * - E-mail, when given: receipt only. An inbox is read on shared screens and synced to clouds, so
 *   it carries no name, address, reason or time.
 * - Notifier, one per doctor on duty: "a new visit is waiting". No booking details at all, not even
 *   the postcode: a lock screen shows it. The doctor logs in to see the rest.
 */
export const BOOKING_MESSAGE_TEMPLATES = {
  sms: 'visit.booking_echo.sms',
  email: 'visit.booking_receipt.email',
  notifier: 'visit.new_booking.notifier',
} as const;

const GENDER_NB: Record<BookingIntake['gender'], string> = { female: 'kvinne', male: 'mann', other: 'annet', unknown: 'ikke oppgitt' };
const URGENCY_NB: Record<BookingIntake['urgency'], string> = { normal: 'vanlig', urgent: 'haster' };

/** The SMS echo, in Norwegian (the patient's language on the public form), times in Oslo. */
export function bookingEchoSms(clinicName: string, input: BookingIntake, window: { earliestAt: Date; latestAt: Date }): string {
  const lines = [
    `${clinicName}: vi har mottatt bestillingen av hjemmebesøk.`,
    `Navn: ${input.fullName}`,
    `Adresse: ${input.street}, ${input.postcode} ${input.city}`,
    `Kjønn: ${GENDER_NB[input.gender]}`,
    `Fødselsdato: ${formatCalendarDate(input.dateOfBirth)}`,
    `Telefon: ${input.phone}`,
    ...(input.email ? [`E-post: ${input.email}`] : []),
    `Hastegrad: ${URGENCY_NB[input.urgency]}`,
    `Ønsket tid: ${formatDateTime(window.earliestAt)}–${formatDateTime(window.latestAt)}`,
    `Årsak: ${input.reason}`,
    'Er noe feil? Ring oss, så retter vi det. Svar ikke på denne SMS-en.',
  ];
  return lines.join('\n');
}

export function bookingReceiptEmail(clinicName: string): { subject: string; body: string } {
  return {
    subject: `${clinicName}: bestillingen er mottatt`,
    body: [
      'Vi har mottatt bestillingen din av hjemmebesøk.',
      'Detaljene står i SMS-en vi har sendt til telefonnummeret i bestillingen. Er noe feil, ring oss.',
      '',
      `Hilsen ${clinicName}`,
    ].join('\n'),
  };
}

export const NEW_VISIT_NOTIFICATION = 'Et nytt hjemmebesøk venter. Logg inn for å se det.';

/**
 * Doctors on duty for a booking: a shift covering now, or one starting within the wanted window.
 * Active accounts only: a deactivated doctor's shift still in the plan is no one to notify.
 */
export async function doctorsOnDutyFor(trx: Executor, organisationId: string, window: { earliestAt: Date; latestAt: Date; now: Date }): Promise<string[]> {
  const rows = await trx
    .selectFrom('doctor_shift')
    .innerJoin('app_user', (join) => join.onRef('app_user.id', '=', 'doctor_shift.doctor_id').onRef('app_user.organisation_id', '=', 'doctor_shift.organisation_id'))
    .select('doctor_shift.doctor_id')
    .distinct()
    .where('doctor_shift.organisation_id', '=', organisationId)
    .where('app_user.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.and([eb('doctor_shift.starts_at', '<=', window.now), eb('doctor_shift.ends_at', '>', window.now)]),
        eb.and([eb('doctor_shift.starts_at', '>=', window.earliestAt), eb('doctor_shift.starts_at', '<=', window.latestAt)]),
      ]),
    )
    .orderBy('doctor_shift.doctor_id')
    .execute();
  return rows.map((row) => row.doctor_id);
}

export async function enqueueBookingMessages(
  trx: Executor,
  booking: { organisationId: string; clinicName: string; input: BookingIntake; earliestAt: Date; latestAt: Date; now: Date },
): Promise<{ doctorsNotified: number }> {
  const { organisationId, input, clinicName } = booking;
  const messages: OutgoingMessage[] = [{ organisationId, channel: 'sms', recipient: input.phone, template: BOOKING_MESSAGE_TEMPLATES.sms, body: bookingEchoSms(clinicName, input, booking) }];
  if (input.email) {
    const email = bookingReceiptEmail(clinicName);
    messages.push({ organisationId, channel: 'email', recipient: input.email, template: BOOKING_MESSAGE_TEMPLATES.email, subject: email.subject, body: email.body });
  }
  const doctors = await doctorsOnDutyFor(trx, organisationId, booking);
  for (const doctorId of doctors) {
    messages.push({ organisationId, channel: 'notifier', recipient: `user:${doctorId}`, template: BOOKING_MESSAGE_TEMPLATES.notifier, body: NEW_VISIT_NOTIFICATION });
  }
  // One statement for all of them: intake is the public route a flood aims at (npm run bench -- --only=intake).
  await enqueueMessages(trx, messages);
  return { doctorsNotified: doctors.length };
}
