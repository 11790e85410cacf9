import { describe, expect, it } from 'vitest';
import { runAuditedUnit } from '../../../src/server/audit/unit-of-work';
import { ANONYMOUS_ACTOR } from '../../../src/server/audit/record';
import { syntheticNationalId } from '../../../src/server/demo/journal-seed';
import { createBooking } from '../../../src/server/visits/intake';
import { NEW_VISIT_NOTIFICATION } from '../../../src/server/visits/messages';
import { deliverPendingMessages, DevelopmentMailbox, developmentProvider } from '../../../src/server/outbox/outbox';
import { bookingIntakeSchema, type BookingIntakeInput } from '../../../src/shared/visit-schemas';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import { createTestCaller, testSecretBox } from '../support/test-server';
import { submittedValues, validBooking, visitClinic } from './visit-fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

async function setting(database: TestDatabase, options: { isDemo?: boolean } = {}) {
  const clock = new TestClock();
  const clinic = await visitClinic(database.db, clock.now());
  const { token } = await login(database, clinic.coordinator, clock);
  const coordinator = createTestCaller(database, { now: clock.now, config: { isDemo: options.isDemo ?? false } }, { bearerToken: token });
  let keys = 0;
  const create = (booking: BookingIntakeInput, idempotencyKey = `phone-booking-${++keys}-${Math.random().toString(36).slice(2)}`) => coordinator.visits.create({ booking, idempotencyKey });
  return { clock, clinic, coordinator, create };
}

async function counts(database: TestDatabase) {
  const count = async (table: 'home_visit_booking' | 'booking_status_change' | 'outbox_message' | 'patient') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { bookings: await count('home_visit_booking'), changes: await count('booking_status_change'), messages: await count('outbox_message'), patients: await count('patient') };
}

/** A web booking as the public route makes it, in its own transaction (for the concurrency test). */
function webBooking(database: TestDatabase, organisationId: string, booking: BookingIntakeInput, idempotencyKey: string, now: Date) {
  return runAuditedUnit(
    { db: database.db, actor: ANONYMOUS_ACTOR, actions: ['visit.booking.received'], mode: 'write', now, clientIp: undefined, origin: 'test', isEventRequired: false },
    ({ trx, audit }) => createBooking(trx, audit, { organisationId, source: 'web', createdBy: null, input: bookingIntakeSchema.parse(booking), idempotencyKey, now, isDemo: false, secretBox: testSecretBox }),
  );
}

