import type { AnyTRPCProcedure } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../../src/server/audit/actions';
import { appRouter } from '../../../src/server/router';
import type { ProcedureMeta } from '../../../src/server/trpc';
import { ROLES, type Role } from '../../../src/shared/roles';
import { errorOf } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, type TestUser, TestClock } from '../support/identity';
import { createTestDatabase, type TestDatabase, useTestDatabase } from '../support/test-database';
import { buildTestApp, createTestCaller } from '../support/test-server';

/** Typed as the nested router record, but at run time a flat map keyed by dotted path. */
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>).sort(([a], [b]) => a.localeCompare(b));
const metaOf = (procedure: AnyTRPCProcedure) => procedure._def.meta as ProcedureMeta | undefined;

/**
 * ACC-1: the matrix written out, for the identity and audit procedures. Who may call what is a
 * product decision: changing one of these declarations must be done here on purpose too. Every
 * other domain's procedures are held to their own declarations by the walk below (domains add
 * their rows here as they settle).
 */
const PINNED_ACCESS: Record<string, 'public' | 'authenticated' | readonly Role[]> = {
  'system.health': 'public',
  'system.info': 'public',
  'auth.invitation.open': 'public',
  'auth.invitation.verifySmsCode': 'public',
  'auth.invitation.complete': 'public',
  'auth.login.password': 'public',
  'auth.login.secondFactor': 'public',
  'auth.login.enrol': 'public',
  'auth.session.me': 'authenticated',
  'auth.session.logout': 'authenticated',
  'auth.session.unlock': 'authenticated',
  'auth.session.stepUp': 'authenticated',
  'activity.mine': 'authenticated',
  'users.list': ['admin'],
  'users.invite': ['admin'],
  'users.lock': ['admin'],
  'users.unlock': ['admin'],
  'users.revokeSessions': ['admin'],
  'users.resetSecondFactor': ['admin'],
  'users.changeRoles': ['admin'],
  'developer.outbox': 'public',
  // JRN-4: deletion by documented decision, and the record of such decisions, are for clinicians only.
  'journal.deleteNote': ['clinician'],
  'journal.deletions': ['clinician'],
  // ACC-6: the authorisation register, read and exported (the export with step-up), by admins and the DPO.
  'access.register': ['admin', 'dpo'],
  'access.exportRegister': ['admin', 'dpo'],
};

function declared(procedure: AnyTRPCProcedure): 'public' | 'authenticated' | readonly Role[] | undefined {
  const access = metaOf(procedure)?.access;
  if (!access) return undefined;
  return access.kind === 'roles' ? [...access.roles].sort() : access.kind;
}

function admits(access: 'public' | 'authenticated' | readonly Role[], caller: Role | 'anonymous'): boolean {
  if (access === 'public') return true;
  if (caller === 'anonymous') return false;
  if (access === 'authenticated') return true;
  return access.includes(caller);
}

/** Calls a procedure by its dotted path through a caller. */
function call(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  return fn(input);
}

describe('ACC-1: the declarations', () => {
  it('ACC-1: every procedure declares its access', () => {
    const undeclared = procedures.filter(([, procedure]) => declared(procedure) === undefined).map(([path]) => path);
    expect(undeclared).toEqual([]);
  });

  it('ACC-1: the pinned rows of the matrix match the declarations', () => {
    const byPath = new Map(procedures);
    const actual = Object.fromEntries(Object.keys(PINNED_ACCESS).map((path) => [path, byPath.has(path) ? (declared(byPath.get(path) as AnyTRPCProcedure) ?? 'MISSING') : 'NO SUCH PROCEDURE']));
    const expected = Object.fromEntries(Object.entries(PINNED_ACCESS).map(([path, access]) => [path, typeof access === 'string' ? access : [...access].sort()]));
    expect(actual).toEqual(expected);
  });

  it('ACC-1, AUD-1: every audit action a procedure declares is a known action', () => {
    const known = new Set<string>(AUDIT_ACTIONS);
    const unknown = procedures.flatMap(([path, procedure]) => (metaOf(procedure)?.audit ?? []).filter((action) => !known.has(action)).map((action) => `${path}: ${action}`));
    expect(unknown).toEqual([]);
    // Every mutation declares what it logs (AUD-1: no silent change).
    const silent = procedures.filter(([, procedure]) => procedure._def.type === 'mutation' && !metaOf(procedure)?.audit?.length).map(([path]) => path);
    expect(silent).toEqual([]);
  });
});

