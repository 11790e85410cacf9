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
  /** The failures of this account from the test callers' one source (AUTH-4 counts per account and source). */
  const counters = (user: TestUser) =>
    database.current.db.selectFrom('login_failure').select(['failures', 'lockout_count', 'locked_until']).where('user_id', '=', user.id).where('source', '=', 'unknown').executeTakeFirst();

  it('AUTH-4: five wrong passwords lock the account for 5 minutes (logged); even the right password fails until then', async () => {
    const { clock, user, wrongPasswords, canLogIn, caller } = await setUp();
    const start = clock.now().getTime();
    await wrongPasswords(4);
    expect(await lockouts(user)).toHaveLength(0);
    await wrongPasswords(1);
    const [lockout] = await lockouts(user);
    expect(lockout).toMatchObject({ outcome: 'denied', reason: 'too_many_failures', object_id: user.id, details: { scope: 'source', lockedForSeconds: 300, lockoutNumber: 1 } });
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
      { scope: 'source', lockedForSeconds: 300, lockoutNumber: 1 },
      { scope: 'source', lockedForSeconds: 600, lockoutNumber: 2 },
    ]);
    clock.set(new Date(second + 9 * MINUTE + 59_000));
    expect(await canLogIn()).toBe(false);
    clock.set(new Date(second + 10 * MINUTE + 1_000));
    // Open again: the password step passes (without completing the login, which would reset the doubling).
    await passwordTicket(database.current, clock, user);
    await wrongPasswords(5);
    expect((await lockouts(user)).at(-1)?.details).toEqual({ scope: 'source', lockedForSeconds: 1200, lockoutNumber: 3 });
    clock.advance(19 * MINUTE);
    expect(await canLogIn()).toBe(false);
    clock.advance(1 * MINUTE + 1_000);
    expect(await canLogIn()).toBe(true);
  });

  it('AUTH-4: a completed login resets the failure count and the lockout doubling', async () => {
    const { clock, user, wrongPasswords, canLogIn } = await setUp();
    await wrongPasswords(4);
    expect(await canLogIn()).toBe(true);
    // The source's row is gone: no failures, no lockout history.
    expect(await counters(user)).toBeUndefined();
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

  it('AUTH-4: an admin unlock clears every source and the backstop in one statement beside its row lock and event', async () => {
    const { clock, organisation, user, wrongPasswords } = await setUp();
    const db = database.current.db;
    const admin = await createUser(db, organisation.id, { roles: ['admin'] });
    const { token } = await login(database.current, admin, clock);
    await wrongPasswords(5);
    // A second source's failures and the account-wide count: the unlock lifts those too.
    const elsewhere = createTestCaller(database.current, { now: clock.now }, { clientIp: '198.51.100.7' });
    await refusalOf(elsewhere.auth.login.password({ email: user.email, password: 'feil-passord-et-annet-sted', deviceId: null }));
    await db.updateTable('app_user').set({ locked_until: new Date(clock.now().getTime() + 15 * MINUTE) }).where('id', '=', user.id).execute();
    expect(await db.selectFrom('login_failure').select('source').where('user_id', '=', user.id).execute()).toHaveLength(2);

    // Every statement the unlock sends, counted by a Kysely plugin on the caller's own database handle.
    // Each as its kind and first table; the session's own lookup and touch are left out (not the unlock's).
    const statements: string[] = [];
    const counted = db.withPlugin({
      transformQuery: (args) => {
        const node = args.node as { from?: { froms: unknown[] }; table?: unknown; into?: unknown };
        const target = node.from?.froms[0] ?? node.table ?? node.into;
        const table = JSON.stringify(target).match(/"IdentifierNode","name":"([a-z_]+)"/)?.[1];
        if (table !== 'session') statements.push(`${args.node.kind} ${table}`);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await callerAs({ ...database.current, db: counted }, token, clock).users.unlock({ userId: user.id });

    expect(await db.selectFrom('login_failure').select('source').where('user_id', '=', user.id).execute()).toEqual([]);
    expect(await db.selectFrom('app_user').select(['locked_until', 'failed_attempts', 'lockout_count', 'is_locked_by_admin']).where('id', '=', user.id).executeTakeFirstOrThrow()).toEqual({
      locked_until: null,
      failed_attempts: 0,
      lockout_count: 0,
      is_locked_by_admin: false,
    });
    // The row lock (SELECT … FOR UPDATE), the one clearing statement, the audit event: the everyday
    // admin action costs no round trip per kind of lock (issue 8: the write benchmark's fall). On
    // PostgreSQL the event is no query of its own: it is sent with the COMMIT (docs/adr/0019).
    expect(statements).toEqual(['SelectQueryNode app_user', 'UpdateQueryNode app_user', ...(database.current.kind === 'postgres' ? [] : ['InsertQueryNode audit_event'])]);
    expect(await eventsOf(db, { action: 'admin.user.unlocked' })).toHaveLength(1);
  });
});

describe('a lockout an outsider cannot turn into a weapon (AUTH-4, AUD-2; docs/adr/0005)', () => {
  const database = useTestDatabase();

  async function setUp() {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const clinician = await createUser(database.current.db, organisation.id);
    const from = (clientIp: string) => createTestCaller(database.current, { now: clock.now }, { clientIp });
    const wrong = (clientIp: string, i: number) => refusalOf(from(clientIp).auth.login.password({ email: clinician.email, password: `feil-passord-nr-${i}`, deviceId: null }));
    /** The whole login from an address (and device), with a fresh code. */
    const logsInFrom = async (clientIp: string, deviceId: string | null = null) => {
      const caller = from(clientIp);
      try {
        const first = await caller.auth.login.password({ email: clinician.email, password: TEST_PASSWORD, deviceId });
        if (first.step !== 'second_factor') return false;
        await caller.auth.login.secondFactor({ ticket: first.ticket, code: await totpCodeAt(clinician.totpSecret, clock.now()) });
        clock.advance(30_000);
        return true;
      } catch (error) {
        expect(error).toMatchObject(loginFailed);
        return false;
      }
    };
    return { clock, clinician, wrong, logsInFrom };
  }

  it('AUTH-4: someone hammering a clinician\'s e-mail from one address all day does not stop the clinician signing in from another', async () => {
    const { clock, clinician, wrong, logsInFrom } = await setUp();
    // Five rounds of five wrong passwords, each as soon as the attacker's lock ends: that address's lock grows.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 5; i++) expect(await wrong('198.51.100.66', i)).toMatchObject(loginFailed);
      const [latest] = (await eventsOf(database.current.db, { action: 'auth.lockout', userId: clinician.id })).slice(-1);
      clock.advance(((latest?.details as { lockedForSeconds: number }).lockedForSeconds + 1) * 1000);
    }
    for (let i = 0; i < 5; i++) await wrong('198.51.100.66', i);
    const lockouts = await eventsOf(database.current.db, { action: 'auth.lockout', userId: clinician.id });
    expect(lockouts.map((event) => (event.details as { lockedForSeconds: number }).lockedForSeconds)).toEqual([300, 600, 1200, 2400, 4800, 9600]);
    // The attacker's own address is locked (even the right password fails there) …
    expect(await logsInFrom('198.51.100.66')).toBe(false);
    // … the clinician, at work on another address, signs in at once.
    expect(await logsInFrom('10.20.30.40')).toBe(true);
    // Every one of those failures and lockouts holds the address it came from (AUD-2).
    const failures = await eventsOf(database.current.db, { action: 'auth.login.failure', userId: clinician.id });
    expect(new Set([...failures, ...lockouts].map((event) => event.client_ip))).toEqual(new Set(['198.51.100.66']));
  });

  it('AUTH-4: an IPv6 attacker cannot escape the count by changing addresses inside their /64', async () => {
    const { clinician, wrong } = await setUp();
    for (let i = 0; i < 5; i++) await wrong(`2001:db8:1:2::${(i + 1).toString(16)}`, i);
    expect(await eventsOf(database.current.db, { action: 'auth.lockout', userId: clinician.id })).toHaveLength(1);
  });

  it('AUTH-4: the account-wide backstop (50 failures in an hour from many addresses) locks for 15 minutes, but not a device the user has signed in from', async () => {
    const { clock, clinician, wrong, logsInFrom } = await setUp();
    expect(await logsInFrom('10.20.30.40', 'device-clinician-0001')).toBe(true);
    for (let source = 1; source <= 10; source++) for (let i = 0; i < 5; i++) await wrong(`203.0.113.${source}`, i);
    const accountLock = (await eventsOf(database.current.db, { action: 'auth.lockout', userId: clinician.id })).filter((event) => (event.details as { scope: string }).scope === 'account');
    expect(accountLock).toHaveLength(1);
    expect(accountLock[0]?.details).toMatchObject({ lockedForSeconds: 900 });
    // A new address on a new device is refused while the backstop holds …
    expect(await logsInFrom('10.99.0.1', 'device-unknown-0002')).toBe(false);
    expect((await eventsOf(database.current.db, { action: 'auth.login.failure', userId: clinician.id })).at(-1)?.reason).toBe('locked_account');
    // … the clinician's own computer is not.
    expect(await logsInFrom('10.99.0.1', 'device-clinician-0001')).toBe(true);
    clock.advance(15 * MINUTE + 1_000);
    expect(await logsInFrom('10.99.0.2', 'device-unknown-0003')).toBe(true);
  });

  it('AUTH-4: failures decay — four now and four after an hour lock nothing; the count started again', async () => {
    const { clock, clinician, wrong } = await setUp();
    for (let i = 0; i < 4; i++) await wrong('198.51.100.70', i);
    clock.advance(61 * MINUTE);
    for (let i = 0; i < 4; i++) await wrong('198.51.100.70', i);
    expect(await eventsOf(database.current.db, { action: 'auth.lockout', userId: clinician.id })).toHaveLength(0);
    // The fifth since the pause locks, as five in a row would.
    await wrong('198.51.100.70', 5);
    expect(await eventsOf(database.current.db, { action: 'auth.lockout', userId: clinician.id })).toHaveLength(1);
  });

  it('AUD-2: a successful login (an ordinary action) does not keep the address; a failed one does', async () => {
    const { clinician, wrong, logsInFrom } = await setUp();
    await wrong('198.51.100.80', 0);
    expect(await logsInFrom('198.51.100.80')).toBe(true);
    const events = await eventsOf(database.current.db, { userId: clinician.id });
    expect(events.map((event) => [event.action, event.client_ip])).toEqual([
      ['auth.login.failure', '198.51.100.80'],
      ['auth.login.success', null],
    ]);
  });
});
