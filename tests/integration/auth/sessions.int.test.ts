import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/server/auth/tokens';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { callerAs, createOrganisation, createUser, eventsOf, login, TEST_PASSWORD, TestClock, type TestUser } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';
import { passwordAndSmsEnrolment, refusalOf } from './auth-support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sessionLocked = { code: 'UNAUTHORIZED', message: 'auth.session_locked' };
const sessionRequired = { code: 'UNAUTHORIZED', message: 'auth.session_required' };
const sessionExpired = { code: 'UNAUTHORIZED', message: 'auth.session_expired' };
const loginFailed = { code: 'UNAUTHORIZED', message: 'auth.login_failed' };

describe('sessions (AUTH-5)', () => {
  const database = useTestDatabase();

  async function setUp() {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const user = await createUser(db, organisation.id, { roles: ['clinician'] });
    const admin = await createUser(db, organisation.id, { roles: ['admin'] });
    return { clock, db, organisation, user, admin };
  }

  const sessionRow = (token: string) =>
    database.current.db
      .selectFrom('session')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirstOrThrow();

  it('AUTH-5: after 15 idle minutes every authenticated call answers auth.session_locked; the password unlocks it (logged)', async () => {
    const { clock, user, admin } = await setUp();
    const { token } = await login(database.current, user, clock);
    const { token: adminToken } = await login(database.current, admin, clock);
    const as = () => callerAs(database.current, token, clock);
    await as().auth.session.me();
    await callerAs(database.current, adminToken, clock).auth.session.me();
    // Calls keep it alive: one every 15 minutes (to the millisecond) for two hours.
    for (let i = 0; i < 8; i++) {
      clock.advance(15 * MINUTE);
      await as().auth.session.me();
      await callerAs(database.current, adminToken, clock).auth.session.me();
    }
    clock.advance(15 * MINUTE + 1);
    expect(await refusalOf(as().auth.session.me())).toMatchObject(sessionLocked);
    expect(await refusalOf(as().activity.mine({}))).toMatchObject(sessionLocked);
    expect(await refusalOf(as().auth.session.stepUp({ code: await totpCodeAt(user.totpSecret, clock.now()) }))).toMatchObject(sessionLocked);
    expect(await refusalOf(callerAs(database.current, adminToken, clock).users.list())).toMatchObject(sessionLocked);
    // Nothing was done on the locked session.
    expect(await eventsOf(database.current.db, { action: 'audit.read.own' })).toHaveLength(0);

    expect(await as().auth.session.unlock({ password: TEST_PASSWORD })).toEqual({ isUnlocked: true });
    const [unlocked] = await eventsOf(database.current.db, { action: 'auth.session.unlocked', userId: user.id });
    expect(unlocked).toMatchObject({ outcome: 'allowed', auth_method: 'password+totp', object_type: 'session', session_id: (await sessionRow(token)).id });
    expect(await as().auth.session.me()).toMatchObject({ userId: user.id });
    // The password alone is no second factor: unlocking does not renew the step-up window.
    expect((await sessionRow(token)).second_factor_at.getTime()).toBeLessThan(clock.now().getTime() - 2 * HOUR);
  });

  it('AUTH-5: five wrong passwords at the lock screen end the session', async () => {
    const { clock, user } = await setUp();
    const { token } = await login(database.current, user, clock);
    const as = () => callerAs(database.current, token, clock);
    clock.advance(16 * MINUTE);
    for (let i = 1; i <= 4; i++) {
      expect(await refusalOf(as().auth.session.unlock({ password: `feil-passord-${i}` }))).toMatchObject(loginFailed);
      expect(await refusalOf(as().auth.session.me())).toMatchObject(sessionLocked);
    }
    expect(await refusalOf(as().auth.session.unlock({ password: 'feil-passord-5' }))).toMatchObject(loginFailed);
    expect(await refusalOf(as().auth.session.unlock({ password: TEST_PASSWORD }))).toMatchObject(sessionRequired);
    expect(await refusalOf(as().auth.session.me())).toMatchObject(sessionRequired);
    expect(await sessionRow(token)).toMatchObject({ end_reason: 'locked' });
    // A failed unlock is a security event of its own (AUD-2: it would keep the source address).
    expect((await eventsOf(database.current.db, { action: 'auth.session.unlock_failed', userId: user.id })).map((event) => [event.outcome, event.reason])).toEqual(
      Array(5).fill(['denied', 'bad_password']),
    );
    expect(await eventsOf(database.current.db, { action: 'auth.session.unlocked', userId: user.id })).toEqual([]);
    expect(await eventsOf(database.current.db, { action: 'auth.lockout', userId: user.id })).toHaveLength(1);
    // A new login is possible: the lock screen ends the session, not the account.
    await login(database.current, user, clock);
  });

  it('AUTH-5: after 12 hours the session ends however active it was (auth.session_expired, logged once)', async () => {
    const { clock, user } = await setUp();
    const loginAt = clock.now().getTime();
    const { token } = await login(database.current, user, clock);
    const as = () => callerAs(database.current, token, clock);
    while (clock.now().getTime() + 14 * MINUTE < loginAt + 12 * HOUR) {
      clock.advance(14 * MINUTE);
      await as().auth.session.me();
    }
    clock.set(new Date(loginAt + 12 * HOUR - 1));
    await as().auth.session.me();
    clock.set(new Date(loginAt + 12 * HOUR));
    expect(await refusalOf(as().auth.session.me())).toMatchObject(sessionExpired);
    expect(await refusalOf(as().auth.session.me())).toMatchObject(sessionRequired);
    expect(await refusalOf(as().auth.session.unlock({ password: TEST_PASSWORD }))).toMatchObject(sessionRequired);
    const expired = await eventsOf(database.current.db, { action: 'auth.session.expired', userId: user.id });
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ object_id: (await sessionRow(token)).id, auth_method: 'password+totp' });
    expect(await sessionRow(token)).toMatchObject({ end_reason: 'expired' });
  });

  it('AUTH-5: an idle session past 12 hours is expired, not merely locked', async () => {
    const { clock, user } = await setUp();
    const { token } = await login(database.current, user, clock);
    clock.advance(12 * HOUR);
    expect(await refusalOf(callerAs(database.current, token, clock).auth.session.unlock({ password: TEST_PASSWORD }))).toMatchObject(sessionExpired);
  });

  it('AUTH-5: logout ends the session at once, also from the lock screen', async () => {
    const { clock, user } = await setUp();
    const { token } = await login(database.current, user, clock);
    const { token: other } = await login(database.current, user, clock);
    expect(await callerAs(database.current, token, clock).auth.session.logout()).toEqual({ isLoggedOut: true });
    expect(await refusalOf(callerAs(database.current, token, clock).auth.session.me())).toMatchObject(sessionRequired);
    expect(await refusalOf(callerAs(database.current, token, clock).auth.session.logout())).toMatchObject(sessionRequired);
    expect(await sessionRow(token)).toMatchObject({ end_reason: 'logout' });
    // The user's other session is untouched; logging it out from its lock screen works too.
    clock.advance(20 * MINUTE);
    expect(await callerAs(database.current, other, clock).auth.session.logout()).toEqual({ isLoggedOut: true });
    expect(await refusalOf(callerAs(database.current, other, clock).auth.session.me())).toMatchObject(sessionRequired);
    expect(await eventsOf(database.current.db, { action: 'auth.logout', userId: user.id })).toHaveLength(2);
  });

  it('AUTH-5: an admin revoke ends all the user\'s sessions at once and no one else\'s', async () => {
    const { clock, organisation, user, admin } = await setUp();
    const bystander = await createUser(database.current.db, organisation.id);
    const first = await login(database.current, user, clock);
    const second = await login(database.current, user, clock, { deviceId: 'device-other-22' });
    const byStanderSession = await login(database.current, bystander, clock);
    const { token: adminToken } = await login(database.current, admin, clock);
    expect(await callerAs(database.current, adminToken, clock).users.revokeSessions({ userId: user.id })).toEqual({ sessionsEnded: 2 });
    for (const { token } of [first, second]) {
      expect(await refusalOf(callerAs(database.current, token, clock).auth.session.me())).toMatchObject(sessionRequired);
      expect(await sessionRow(token)).toMatchObject({ end_reason: 'revoked' });
    }
    await callerAs(database.current, byStanderSession.token, clock).auth.session.me();
    await callerAs(database.current, adminToken, clock).auth.session.me();
    const [revoked] = await eventsOf(database.current.db, { action: 'admin.user.sessions_revoked' });
    expect(revoked).toMatchObject({ user_id: admin.id, object_id: user.id, details: { sessionsEnded: 2 } });
    // Revoking is not locking: the user may log in again.
    await login(database.current, user, clock);
  });

  it('AUTH-5: users.lock ends the sessions and blocks login until users.unlock', async () => {
    const { clock, user, admin } = await setUp();
    const { token } = await login(database.current, user, clock);
    const { token: adminToken } = await login(database.current, admin, clock);
    const asAdmin = () => callerAs(database.current, adminToken, clock);
    await asAdmin().users.lock({ userId: user.id });
    expect(await refusalOf(callerAs(database.current, token, clock).auth.session.me())).toMatchObject(sessionRequired);
    expect(await sessionRow(token)).toMatchObject({ end_reason: 'locked' });
    const anonymous = createTestCaller(database.current, { now: clock.now });
    expect(await refusalOf(anonymous.auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId: null }))).toMatchObject(loginFailed);
    // Time does not lift an admin's lock.
    clock.advance(48 * HOUR);
    const { token: laterAdmin } = await login(database.current, admin, clock);
    expect(await refusalOf(anonymous.auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId: null }))).toMatchObject(loginFailed);
    await callerAs(database.current, laterAdmin, clock).users.unlock({ userId: user.id });
    await login(database.current, user, clock);
    const reasons = (await eventsOf(database.current.db, { action: 'auth.login.failure', userId: user.id })).map((event) => event.reason);
    expect(reasons).toEqual(['locked_by_admin', 'locked_by_admin']);
    expect(await eventsOf(database.current.db, { action: 'admin.user.locked' })).toHaveLength(1);
    expect(await eventsOf(database.current.db, { action: 'admin.user.unlocked' })).toHaveLength(1);
  });

  it('AUTH-5: an admin cannot lock themselves out', async () => {
    const { clock, admin } = await setUp();
    const { token } = await login(database.current, admin, clock);
    expect(await refusalOf(callerAs(database.current, token, clock).users.lock({ userId: admin.id }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: [{ field: 'userId', messageKey: 'validation.not_yourself' }],
    });
    await callerAs(database.current, token, clock).auth.session.me();
  });
});

