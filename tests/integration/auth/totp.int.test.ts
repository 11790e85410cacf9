import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { callerAs, createOrganisation, createUser, eventsOf, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';
import { passwordTicket, refusalOf } from './auth-support';

const STEP_MS = 30_000;
/** 2026-11-22T09:00:00Z is a step boundary (1795338000 / 30 is whole). */
const BOUNDARY = new Date('2026-11-22T09:00:00.000Z');

function oathtoolAvailable(): boolean {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const hasOathtool = oathtoolAvailable();
// The cross-check below skips where oathtool is missing (a developer's machine). CI installs it
// (.ci/run, and scripts/test.sh when run as root) and sets JK_REQUIRE_OATHTOOL=1, so there a
// missing oathtool fails the run instead of skipping the check quietly.
const isOathtoolRequired = process.env.JK_REQUIRE_OATHTOOL === '1';
if (!hasOathtool) console.log('totp.int.test.ts: oathtool is not installed (apt-get install oathtool); the cross-check against it is skipped');

describe('TOTP codes (AUTH-3)', () => {
  it.runIf(isOathtoolRequired)('AUTH-3: oathtool is installed where it is required (JK_REQUIRE_OATHTOOL=1 makes its absence a failure)', () => {
    expect(hasOathtool).toBe(true);
  });

  it('AUTH-3: RFC 6238 test vectors (SHA-1, 30 s, last 6 digits) come out of the code generator the tests use', async () => {
    // RFC 6238 appendix B, secret "12345678901234567890" (base32 below), 8-digit values truncated to 6.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(await totpCodeAt(secret, new Date(59_000))).toBe('287082');
    expect(await totpCodeAt(secret, new Date(1_111_111_109_000))).toBe('081804');
    expect(await totpCodeAt(secret, new Date(1_234_567_890_000))).toBe('005924');
    expect(await totpCodeAt(secret, new Date(2_000_000_000_000))).toBe('279037');
  });
});

describe('TOTP (AUTH-3) and recovery codes (AUTH-3, AUTH-7)', () => {
  const database = useTestDatabase();

  async function setUp(at = BOUNDARY) {
    const clock = new TestClock(at);
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id, { roles: ['clinician'] });
    const caller = createTestCaller(database.current, { now: clock.now });
    return { clock, organisation, user, caller };
  }

  const loginFailed = { code: 'UNAUTHORIZED', message: 'auth.login_failed' };
  const failureReasons = async (userId: string) => (await eventsOf(database.current.db, { action: 'auth.login.failure', userId })).map((event) => event.reason);

  it.skipIf(!hasOathtool)('AUTH-3: codes agree with oathtool (an independent implementation), and the server accepts oathtool\'s code', async () => {
    const { clock, user, caller } = await setUp();
    const oathtool = (at: string) => execFileSync('oathtool', ['--totp', '-b', user.totpSecret, '--now', at], { encoding: 'utf8' }).trim();
    for (const [at, iso] of [
      ['2026-11-22 09:00:00 UTC', '2026-11-22T09:00:00Z'],
      ['2026-11-22 09:00:29 UTC', '2026-11-22T09:00:29Z'],
      ['2026-11-22 09:00:30 UTC', '2026-11-22T09:00:30Z'],
      ['2031-02-28 23:59:59 UTC', '2031-02-28T23:59:59Z'],
    ] as const) {
      expect(await totpCodeAt(user.totpSecret, new Date(iso)), at).toBe(oathtool(at));
    }
    const ticket = await passwordTicket(database.current, clock, user);
    const session = await caller.auth.login.secondFactor({ ticket, code: oathtool('2026-11-22 09:00:00 UTC') });
    expect(session.token).toBeTruthy();
  });

  it.each([0, 15, 29])('AUTH-3: at %i s into a step, codes of the previous and next step are accepted, two steps off are refused', async (secondsIntoStep) => {
    const { clock, user, caller } = await setUp(new Date(BOUNDARY.getTime() + secondsIntoStep * 1000));
    const codeOfStep = (offset: number) => totpCodeAt(user.totpSecret, new Date(BOUNDARY.getTime() + offset * STEP_MS));
    const ticket = await passwordTicket(database.current, clock, user);
    expect(await refusalOf(caller.auth.login.secondFactor({ ticket, code: await codeOfStep(-2) }))).toMatchObject(loginFailed);
    expect(await refusalOf(caller.auth.login.secondFactor({ ticket, code: await codeOfStep(2) }))).toMatchObject(loginFailed);
    // In ascending order, so that no acceptance is refused as a replay of the one before.
    await caller.auth.login.secondFactor({ ticket, code: await codeOfStep(-1) });
    await caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), code: await codeOfStep(0) });
    await caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), code: await codeOfStep(1) });
    expect(await failureReasons(user.id)).toEqual(['bad_code', 'bad_code']);
    expect(await eventsOf(database.current.db, { action: 'auth.login.success', userId: user.id })).toHaveLength(3);
  });

  it('AUTH-3: a code is refused as a replay while its window lasts, and so is any older one', async () => {
    const { clock, user, caller } = await setUp(new Date(BOUNDARY.getTime() + 10_000));
    const code = await totpCodeAt(user.totpSecret, clock.now());
    await caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), code });
    for (const later of [1_000, 19_000, 30_000]) {
      // Still inside the code's acceptance window (its own step, then the next one's "previous step").
      clock.set(new Date(BOUNDARY.getTime() + 10_000 + later));
      expect(await refusalOf(caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), code }))).toMatchObject(loginFailed);
    }
    // The previous step's code is valid by the clock, but older than the one used: refused too.
    const previous = await totpCodeAt(user.totpSecret, new Date(BOUNDARY.getTime() - STEP_MS));
    clock.set(new Date(BOUNDARY.getTime() + 20_000));
    expect(await refusalOf(caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), code: previous }))).toMatchObject(loginFailed);
    expect(await failureReasons(user.id)).toEqual(['replayed_code', 'replayed_code', 'replayed_code', 'replayed_code']);
  });

  it('AUTH-3: after a code of step N+1 was used, the code of step N is refused even while N is the current step', async () => {
    const { clock, user, caller } = await setUp(new Date(BOUNDARY.getTime() + 5_000));
    const next = await totpCodeAt(user.totpSecret, new Date(BOUNDARY.getTime() + STEP_MS));
    const current = await totpCodeAt(user.totpSecret, clock.now());
    await caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), code: next });
    clock.advance(1_000);
    expect(await refusalOf(caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), code: current }))).toMatchObject(loginFailed);
    expect(await failureReasons(user.id)).toEqual(['replayed_code']);
    // Two steps on, a fresh code works again.
    clock.advance(2 * STEP_MS);
    await caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), code: await totpCodeAt(user.totpSecret, clock.now()) });
  });

  it('AUTH-3, AUTH-7: a recovery code logs in with method password+recovery_code on the session and its events, once only', async () => {
    const { clock, organisation, user, caller } = await setUp();
    const [first, second] = user.recoveryCodes as [string, string];
    const result = await caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user, 'device-rec-0001'), recoveryCode: first });
    const me = await callerAs(database.current, result.token, clock).auth.session.me();
    expect(me).toMatchObject({ userId: user.id, authMethod: 'password+recovery_code', unusedRecoveryCodes: 9 });
    const success = await eventsOf(database.current.db, { action: 'auth.login.success', userId: user.id });
    expect(success).toHaveLength(1);
    expect(success[0]).toMatchObject({ auth_method: 'password+recovery_code', organisation_id: organisation.id, device_id: 'device-rec-0001' });
    const used = await eventsOf(database.current.db, { action: 'auth.recovery_code.used', userId: user.id });
    expect(used).toHaveLength(1);
    expect(used[0]?.auth_method).toBe('password+recovery_code');
    expect(used[0]?.session_id).toBe(success[0]?.session_id);
    const session = await database.current.db.selectFrom('session').select(['auth_method']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(session.auth_method).toBe('password+recovery_code');
    // AUTH-7: later actions in the session carry its method too.
    await callerAs(database.current, result.token, clock).activity.mine({});
    const [read] = await eventsOf(database.current.db, { action: 'audit.read.own', userId: user.id });
    expect(read?.auth_method).toBe('password+recovery_code');

    // Once only.
    expect(await refusalOf(caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), recoveryCode: first }))).toMatchObject(loginFailed);
    expect(await failureReasons(user.id)).toEqual(['bad_recovery_code']);
    // Case, spaces and dashes do not matter for another, unused code.
    const typed = ` ${second.replace(/-/g, '').toUpperCase()} `;
    await caller.auth.login.secondFactor({ ticket: await passwordTicket(database.current, clock, user), recoveryCode: typed });
    expect((await eventsOf(database.current.db, { action: 'auth.recovery_code.used', userId: user.id })).length).toBe(2);
  });

  it('AUTH-3: a made-up recovery code is refused and counts as a failure', async () => {
    const { clock, user, caller } = await setUp();
    const ticket = await passwordTicket(database.current, clock, user);
    expect(await refusalOf(caller.auth.login.secondFactor({ ticket, recoveryCode: 'aaaa-bbbb-cccc' }))).toMatchObject(loginFailed);
    const row = await database.current.db.selectFrom('app_user').select('failed_attempts').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(1);
    // The ticket is not spent by a wrong code: the right one still completes the login.
    await caller.auth.login.secondFactor({ ticket, recoveryCode: user.recoveryCodes[3] as string });
  });

  it('AUTH-3: recovery codes are stored hashed: no row holds a code in any form', async () => {
    const { user } = await setUp();
    const rows = await sql<{ row: string }>`select r::text as row from recovery_code r where user_id = ${user.id}`.execute(database.current.db);
    expect(rows.rows).toHaveLength(10);
    const everything = rows.rows.map((row) => row.row).join('\n').toLowerCase();
    for (const code of user.recoveryCodes) {
      expect(everything).not.toContain(code);
      expect(everything).not.toContain(code.replace(/-/g, ''));
      expect(everything).not.toContain(Buffer.from(code).toString('hex'));
    }
    const hashes = await database.current.db.selectFrom('recovery_code').select('code_hash').where('user_id', '=', user.id).execute();
    for (const { code_hash } of hashes) expect(Buffer.from(code_hash)).toHaveLength(32);
  });
});