describe('home-visit intake (VIS-1, VIS-2)', () => {
  const database = useTestDatabase();

  it('VIS-1: a coordinator\'s phone booking is stored as typed, requested, in its zone, with its timeline and a coded event; no patient is made', async () => {
    const { clock, clinic, create } = await setting(database.current);
    const before = await counts(database.current);
    const booking = validBooking(clock.now(), { postcode: '0191', urgency: 'urgent' });
    const result = await create(booking);
    expect(result.isDuplicate).toBe(false);
    const row = await database.current.db.selectFrom('home_visit_booking').selectAll().where('id', '=', result.bookingId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      organisation_id: clinic.organisation.id,
      source: 'phone',
      full_name: 'Kari Nordmann',
      street: 'Storgata 17B',
      postcode: '0191',
      city: 'Oslo',
      gender: 'female',
      phone: '+4791234567',
      email: 'kari.nordmann@eksempel.no',
      reason: 'Feber og hoste i tre dager',
      urgency: 'urgent',
      // The longest prefix wins: 019 (Gamle Oslo) over 01 (sentrum).
      zone_id: clinic.zones.gamleOslo,
      status: 'requested',
      doctor_id: null,
      patient_id: null,
      created_by: clinic.coordinator.id,
      version: 1,
    });
    // Urgent: the latest acceptable arrival is two hours after the earliest (LATEST_ARRIVAL_HOURS).
    expect(row.latest_at.getTime() - row.earliest_at.getTime()).toBe(2 * HOUR);
    const timeline = await database.current.db.selectFrom('booking_status_change').selectAll().where('booking_id', '=', result.bookingId).execute();
    expect(timeline).toEqual([expect.objectContaining({ from_status: null, to_status: 'requested', changed_by: clinic.coordinator.id, is_automatic: false })]);
    expect((await counts(database.current)).patients).toBe(before.patients);
    const events = await eventsOf(database.current.db, { action: 'visit.booking.created' });
    expect(events).toEqual([expect.objectContaining({ organisation_id: clinic.organisation.id, user_id: clinic.coordinator.id, object_type: 'home_visit_booking', object_id: result.bookingId, outcome: 'allowed', patient_id: null })]);
    expect(events[0]!.details).toEqual({ urgency: 'urgent', source: 'phone', zoneId: clinic.zones.gamleOslo, doctorsNotified: 2 });
  });

  it('VIS-1: a normal booking gets eight hours; a postcode outside every zone has none; a latest time given is kept', async () => {
    const { clock, create } = await setting(database.current);
    const derived = await create(validBooking(clock.now(), { postcode: '5003', city: 'Bergen' }));
    const given = await create(validBooking(clock.now(), { latestAt: new Date(clock.now().getTime() + 3 * HOUR).toISOString() }));
    const rows = await database.current.db.selectFrom('home_visit_booking').select(['id', 'zone_id', 'earliest_at', 'latest_at']).execute();
    const derivedRow = rows.find((row) => row.id === derived.bookingId)!;
    expect(derivedRow.zone_id).toBeNull();
    expect(derivedRow.latest_at.getTime() - derivedRow.earliest_at.getTime()).toBe(8 * HOUR);
    expect(rows.find((row) => row.id === given.bookingId)!.latest_at.getTime()).toBe(clock.now().getTime() + 3 * HOUR);
  });

  const now = new TestClock().now();
  const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const invalidFields: [string, Partial<Record<keyof BookingIntakeInput, unknown>>, string, string | null][] = [
    ['empty name', { fullName: '' }, 'fullName', null],
    ['name too long', { fullName: 'x'.repeat(201) }, 'fullName', null],
    ['name with a control character', { fullName: 'Kari\u0000Nordmann' }, 'fullName', 'validation.text_control'],
    ['empty street', { street: '' }, 'street', null],
    ['empty city', { city: '' }, 'city', null],
    ['postcode of three digits', { postcode: '155' }, 'postcode', 'validation.postcode'],
    ['postcode with letters', { postcode: 'N-0155' }, 'postcode', 'validation.postcode'],
    ['unknown gender', { gender: 'kvinne' }, 'gender', null],
    ['date of birth in the future', { dateOfBirth: '2030-01-01' }, 'dateOfBirth', null],
    ['date of birth not a date', { dateOfBirth: '15.07.1965' }, 'dateOfBirth', 'validation.date'],
    ['no phone', { phone: '' }, 'phone', 'validation.required'],
    ['a landline', { phone: '22 33 44 55' }, 'phone', 'validation.mobile_phone'],
    ['a landline with +47', { phone: '+47 22 33 44 55' }, 'phone', 'validation.mobile_phone'],
    ['a Norwegian mobile with a digit too many', { phone: '912 34 5678' }, 'phone', 'validation.mobile_phone'],
    ['letters for a phone', { phone: 'ring meg' }, 'phone', 'validation.mobile_phone'],
    ['an e-mail without a domain', { email: 'kari@' }, 'email', 'validation.email'],
    ['empty reason', { reason: '' }, 'reason', null],
    ['reason too long', { reason: 'x'.repeat(1001) }, 'reason', null],
    ['unknown urgency', { urgency: 'asap' }, 'urgency', null],
    ['earliest not an instant', { earliestAt: 'i morgen' }, 'earliestAt', 'validation.date'],
    ['earliest an hour ago (server clock)', { earliestAt: iso(-HOUR) }, 'earliestAt', 'validation.date_in_past'],
    ['earliest beyond the horizon (server clock)', { earliestAt: iso(15 * DAY) }, 'earliestAt', 'validation.date_too_late'],
    ['latest before earliest', { latestAt: iso(30 * MINUTE) }, 'latestAt', 'validation.latest_before_earliest'],
    ['latest beyond the horizon (server clock)', { latestAt: iso(16 * DAY) }, 'latestAt', 'validation.date_too_late'],
    ['fødselsnummer with a wrong check digit', { nationalId: '15076500051' }, 'nationalId', 'validation.nationalIdentityNumber.checksum'],
    ['fødselsnummer of ten digits', { nationalId: '1507650005' }, 'nationalId', 'validation.nationalIdentityNumber.format'],
    ['fødselsnummer disagreeing with the date of birth', { nationalId: '15076500050', dateOfBirth: '1965-07-16' }, 'dateOfBirth', 'validation.dateOfBirth_contradicts_number'],
    ['fødselsnummer disagreeing with the gender', { nationalId: '15076500050', gender: 'male' }, 'gender', 'validation.gender_contradicts_number'],
    ['a synthetic fødselsnummer outside the demo', { nationalId: syntheticNationalId('1965-07-15', 1, 'female') }, 'nationalId', 'validation.nationalIdentityNumber.synthetic_not_allowed'],
    ['a field the form does not have', { patientId: 'x' } as never, '', 'validation.unrecognized_keys'],
  ];

  it('VIS-1, PLAT-6: every invalid field is a field error naming the field, and nothing is stored', async () => {
    const { clock, create } = await setting(database.current);
    const before = await counts(database.current);
    for (const [label, change, field, messageKey] of invalidFields) {
      const error = await errorOf(create({ ...validBooking(clock.now()), ...change } as BookingIntakeInput));
      const fieldErrors = fieldErrorsFrom(error);
      expect(fieldErrors.map((entry) => entry.field), label).toContain(field === '' ? 'booking' : `booking.${field}`);
      if (messageKey) expect(fieldErrors, label).toContainEqual(expect.objectContaining({ messageKey }));
      expect(await counts(database.current), label).toEqual(before);
    }
    expect(await eventsOf(database.current.db, { action: 'visit.booking.created' })).toEqual([]);
    // The table is no wider than the form: each field of the form has at least one refusal above.
    const covered = new Set(invalidFields.map(([, change]) => Object.keys(change)).flat());
    for (const field of Object.keys(validBooking(clock.now()))) expect(covered, field).toContain(field);
  });

  it('VIS-1, PLAT-6: a bad idempotency key is refused', async () => {
    const { clock, create } = await setting(database.current);
    const error = await errorOf(create(validBooking(clock.now()), 'kort'));
    expect(fieldErrorsFrom(error)).toEqual([expect.objectContaining({ field: 'idempotencyKey', messageKey: 'validation.idempotency_key' })]);
    expect((await counts(database.current)).bookings).toBe(0);
  });

  it('VIS-1: phone numbers in the forms people type them are stored as E.164', async () => {
    const { clock, create } = await setting(database.current);
    const typed: [string, string][] = [
      ['+47 912 34 567', '+4791234567'],
      ['0047 912 34 567', '+4791234567'],
      ['91234567', '+4791234567'],
      ['412-34-567', '+4741234567'],
      ['+46 70 123 45 67', '+46701234567'],
      ['0044 7700 900123', '+447700900123'],
    ];
    for (const [phone, stored] of typed) {
      const { bookingId } = await create(validBooking(clock.now(), { phone }));
      const row = await database.current.db.selectFrom('home_visit_booking').select('phone').where('id', '=', bookingId).executeTakeFirstOrThrow();
      expect(row.phone, phone).toBe(stored);
    }
  });

  it('VIS-1, JRN-1: a fødselsnummer that agrees is kept; a synthetic one only in the demo; an empty e-mail is none', async () => {
    const { clock, create } = await setting(database.current);
    const { bookingId } = await create(validBooking(clock.now(), { nationalId: '150765 00050', email: '' }));
    expect(await database.current.db.selectFrom('home_visit_booking').select(['national_id', 'email']).where('id', '=', bookingId).executeTakeFirstOrThrow()).toEqual({ national_id: '15076500050', email: null });
    // No e-mail given: no e-mail message.
    expect((await database.current.db.selectFrom('outbox_message').select('channel').execute()).map((row) => row.channel)).not.toContain('email');

    const demo = await setting(database.current, { isDemo: true });
    const synthetic = syntheticNationalId('1965-07-15', 1, 'female');
    const demoBooking = await demo.create(validBooking(demo.clock.now(), { nationalId: synthetic }));
    expect((await database.current.db.selectFrom('home_visit_booking').select('national_id').where('id', '=', demoBooking.bookingId).executeTakeFirstOrThrow()).national_id).toBe(synthetic);
  });

  it('VIS-1: the same idempotency key twice is one booking, one set of messages; another organisation\'s key is its own', async () => {
    const { clock, clinic, create } = await setting(database.current);
    const booking = validBooking(clock.now());
    const first = await create(booking, 'same-key-0001');
    const before = await counts(database.current);
    const second = await create(booking, 'same-key-0001');
    expect(second).toEqual({ bookingId: first.bookingId, isDuplicate: true });
    expect(await counts(database.current)).toEqual(before);
    const events = await eventsOf(database.current.db, { action: 'visit.booking.created' });
    expect(events.map((event) => [event.object_id, event.details])).toEqual([
      [first.bookingId, expect.objectContaining({ source: 'phone' })],
      [first.bookingId, { isDuplicate: true }],
    ]);

    // The key is per organisation: another clinic's booking with the same key is a booking of its own.
    const other = await createOrganisation(database.current.db);
    const elsewhere = await webBooking(database.current, other.id, booking, 'same-key-0001', clock.now());
    expect(elsewhere.isDuplicate).toBe(false);
    expect(elsewhere.bookingId).not.toBe(first.bookingId);
    expect(clinic.organisation.id).not.toBe(other.id);
  });

  it('VIS-1: concurrent submissions with one key make one booking', async () => {
    const { clock, clinic } = await setting(database.current);
    const booking = validBooking(clock.now());
    const results = await Promise.all(Array.from({ length: 6 }, () => webBooking(database.current, clinic.organisation.id, booking, 'raced-key-0001', clock.now())));
    expect(new Set(results.map((result) => result.bookingId)).size).toBe(1);
    expect(results.filter((result) => !result.isDuplicate)).toHaveLength(1);
    const after = await counts(database.current);
    expect(after).toMatchObject({ bookings: 1, changes: 1 });
    expect(await database.current.db.selectFrom('outbox_message').select('channel').where('channel', '=', 'sms').execute()).toHaveLength(1);
    expect(await eventsOf(database.current.db, { action: 'visit.booking.received' })).toHaveLength(1);
  });

  it('VIS-2, PLAT-7: the SMS echoes exactly what was submitted; the e-mail and every notification hold none of it; doctors on duty only', async () => {
    const { clock, clinic, create } = await setting(database.current);
    const booking = validBooking(clock.now(), { nationalId: '15076500050', latestAt: new Date(clock.now().getTime() + 4 * HOUR).toISOString() });
    const { bookingId } = await create(booking);
    const messages = await database.current.db.selectFrom('outbox_message').selectAll().orderBy('created_at').execute();
    expect(messages.map((message) => message.channel).sort()).toEqual(['email', 'notifier', 'notifier', 'sms']);

    const sms = messages.find((message) => message.channel === 'sms')!;
    expect(sms).toMatchObject({ organisation_id: clinic.organisation.id, recipient: '+4791234567', template: 'visit.booking_echo.sms' });
    // 10:00:30–13:00:30 UTC is 11:00–14:00 in Oslo (UTC+1 in November): the window as the person reads it.
    expect(sms.body).toBe(
      [
        `${clinic.organisation.name}: vi har mottatt bestillingen av hjemmebesøk.`,
        'Navn: Kari Nordmann',
        'Adresse: Storgata 17B, 0155 Oslo',
        'Kjønn: kvinne',
        'Fødselsdato: 15.07.1965',
        'Telefon: +4791234567',
        'E-post: kari.nordmann@eksempel.no',
        'Hastegrad: vanlig',
        'Ønsket tid: 22.11.2026 11:00–22.11.2026 14:00',
        'Årsak: Feber og hoste i tre dager',
        'Er noe feil? Ring oss, så retter vi det. Svar ikke på denne SMS-en.',
      ].join('\n'),
    );
    // PLAT-7: only what the person typed — not the fødselsnummer (the form's, but not echoed), no zone, no id.
    expect(sms.body).not.toContain('15076500050');
    expect(sms.body).not.toContain(bookingId);

    const secrets = submittedValues(booking);
    for (const message of messages.filter((candidate) => candidate.channel !== 'sms')) {
      const visible = `${message.subject ?? ''}\n${message.body}\n${message.template}`;
      for (const value of secrets) expect(visible, `${message.channel} holds "${value}"`).not.toContain(value);
      expect(visible).not.toContain(bookingId);
      expect(visible).not.toMatch(/\d{2}:\d{2}/);
    }
    const email = messages.find((message) => message.channel === 'email')!;
    expect(email).toMatchObject({ recipient: 'kari.nordmann@eksempel.no', template: 'visit.booking_receipt.email' });
    const notifications = messages.filter((message) => message.channel === 'notifier');
    // On shift now, and starting within the window (12:00 UTC ≤ 13:00:30); never the doctor whose shift has ended.
    expect(notifications.map((message) => message.recipient).sort()).toEqual([`user:${clinic.doctors.onShift.id}`, `user:${clinic.doctors.later.id}`].sort());
    for (const notification of notifications) expect(notification).toMatchObject({ body: NEW_VISIT_NOTIFICATION, template: 'visit.new_booking.notifier', subject: null });

    // Delivery: a channel without a provider here stays pending; the development provider takes 'notifier' too.
    const mailbox = new DevelopmentMailbox();
    const provider = developmentProvider(mailbox);
    expect(await deliverPendingMessages(database.current.db, { sms: provider })).toBe(1);
    expect(await deliverPendingMessages(database.current.db, { sms: provider, email: provider, notifier: provider })).toBe(3);
    expect(mailbox.of(clinic.organisation.id).map((message) => message.channel).sort()).toEqual(['email', 'notifier', 'notifier', 'sms']);
    expect(await database.current.db.selectFrom('outbox_message').select('status').where('status', '<>', 'sent').execute()).toEqual([]);
  });

  it('VIS-2: a doctor whose shift starts after the wanted window is not told', async () => {
    const { clock, clinic, create } = await setting(database.current);
    // Window 10:00–11:00 UTC: the later doctor starts at 12:00.
    await create(validBooking(clock.now(), { latestAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString() }));
    const recipients = await database.current.db.selectFrom('outbox_message').select('recipient').where('channel', '=', 'notifier').execute();
    expect(recipients.map((row) => row.recipient)).toEqual([`user:${clinic.doctors.onShift.id}`]);
  });

  it('AUD-2, PLAT-7: no event and no log row of an intake holds what the person typed', async () => {
    const { clock, clinic, create } = await setting(database.current);
    const booking = validBooking(clock.now(), { nationalId: '15076500050' });
    await create(booking);
    await webBooking(database.current, clinic.organisation.id, validBooking(clock.now(), { nationalId: '15076500050' }), 'web-key-00001', clock.now());
    // A refused one too: its event (none) and its error carry nothing either.
    const refused = await errorOf(create({ ...booking, phone: '22 33 44 55' }));
    const secrets = submittedValues(booking);
    for (const value of secrets) expect(JSON.stringify({ message: refused.message, fieldErrors: fieldErrorsFrom(refused) })).not.toContain(value);
    const events = await database.current.db.selectFrom('audit_event').selectAll().where('action', 'like', 'visit.%').execute();
    expect(events.map((event) => event.action).sort()).toEqual(['visit.booking.created', 'visit.booking.received']);
    const web = events.find((event) => event.action === 'visit.booking.received')!;
    expect(web).toMatchObject({ organisation_id: clinic.organisation.id, user_id: null, session_id: null });
    for (const event of events) {
      const text = JSON.stringify(event);
      for (const value of secrets) expect(text, `${event.action} holds "${value}"`).not.toContain(value);
    }
    const timeline = await database.current.db.selectFrom('booking_status_change').selectAll().execute();
    for (const value of secrets) expect(JSON.stringify(timeline)).not.toContain(value);
  });

  it('ACC-1: only a coordinator takes a phone booking', async () => {
    const clock = new TestClock();
    const clinic = await visitClinic(database.current.db, clock.now());
    const doctor = createTestCaller(database.current, { now: clock.now }, { bearerToken: (await login(database.current, clinic.doctors.onShift, clock)).token });
    const error = await errorOf(doctor.visits.create({ booking: validBooking(clock.now()), idempotencyKey: 'doctor-key-0001' }));
    expect(error.code).toBe('FORBIDDEN');
    const admin = await createUser(database.current.db, clinic.organisation.id, { roles: ['admin'] });
    const adminCaller = createTestCaller(database.current, { now: clock.now }, { bearerToken: (await login(database.current, admin, clock)).token });
    expect((await errorOf(adminCaller.visits.create({ booking: validBooking(clock.now()), idempotencyKey: 'admin-key-0001' }))).code).toBe('FORBIDDEN');
    expect((await counts(database.current)).bookings).toBe(0);
  });
});
