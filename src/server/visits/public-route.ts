import type { FastifyInstance } from 'fastify';
import { idempotencyKeySchema, publicBookingSchema } from '../../shared/visit-schemas';
import type { ServerDependencies } from '../context';
import { notFound } from '../errors';
import { registerAuditedRoute } from '../http/audited-route';
import type { AttackLimits } from '../limits/attack-limits';
import { createBooking } from './intake';

export const PUBLIC_BOOKING_URL = '/public/home-visit-bookings';

/**
 * A booking is a few hundred bytes of text; 16 KiB leaves room for the longest legal values with
 * every character escaped, and refuses anything that only wants to make the server read (413).
 */
export const PUBLIC_BOOKING_BODY_LIMIT = 16 * 1024;

/**
 * VIS-1: the public booking form's endpoint. No login: the form on the clinic's website posts here
 * (CORS admits the origins in JK_ALLOWED_ORIGINS). Rate-limited per source address and overall
 * before the body is read (PLAT-9); the clinic is named by its public form key, and an unknown key
 * is a plain 404 (which clinics exist is not for guessing). The answer says only "received": no
 * booking id leaves, so a web client cannot reference or probe bookings.
 */
export function registerPublicBookingRoute(app: FastifyInstance, deps: Pick<ServerDependencies, 'db' | 'config' | 'now' | 'secretBox'>, limits: AttackLimits): void {
  registerAuditedRoute(app, deps, {
    method: 'POST',
    url: PUBLIC_BOOKING_URL,
    actions: ['visit.booking.received'],
    mode: 'write',
    input: publicBookingSchema,
    onRequest: limits.routeHook('http.public.booking'),
    bodyLimit: PUBLIC_BOOKING_BODY_LIMIT,
    headers: { 'idempotency-key': idempotencyKeySchema },
    successStatus: 201,
    handler: async ({ trx, audit, now, isDemo, headers }, input) => {
      const clinic = await trx.selectFrom('organisation').select(['id', 'name']).where('booking_form_key', '=', input.clinic).executeTakeFirst();
      if (!clinic) throw notFound();
      const { clinic: _clinic, ...booking } = input;
      await createBooking(trx, audit, {
        organisationId: clinic.id,
        clinicName: clinic.name,
        source: 'web',
        createdBy: null,
        input: booking,
        idempotencyKey: headers['idempotency-key'] ?? '',
        now,
        isDemo,
        secretBox: deps.secretBox,
      });
      return { status: 'received' as const };
    },
  });
}
