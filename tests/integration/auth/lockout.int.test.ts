import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { callerAs, createOrganisation, createUser, eventsOf, login, TEST_PASSWORD, TestClock, type TestUser } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { buildTestApp, createTestCaller } from '../support/test-server';
import { passwordTicket, refusalOf } from './auth-support';

const MINUTE = 60_000;
const loginFailed = { code: 'UNAUTHORIZED', message: 'auth.login_failed' };

describe('brute force lockout (AUTH-4)', () => {
  const database = useTestDatabase();

  async function setUp() {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id);
    const caller = () => createTestCaller(database.current, { now: clock.now });
    const wrongPasswords = async (count: number) => {
      for (let i = 0; i < count; i++) {
        expect(await refusalOf(caller().auth.login.password({ email: user.email, password: `feil-passord-nr-${i}`, deviceId: null }))).toMatchObject(loginFailed);
      }
    };
    /** The whole login with the right password and a fresh code; resolves to true when a session came out. */
    const canLogIn = async () => {
      try {
        await login(database.current, user, clock);
        return true;
      } catch (error) {
        expect(error).toMatchObject(loginFailed);
        return false;
      }
    };
    return { clock, organisation, user, caller, wrongPasswords, canLogIn };
  }

  const lockouts = async (user: TestUser) => eventsOf(database.current.db, { action: 'auth.lockout', userId: user.id });
  const failureReasons = async (user: TestUser) => (await eventsOf(database.current.db, { action: 'auth.login.failure', userId: user.id })).map((event) => event.reason);
  const counters = (user: TestUser) =>
    database.current.db.selectFrom('app_user').select(['failed_attempts', 'lockout_count', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();

  it('AUTH-4: five wrong passwords lock the account for 5 minutes (logged); even the right password fails until then', async () => {
    const { clock, user, wrongPasswords, canLogIn, caller } = await setUp();
    const start = clock.now().getTime();
    await wrongPasswords(4);
    expect(await lockouts(user)).toHaveLength(0);
    await wrongPasswords(1);
    const [lockout] = await lockouts(user);
    expect(lockout).toMatchObject({ outcome: 'denied', reason: 'too_many_failures', object_id: user.id, details: { lockedForSeconds: 300, lockoutNumber: 1 } });
    expect(await failureReasons(user)).toEqual(Array(5).fill('bad_password'));
    // While locked, the right password fails, and further wrong ones neither count nor extend the lock.
    clock.set(new Date(start + 4 * MINUTE + 59_000));
    expect(await refusalOf(caller().auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId: null }))).toMatchObject(loginFailed);
    await wrongPasswords(6);
    expect(await lockouts(user)).toHaveLength(1);
    expect((await failureReasons(user)).slice(5)).toEqual(Array(7).fill('locked'));
    clock.set(new Date(start + 5 * MINUTE + 1_000));
    expect(await canLogIn()).toBe(true);
  });

  it('AUTH-4: the second lockout lasts twice as long (10 min: locked at 9:59, open at 10:01), the third 20 min', async () => {
    const { clock, user, wrongPasswords, canLogIn } = await setUp();
    await wrongPasswords(5);
    clock.advance(5 * MINUTE + 1_000);
    await wrongPasswords(5);
    const second = clock.now().getTime();
    expect((await lockouts(user)).map((event) => event.details)).toEqual([
      { lockedForSeconds: 300, lockoutNumber: 1 },
      { lockedForSeconds: 600, lockoutNumber: 2 },
    ]);
    clock.set(new Date(second + 9 * MINUTE + 59_000));
    expect(await canLogIn()).toBe(false);
    clock.set(new Date(second + 10 * MINUTE + 1_000));
    // Open again: the password step passes (without completing the login, which would reset the doubling).
    await passwordTicket(database.current, clock, user);
    await wrongPasswords(5);
    expect((await lockouts(user)).at(-1)?.details).toEqual({ lockedForSeconds: 1200, lockoutNumber: 3 });
    clock.advance(19 * MINUTE);
    expect(await canLogIn()).toBe(false);
    clock.advance(1 * MINUTE + 1_000);
    expect(await canLogIn()).toBe(true);
  });

  it('AUTH-4: a completed login resets the failure count and the lockout doubling', async () => {
    const { clock, user, wrongPasswords, canLogIn } = await setUp();
    await wrongPasswords(4);
    expect(await canLogIn()).toBe(true);
    expect(await counters(user)).toMatchObject({ failed_attempts: 0, lockout_count: 0 });
    await wrongPasswords(4);
    expect(await lockouts(user)).toHaveLength(0);
    expect(await canLogIn()).toBe(true);
    // A lockout, then a good login: the next lockout is 5 minutes again, not 10.
    await wrongPasswords(5);
    clock.advance(5 * MINUTE + 1_000);
    expect(await canLogIn()).toBe(true);
    await wrongPasswords(5);
    expect((await lockouts(user)).map((event) => (event.details as { lockedForSeconds: number }).lockedForSeconds)).toEqual([300, 300]);
  });

  it('AUTH-4: wrong second-factor codes count too, mixed with wrong passwords; a locked account\'s right code is refused', async () => {
    const { clock, user, caller, wrongPasswords, canLogIn } = await setUp();
    const ticket = await passwordTicket(database.current, clock, user);
    const wrong = String((Number(await totpCodeAt(user.totpSecret, clock.now())) + 1) % 1_000_000).padStart(6, '0');
    await wrongPasswords(3);
    for (let i = 0; i < 2; i++) expect(await refusalOf(caller().auth.login.secondFactor({ ticket, code: wrong }))).toMatchObject(loginFailed);
    expect(await lockouts(user)).toHaveLength(1);
    expect(await failureReasons(user)).toEqual(['bad_password', 'bad_password', 'bad_password', 'bad_code', 'bad_code']);
    // The ticket from before the lock does not get around it.
    expect(await refusalOf(caller().auth.login.secondFactor({ ticket, code: await totpCodeAt(user.totpSecret, clock.now()) }))).toMatchObject(loginFailed);
    expect(await refusalOf(caller().auth.login.secondFactor({ ticket, recoveryCode: user.recoveryCodes[0] as string }))).toMatchObject(loginFailed);
    expect((await failureReasons(user)).slice(5)).toEqual(['locked', 'locked']);
    expect(await canLogIn()).toBe(false);
    clock.advance(5 * MINUTE + 1_000);
    // Five wrong codes alone lock it as well.
    const fresh = await passwordTicket(database.current, clock, user);
    for (let i = 0; i < 5; i++) await refusalOf(caller().auth.login.secondFactor({ ticket: fresh, code: wrong }));
    expect(await lockouts(user)).toHaveLength(2);
    expect(await canLogIn()).toBe(false);
  });

  it('AUTH-4: unknown user, wrong password, locked, admin-locked and not yet activated all get the very same answer, over HTTP too', async () => {
    const { clock, organisation, user } = await setUp();
    const db = database.current.db;
    const adminLocked = await createUser(db, organisation.id);
    await db.updateTable('app_user').set({ is_locked_by_admin: true }).where('id', '=', adminLocked.id).execute();
    const invited = await createUser(db, organisation.id);
    await db.updateTable('app_user').set({ status: 'invited', password_hash: null }).where('id', '=', invited.id).execute();
    const locked = await createUser(db, organisation.id);
    const app = await buildTestApp(database.current, { now: clock.now });
    try {
      const attempt = (email: string, password: string) =>
        app.inject({ method: 'POST', url: '/trpc/auth.login.password', payload: { email, password, deviceId: null } });
      // Lock one account with wrong passwords first.
      for (let i = 0; i < 5; i++) await attempt(locked.email, `feil-passord-nr-${i}`);
      const answers = {
        unknown: await attempt('finnes.ikke@test.example', TEST_PASSWORD),
        wrongPassword: await attempt(user.email, 'feil-passord-her'),
        locked: await attempt(locked.email, TEST_PASSWORD),
        adminLocked: await attempt(adminLocked.email, TEST_PASSWORD),
        invited: await attempt(invited.email, TEST_PASSWORD),
      };
      const reference = answers.unknown;
      expect(reference.statusCode).toBe(401);
      expect(reference.json()).toEqual({
        error: { message: 'auth.login_failed', code: -32001, data: { code: 'UNAUTHORIZED', httpStatus: 401, path: 'auth.login.password' } },
      });
      for (const [label, answer] of Object.entries(answers)) {
        expect(answer.statusCode, label).toBe(reference.statusCode);
        expect(answer.body, label).toBe(reference.body);
        expect(answer.headers['content-length'], label).toBe(reference.headers['content-length']);
      }
    } finally {
      await app.close();
    }
    // The log tells them apart; the client cannot.
    const reasons = (await eventsOf(db, { action: 'auth.login.failure' })).map((event) => event.reason).slice(-5);
    expect(reasons).toEqual(['unknown_user', 'bad_password', 'locked', 'locked_by_admin', 'inactive_account']);
    // An unknown name is never "locked": the answer stays the same however often it is tried.
    const caller = createTestCaller(database.current, { now: clock.now });
    for (let i = 0; i < 6; i++) {
      expect(await refusalOf(caller.auth.login.password({ email: 'finnes.ikke@test.example', password: `x-${i}-feil-passord`, deviceId: null }))).toMatchObject(loginFailed);
    }
    expect(await eventsOf(db, { action: 'auth.lockout', userId: user.id })).toHaveLength(0);
  });

  it('AUTH-4: an admin unlock lifts a brute-force lock at once', async () => {
    const { clock, organisation, user, wrongPasswords, canLogIn } = await setUp();
    const admin = await createUser(database.current.db, organisation.id, { roles: ['admin'] });
    const { token } = await login(database.current, admin, clock);
    await wrongPasswords(5);
    expect(await canLogIn()).toBe(false);
    await callerAs(database.current, token, clock).users.unlock({ userId: user.id });
    expect(await canLogIn()).toBe(true);
  });
});