describe('ACC-1: role × procedure, called through the router', () => {
  // One database for the whole matrix: logging in five users for each of ~20 procedures would be slow.
  let database: TestDatabase;
  const users = new Map<Role, { user: TestUser; clock: TestClock; token: string }>();

  beforeAll(async () => {
    database = await createTestDatabase();
    const organisation = await createOrganisation(database.db);
    for (const role of ROLES) {
      const user = await createUser(database.db, organisation.id, { roles: [role] });
      // One clock per user: a step-up stays fresh for the admin's resetSecondFactor however long the matrix runs.
      const clock = new TestClock();
      users.set(role, { user, clock, token: (await login(database, user, clock)).token });
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  /** A caller for the role, logging in again if an earlier call (logout) ended its session. */
  async function callerFor(role: Role) {
    const entry = users.get(role);
    if (!entry) throw new Error(`no user for ${role}`);
    const me = await callerAs(database, entry.token, entry.clock).auth.session.me().catch(() => undefined);
    if (!me) entry.token = (await login(database, entry.user, entry.clock)).token;
    return { caller: callerAs(database, entry.token, entry.clock), user: entry.user };
  }

  it.each(procedures.map(([path]) => [path]))('ACC-1: %s admits exactly the declared callers', async (path) => {
    const procedure = procedures.find(([candidate]) => candidate === path)?.[1];
    const access = procedure && declared(procedure);
    expect(access, `${path} declares no access`).toBeDefined();
    if (!access) return;
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const caller of [...ROLES, 'anonymous'] as const) {
      const isAdmitted = admits(access, caller);
      let code = 'OK';
      let deniedEventsBefore = 0;
      let userId: string | undefined;
      try {
        if (caller === 'anonymous') {
          await call(createTestCaller(database), path, {});
        } else {
          const { caller: asRole, user } = await callerFor(caller);
          userId = user.id;
          deniedEventsBefore = (await eventsOf(database.db, { action: 'access.denied', userId })).length;
          await call(asRole, path, {});
        }
      } catch (error) {
        code = (error as { code?: string }).code ?? 'THROWN';
      }
      // Admitted: anything but a refusal (bad input, not found outside demo mode, success).
      // Not admitted: FORBIDDEN for a user of the wrong role, UNAUTHORIZED without a session.
      outcomes[caller] = isAdmitted ? (code === 'FORBIDDEN' || code === 'UNAUTHORIZED' ? `refused (${code})` : 'admitted') : code;
      expected[caller] = isAdmitted ? 'admitted' : caller === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN';
      // ACC-5: each refusal by role is logged for the user, with the procedure and the reason.
      if (!isAdmitted && userId) {
        const denied = await eventsOf(database.db, { action: 'access.denied', userId });
        expect(denied.length, `${path} as ${caller}: one access.denied event`).toBe(deniedEventsBefore + 1);
        expect(denied.at(-1)).toMatchObject({ outcome: 'denied', reason: 'role_not_admitted', details: { procedure: path }, object_id: null, patient_id: null });
      }
    }
    expect(outcomes).toEqual(expected);
  });
});

describe('ACC-5: a refusal by role', () => {
  const database = useTestDatabase();

  it('ACC-5: is logged as access.denied and says nothing about the object: an existing user and a made-up id get the same answer', async () => {
    const { db } = database.current;
    const clock = new TestClock();
    const organisation = await createOrganisation(db);
    const clinician = await createUser(db, organisation.id, { roles: ['clinician'] });
    const colleague = await createUser(db, organisation.id, { roles: ['coordinator'] });
    const { token } = await login(database.current, clinician, clock, { deviceId: 'device-clin-0001' });
    const asClinician = callerAs(database.current, token, clock);

    const existing = await errorOf(asClinician.users.lock({ userId: colleague.id }));
    const madeUp = await errorOf(asClinician.users.lock({ userId: '6f1c2b1e-0000-4000-8000-000000000000' }));
    expect(existing).toMatchObject({ code: 'FORBIDDEN', message: 'auth.forbidden' });
    expect({ code: madeUp.code, message: madeUp.message, cause: madeUp.cause }).toEqual({ code: existing.code, message: existing.message, cause: existing.cause });
    expect((await db.selectFrom('app_user').select('is_locked_by_admin').where('id', '=', colleague.id).executeTakeFirstOrThrow()).is_locked_by_admin).toBe(false);

    const denied = await eventsOf(db, { action: 'access.denied' });
    expect(denied).toHaveLength(2);
    for (const event of denied) {
      expect(event).toMatchObject({
        organisation_id: organisation.id,
        user_id: clinician.id,
        user_roles: ['clinician'],
        auth_method: 'password+totp',
        device_id: 'device-clin-0001',
        outcome: 'denied',
        reason: 'role_not_admitted',
        details: { procedure: 'users.lock' },
        object_id: null,
      });
    }
    expect(await eventsOf(db, { action: 'admin.user.locked' })).toHaveLength(0);

    // Over HTTP the two answers are byte for byte the same.
    const app = await buildTestApp(database.current, { now: clock.now });
    try {
      const post = (userId: string) =>
        app.inject({ method: 'POST', url: '/trpc/users.lock', payload: JSON.stringify({ userId }), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      const [a, b] = [await post(colleague.id), await post('6f1c2b1e-0000-4000-8000-000000000000')];
      expect(a.statusCode).toBe(403);
      expect(b.statusCode).toBe(403);
      expect(a.body).toBe(b.body);
      expect(a.body).not.toContain(colleague.id);
    } finally {
      await app.close();
    }
  });
});