describe('step-up and second-factor reset (AUTH-3, AUTH-5)', () => {
  const database = useTestDatabase();

  async function setUp() {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin'] });
    const users = [await createUser(db, organisation.id), await createUser(db, organisation.id), await createUser(db, organisation.id)] as [TestUser, TestUser, TestUser];
    return { clock, db, organisation, admin, users };
  }

  it('AUTH-5: resetSecondFactor needs a second factor from the last 5 minutes; auth.session.stepUp renews it', async () => {
    const { clock, admin, users } = await setUp();
    const loginAt = clock.now().getTime();
    const { token } = await login(database.current, admin, clock);
    const as = () => callerAs(database.current, token, clock);
    clock.set(new Date(loginAt + 4 * MINUTE + 59_000));
    await as().users.resetSecondFactor({ userId: users[0].id });
    clock.set(new Date(loginAt + 5 * MINUTE + 1_000));
    expect(await refusalOf(as().users.resetSecondFactor({ userId: users[1].id }))).toMatchObject({ code: 'FORBIDDEN', message: 'auth.step_up_required' });
    expect(await database.current.db.selectFrom('app_user').select('totp_enrolled_at').where('id', '=', users[1].id).executeTakeFirstOrThrow()).not.toMatchObject({
      totp_enrolled_at: null,
    });
    // A stale code (the login's own, five minutes old) does not step up.
    const stepUpFailed = { code: 'UNAUTHORIZED', message: 'auth.step_up_failed' };
    expect(await refusalOf(as().auth.session.stepUp({ code: await totpCodeAt(admin.totpSecret, new Date(loginAt)) }))).toMatchObject(stepUpFailed);
    expect(await refusalOf(as().users.resetSecondFactor({ userId: users[1].id }))).toMatchObject({ message: 'auth.step_up_required' });
    const fresh = await totpCodeAt(admin.totpSecret, clock.now());
    const stepped = await as().auth.session.stepUp({ code: fresh });
    expect(stepped.stepUpValidUntil).toBe(new Date(clock.now().getTime() + 5 * MINUTE).toISOString());
    await as().users.resetSecondFactor({ userId: users[1].id });
    // The same code a second time is a replay.
    expect(await refusalOf(as().auth.session.stepUp({ code: fresh }))).toMatchObject(stepUpFailed);
    const events = (await eventsOf(database.current.db, { userId: admin.id })).filter((event) => event.action.startsWith('auth.step_up'));
    expect(events.map((event) => [event.action, event.outcome, event.reason])).toEqual([
      ['auth.step_up.failed', 'denied', 'bad_code'],
      ['auth.step_up', 'allowed', null],
      ['auth.step_up.failed', 'denied', 'replayed_code'],
    ]);
    // The two refused resets are denied attempts under the same action (ACC-5), without the user they named.
    expect((await eventsOf(database.current.db, { action: 'admin.user.second_factor_reset' })).map((event) => [event.outcome, event.reason, event.object_id])).toEqual([
      ['allowed', null, users[0].id],
      ['denied', 'step_up_required', null],
      ['denied', 'step_up_required', null],
      ['allowed', null, users[1].id],
    ]);
    // The window is five minutes from the step-up, not from the login.
    clock.advance(5 * MINUTE + 1_000);
    expect(await refusalOf(as().users.resetSecondFactor({ userId: users[2].id }))).toMatchObject({ message: 'auth.step_up_required' });
  });

  it('AUTH-3: after a reset (logged, sessions ended) the user must enrol anew; old codes are dead and new recovery codes come out', async () => {
    const { clock, admin, users } = await setUp();
    const user = users[0];
    const { token: userToken } = await login(database.current, user, clock);
    const { token } = await login(database.current, admin, clock);
    await callerAs(database.current, token, clock).users.resetSecondFactor({ userId: user.id });
    const [reset] = await eventsOf(database.current.db, { action: 'admin.user.second_factor_reset' });
    expect(reset).toMatchObject({ user_id: admin.id, object_type: 'user', object_id: user.id, outcome: 'allowed', details: { sessionsEnded: 1 }, auth_method: 'password+totp' });
    expect(await refusalOf(callerAs(database.current, userToken, clock).auth.session.me())).toMatchObject(sessionRequired);

    clock.advance(30_000);
    const anonymous = createTestCaller(database.current, { now: clock.now });
    const first = await passwordAndSmsEnrolment(database.current, clock, user);
    expect(first.totpSecret).not.toBe(user.totpSecret);
    expect(new URL(first.totpUri).searchParams.get('secret')).toBe(first.totpSecret);
    // Neither the old authenticator nor an old recovery code gets past the enrolment.
    expect(await refusalOf(anonymous.auth.login.secondFactor({ ticket: first.ticket, code: await totpCodeAt(user.totpSecret, clock.now()) }))).toMatchObject(loginFailed);
    expect(await refusalOf(anonymous.auth.login.secondFactor({ ticket: first.ticket, recoveryCode: user.recoveryCodes[0] as string }))).toMatchObject(loginFailed);
    expect(await refusalOf(anonymous.auth.login.enrol({ ticket: first.ticket, code: await totpCodeAt(user.totpSecret, clock.now()) }))).toMatchObject(loginFailed);

    const enrolled = await anonymous.auth.login.enrol({ ticket: first.ticket, code: await totpCodeAt(first.totpSecret, clock.now()) });
    expect(enrolled.recoveryCodes).toHaveLength(10);
    expect(await eventsOf(database.current.db, { action: 'auth.second_factor.sms_verified', userId: user.id })).toHaveLength(1);
    expect(enrolled.recoveryCodes?.some((code) => user.recoveryCodes.includes(code))).toBe(false);
    const me = await callerAs(database.current, enrolled.token, clock).auth.session.me();
    expect(me).toMatchObject({ userId: user.id, authMethod: 'password+totp', unusedRecoveryCodes: 10 });
    expect(await eventsOf(database.current.db, { action: 'auth.second_factor.enrolled', userId: user.id })).toHaveLength(1);

    // From now on the normal second-factor step with the new secret; the old recovery codes stay dead.
    clock.advance(30_000);
    const next = await anonymous.auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId: null });
    expect(next.step).toBe('second_factor');
    expect(await refusalOf(anonymous.auth.login.secondFactor({ ticket: next.ticket, recoveryCode: user.recoveryCodes[1] as string }))).toMatchObject(loginFailed);
    await anonymous.auth.login.secondFactor({ ticket: next.ticket, recoveryCode: enrolled.recoveryCodes?.[0] as string });
  });
});
