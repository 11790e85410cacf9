import { TRPCError } from '@trpc/server';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import type { Role } from '../../shared/roles';
import { domainErrorIn } from '../errors';
import { roleProcedure } from '../trpc';
import { assertSessionStillAdmitted, type LiveEvent, liveChanges } from './subscription';

const LIVE_ROLES = ['coordinator', 'clinician'] as const satisfies readonly Role[];

/**
 * `visits.live` (PLAT-10, docs/adr/0012): a tRPC subscription over SSE that yields `{ ids }` each time
 * a booking of the caller's organisation changes, on whichever backend instance. It carries ids
 * only; the board refetches through its audited query, so the subscription writes no event itself.
 * Spread into the `visits` router: `router({ ...visitLiveProcedures, ... })`.
 */
export const visitLiveProcedures = {
  live: roleProcedure(LIVE_ROLES).subscription(async function* ({ ctx, signal }): AsyncGenerator<LiveEvent, void, unknown> {
    const hub = ctx.live;
    // A server built without a hub (a test's direct caller) has no live channel to offer.
    if (!hub) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: API_ERROR_MESSAGES.internal });
    const token = ctx.bearerToken;
    if (!token) throw new TRPCError({ code: 'UNAUTHORIZED', message: API_ERROR_MESSAGES.sessionRequired });
    const session = { token, sessionId: ctx.session.sessionId };
    try {
      yield* liveChanges({
        hub,
        organisationId: ctx.session.organisationId,
        topic: 'visits',
        signal,
        checkSession: () => assertSessionStillAdmitted(ctx.db, session, LIVE_ROLES, ctx.now()),
      });
    } catch (error) {
      // The edge middleware only sees the call that opens the stream; what ends it later is mapped here.
      const domain = domainErrorIn(error);
      if (domain?.kind === 'unauthorized') throw new TRPCError({ code: 'UNAUTHORIZED', message: domain.message });
      if (domain?.kind === 'forbidden') throw new TRPCError({ code: 'FORBIDDEN', message: domain.message });
      throw error;
    }
  }),
};
