import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptTotpSecret } from '../../../src/server/auth/second-factor';
import { SecretBox } from '../../../src/server/auth/secret-box';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller, testSecretBox } from '../support/test-server';
import { passwordAndSmsEnrolment, passwordTicket, refusalOf } from './auth-support';

describe('devices (AUTH-6)', () => {
  const database = useTestDatabase();

  it('AUTH-6: the first login from a device is flagged and logged as auth.login.new_device; the same device again is not; another device is', async () => {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const user = await createUser(db, organisation.id);
    const colleague = await createUser(db, organisation.id);
    const newDeviceEvents = () => eventsOf(db, { action: 'auth.login.new_device' });

    expect((await login(database.current, user, clock, { deviceId: 'device-X-0001' })).isNewDevice).toBe(true);
    const [first] = await newDeviceEvents();
    const firstSession = await db.selectFrom('session').select(['id', 'device_id']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(first).toMatchObject({
      user_id: user.id,
      organisation_id: organisation.id,
      object_type: 'device',
      object_id: 'device-X-0001',
      device_id: 'device-X-0001',
      session_id: firstSession.id,
      auth_method: 'password+totp',
      outcome: 'allowed',
    });
    expect(firstSession.device_id).toBe('device-X-0001');

    clock.advance(60 * 60_000);
    expect((await login(database.current, user, clock, { deviceId: 'device-X-0001' })).isNewDevice).toBe(false);
    expect(await newDeviceEvents()).toHaveLength(1);

    expect((await login(database.current, user, clock, { deviceId: 'device-Y-0002' })).isNewDevice).toBe(true);
    expect((await newDeviceEvents()).map((event) => event.object_id)).toEqual(['device-X-0001', 'device-Y-0002']);

    // Devices are known per user: X is new for a colleague.
    expect((await login(database.current, colleague, clock, { deviceId: 'device-X-0001' })).isNewDevice).toBe(true);
    // A login that names no device is never "new" and leaves no device behind.
    expect((await login(database.current, user, clock, { deviceId: null })).isNewDevice).toBe(false);
    expect((await newDeviceEvents()).map((event) => [event.user_id, event.object_id])).toEqual([
      [user.id, 'device-X-0001'],
      [user.id, 'device-Y-0002'],
      [colleague.id, 'device-X-0001'],
    ]);
    const devices = await db.selectFrom('user_device').select(['user_id', 'device_id', 'first_seen_at', 'last_seen_at']).orderBy('first_seen_at').orderBy('device_id').execute();
    expect(devices.map((device) => [device.user_id, device.device_id])).toEqual([
      [user.id, 'device-X-0001'],
      [user.id, 'device-Y-0002'],
      [colleague.id, 'device-X-0001'],
    ]);
    const x = devices[0];
    expect(x && x.last_seen_at.getTime()).toBeGreaterThan(x?.first_seen_at.getTime() ?? Infinity);
  });

  it('AUTH-6: a refused login does not register the device', async () => {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const user = await createUser(db, organisation.id);
    const ticket = await passwordTicket(database.current, clock, user, 'device-Z-0003');
    const caller = createTestCaller(database.current, { now: clock.now });
    const wrong = String((Number(await totpCodeAt(user.totpSecret, clock.now())) + 1) % 1_000_000).padStart(6, '0');
    await refusalOf(caller.auth.login.secondFactor({ ticket, code: wrong }));
    expect(await db.selectFrom('user_device').selectAll().execute()).toEqual([]);
    expect((await caller.auth.login.secondFactor({ ticket, code: await totpCodeAt(user.totpSecret, clock.now()) })).isNewDevice).toBe(true);
  });
});

describe('TOTP secrets at rest (AUTH-5)', () => {
  const database = useTestDatabase();

  it('AUTH-5: the stored TOTP secret is encrypted, bound to its user, and useless under another key', async () => {
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const user = await createUser(db, organisation.id);
    const other = await createUser(db, organisation.id);
    const { totp_secret_encrypted: sealed } = await db.selectFrom('app_user').select('totp_secret_encrypted').where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!sealed) throw new Error('no stored secret');
    expect(sealed.toUpperCase()).not.toContain(user.totpSecret);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(decryptTotpSecret(testSecretBox, user.id, sealed)).toBe(user.totpSecret);
    expect(() => decryptTotpSecret(testSecretBox, other.id, sealed)).toThrow();
    expect(() => decryptTotpSecret(new SecretBox(randomBytes(32)), user.id, sealed)).toThrow();
    // Two users' ciphertexts differ even for the same plaintext (random IV).
    const again = testSecretBox.seal(user.totpSecret, `totp:${user.id}`);
    expect(again).not.toBe(sealed);
  });

  it('AUTH-5: a ciphertext copied onto another user\'s row does not let that user in with the copied secret', async () => {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const victim = await createUser(db, organisation.id);
    const attacker = await createUser(db, organisation.id);
    const { totp_secret_encrypted: sealed } = await db.selectFrom('app_user').select('totp_secret_encrypted').where('id', '=', attacker.id).executeTakeFirstOrThrow();
    await db.updateTable('app_user').set({ totp_secret_encrypted: sealed }).where('id', '=', victim.id).execute();
    const ticket = await passwordTicket(database.current, clock, victim);
    await expect(
      createTestCaller(database.current, { now: clock.now }).auth.login.secondFactor({ ticket, code: await totpCodeAt(attacker.totpSecret, clock.now()) }),
    ).rejects.toThrow();
    expect(await db.selectFrom('session').select('id').where('user_id', '=', victim.id).execute()).toEqual([]);
  });

  it('AUTH-5: a secret the server generates at enrolment is stored only encrypted', async () => {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const user = await createUser(db, organisation.id);
    // As after an admin's reset: the next password step starts a new enrolment.
    await db.updateTable('app_user').set({ totp_secret_encrypted: null, totp_enrolled_at: null }).where('id', '=', user.id).execute();
    const first = await passwordAndSmsEnrolment(database.current, clock, user);
    const row = await db.selectFrom('app_user').select('totp_secret_encrypted').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.totp_secret_encrypted).toBeTruthy();
    expect(row.totp_secret_encrypted?.toUpperCase()).not.toContain(first.totpSecret);
    expect(decryptTotpSecret(testSecretBox, user.id, row.totp_secret_encrypted as string)).toBe(first.totpSecret);
    // Nor does the secret reach the audit log.
    const events = await eventsOf(db);
    expect(JSON.stringify(events).toUpperCase()).not.toContain(first.totpSecret);
  });
});
