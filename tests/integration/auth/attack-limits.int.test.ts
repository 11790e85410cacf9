import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { LimitsConfig } from '../../../src/server/config';
import { createOrganisation, createUser, TEST_PASSWORD, TestClock, type TestUser } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { buildTestApp, testConfig } from '../support/test-server';
import { codeNow } from './auth-support';

const DEFAULTS = testConfig().limits;
const rateLimited = { error: { message: 'error.rate_limited', data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 } } };

describe('attack limits over HTTP (PLAT-9, PLAT-10)', () => {
  const database = useTestDatabase();
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function setUp(limits: Partial<LimitsConfig>) {
    const clock = new TestClock(new Date());
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id);
    const app = await buildTestApp(database.current, { config: { limits: { ...DEFAULTS, ...limits } }, now: clock.now });
    apps.push(app);
    return { clock, user, app };
  }

  const passwordStep = (app: FastifyInstance, from: string, email: string, password: string) =>
    app.inject({ method: 'POST', url: '/trpc/auth.login.password', remoteAddress: from, payload: { email, password, deviceId: null } });

  /** The whole login over HTTP from one address. */
  async function logsIn(app: FastifyInstance, from: string, user: TestUser, clock: TestClock): Promise<boolean> {
    const first = await passwordStep(app, from, user.email, TEST_PASSWORD);
    if (first.statusCode !== 200) return false;
    const ticket = (first.json() as { result: { data: { ticket: string } } }).result.data.ticket;
    const second = await app.inject({ method: 'POST', url: '/trpc/auth.login.secondFactor', remoteAddress: from, payload: { ticket, code: await codeNow(user.totpSecret, clock) } });
    return second.statusCode === 200;
  }

  it('PLAT-9: a burst of logins from one address gets 429 (coded, with Retry-After) while another address still logs in', async () => {
    const { app, user, clock } = await setUp({ authPerAddress: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await passwordStep(app, '198.51.100.7', user.email, `feil-passord-nr-${i}`);
      statuses.push(answer.statusCode);
      if (answer.statusCode === 429) {
        expect(answer.json()).toMatchObject(rateLimited);
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    // The same account, from another address: the limit is the address's, not the person's.
    expect(await logsIn(app, '192.0.2.10', user, clock)).toBe(true);
  });

  it('PLAT-9: every call in a batch counts, and a batch beyond JK_TRPC_MAX_BATCH is refused with 400', async () => {
    const { app, user } = await setUp({ authPerAddress: 3, maxBatch: 4 });
    const call = { email: user.email, password: 'feil-passord-her', deviceId: null };
    // Four logins in one request are four logins: the fourth is over the limit of three.
    const batch = await app.inject({
      method: 'POST',
      url: '/trpc/auth.login.password,auth.login.password,auth.login.password,auth.login.password?batch=1',
      remoteAddress: '198.51.100.8',
      payload: { 0: call, 1: call, 2: call, 3: call },
    });
    expect(batch.statusCode).toBe(429);
    expect(batch.json()).toEqual(Array(4).fill({ error: { message: 'error.rate_limited', code: -32029, data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, path: 'auth.login.password' } } }));
    const paths = (count: number) => Array(count).fill('system.health').join(',');
    const input = encodeURIComponent(JSON.stringify({}));
    const five = await app.inject({ method: 'GET', url: `/trpc/${paths(5)}?batch=1&input=${input}`, remoteAddress: '198.51.100.9' });
    expect(five.statusCode).toBe(400);
    expect((five.json() as { error: { message: string } }[])[0]?.error.message).toBe('error.batch_too_large');
    const four = await app.inject({ method: 'GET', url: `/trpc/${paths(4)}?batch=1&input=${input}`, remoteAddress: '198.51.100.9' });
    expect(four.statusCode).toBe(200);
  });

  it('PLAT-9: the overall limit holds however many addresses take part', async () => {
    const { app, user } = await setUp({ authPerAddress: 100, authOverall: 4 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await passwordStep(app, `203.0.113.${i + 1}`, user.email, `feil-passord-nr-${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('PLAT-9, PLAT-10: two backend instances over one database share the count', async () => {
    const { app, user } = await setUp({ authPerAddress: 3 });
    const other = await buildTestApp(database.current, { config: { limits: { ...DEFAULTS, authPerAddress: 3 } } });
    apps.push(other);
    const statuses: number[] = [];
    for (const instance of [app, other, app, other]) statuses.push((await passwordStep(instance, '198.51.100.20', user.email, 'feil-passord-her')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Nothing in the table says which address it was: keys are hashed.
    const rows = await database.current.db.selectFrom('rate_limit_counter').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('198.51.100.20');
  });

  it('PLAT-9: unlock, step-up, the invitation steps and plain public routes are limited too', async () => {
    const { app } = await setUp({ authPerAddress: 2, publicPerAddress: 2 });
    const from = '198.51.100.30';
    const statuses = async (request: () => Promise<{ statusCode: number }>) => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) out.push((await request()).statusCode);
      return out;
    };
    const post = (path: string, payload: Record<string, unknown>) => () => app.inject({ method: 'POST', url: `/trpc/${path}`, remoteAddress: from, payload });
    expect(await statuses(post('auth.session.stepUp', { code: '123456' }))).toEqual([401, 401, 429]);
    expect(await statuses(post('auth.session.unlock', { password: 'feil-passord-her' }))).toEqual([401, 401, 429]);
    expect((await statuses(post('auth.invitation.verifySmsCode', { token: 'x'.repeat(43), code: '123456' }))).at(-1)).toBe(429);
    expect(await statuses(() => app.inject({ method: 'GET', url: '/health', remoteAddress: from }))).toEqual([200, 200, 429]);
  });

  it('PLAT-9: argon2 work is bounded — a flood of logins from one address gets quick 429s and another address still logs in', async () => {
    // Rate limits out of the way: this is the work gate alone (one at a time, a short queue, one turn per address).
    const { app, user, clock } = await setUp({ authPerAddress: 1000, authOverall: 1000, argon2: { concurrency: 1, queue: 4, perAddress: 1 } });
    const flood = Array.from({ length: 10 }, (_, i) => passwordStep(app, '198.51.100.40', user.email, `feil-passord-nr-${i}`));
    const other = passwordStep(app, '192.0.2.44', user.email, TEST_PASSWORD);
    const [answers, otherAnswer] = await Promise.all([Promise.all(flood), other]);
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
    expect(statuses.every((status) => status === 429 || status === 401)).toBe(true);
    expect(otherAnswer.statusCode).toBe(200);
    // Nothing a refused call would have written: only the admitted ones counted as failures.
    const failures = await database.current.db.selectFrom('audit_event').select('id').where('action', '=', 'auth.login.failure').execute();
    expect(failures).toHaveLength(statuses.filter((status) => status === 401).length);
    expect(await logsIn(app, '192.0.2.45', user, clock)).toBe(true);
  });
});
