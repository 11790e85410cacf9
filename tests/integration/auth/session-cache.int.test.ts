import type { FastifyInstance } from 'fastify';
import { type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, sql, type UnknownRow } from 'kysely';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { API_ERROR_MESSAGES } from '../../../src/shared/api-errors';
import { buildServer } from '../../../src/server/app';
import { IDLE_TIMEOUT_MS } from '../../../src/server/auth/session';
import { SessionCache } from '../../../src/server/auth/session-cache';
import { APPLICATION_ROLE, type Database, type DatabaseHandle, openDatabase } from '../../../src/server/db/database';
import { createOrganisation, createUser, login, TestClock, type TestUser } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { testConfig, testSecretBox } from '../support/test-server';

const isPostgres = inject('testDatabaseKind') === 'postgres';

/** Counts the statements an instance sends, and those that read or write the session table. */
class QueryCounter implements KyselyPlugin {
  all = 0;
  sessionTable = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.all += 1;
    if (JSON.stringify(args.node).includes('"name":"session"')) this.sessionTable += 1;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
  reset(): void {
    this.all = 0;
    this.sessionTable = 0;
  }
}

interface Instance {
  app: FastifyInstance;
  sessions: SessionCache | undefined;
  url: string;
  queries: QueryCounter;
}

/**
 * Fault injection: a LISTEN that hears everything `delayMs` late, in order (a loaded worker, a slow
 * network). Without it a notification normally beats the next HTTP request, and a cache that
 * trusted its LISTEN blindly would pass these tests by luck.
 */
function slowListener(database: DatabaseHandle, delayMs: number): Pick<DatabaseHandle, 'listenConnection'> {
  const listenConnection = database.listenConnection;
  if (!listenConnection) throw new Error('PostgreSQL only');
  return {
    listenConnection: (channel, handlers) =>
      listenConnection(channel, { ...handlers, onPayload: (payload) => void setTimeout(() => handlers.onPayload(payload), delayMs) }),
  };
}

