import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildServer } from '../../../src/server/app';
import { AuditedDenial } from '../../../src/server/audit/recorder';
import { runSystemJob } from '../../../src/server/audit/unit-of-work';
import { createContextInner } from '../../../src/server/context';
import { fieldError } from '../../../src/server/errors';
import { registerAuditedRoute } from '../../../src/server/http/audited-route';
import { insertOrganisation } from '../../../src/server/organisation/repository';
import { createCallerFactory, roleProcedure, router } from '../../../src/server/trpc';
import { errorOf } from './audit-helpers';
import { createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { testConfig, testSecretBox } from '../support/test-server';
import { WorkGate } from '../../../src/server/limits/work-gate';
import { DevelopmentMailbox } from '../../../src/server/outbox/outbox';

/**
 * The audited unit of work (src/server/audit/unit-of-work.ts) is the same for a tRPC procedure, a
 * plain HTTP route and a background job. These tests drive each with procedures, routes and jobs
 * built here from the real base pieces, so what they prove holds for every caller of them.
 */
describe('AUD-1, AUD-3: the audited unit of work', () => {
  const database = useTestDatabase();

  /** An admin's request context, the same the app's callers get, for a router of probes. */
  async function adminContext() {
    const { db } = database.current;
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin'] });
    const { token } = await login(database.current, admin, clock);
    const context = createContextInner(
      {
        db,
        databaseKind: database.current.kind,
        config: testConfig(),
        log: silentLog as never,
        now: clock.now,
        secretBox: testSecretBox,
        passwordGate: new WorkGate(testConfig().limits.argon2),
        mailbox: new DevelopmentMailbox(),
      },
      { bearerToken: token },
    );
    return { context, organisation };
  }

  it('AUD-1: a procedure can record only the audit actions it declares — an undeclared one fails the call and nothing it wrote remains', async () => {
    const probes = router({
      sneaky: roleProcedure(['admin'])
        .meta({ audit: ['admin.user.unlocked'] })
        .input(z.object({ name: z.string() }))
        .mutation(async ({ ctx, input }) => {
          await ctx.trx.updateTable('organisation').set({ name: input.name }).where('id', '=', ctx.session.organisationId).execute();
          // Declares admin.user.unlocked, tries to log admin.user.locked.
          ctx.audit.record({ action: 'admin.user.locked' });
          return 'done';
        }),
      sneakyRead: roleProcedure(['admin'])
        .meta({ audit: ['admin.user.list'] })
        .query(async ({ ctx }) => {
          ctx.audit.record({ action: 'journal.record.opened' });
          return 'secret';
        }),
      honest: roleProcedure(['admin'])
        .meta({ audit: ['admin.user.unlocked'] })
        .mutation(async ({ ctx }) => {
          ctx.audit.record({ objectType: 'organisation', objectId: ctx.session.organisationId });
          return 'done';
        }),
    });
    const { context, organisation } = await adminContext();
    const caller = createCallerFactory(probes)(context);
    const { db } = database.current;

    const error = await errorOf(caller.sneaky({ name: 'Omdøpt' }));
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await db.selectFrom('organisation').select('name').where('id', '=', organisation.id).executeTakeFirstOrThrow()).name).not.toBe('Omdøpt');
    expect(await eventsOf(db, { action: 'admin.user.locked' })).toHaveLength(0);
    expect(await eventsOf(db, { action: 'admin.user.unlocked' })).toHaveLength(0);

    expect((await errorOf(caller.sneakyRead())).code).toBe('INTERNAL_SERVER_ERROR');
    expect(await eventsOf(db, { action: 'journal.record.opened' })).toHaveLength(0);

    // The declared action goes through.
    await expect(caller.honest()).resolves.toBe('done');
    expect(await eventsOf(db, { action: 'admin.user.unlocked' })).toHaveLength(1);
  });

  it('AUD-3, PLAT-6: a plain HTTP route runs as the same unit — field errors name the field, a refusal is logged on its own, and nothing half-written remains', async () => {
    const { db } = database.current;
    const app = await buildServer({ db, databaseKind: database.current.kind, config: testConfig(), now: () => new Date(), secretBox: testSecretBox });
    registerAuditedRoute(app, { db, config: testConfig(), now: () => new Date() }, {
      method: 'POST',
      url: '/public/probe',
      actions: ['patient.registered'],
      mode: 'write',
      input: z.object({ name: z.string().min(2, 'validation.required'), outcome: z.enum(['ok', 'field', 'denied']) }).strict(),
      handler: async ({ trx, audit }, input) => {
        const organisation = await insertOrganisation(trx, { name: input.name, organisationNumber: null, isDemo: false });
        if (input.outcome === 'field') throw fieldError('name', 'validation.email_taken');
        if (input.outcome === 'denied') throw new AuditedDenial({ reason: 'probe_refused', objectType: 'organisation', objectId: organisation.id }, 'not_found');
        audit.record({ actor: anonymousIn(organisation.id), objectType: 'organisation', objectId: organisation.id });
        return { organisationId: organisation.id };
      },
    });
    await app.ready();
    try {
      const name = `Probe ${randomBytes(4).toString('hex')}`;
      const post = (payload: unknown) => app.inject({ method: 'POST', url: '/public/probe', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
      const countNamed = async () => (await db.selectFrom('organisation').select('id').where('name', 'like', `${name}%`).execute()).length;

      const bad = await post({ name: 'x', outcome: 'ok' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({ error: 'error.validation', fieldErrors: [{ field: 'name', messageKey: 'validation.required', params: { limit: 2, origin: 'string' } }] });

      const field = await post({ name: `${name} field`, outcome: 'field' });
      expect(field.statusCode).toBe(400);
      expect(field.json()).toEqual({ error: 'error.validation', fieldErrors: [{ field: 'name', messageKey: 'validation.email_taken', params: {} }] });

      const denied = await post({ name: `${name} denied`, outcome: 'denied' });
      expect(denied.statusCode).toBe(404);
      expect(denied.json()).toEqual({ error: 'error.not_found', fieldErrors: [] });
      expect(await countNamed()).toBe(0);
      const denials = await eventsOf(db, { action: 'patient.registered' });
      expect(denials).toHaveLength(1);
      expect(denials[0]).toMatchObject({ outcome: 'denied', reason: 'probe_refused', details: { procedure: 'http:POST /public/probe' } });

      const ok = await post({ name: `${name} ok`, outcome: 'ok' });
      expect(ok.statusCode).toBe(200);
      const { organisationId } = ok.json() as { organisationId: string };
      const events = await eventsOf(db, { action: 'patient.registered' });
      expect(events.at(-1)).toMatchObject({ outcome: 'allowed', organisation_id: organisationId, object_id: organisationId, user_id: null, client_ip: null });
      expect(await countNamed()).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('AUD-2, AUD-3: a background job acts as the system actor, in one transaction with its events', async () => {
    const { db } = database.current;
    const organisation = await createOrganisation(db);
    const now = new Date('2026-12-01T03:00:00.000Z');
    await runSystemJob(db, { name: 'retention-probe', organisationId: organisation.id, actions: ['admin.user.unlocked'], now }, async ({ trx, audit }) => {
      await trx.updateTable('organisation').set({ name: 'Etter jobben' }).where('id', '=', organisation.id).execute();
      audit.record({ objectType: 'organisation', objectId: organisation.id, details: { batch: 1 } });
    });
    const [event] = await eventsOf(db, { action: 'admin.user.unlocked' });
    expect(event).toMatchObject({
      organisation_id: organisation.id,
      user_id: null,
      user_display_name: 'system:retention-probe',
      user_roles: ['system'],
      auth_method: 'system',
      session_id: null,
      object_id: organisation.id,
    });

    // A failing step leaves neither its change nor its event.
    await expect(
      runSystemJob(db, { name: 'retention-probe', organisationId: organisation.id, actions: ['admin.user.unlocked'], now }, async ({ trx, audit }) => {
        await trx.updateTable('organisation').set({ name: 'Halvveis' }).where('id', '=', organisation.id).execute();
        audit.record({ objectType: 'organisation', objectId: organisation.id });
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    expect((await db.selectFrom('organisation').select('name').where('id', '=', organisation.id).executeTakeFirstOrThrow()).name).toBe('Etter jobben');
    expect(await eventsOf(db, { action: 'admin.user.unlocked' })).toHaveLength(1);
  });
});

const silentLog = { info() {}, warn() {}, error() {}, debug() {}, fatal() {}, trace() {}, child() { return silentLog; }, level: 'silent', silent() {} };

function anonymousIn(organisationId: string) {
  return { organisationId, userId: null, displayName: null, roles: [], profession: null, sessionId: null, authMethod: null, deviceId: null };
}
