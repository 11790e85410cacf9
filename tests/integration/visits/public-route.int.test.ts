import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLIC_BOOKING_URL } from '../../../src/server/visits/public-route';
import type { ServerConfig } from '../../../src/server/config';
import { eventsOf, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import { buildTestApp, testConfig } from '../support/test-server';
import { validBooking, visitClinic } from './visit-fixtures';

const CLINIC_SITE = 'https://www.klinikken.example';

describe('the public booking endpoint (VIS-1, PLAT-9)', () => {
  const database = useTestDatabase();
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function setting(db: TestDatabase, config: Partial<ServerConfig> = {}) {
    const clock = new TestClock();
    const clinic = await visitClinic(db.db, clock.now());
    app = await buildTestApp(db, { now: clock.now, config: { allowedOrigins: [...testConfig().allowedOrigins, CLINIC_SITE], ...config } });
    let keys = 0;
    const post = (body: unknown, options: { key?: string | null; address?: string; headers?: Record<string, string>; raw?: string } = {}) =>
      app!.inject({
        method: 'POST',
        url: PUBLIC_BOOKING_URL,
        remoteAddress: options.address ?? '203.0.113.10',
        headers: {
          'content-type': 'application/json',
          ...(options.key === null ? {} : { 'idempotency-key': options.key ?? `web-form-${++keys}-${Math.random().toString(36).slice(2)}` }),
          ...options.headers,
        },
        payload: options.raw ?? JSON.stringify(body),
      });
    const form = (overrides: Record<string, unknown> = {}) => ({ ...validBooking(clock.now()), clinic: clinic.formKey, ...overrides });
    const bookings = () => db.db.selectFrom('home_visit_booking').selectAll().execute();
    return { clock, clinic, post, form, bookings };
  }

  it('VIS-1: a valid form is received (201), stored as a web booking of the clinic, with its event; no patient is made', async () => {
    const { clinic, post, form, bookings } = await setting(database.current);
    const response = await post(form(), { key: 'web-form-key-01' });
    expect(response.statusCode).toBe(201);
    // Nothing to reference from outside: no booking id leaves.
    expect(response.json()).toEqual({ status: 'received' });
    expect(await bookings()).toEqual([expect.objectContaining({ organisation_id: clinic.organisation.id, source: 'web', created_by: null, status: 'requested', idempotency_key: 'web-form-key-01', patient_id: null })]);
    expect(await database.current.db.selectFrom('patient').selectAll().execute()).toEqual([]);
    const [event] = await eventsOf(database.current.db, { action: 'visit.booking.received' });
    expect(event).toMatchObject({ organisation_id: clinic.organisation.id, user_id: null, outcome: 'allowed', object_type: 'home_visit_booking', client_ip: null });

    // The form sent twice (a double click, a retry after a lost answer): one booking.
    expect((await post(form(), { key: 'web-form-key-01' })).statusCode).toBe(201);
    expect(await bookings()).toHaveLength(1);
  });

  it('VIS-1, PLAT-6: bad input is 400 with the fields named and nothing stored', async () => {
    const { post, form, bookings } = await setting(database.current);
    const missing = await post({ clinic: form().clinic });
    expect(missing.statusCode).toBe(400);
    const fields = (missing.json() as { fieldErrors: { field: string }[] }).fieldErrors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['fullName', 'street', 'postcode', 'city', 'gender', 'dateOfBirth', 'phone', 'reason', 'urgency', 'earliestAt']));

    const bad = await post(form({ phone: '22 33 44 55', postcode: '12' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      error: 'error.validation',
      fieldErrors: expect.arrayContaining([
        expect.objectContaining({ field: 'phone', messageKey: 'validation.mobile_phone' }),
        expect.objectContaining({ field: 'postcode', messageKey: 'validation.postcode' }),
      ]),
    });
    // The values typed are not echoed back.
    expect(bad.body).not.toContain('22 33 44 55');

    // The server's clock: a window that started hours ago.
    const past = await post(form({ earliestAt: new Date(Date.parse(form().earliestAt as string) - 5 * 3_600_000).toISOString() }));
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ fieldErrors: [expect.objectContaining({ field: 'earliestAt', messageKey: 'validation.date_in_past' })] });
    // A number field the form does not have, and a form key of the wrong shape.
    expect((await post(form({ patientId: '1' }))).statusCode).toBe(400);
    expect((await post(form({ clinic: 'NO SUCH' }))).json()).toMatchObject({ fieldErrors: [expect.objectContaining({ field: 'clinic', messageKey: 'validation.clinic' })] });
    expect(await bookings()).toEqual([]);
    expect(await database.current.db.selectFrom('outbox_message').selectAll().execute()).toEqual([]);
  });

  it('VIS-1: the Idempotency-Key header is required and checked', async () => {
    const { post, form, bookings } = await setting(database.current);
    const missing = await post(form(), { key: null });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ fieldErrors: [{ field: 'idempotency-key', messageKey: 'validation.required' }] });
    const bad = await post(form(), { key: 'short' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ fieldErrors: [{ field: 'idempotency-key', messageKey: 'validation.idempotency_key' }] });
    expect(await bookings()).toEqual([]);
  });

  it('VIS-1, PLAT-6: oversized (413), malformed JSON (400), wrong content type (415) and an empty body are refused with 4xx', async () => {
    const { post, form, bookings } = await setting(database.current);
    const oversized = await post(form({ reason: 'x'.repeat(17 * 1024) }));
    expect(oversized.statusCode).toBe(413);
    const malformed = await post(undefined, { raw: '{"fullName": "Kari",' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).not.toContain('Kari');
    const wrongType = await post(undefined, { raw: 'fullName=Kari', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongType.statusCode).toBe(415);
    const empty = await post(undefined, { raw: '' });
    expect(empty.statusCode).toBeGreaterThanOrEqual(400);
    expect(empty.statusCode).toBeLessThan(500);
    expect(await bookings()).toEqual([]);
  });

  it('VIS-1, PLAT-3: an unknown clinic is a plain 404 and stores nothing', async () => {
    const { post, form, bookings } = await setting(database.current);
    const response = await post(form({ clinic: 'ingen-slik-klinikk' }));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'error.not_found', fieldErrors: [] });
    expect(await bookings()).toEqual([]);
    expect(await database.current.db.selectFrom('audit_event').selectAll().where('action', 'like', 'visit.%').execute()).toEqual([]);
  });

  it('PLAT-9: a burst from one address gets 429 while another address is still served', async () => {
    const { post, form, bookings } = await setting(database.current, { limits: { ...testConfig().limits, publicPerAddress: 3, publicOverall: 100 } });
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push((await post(form(), { address: '198.51.100.7' })).statusCode);
    expect(burst).toEqual([201, 201, 201, 429, 429]);
    const limited = await post(form(), { address: '198.51.100.7' });
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json()).toEqual({ error: 'error.rate_limited' });
    expect((await post(form(), { address: '192.0.2.44' })).statusCode).toBe(201);
    expect(await bookings()).toHaveLength(4);
  });

  it('PLAT-9: the overall limit holds across addresses', async () => {
    const { post, form } = await setting(database.current, { limits: { ...testConfig().limits, publicPerAddress: 100, publicOverall: 2 } });
    const codes = [];
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) codes.push((await post(form(), { address })).statusCode);
    expect(codes).toEqual([201, 201, 429]);
  });

  it('VIS-1: CORS lets the clinic\'s site post with an Idempotency-Key, and no other site', async () => {
    await setting(database.current);
    const preflight = (origin: string) =>
      app!.inject({ method: 'OPTIONS', url: PUBLIC_BOOKING_URL, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' } });
    const allowed = await preflight(CLINIC_SITE);
    expect(allowed.headers['access-control-allow-origin']).toBe(CLINIC_SITE);
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('idempotency-key');
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
