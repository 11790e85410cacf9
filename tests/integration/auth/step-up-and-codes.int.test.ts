import { describe, expect, it } from 'vitest';
import { deliverPendingMessages, DevelopmentMailbox, developmentProvider } from '../../../src/server/outbox/outbox';
import { hashToken } from '../../../src/server/auth/tokens';
import { callerAs, createOrganisation, createUser, eventsOf, login, TEST_PASSWORD, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';
import { codeNow, inviteColleague, latestEnrolmentCode, outboxMessages, passwordAndSmsEnrolment, refusalOf } from './auth-support';

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const loginFailed = { code: 'UNAUTHORIZED', message: 'auth.login_failed' };

describe('step-up and one-time codes count (AUTH-3, AUTH-4, AUD-2)', () => {
  const database = useTestDatabase();

  async function setUp() {
    const clock = new TestClock();
    const organisation = await createOrganisation(database.current.db, 'Kodeklinikken');
    const admin = await createUser(database.current.db, organisation.id, { roles: ['admin'], displayName: 'Anne Admin' });
    const { token } = await login(database.current, admin, clock);
    return { clock, organisation, admin, token };
  }

  it('AUTH-4: the 6th wrong step-up code finds the session ended; each failure is logged with the source address', async () => {
    const { clock, admin, token } = await setUp();
    const as = () => callerAs(database.current, token, clock, { clientIp: '198.51.100.90' });
    const wrong = wrongCode(await codeNow(admin.totpSecret, clock));
    for (let i = 0; i < 5; i++) expect(await refusalOf(as().auth.session.stepUp({ code: wrong }))).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.step_up_failed' });
    expect(await refusalOf(as().auth.session.stepUp({ code: wrong }))).toMatchObject({ code: 'UNAUTHORIZED', message: 'auth.session_required' });
    expect(await refusalOf(as().auth.session.me())).toMatchObject({ message: 'auth.session_required' });
    const session = await database.current.db.selectFrom('session').select(['end_reason', 'failed_attempts']).where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    expect(session).toEqual({ end_reason: 'locked', failed_attempts: 5 });
    const failed = await eventsOf(database.current.db, { action: 'auth.step_up.failed', userId: admin.id });
    expect(failed.map((event) => [event.outcome, event.reason, event.client_ip])).toEqual(Array(5).fill(['denied', 'bad_code', '198.51.100.90']));
    const [lockout] = await eventsOf(database.current.db, { action: 'auth.lockout', userId: admin.id });
    expect(lockout).toMatchObject({ object_type: 'session', details: { scope: 'session' }, client_ip: '198.51.100.90' });
  });

  it('AUTH-4: a right step-up code in between starts the count again', async () => {
    const { clock, admin, token } = await setUp();
    const as = () => callerAs(database.current, token, clock);
    for (let i = 0; i < 4; i++) await refusalOf(as().auth.session.stepUp({ code: wrongCode(await codeNow(admin.totpSecret, clock)) }));
    await as().auth.session.stepUp({ code: await codeNow(admin.totpSecret, clock) });
    clock.advance(30_000);
    for (let i = 0; i < 4; i++) await refusalOf(as().auth.session.stepUp({ code: wrongCode(await codeNow(admin.totpSecret, clock)) }));
    expect(await as().auth.session.me()).toMatchObject({ userId: admin.id });
  });

  it('AUTH-1, AUTH-4: parallel wrong SMS codes cannot outrun the invitation\'s counter (five attempts, then void)', async () => {
    const { clock, token } = await setUp();
    const invitation = await inviteColleague(database.current, clock, { token, displayName: 'Anne Admin', organisationName: 'Kodeklinikken' });
    const anonymous = () => createTestCaller(database.current, { now: clock.now });
    const guesses = Array.from({ length: 12 }, (_, i) => String((Number(invitation.smsCode) + 1 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.allSettled(guesses.map((code) => anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code })));
    expect(answers.every((answer) => answer.status === 'rejected')).toBe(true);
    const row = await database.current.db.selectFrom('invitation').select(['sms_code_attempts', 'revoked_at']).where('user_id', '=', invitation.userId).executeTakeFirstOrThrow();
    expect(row.sms_code_attempts).toBe(5);
    expect(row.revoked_at).not.toBeNull();
    const reasons = (await eventsOf(database.current.db, { action: 'auth.invitation.sms_verified' })).map((event) => event.reason).filter((reason) => reason === 'bad_code');
    expect(reasons).toHaveLength(4);
    expect(await refusalOf(anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code: invitation.smsCode }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('AUTH-3: after a reset the password alone never enrols: a code goes by SMS, and five wrong ones spend the ticket', async () => {
    const { clock, organisation, token } = await setUp();
    const user = await createUser(database.current.db, organisation.id);
    await callerAs(database.current, token, clock).users.resetSecondFactor({ userId: user.id });
    const anonymous = createTestCaller(database.current, { now: clock.now });
    const first = await anonymous.auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId: null });
    expect(first).toMatchObject({ step: 'enrol_sms', phoneHint: '99' });
    expect(first).not.toHaveProperty('totpSecret');
    // No secret exists yet, so no code of any authenticator can enrol.
    const row = await database.current.db.selectFrom('app_user').select(['totp_secret_encrypted', 'totp_enrolled_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ totp_secret_encrypted: null, totp_enrolled_at: null });
    if (first.step !== 'enrol_sms') throw new Error('expected enrol_sms');
    expect(await refusalOf(anonymous.auth.login.enrol({ ticket: first.ticket, code: await codeNow(user.totpSecret, clock) }))).toMatchObject(loginFailed);
    const sms = (await outboxMessages(database.current.db)).filter((message) => message.template === 'login.enrolment_sms_code');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', recipient: '+4799999999', organisation_id: organisation.id });
    const code = await latestEnrolmentCode(database.current.db, user.email);
    // The stored hash is keyed: the code's plain SHA-256 is nowhere in the challenge.
    const challenge = await database.current.db.selectFrom('login_challenge').select('sms_code_hash').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(Buffer.from(challenge.sms_code_hash as Buffer).equals(hashToken(code))).toBe(false);
    for (let i = 0; i < 5; i++) expect(await refusalOf(anonymous.auth.login.verifyEnrolmentCode({ ticket: first.ticket, code: wrongCode(code) }))).toMatchObject(loginFailed);
    expect(await refusalOf(anonymous.auth.login.verifyEnrolmentCode({ ticket: first.ticket, code }))).toMatchObject(loginFailed);
    // Wrong codes count like wrong passwords (AUTH-4): this source is locked for 5 minutes.
    // Then a new password step sends a new code, and that one works.
    clock.advance(5 * 60_000 + 1_000);
    const enrolment = await passwordAndSmsEnrolment(database.current, clock, user);
    const enrolled = await anonymous.auth.login.enrol({ ticket: enrolment.ticket, code: await codeNow(enrolment.totpSecret, clock) });
    expect(enrolled.recoveryCodes).toHaveLength(10);
    const reasons = (await eventsOf(database.current.db, { action: 'auth.login.failure', userId: user.id })).map((event) => event.reason);
    expect(reasons).toEqual(['wrong_step', 'bad_sms_code', 'bad_sms_code', 'bad_sms_code', 'bad_sms_code', 'bad_sms_code']);
  });

  it('issue 8 §5: after delivery the database holds no usable invitation or enrolment secret; the demo mailbox has the messages', async () => {
    const { clock, organisation, token } = await setUp();
    const invitation = await inviteColleague(database.current, clock, { token, displayName: 'Anne Admin', organisationName: 'Kodeklinikken' });
    const reset = await createUser(database.current.db, organisation.id);
    await callerAs(database.current, token, clock).users.resetSecondFactor({ userId: reset.id });
    await createTestCaller(database.current, { now: clock.now }).auth.login.password({ email: reset.email, password: TEST_PASSWORD, deviceId: null });
    const enrolmentCode = await latestEnrolmentCode(database.current.db, reset.email);
    const mailbox = new DevelopmentMailbox();
    const provider = developmentProvider(mailbox);
    expect(await deliverPendingMessages(database.current.db, { sms: provider, email: provider })).toBe(3);

    const dump = await database.current.asOwner(async (db) => {
      const tables = ['invitation', 'outbox_message', 'login_challenge', 'audit_event', 'app_user', 'session', 'rate_limit_counter', 'login_failure'];
      const rows: unknown[] = [];
      for (const table of tables) rows.push(await db.selectFrom(table).selectAll().execute());
      return JSON.stringify(rows, (_key, value: unknown) =>
        value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('hex') : value,
      );
    });
    for (const secret of [invitation.token, invitation.smsCode, enrolmentCode]) expect(dump).not.toContain(secret);
    // Nor a plain hash of a code (a million values: read back at once).
    for (const code of [invitation.smsCode, enrolmentCode]) expect(dump).not.toContain(hashToken(code).toString('hex'));
    const bodies = await database.current.db.selectFrom('outbox_message').select(['body', 'status', 'purged_at']).execute();
    expect(bodies.every((message) => message.body === null && message.status === 'sent' && message.purged_at !== null)).toBe(true);
    // The development provider's mailbox (memory, for the demo view) has what was "delivered".
    expect(mailbox.of(organisation.id).map((message) => message.template).sort()).toEqual(['invitation.email', 'invitation.sms_code', 'login.enrolment_sms_code']);
  });

  it('issue 8 §5: developer.outbox needs a logged-in admin and shows only that organisation\'s messages', async () => {
    const { clock, token } = await setUp();
    const demo = { config: { isDemo: true }, now: clock.now };
    const mailbox = new DevelopmentMailbox();
    await inviteColleague(database.current, clock, { token, displayName: 'Anne Admin', organisationName: 'Kodeklinikken' }, { email: 'ny.her@test.example' });
    const other = await createOrganisation(database.current.db, 'Andre klinikk');
    const otherAdmin = await createUser(database.current.db, other.id, { roles: ['admin'] });
    const otherToken = (await login(database.current, otherAdmin, clock)).token;
    await inviteColleague(database.current, clock, { token: otherToken, displayName: 'Annen', organisationName: 'Andre klinikk' }, { email: 'ny.der@test.example' });
    const clinician = await createUser(database.current.db, other.id, { roles: ['clinician'] });
    const clinicianToken = (await login(database.current, clinician, clock)).token;

    expect(await refusalOf(createTestCaller(database.current, demo).developer.outbox())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await refusalOf(createTestCaller(database.current, { ...demo, mailbox }, { bearerToken: clinicianToken }).developer.outbox())).toMatchObject({ code: 'FORBIDDEN' });
    const pending = await createTestCaller(database.current, { ...demo, mailbox }, { bearerToken: token }).developer.outbox();
    expect(new Set(pending.map((message) => message.recipient))).toEqual(new Set(['ny.her@test.example', expect.stringMatching(/^\+47/) as unknown as string]));
    // After delivery the same view reads the mailbox: still only this organisation's, bodies included.
    const provider = developmentProvider(mailbox);
    await deliverPendingMessages(database.current.db, { sms: provider, email: provider });
    const delivered = await createTestCaller(database.current, { ...demo, mailbox }, { bearerToken: token }).developer.outbox();
    expect(delivered).toHaveLength(2);
    expect(delivered.every((message) => message.status === 'sent' && message.body.length > 0)).toBe(true);
    expect(delivered.some((message) => message.recipient === 'ny.der@test.example')).toBe(false);
  });
});
