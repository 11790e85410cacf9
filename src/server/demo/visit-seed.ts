import type { AuditAction } from '../audit/actions';
import { type AuditActor, writeAuditEvent } from '../audit/record';
import type { Executor } from '../db/database';
import type { BookingStatus } from '../db/schema';

interface DemoVisitPeople {
  organisationId: string;
  lege: string;
  koordinator: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The public form's key of the demo clinic: `POST /public/home-visit-bookings` with `"clinic": "demo"`. */
export const DEMO_BOOKING_FORM_KEY = 'demo';

type Step = { to: BookingStatus; minutesAgo: number; by: 'koordinator' | 'lege' | null; reason?: string };

interface DemoBooking {
  source: 'web' | 'phone';
  fullName: string;
  street: string;
  postcode: string;
  city: string;
  gender: 'female' | 'male';
  dateOfBirth: string;
  phone: string;
  email: string | null;
  reason: string;
  urgency: 'normal' | 'urgent';
  /** The wanted window, in hours from the seeding moment. */
  earliestInHours: number;
  windowHours: number;
  steps: Step[];
  etaInMinutes?: number;
  cancelReason?: 'patient_cancelled';
}

/**
 * VIS-1…3 demo data: zones by postcode, Lars Lege on shift today, and a day of bookings in every
 * status with their timelines, relative to the moment of seeding (like the consultation seed), so
 * the board and Lars's visits are never empty or stale. Names, addresses and numbers are made up;
 * no national identity numbers (a web booking rarely has one). None is linked to a patient except
 * the finished visit to Åse Ødegård three days ago, documented by the home-visit note Lars signed
 * then; so the demo's journal access cases stay as they were.
 */
export async function seedDemoVisits(trx: Executor, people: DemoVisitPeople, now: Date): Promise<void> {
  const organisationId = people.organisationId;
  await trx.updateTable('organisation').set({ booking_form_key: DEMO_BOOKING_FORM_KEY }).where('id', '=', organisationId).execute();
  const zones = await trx
    .insertInto('visit_zone')
    .values([
      { organisation_id: organisationId, name: 'Oslo sentrum', postcode_prefixes: ['01', '02', '03', '04', '05'] },
      { organisation_id: organisationId, name: 'Oslo øst', postcode_prefixes: ['06', '09', '10'] },
      { organisation_id: organisationId, name: 'Bærum', postcode_prefixes: ['13'] },
    ])
    .returning(['id', 'postcode_prefixes'])
    .execute();
  const zoneOf = (postcode: string) => zones.find((zone) => zone.postcode_prefixes.some((prefix) => postcode.startsWith(prefix)))?.id ?? null;
  const sentrum = zoneOf('0150');
  await trx
    .insertInto('doctor_shift')
    .values({ organisation_id: organisationId, doctor_id: people.lege, zone_id: sentrum, starts_at: new Date(now.getTime() - 4 * HOUR_MS), ends_at: new Date(now.getTime() + 8 * HOUR_MS), visit_cap: 8 })
    .execute();

  const names = await trx.selectFrom('app_user').select(['id', 'display_name', 'profession']).where('id', 'in', [people.lege, people.koordinator]).execute();
  const actorOf = (userId: string | null, roles: string[]): AuditActor => {
    const user = names.find((candidate) => candidate.id === userId);
    return { organisationId, userId, displayName: user?.display_name ?? 'public:booking-form', roles, profession: user?.profession ?? null, sessionId: null, authMethod: userId ? 'password+totp' : null, deviceId: null };
  };
  const actors = { koordinator: actorOf(people.koordinator, ['coordinator']), lege: actorOf(people.lege, ['clinician']), web: actorOf(null, []) };

  const today: DemoBooking[] = [
    { source: 'web', fullName: 'Synnøve Lunde', street: 'Trondheimsveien 112', postcode: '0565', city: 'Oslo', gender: 'female', dateOfBirth: '1948-04-12', phone: '+4790011223', email: 'synnove.lunde@eksempel.no', reason: 'Høy feber siden i går, svimmel når hun reiser seg.', urgency: 'urgent', earliestInHours: 0.5, windowHours: 2, steps: [{ to: 'requested', minutesAgo: 12, by: null }] },
    { source: 'phone', fullName: 'Arne Bakke', street: 'Tvetenveien 30', postcode: '0666', city: 'Oslo', gender: 'male', dateOfBirth: '1939-09-02', phone: '+4741122334', email: null, reason: 'Trenger fornyet resept og kontroll av sår på leggen.', urgency: 'normal', earliestInHours: 2, windowHours: 6, steps: [{ to: 'requested', minutesAgo: 40, by: 'koordinator' }] },
    { source: 'web', fullName: 'Maja Strand', street: 'Sandviksveien 14', postcode: '1337', city: 'Sandvika', gender: 'female', dateOfBirth: '2019-02-20', phone: '+4792233445', email: 'foreldre.strand@eksempel.no', reason: 'Barn med øreverk og feber, vil ikke spise.', urgency: 'normal', earliestInHours: 3, windowHours: 8, steps: [{ to: 'requested', minutesAgo: 25, by: null }] },
    {
      source: 'phone', fullName: 'Jon Eriksen', street: 'Thorvald Meyers gate 40', postcode: '0555', city: 'Oslo', gender: 'male', dateOfBirth: '1972-11-30', phone: '+4748899001', email: null, reason: 'Kraftige ryggsmerter etter løft, kommer seg ikke ut.', urgency: 'normal', earliestInHours: 1, windowHours: 6,
      steps: [{ to: 'requested', minutesAgo: 95, by: 'koordinator' }, { to: 'assigned', minutesAgo: 6, by: 'koordinator' }],
    },
    {
      source: 'web', fullName: 'Liv Haugen', street: 'Bogstadveien 51', postcode: '0366', city: 'Oslo', gender: 'female', dateOfBirth: '1990-06-08', phone: '+4793344556', email: 'liv.haugen@eksempel.no', reason: 'Oppkast og diaré i to døgn, orker ikke drikke.', urgency: 'urgent', earliestInHours: -0.5, windowHours: 2, etaInMinutes: 20,
      steps: [{ to: 'requested', minutesAgo: 80, by: null }, { to: 'assigned', minutesAgo: 60, by: 'koordinator' }, { to: 'en_route', minutesAgo: 10, by: 'lege' }],
    },
    {
      source: 'phone', fullName: 'Knut Solheim', street: 'Kirkeveien 70', postcode: '0364', city: 'Oslo', gender: 'male', dateOfBirth: '1955-01-17', phone: '+4740055667', email: null, reason: 'Tung pust og hoste, kjent KOLS.', urgency: 'urgent', earliestInHours: -1.5, windowHours: 2, etaInMinutes: -30,
      steps: [{ to: 'requested', minutesAgo: 150, by: 'koordinator' }, { to: 'assigned', minutesAgo: 130, by: 'koordinator' }, { to: 'en_route', minutesAgo: 60, by: 'lege' }, { to: 'arrived', minutesAgo: 25, by: 'lege' }],
    },
    {
      source: 'web', fullName: 'Eva Moen', street: 'Grønlandsleiret 9', postcode: '0190', city: 'Oslo', gender: 'female', dateOfBirth: '1983-03-03', phone: '+4795566778', email: 'eva.moen@eksempel.no', reason: 'Halsbetennelse, vondt å svelge.', urgency: 'normal', earliestInHours: 1, windowHours: 8, cancelReason: 'patient_cancelled',
      steps: [{ to: 'requested', minutesAgo: 180, by: null }, { to: 'cancelled', minutesAgo: 120, by: 'koordinator', reason: 'patient_cancelled' }],
    },
  ];

  for (const [index, booking] of today.entries()) await insertBooking(trx, { organisationId, index, booking, now, zoneId: zoneOf(booking.postcode), people, actors });

  // The finished visit: Åse Ødegård three days ago, documented by the home-visit note Lars signed then.
  const documentation = await trx
    .selectFrom('journal_note')
    .innerJoin('patient', 'patient.id', 'journal_note.patient_id')
    .select(['journal_note.id', 'journal_note.patient_id', 'journal_note.created_at'])
    .where('journal_note.organisation_id', '=', organisationId)
    .where('journal_note.note_type', '=', 'home_visit')
    .where('patient.family_name', '=', 'Ødegård')
    .executeTakeFirstOrThrow();
  const completedAt = documentation.created_at;
  const minutesAgo = (now.getTime() - completedAt.getTime()) / MINUTE_MS;
  await insertBooking(trx, {
    organisationId,
    index: today.length,
    now,
    zoneId: null,
    people,
    actors,
    patientId: documentation.patient_id,
    documentationNoteId: documentation.id,
    booking: {
      source: 'phone', fullName: 'Åse Ødegård', street: 'Bakkeveien 3', postcode: '9008', city: 'Tromsø', gender: 'female', dateOfBirth: '1951-01-30', phone: '+4791000004', email: null, reason: 'Svimmel når hun reiser seg, falt i går.', urgency: 'normal',
      earliestInHours: -minutesAgo / 60 - 3, windowHours: 6, etaInMinutes: -minutesAgo - 100,
      steps: [
        { to: 'requested', minutesAgo: minutesAgo + 240, by: 'koordinator' },
        { to: 'assigned', minutesAgo: minutesAgo + 200, by: 'koordinator' },
        { to: 'en_route', minutesAgo: minutesAgo + 120, by: 'lege' },
        { to: 'arrived', minutesAgo: minutesAgo + 90, by: 'lege' },
        { to: 'completed', minutesAgo, by: 'lege' },
      ],
    },
  });
}

const ACTION_OF: Record<BookingStatus, AuditAction> = {
  requested: 'visit.booking.created',
  assigned: 'visit.booking.assigned',
  en_route: 'visit.booking.en_route',
  arrived: 'visit.booking.arrived',
  completed: 'visit.booking.completed',
  cancelled: 'visit.booking.cancelled',
};

async function insertBooking(
  trx: Executor,
  seed: {
    organisationId: string;
    index: number;
    booking: DemoBooking;
    now: Date;
    zoneId: string | null;
    people: DemoVisitPeople;
    actors: Record<'koordinator' | 'lege' | 'web', AuditActor>;
    patientId?: string;
    documentationNoteId?: string;
  },
): Promise<void> {
  const { booking, now, organisationId, people } = seed;
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE_MS);
  const stepAt = (status: BookingStatus) => {
    const step = booking.steps.find((candidate) => candidate.to === status);
    return step ? ago(step.minutesAgo) : null;
  };
  const last = booking.steps[booking.steps.length - 1]!;
  const earliestAt = new Date(now.getTime() + booking.earliestInHours * HOUR_MS);
  const assignedAt = stepAt('assigned');
  const hasDoctor = assignedAt !== null && last.to !== 'cancelled';
  const row = await trx
    .insertInto('home_visit_booking')
    .values({
      organisation_id: organisationId,
      source: booking.source,
      idempotency_key: `demo-seed-booking-${seed.index + 1}`,
      full_name: booking.fullName,
      street: booking.street,
      postcode: booking.postcode,
      city: booking.city,
      gender: booking.gender,
      date_of_birth: booking.dateOfBirth,
      national_id: null,
      phone: booking.phone,
      email: booking.email,
      reason: booking.reason,
      urgency: booking.urgency,
      earliest_at: earliestAt,
      latest_at: new Date(earliestAt.getTime() + booking.windowHours * HOUR_MS),
      zone_id: seed.zoneId,
      status: last.to,
      doctor_id: hasDoctor ? people.lege : null,
      assigned_at: hasDoctor ? assignedAt : null,
      // The doctor accepted a few minutes after each assignment that went on (en route or further).
      accepted_at: hasDoctor && stepAt('en_route') ? new Date(assignedAt.getTime() + 4 * MINUTE_MS) : null,
      eta: booking.etaInMinutes === undefined ? null : new Date(now.getTime() + booking.etaInMinutes * MINUTE_MS),
      en_route_at: stepAt('en_route'),
      arrived_at: stepAt('arrived'),
      completed_at: stepAt('completed'),
      cancelled_at: stepAt('cancelled'),
      cancel_reason: booking.cancelReason ?? null,
      patient_id: seed.patientId ?? null,
      documentation_note_id: seed.documentationNoteId ?? null,
      version: booking.steps.length,
      created_at: ago(booking.steps[0]!.minutesAgo),
      created_by: booking.source === 'phone' ? people.koordinator : null,
      updated_at: ago(last.minutesAgo),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  let from: BookingStatus | null = null;
  for (const step of booking.steps) {
    const at = ago(step.minutesAgo);
    const userId = step.by === null ? null : step.by === 'lege' ? people.lege : people.koordinator;
    await trx
      .insertInto('booking_status_change')
      .values({ organisation_id: organisationId, booking_id: row.id, from_status: from, to_status: step.to, doctor_id: ['requested', 'cancelled'].includes(step.to) ? null : people.lege, changed_by: userId, is_automatic: false, reason: step.reason ?? null, changed_at: at })
      .execute();
    // The log holds what the board shows happened, with codes only (AUD-1, AUD-2).
    const action = step.to === 'requested' && booking.source === 'web' ? 'visit.booking.received' : ACTION_OF[step.to];
    const actor = step.by === null ? seed.actors.web : seed.actors[step.by];
    await writeAuditEvent(
      trx,
      actor,
      { action, objectType: 'home_visit_booking', objectId: row.id, ...(seed.patientId && step.to !== 'requested' ? { patientId: seed.patientId } : {}), details: step.to === 'requested' ? { urgency: booking.urgency, source: booking.source, zoneId: seed.zoneId } : step.reason ? { reason: step.reason } : {} },
      { now: at, clientIp: undefined },
    );
    from = step.to;
  }
}
