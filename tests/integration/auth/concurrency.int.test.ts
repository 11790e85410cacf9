import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { createOrganisation, createUser, eventsOf, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';
import { passwordTicket } from './auth-support';

// On PostgreSQL these are real races (a pool of connections, each call its own transaction); on
// PGlite the single connection serialises them. Either way exactly one call may win. Several rounds
// each, so that on PostgreSQL more than one interleaving is tried.
const ROUNDS = 4;

describe('racing second factors (AUTH-3, AUTH-5)', () => {
  const database = useTestDatabase();

  async function setUp() {
    const clock = new TestClock(new Date('2026-11-22T09:00:05.000Z'));
    const organisation = await createOrganisation(database.current.db);
    const user = await createUser(database.current.db, organisation.id);
    return { clock, user };
  }

  /** Settles both calls, each through its own caller (as two requests would be). */
  async function race(clock: TestClock, calls: ((caller: ReturnType<typeof createTestCaller>) => Promise<{ token: string }>)[]) {
    const results = await Promise.allSettled(calls.map((call) => call(createTestCaller(database.current, { now: clock.now }))));
    const winners = results.filter((result) => result.status === 'fulfilled');
    const losers = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    return { winners, losers };
  }

  async function openSessions(userId: string) {
    return database.current.db.selectFrom('session').select('id').where('user_id', '=', userId).where('ended_at', 'is', null).execute();
  }

  it('AUTH-3: two logins racing with the same TOTP code: exactly one gets a session, the other is refused as a replay', async () => {
    const { clock, user } = await setUp();
    for (let round = 1; round <= ROUNDS; round++) {
      const [first, second] = [await passwordTicket(database.current, clock, user), await passwordTicket(database.current, clock, user)];
      const code = await totpCodeAt(user.totpSecret, clock.now());
      const { winners, losers } = await race(clock, [
        (caller) => caller.auth.login.secondFactor({ ticket: first, code }),
        (caller) => caller.auth.login.secondFactor({ ticket: second, code }),
      ]);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(losers[0]?.reason).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.login_failed' });
      expect(await openSessions(user.id)).toHaveLength(round);
      clock.advance(30_000);
    }
    const failures = await eventsOf(database.current.db, { action: 'auth.login.failure', userId: user.id });
    expect(failures.map((event) => event.reason)).toEqual(Array(ROUNDS).fill('replayed_code'));
    expect(await eventsOf(database.current.db, { action: 'auth.login.success', userId: user.id })).toHaveLength(ROUNDS);
  });

  it('AUTH-5: two second-factor calls racing with the same ticket and code: one session, never two', async () => {
    const { clock, user } = await setUp();
    for (let round = 1; round <= ROUNDS; round++) {
      const ticket = await passwordTicket(database.current, clock, user);
      const code = await totpCodeAt(user.totpSecret, clock.now());
      const { winners, losers } = await race(clock, [
        (caller) => caller.auth.login.secondFactor({ ticket, code }),
        (caller) => caller.auth.login.secondFactor({ ticket, code }),
      ]);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(losers[0]?.reason).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.login_failed' });
      expect(await openSessions(user.id)).toHaveLength(round);
      clock.advance(30_000);
    }
  });

  it('AUTH-5: one ticket raced with a TOTP code and a recovery code: the ticket is single use, one session, a clean refusal for the other', async () => {
    const { clock, user } = await setUp();
    let recoveryWins = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const ticket = await passwordTicket(database.current, clock, user);
      const code = await totpCodeAt(user.totpSecret, clock.now());
      const recoveryCode = user.recoveryCodes[round - 1] as string;
      const calls = [
        (caller: ReturnType<typeof createTestCaller>) => caller.auth.login.secondFactor({ ticket, code }),
        (caller: ReturnType<typeof createTestCaller>) => caller.auth.login.secondFactor({ ticket, recoveryCode }),
      ];
      const { winners, losers } = await race(clock, round % 2 === 0 ? calls.reverse() : calls);
      expect(winners, `round ${round}`).toHaveLength(1);
      const me = await createTestCaller(database.current, { now: clock.now }, { bearerToken: winners[0]?.value.token }).auth.session.me();
      if (me.authMethod === 'password+recovery_code') recoveryWins++;
      // The losing request spent nothing: a recovery code is used up only by the login it opened.
      expect(me.unusedRecoveryCodes, `round ${round}`).toBe(10 - recoveryWins);
      // A clean refusal, not a database error (a deadlock would surface as INTERNAL_SERVER_ERROR).
      expect(losers[0]?.reason, `round ${round}`).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.login_failed' });
      expect(await openSessions(user.id)).toHaveLength(round);
      clock.advance(30_000);
    }
    // Each loser was refused for the spent ticket, not for its code.
    const failures = await eventsOf(database.current.db, { action: 'auth.login.failure' });
    expect(failures.map((event) => event.reason)).toEqual(Array(ROUNDS).fill('bad_ticket'));
  });
});
