import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { callerAs, createOrganisation, createUser, eventsOf, login, TEST_PASSWORD, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';

describe('login (AUTH-3, AUTH-4, AUTH-6, AUTH-7)', () => {
  const database = useTestDatabase();

  it('AUTH-7: password + TOTP gives a session whose method is recorded on every event', async () => {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const { token, isNewDevice } = await login(database.current, user, clock, { deviceId: 'device-aaaa-1111' });
    expect(isNewDevice).toBe(true);
    const me = await callerAs(database.current, token, clock).auth.session.me();
    expect(me).toMatchObject({ userId: user.id, roles: ['clinician'], authMethod: 'password+totp', unusedRecoveryCodes: 10 });
    const success = await eventsOf(database.current.db, { action: 'auth.login.success' });
    expect(success).toHaveLength(1);
    expect(success[0]).toMatchObject({ user_id: user.id, organisation_id: organisation.id, auth_method: 'password+totp', device_id: 'device-aaaa-1111', outcome: 'allowed', client_ip: null });
    expect(await eventsOf(database.current.db, { action: 'auth.login.new_device' })).toHaveLength(1);
  });

  it('AUTH-4: a wrong password and an unknown user get the same answer, both logged with their reason', async () => {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id);
    const caller = createTestCaller(database.current, { now: clock.now });
    const wrong = await caller.auth.login.password({ email: user.email, password: 'feil-passord-her', deviceId: null }).catch((error: unknown) => error);
    const unknown = await caller.auth.login.password({ email: 'nobody@test.example', password: TEST_PASSWORD, deviceId: null }).catch((error: unknown) => error);
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.login_failed' });
    expect(unknown).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.login_failed' });
    const failures = await eventsOf(database.current.db, { action: 'auth.login.failure' });
    expect(failures.map((event) => event.reason)).toEqual(['bad_password', 'unknown_user']);
    expect(failures[0]).toMatchObject({ user_id: user.id, outcome: 'denied' });
    expect(failures[1]).toMatchObject({ user_id: null, organisation_id: null });
  });

  it('AUTH-3: a code is accepted once; the same code again is refused as a replay', async () => {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id);
    const caller = createTestCaller(database.current, { now: clock.now });
    const code = await totpCodeAt(user.totpSecret, clock.now());
    const first = await caller.auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId: null });
    if (first.step !== 'second_factor') throw new Error('expected second factor step');
    await caller.auth.login.secondFactor({ ticket: first.ticket, code });
    clock.advance(5_000); // same 30-second window
    const second = await caller.auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId: null });
    if (second.step !== 'second_factor') throw new Error('expected second factor step');
    await expect(caller.auth.login.secondFactor({ ticket: second.ticket, code })).rejects.toMatchObject({ message: 'auth.login_failed' });
    const failures = await eventsOf(database.current.db, { action: 'auth.login.failure' });
    expect(failures.map((event) => event.reason)).toEqual(['replayed_code']);
  });
});
