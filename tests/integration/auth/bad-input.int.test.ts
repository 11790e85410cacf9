import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { callerAs, createOrganisation, createUser, login, TEST_PASSWORD, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { buildTestApp, createTestCaller } from '../support/test-server';
import { inviteColleague, refusalOf, rowCounts } from './auth-support';

// PLAT-6: bad input to any auth.* procedure gets BAD_REQUEST with coded field errors naming the
// field, and nothing is written (row counts of every table the procedures write are compared).

const HUGE = 'x'.repeat(100_000);
const SQLISH = "' OR '1'='1'; DROP TABLE app_user; --";
const VALID_TOKEN = 'A'.repeat(43);
const VALID_EMAIL = 'kari@test.example';

type Expected = [field: string, messageKey: string][];
type Case = [label: string, input: unknown, expected: Expected];

const invalidType = (field: string): [string, string] => [field, 'validation.invalid_type'];
const unknownKey: [string, string] = ['', 'validation.unrecognized_keys'];

const CASES: Record<string, Case[]> = {
  'auth.login.password': [
    ['wrong types', { email: 42, password: null, deviceId: 7 }, [invalidType('email'), invalidType('password'), invalidType('deviceId')]],
    ['missing fields', {}, [invalidType('email'), invalidType('password')]],
    ['empty strings', { email: '', password: '', deviceId: '' }, [['email', 'validation.email'], ['password', 'validation.required'], ['deviceId', 'validation.deviceId']]],
    ['100 000 characters', { email: `${HUGE}@test.example`, password: HUGE, deviceId: HUGE }, [['email', 'validation.email'], ['password', 'validation.password.too_long'], ['deviceId', 'validation.deviceId']]],
    ['unicode', { email: 'østen@test.example', password: TEST_PASSWORD, deviceId: 'enhet-ø-1234' }, [['email', 'validation.email'], ['deviceId', 'validation.deviceId']]],
    ['SQL-looking', { email: "x'); drop table app_user; --@test.example", password: SQLISH, deviceId: "1' or '1'='1" }, [['email', 'validation.email'], ['deviceId', 'validation.deviceId']]],
    ['a NUL byte', { email: 'kari\u0000@test.example', password: TEST_PASSWORD }, [['email', 'validation.email']]],
    ['an unknown key', { email: VALID_EMAIL, password: TEST_PASSWORD, isAdmin: true }, [unknownKey]],
    ['not an object', 'email=kari', [invalidType('')]],
  ],
  'auth.login.secondFactor': [
    ['wrong types', { ticket: 1, code: 123456 }, [invalidType('ticket'), invalidType('code')]],
    ['missing ticket', {}, [invalidType('ticket')]],
    ['neither code nor recovery code', { ticket: VALID_TOKEN }, [['code', 'validation.code_or_recovery']]],
    ['both code and recovery code', { ticket: VALID_TOKEN, code: '123456', recoveryCode: 'abcd-efgh-jkmn' }, [['code', 'validation.code_or_recovery']]],
    ['empty strings', { ticket: '', code: '' }, [['ticket', 'validation.token'], ['code', 'validation.totpCode']]],
    ['100 000 characters', { ticket: HUGE, recoveryCode: HUGE }, [['ticket', 'validation.token'], ['recoveryCode', 'validation.recoveryCode']]],
    ['unicode digits', { ticket: `${'Å'.repeat(40)}`, code: '１２３４５６' }, [['ticket', 'validation.token'], ['code', 'validation.totpCode']]],
    ['SQL-looking', { ticket: SQLISH, code: "1' OR" }, [['ticket', 'validation.token'], ['code', 'validation.totpCode']]],
    ['an unknown key', { ticket: VALID_TOKEN, code: '123456', userId: 'x' }, [unknownKey]],
  ],
  'auth.login.enrol': [
    ['wrong types', { ticket: [], code: 1 }, [invalidType('ticket'), invalidType('code')]],
    ['missing fields', {}, [invalidType('ticket'), invalidType('code')]],
    ['100 000 characters', { ticket: HUGE, code: HUGE }, [['ticket', 'validation.token'], ['code', 'validation.totpCode']]],
    ['unicode digits', { ticket: VALID_TOKEN, code: '١٢٣٤٥٦' }, [['code', 'validation.totpCode']]],
    ['SQL-looking', { ticket: SQLISH, code: SQLISH }, [['ticket', 'validation.token'], ['code', 'validation.totpCode']]],
  ],
  'auth.invitation.open': [
    ['wrong type', { token: 42 }, [invalidType('token')]],
    ['missing token', {}, [invalidType('token')]],
    ['empty token', { token: '' }, [['token', 'validation.token']]],
    ['100 000 characters', { token: HUGE }, [['token', 'validation.token']]],
    ['unicode', { token: 'æøå'.repeat(10) }, [['token', 'validation.token']]],
    ['SQL-looking', { token: SQLISH }, [['token', 'validation.token']]],
    ['an unknown key', { token: VALID_TOKEN, code: '123456' }, [unknownKey]],
  ],
  'auth.invitation.verifySmsCode': [
    ['wrong types', { token: VALID_TOKEN, code: 123456 }, [invalidType('code')]],
    ['missing code', { token: VALID_TOKEN }, [invalidType('code')]],
    ['five digits', { token: VALID_TOKEN, code: '12345' }, [['code', 'validation.smsCode']]],
    ['100 000 characters', { token: HUGE, code: HUGE }, [['token', 'validation.token'], ['code', 'validation.smsCode']]],
    ['unicode digits', { token: VALID_TOKEN, code: '１２３４５６' }, [['code', 'validation.smsCode']]],
    ['SQL-looking', { token: VALID_TOKEN, code: SQLISH }, [['code', 'validation.smsCode']]],
  ],
  'auth.invitation.complete': [
    ['wrong types', { token: VALID_TOKEN, password: 42, totpCode: null }, [invalidType('password'), invalidType('totpCode')]],
    ['missing fields', { token: VALID_TOKEN }, [invalidType('password'), invalidType('totpCode')]],
    ['empty strings', { token: '', password: '', totpCode: '' }, [['token', 'validation.token'], ['password', 'validation.required'], ['totpCode', 'validation.totpCode']]],
    ['100 000 characters', { token: VALID_TOKEN, password: HUGE, totpCode: HUGE }, [['password', 'validation.password.too_long'], ['totpCode', 'validation.totpCode']]],
    ['unicode digits', { token: VALID_TOKEN, password: TEST_PASSWORD, totpCode: '١٢٣٤٥٦' }, [['totpCode', 'validation.totpCode']]],
    ['SQL-looking', { token: SQLISH, password: TEST_PASSWORD, totpCode: SQLISH }, [['token', 'validation.token'], ['totpCode', 'validation.totpCode']]],
  ],
  'auth.session.unlock': [
    ['wrong type', { password: 42 }, [invalidType('password')]],
    ['missing password', {}, [invalidType('password')]],
    ['empty password', { password: '' }, [['password', 'validation.required']]],
    ['100 000 characters', { password: HUGE }, [['password', 'validation.password.too_long']]],
    ['an unknown key', { password: TEST_PASSWORD, userId: 'someone-else' }, [unknownKey]],
  ],
  'auth.session.stepUp': [
    ['wrong type', { code: 123456 }, [invalidType('code')]],
    ['missing code', {}, [invalidType('code')]],
    ['empty code', { code: '' }, [['code', 'validation.totpCode']]],
    ['100 000 characters', { code: HUGE }, [['code', 'validation.totpCode']]],
    ['unicode digits', { code: '１２３４５６' }, [['code', 'validation.totpCode']]],
    ['SQL-looking', { code: SQLISH }, [['code', 'validation.totpCode']]],
  ],
};

/** The procedures of the auth router, by dotted path, on a caller (inputs deliberately untyped). */
function procedureOf(caller: ReturnType<typeof createTestCaller>, path: string): (input: unknown) => Promise<unknown> {
  const [, group, name] = path.split('.') as [string, string, string];
  return (caller.auth as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[group]?.[name] as (input: unknown) => Promise<unknown>;
}

const sortPairs = (pairs: Expected) => [...new Set(pairs.map((pair) => pair.join(' → ')))].sort();

describe('bad input to auth procedures (PLAT-6)', () => {
  const database = useTestDatabase();

  async function setUp() {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin'], displayName: 'Anne Admin' });
    const user = await createUser(db, organisation.id);
    const { token: adminToken } = await login(database.current, admin, clock);
    const { token } = await login(database.current, user, clock);
    // A pending invitation, so that the invitation tables are not empty either.
    await inviteColleague(database.current, clock, { token: adminToken, displayName: 'Anne Admin', organisationName: organisation.name });
    return { clock, db, user, token };
  }

  it.each(Object.keys(CASES))('PLAT-6: %s refuses bad input with field errors naming the field, and writes nothing', async (path) => {
    const { clock, db, user, token } = await setUp();
    const caller = createTestCaller(database.current, { now: clock.now }, { bearerToken: token });
    const before = await rowCounts(db);
    const userBefore = await db.selectFrom('app_user').select(['failed_attempts', 'locked_until', 'totp_last_used_step']).where('id', '=', user.id).executeTakeFirstOrThrow();
    for (const [label, input, expected] of CASES[path] ?? []) {
      const refused = await refusalOf(procedureOf(caller, path)(input));
      expect(refused.code, `${path}: ${label}`).toBe('BAD_REQUEST');
      const got = (refused.fieldErrors ?? []).map(({ field, messageKey }) => [field, messageKey] as [string, string]);
      expect(sortPairs(got), `${path}: ${label}`).toEqual(sortPairs(expected));
    }
    expect(await rowCounts(db)).toEqual(before);
    expect(await db.selectFrom('app_user').select(['failed_attempts', 'locked_until', 'totp_last_used_step']).where('id', '=', user.id).executeTakeFirstOrThrow()).toEqual(
      userBefore,
    );
    // The session is still good: bad input neither ended nor locked it.
    await callerAs(database.current, token, clock).auth.session.me();
  });

  it('PLAT-6: SQL-looking and Unicode values that pass validation are data: a plain failed login, tables intact', async () => {
    const { clock, db, user } = await setUp();
    const caller = createTestCaller(database.current, { now: clock.now });
    for (const [email, password] of [
      ["o'brien'--@test.example", TEST_PASSWORD],
      [user.email, SQLISH],
      [user.email, 'pass\u0000word-med-nul-tegn'],
      [user.email, 'Ærlig Øystein Åsen 😀 ﷽ \u202e'],
    ] as const) {
      expect(await refusalOf(caller.auth.login.password({ email, password, deviceId: null }))).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.login_failed' });
    }
    expect((await rowCounts(db)).app_user).toBe(3);
    // And the account still works with its real password.
    await login(database.current, user, clock);
  });
});

describe('bad input over HTTP (PLAT-6)', () => {
  const database = useTestDatabase();
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function setUp() {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const admin = await createUser(db, organisation.id, { roles: ['admin'], displayName: 'Anne Admin' });
    const user = await createUser(db, organisation.id);
    const { token } = await login(database.current, user, clock);
    const { token: adminToken } = await login(database.current, admin, clock);
    app = await buildTestApp(database.current, { now: clock.now });
    const server = app;
    const post = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
      server.inject({ method: 'POST', url: `/trpc/${path}`, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });
    const get = (path: string, input: unknown) => server.inject({ method: 'GET', url: `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` });
    return { clock, db, organisation, admin, adminToken, user, token, post, get };
  }

  it('PLAT-6: 100 000 characters in a field are 400 with the field named and the value never echoed', async () => {
    const { db, post } = await setUp();
    const before = await rowCounts(db);
    const secret = `${'hemmelig'.repeat(12_500)}`;
    const response = await post('auth.login.password', { email: VALID_EMAIL, password: secret });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.message).toBe('error.validation');
    expect(body.error.data.fieldErrors).toEqual([{ field: 'password', messageKey: 'validation.password.too_long', params: { limit: 1000, origin: 'string' } }]);
    expect(response.body).not.toContain('hemmelighemmelig');
    expect(await rowCounts(db)).toEqual(before);
  });

  it('PLAT-6: a body over the limit (2 MB) is 413, not 500, and writes nothing', async () => {
    const { db, post } = await setUp();
    const before = await rowCounts(db);
    const response = await post('auth.login.password', { email: VALID_EMAIL, password: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(await rowCounts(db)).toEqual(before);
  });

  it('PLAT-6: a query (auth.invitation.open by GET) with a bad or huge token is 4xx with the field named', async () => {
    const { db, get } = await setUp();
    const before = await rowCounts(db);
    for (const token of ['', SQLISH, 'æøå'.repeat(10)]) {
      const response = await get('auth.invitation.open', { token });
      expect(response.statusCode, JSON.stringify(token)).toBe(400);
      expect(response.json().error.data.fieldErrors).toEqual([{ field: 'token', messageKey: 'validation.token', params: { format: 'regex' } }]);
    }
    const huge = await get('auth.invitation.open', { token: HUGE });
    expect(huge.statusCode).toBeGreaterThanOrEqual(400);
    expect(huge.statusCode).toBeLessThan(500);
    expect(await rowCounts(db)).toEqual(before);
  });

  it('PLAT-6: malformed JSON, a non-JSON content type, and a missing body are 4xx on every auth mutation', async () => {
    const rest = await setUp();
    const before = await rowCounts(rest.db);
    const mutations = ['auth.login.password', 'auth.login.secondFactor', 'auth.login.enrol', 'auth.invitation.verifySmsCode', 'auth.invitation.complete', 'auth.session.unlock', 'auth.session.stepUp'];
    for (const path of mutations) {
      const headers = { authorization: `Bearer ${rest.token}` };
      const malformed = await app?.inject({ method: 'POST', url: `/trpc/${path}`, payload: '{"password":', headers: { 'content-type': 'application/json', ...headers } });
      expect(malformed?.statusCode, `${path} malformed`).toBe(400);
      const text = await app?.inject({ method: 'POST', url: `/trpc/${path}`, payload: 'password=x', headers: { 'content-type': 'text/plain', ...headers } });
      expect(text?.statusCode, `${path} text/plain`).toBeGreaterThanOrEqual(400);
      expect(text?.statusCode, `${path} text/plain`).toBeLessThan(500);
      const empty = await app?.inject({ method: 'POST', url: `/trpc/${path}`, headers });
      expect(empty?.statusCode, `${path} empty`).toBeGreaterThanOrEqual(400);
      expect(empty?.statusCode, `${path} empty`).toBeLessThan(500);
    }
    expect(await rowCounts(rest.db)).toEqual(before);
  });

  it('PLAT-6: an authenticated procedure checks the session before the input: no token, 401; with a token, bad input is 400', async () => {
    const { post, token } = await setUp();
    const anonymous = await post('auth.session.stepUp', { code: 'abc' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.message).toBe('auth.session_required');
    const malformedHeader = await post('auth.session.stepUp', { code: '123456' }, { authorization: `Bearer ${SQLISH}` });
    expect(malformedHeader.statusCode).toBe(401);
    const bad = await post('auth.session.stepUp', { code: 'abc' }, { authorization: `Bearer ${token}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.data.fieldErrors).toEqual([{ field: 'code', messageKey: 'validation.totpCode', params: { format: 'regex' } }]);
  });

  it('PLAT-6, AUTH-2: a password refused by policy reaches the client as a field error on "password" (not zod prose), the password not echoed', async () => {
    const { clock, organisation, adminToken, post } = await setUp();
    const invitation = await inviteColleague(database.current, clock, { token: adminToken, displayName: 'Anne Admin', organisationName: organisation.name });
    const anonymous = createTestCaller(database.current, { now: clock.now });
    const { totpSecret } = await anonymous.auth.invitation.verifySmsCode({ token: invitation.token, code: invitation.smsCode });
    const totpCode = await totpCodeAt(totpSecret, clock.now());
    const common = await post('auth.invitation.complete', { token: invitation.token, password: 'Sommer2026!!', totpCode });
    expect(common.statusCode).toBe(400);
    expect(common.json().error).toEqual({
      message: 'error.validation',
      code: -32600,
      data: { code: 'BAD_REQUEST', httpStatus: 400, path: 'auth.invitation.complete', fieldErrors: [{ field: 'password', messageKey: 'validation.password.common', params: {} }] },
    });
    expect(common.body).not.toContain('Sommer2026');
    const wrongCode = await post('auth.invitation.complete', { token: invitation.token, password: 'fjell-tind-morgen-kaffe', totpCode: totpCode === '000000' ? '111111' : '000000' });
    expect(wrongCode.json().error.data.fieldErrors).toEqual([{ field: 'totpCode', messageKey: 'validation.totpCode_wrong', params: {} }]);
    const done = await post('auth.invitation.complete', { token: invitation.token, password: 'fjell-tind-morgen-kaffe', totpCode });
    expect(done.statusCode).toBe(200);
    expect(done.json().result.data.recoveryCodes).toHaveLength(10);
  });

  it('PLAT-6: users.invite refuses bad input with field errors and never fails with 500 (control characters included)', async () => {
    const { db, adminToken, post } = await setUp();
    const before = await rowCounts(db);
    const headers = { authorization: `Bearer ${adminToken}` };
    const valid = { displayName: 'Kari Nordmann', email: 'kari.nordmann@test.example', phone: '+47 912 34 567', roles: ['coordinator'] };
    const cases: [string, unknown, string[]][] = [
      ['wrong types', { ...valid, displayName: 5, roles: 'admin' }, ['displayName', 'roles']],
      ['empty', { ...valid, displayName: '', email: '', phone: '', roles: [] }, ['displayName', 'email', 'phone', 'roles']],
      ['huge', { ...valid, displayName: HUGE, email: `${HUGE}@test.example` }, ['displayName', 'email']],
      ['unknown role', { ...valid, roles: ['superuser'] }, ['roles.0']],
      ['clinician without profession and HPR number', { ...valid, roles: ['clinician'] }, ['profession', 'hprNumber']],
      ['a NUL byte in the name', { ...valid, displayName: 'Kari\u0000Nordmann' }, ['displayName']],
      ['SQL-looking phone', { ...valid, phone: SQLISH }, ['phone']],
    ];
    for (const [label, input, fields] of cases) {
      const response = await post('users.invite', input, headers);
      expect(response.statusCode, label).toBe(400);
      const named = (response.json().error.data.fieldErrors as { field: string }[]).map((error) => error.field);
      expect([...new Set(named)].sort(), label).toEqual([...fields].sort());
    }
    expect(await rowCounts(db)).toEqual(before);
  });
});