async function startInstance(database: DatabaseHandle, clock: TestClock, options: { isCacheOff?: boolean; listenDelayMs?: number } = {}): Promise<Instance> {
  const sessions = options.isCacheOff ? undefined : await SessionCache.start(options.listenDelayMs ? slowListener(database, options.listenDelayMs) : database);
  const queries = new QueryCounter();
  const db: Database = database.db.withPlugin(queries);
  const app = await buildServer({
    db,
    databaseKind: database.kind,
    config: testConfig(),
    now: clock.now,
    secretBox: testSecretBox,
    ...(sessions ? { sessions } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { app, sessions, url: `http://127.0.0.1:${address.port}`, queries };
}

async function call(instance: Instance, token: string, path: string, input?: unknown): Promise<{ status: number; body: any }> {
  const isQuery = input === undefined;
  const response = await fetch(`${instance.url}/trpc/${path}`, {
    method: isQuery ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(isQuery ? {} : { 'content-type': 'application/json' }) },
    ...(isQuery ? {} : { body: JSON.stringify(input) }),
  });
  return { status: response.status, body: await response.json() };
}

const me = (instance: Instance, token: string) => call(instance, token, 'auth.session.me');

describe.skipIf(!isPostgres)('PLAT-10, AUTH-5: sessions cached per worker, refused on every worker at the next request', () => {
  const database = useTestDatabase();
  const clock = new TestClock(new Date());
  const instances: Instance[] = [];
  const handles: DatabaseHandle[] = [];

  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      await instance.app.close();
      await instance.sessions?.stop();
    }
    for (const handle of handles.splice(0)) await handle.close();
  });

  /** Two backend instances on one PostgreSQL, each with its own pool and its own LISTEN, as two workers are. */
  async function twoWorkers(options: { listenDelayMsOfB?: number } = {}): Promise<[Instance, Instance]> {
    clock.set(new Date());
    const url = database.current.applicationUrl;
    if (!url) throw new Error('PostgreSQL only');
    const second = await openDatabase({ kind: 'postgres', url, poolSize: 3, role: APPLICATION_ROLE });
    handles.push(second);
    const a = await startInstance(database.current, clock);
    instances.push(a);
    const b = await startInstance(second, clock, { listenDelayMs: options.listenDelayMsOfB ?? 0 });
    instances.push(b);
    return [a, b];
  }

  async function people(): Promise<{ admin: TestUser; adminToken: string; user: TestUser }> {
    const organisation = await createOrganisation(database.current.db);
    const admin = await createUser(database.current.db, organisation.id, { roles: ['admin'] });
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    return { admin, adminToken: (await login(database.current, admin, clock)).token, user };
  }

  /**
   * Answered requests on B until one comes from B's cache (the test fails if none does). Not just
   * two: the set-up's own notifications (the user's roles, the login) may reach a slow B after its
   * first read and rightly drop what it had just cached.
   */
  async function warm(instance: Instance, token: string): Promise<void> {
    const hits = instance.sessions?.stats.hits ?? 0;
    for (let attempt = 0; attempt < 10 && (instance.sessions?.stats.hits ?? 0) === hits; attempt += 1) {
      expect((await me(instance, token)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(instance.sessions?.stats.hits).toBeGreaterThan(hits);
  }

  it('PLAT-10, AUTH-5: a session revoked through one worker is refused on the other at the next request', async () => {
    // B hears its notifications 150 ms late: the refusal must not depend on them arriving first.
    const [a, b] = await twoWorkers({ listenDelayMsOfB: 150 });
    const { adminToken, user } = await people();
    // Several rounds: a notification that arrived late would show as a 200 in one of them.
    for (let round = 0; round < 5; round += 1) {
      const { token } = await login(database.current, user, clock);
      await warm(b, token);
      expect((await call(a, adminToken, 'users.revokeSessions', { userId: user.id })).status).toBe(200);
      const next = await me(b, token);
      expect(next.status).toBe(401);
      expect(next.body.error.message).toBe(API_ERROR_MESSAGES.sessionRequired);
    }
  });

  it('PLAT-10, AUTH-5: a logout through one worker is refused on the other at the next request', async () => {
    const [a, b] = await twoWorkers({ listenDelayMsOfB: 150 });
    const { user } = await people();
    for (let round = 0; round < 3; round += 1) {
      const { token } = await login(database.current, user, clock);
      await warm(b, token);
      expect((await call(a, token, 'auth.session.logout', {})).status).toBe(200);
      expect((await me(b, token)).status).toBe(401);
    }
  });

  it('PLAT-10, AUTH-5: an account locked by an admin through one worker is refused on the other at the next request', async () => {
    const [a, b] = await twoWorkers({ listenDelayMsOfB: 150 });
    const { adminToken, user } = await people();
    const { token } = await login(database.current, user, clock);
    await warm(b, token);
    expect((await call(a, adminToken, 'users.lock', { userId: user.id })).status).toBe(200);
    expect((await me(b, token)).status).toBe(401);
  });

  it('PLAT-10, ACC-1: a role removed through one worker is gone on the other at the next request', async () => {
    const [a, b] = await twoWorkers({ listenDelayMsOfB: 150 });
    const { admin, adminToken, user } = await people();
    const { token } = await login(database.current, user, clock);
    await warm(b, token);
    expect((await me(b, token)).body.result.data.roles).toEqual(['clinician']);
    expect((await call(a, adminToken, 'users.changeRoles', { userId: user.id, roles: ['coordinator'] })).status).toBe(200);
    expect((await me(b, token)).body.result.data.roles).toEqual(['coordinator']);
    // And an admin's own role, removed by another admin: the admin procedures refuse at once on B.
    const other = await createUser(database.current.db, admin.organisationId, { roles: ['admin'] });
    const otherToken = (await login(database.current, other, clock)).token;
    await warm(b, adminToken);
    expect((await call(a, otherToken, 'users.changeRoles', { userId: admin.id, roles: ['clinician'] })).status).toBe(200);
    expect((await call(b, adminToken, 'users.list')).status).toBe(403);
  });

  it('AUTH-5: a session idle for 15 minutes is locked on a worker whose cache last saw it, and one used on another worker is not', async () => {
    const [a, b] = await twoWorkers();
    const { user } = await people();
    const { token } = await login(database.current, user, clock);
    await warm(b, token);
    // Used on A ten minutes later (A touches the row), then six more minutes: B's cache last saw it
    // sixteen minutes ago, the database six. B must ask the database, not lock it.
    clock.advance(10 * 60_000);
    expect((await me(a, token)).status).toBe(200);
    clock.advance(6 * 60_000);
    expect((await me(b, token)).status).toBe(200);
    // Now idle past the lock on both clocks: locked on B, whose cache had it as active.
    await warm(b, token);
    clock.advance(IDLE_TIMEOUT_MS + 1000);
    const locked = await me(b, token);
    expect(locked.status).toBe(401);
    expect(locked.body.error.message).toBe(API_ERROR_MESSAGES.sessionLocked);
    // Unlocked through A: B answers again (the unlock moved last_seen_at, B re-reads it).
    expect((await call(a, token, 'auth.session.unlock', { password: 'korrekt-hest-batteri-stift' })).status).toBe(200);
    expect((await me(b, token)).status).toBe(200);
  });

  it('AUTH-5: the session check costs no query on a warm cache, and one without the cache', async () => {
    clock.set(new Date());
    const cached = await startInstance(database.current, clock);
    instances.push(cached);
    const uncached = await startInstance(database.current, clock, { isCacheOff: true });
    instances.push(uncached);
    const { user } = await people();
    const { token } = await login(database.current, user, clock);
    await warm(cached, token);
    expect((await me(uncached, token)).status).toBe(200);
    cached.queries.reset();
    uncached.queries.reset();
    expect((await me(cached, token)).status).toBe(200);
    expect((await me(uncached, token)).status).toBe(200);
    expect(cached.queries.sessionTable).toBe(0);
    expect(uncached.queries.sessionTable).toBe(1);
    // The rest of the request is the same on both.
    expect(uncached.queries.all - cached.queries.all).toBe(1);
  });

  it('AUTH-5: requests that arrive together share one barrier instead of each paying its own', async () => {
    clock.set(new Date());
    const instance = await startInstance(database.current, clock);
    instances.push(instance);
    const { user } = await people();
    const { token } = await login(database.current, user, clock);
    await warm(instance, token);
    const sessions = instance.sessions;
    if (!sessions) throw new Error('no cache');
    const before = { ...sessions.stats };
    // 32 checks at once, as 32 clients' requests arriving together (straight on the cache: over HTTP
    // whether they overlap depends on the machine's load).
    const answers = await Promise.all(Array.from({ length: 32 }, () => sessions.resolve(database.current.db, token, clock.now())));
    expect(answers.every((answer) => answer.status === 'active')).toBe(true);
    expect(sessions.stats.hits - before.hits).toBe(32);
    // The first sends one; the 31 that came while it was on its way share the next.
    expect(sessions.stats.barriers - before.barriers).toBe(2);
  });

  it('PLAT-10, AUTH-5: a worker whose LISTEN connection drops reads the database until it is back, then starts afresh', async () => {
    const [a, b] = await twoWorkers();
    const { adminToken, user } = await people();
    const { token } = await login(database.current, user, clock);
    await warm(b, token);
    // Cut B's LISTEN connection from the server side, as a network drop or a restart would.
    // (Its last statement is the LISTEN or a barrier's pg_notify; A's goes too, which changes nothing here.)
    await database.current.asOwner(async (owner) => {
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                 where datname = current_database() and (query ilike 'listen %' or query ilike 'select pg_notify%')`.execute(owner);
    });
    for (let waited = 0; b.sessions?.size !== 0 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(b.sessions?.size).toBe(0);
    // Revoked while B may not be listening: refused all the same (B reads the database).
    expect((await call(a, adminToken, 'users.revokeSessions', { userId: user.id })).status).toBe(200);
    expect((await me(b, token)).status).toBe(401);
  });
});
