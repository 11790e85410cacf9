import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';
import { expectOnlyInvitationTemplates, inviteColleague, outboxMessages, refusalOf, rowCounts, type SentInvitation } from './auth-support';

const GOOD_PASSWORD = 'fjell-tind-morgen-kaffe';
const ADMIN_NAME = 'Anne Administrator';
const ORGANISATION_NAME = 'Fjordheim Klinikk';

describe('invitation (AUTH-1, AUTH-2, AUTH-3, PLAT-7)', () => {
  const database = useTestDatabase();
  let sent: SentInvitation[] = [];
  beforeEach(() => {
    sent = [];
  });
  // PLAT-7: after every test, every message in the outbox is exactly one of the invitation templates.
  afterEach(async () => {
    expectOnlyInvitationTemplates(await outboxMessages(database.current.db), sent);
  });

  async function setUp() {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db, ORGANISATION_NAME);
    const admin = await createUser(db, organisation.id, { roles: ['admin'], displayName: ADMIN_NAME });
    const { token } = await login(database.current, admin, clock);
    const invite = async () => {
      const invitation = await inviteColleague(database.current, clock, { token, displayName: ADMIN_NAME, organisationName: ORGANISATION_NAME });
      sent.push(invitation);
      return invitation;
    };
    const anonymous = () => createTestCaller(database.current, { now: clock.now });
    return { clock, db, organisation, admin, invite, anonymous };
  }

  /** Opens, verifies the SMS code and returns the TOTP secret of the enrolment. */
  async function verified(anonymous: () => ReturnType<typeof createTestCaller>, invitation: SentInvitation) {
    await anonymous().auth.invitation.open({ token: invitation.token });
    const enrolment = await anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code: invitation.smsCode });
    return enrolment.totpSecret;
  }

  const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  async function invitedUser(db: typeof database.current.db, userId: string) {
    return db
      .selectFrom('app_user')
      .select(['status', 'password_hash', 'totp_enrolled_at', 'totp_last_used_step', 'failed_attempts'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
  }

  it('AUTH-1, PLAT-7: users.invite writes exactly one e-mail with the link (token in the fragment, no code) and one SMS with the code (no link)', async () => {
    const { db, organisation, admin, invite } = await setUp();
    const before = await rowCounts(db);
    const invitation = await invite();
    const messages = await outboxMessages(db);
    expect(messages.map((message) => [message.channel, message.recipient, message.organisation_id, message.status])).toEqual([
      ['email', invitation.email, organisation.id, 'pending'],
      ['sms', invitation.phone, organisation.id, 'pending'],
    ]);
    const [email, sms] = messages;
    expect(email?.body).toContain(`/#/invitation/${invitation.token}`);
    // The token is only ever in the fragment: never in the path or query, which reach server logs.
    const link = /(https?:\/\/\S+)/.exec(email?.body ?? '')?.[1] ?? '';
    expect(new URL(link).pathname + new URL(link).search).not.toContain(invitation.token);
    expect(new URL(link).hash).toBe(`#/invitation/${invitation.token}`);
    expect(email?.body).not.toContain(invitation.smsCode);
    expect(sms?.body).toMatch(/^Journalkontor: koden for invitasjonen din er \d{6}\. Ikke del den med noen\.$/);
    expect(sms?.body).not.toContain(invitation.token);
    // The invitee exists, invited, without password or second factor; the invitation stores only hashes.
    expect(await invitedUser(db, invitation.userId)).toMatchObject({ status: 'invited', password_hash: null, totp_enrolled_at: null });
    const stored = await db.selectFrom('invitation').selectAll().where('user_id', '=', invitation.userId).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.token_hash).toString('utf8')).not.toContain(invitation.token);
    expect(Buffer.from(stored.sms_code_hash).toString('utf8')).not.toContain(invitation.smsCode);
    const after = await rowCounts(db);
    expect(after.outbox_message - before.outbox_message).toBe(2);
    expect(after.invitation - before.invitation).toBe(1);
    const invited = await eventsOf(db, { action: 'admin.user.invited' });
    expect(invited).toHaveLength(1);
    expect(invited[0]).toMatchObject({ user_id: admin.id, object_id: invitation.userId, outcome: 'allowed', auth_method: 'password+totp' });
  });

  it('AUTH-1: the link opens the invitation, but it cannot be accepted without the SMS step', async () => {
    const { db, clock, invite, anonymous } = await setUp();
    const invitation = await invite();
    const opened = await anonymous().auth.invitation.open({ token: invitation.token });
    expect(opened).toMatchObject({ displayName: invitation.displayName, email: invitation.email, organisationName: ORGANISATION_NAME, isSmsVerified: false });
    const before = await rowCounts(db);
    // Without the SMS code there is no TOTP secret either; whatever code is offered, the answer is the same.
    const refused = await refusalOf(
      anonymous().auth.invitation.complete({ token: invitation.token, password: GOOD_PASSWORD, totpCode: await totpCodeAt('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', clock.now()) }),
    );
    expect(refused).toMatchObject({ code: 'NOT_FOUND', message: 'auth.invitation_invalid' });
    expect(await invitedUser(db, invitation.userId)).toMatchObject({ status: 'invited', password_hash: null });
    const after = await rowCounts(db);
    expect({ ...after, audit_event: 0 }).toEqual({ ...before, audit_event: 0 });
    const denied = await eventsOf(db, { action: 'auth.invitation.accepted' });
    expect(denied.map((event) => [event.outcome, event.reason])).toEqual([['denied', 'sms_not_verified']]);
  });

  it('AUTH-1: a wrong SMS code is a field error on "code" and counts; the fifth voids the invitation, and then even the right code is refused', async () => {
    const { db, invite, anonymous } = await setUp();
    const invitation = await invite();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const refused = await refusalOf(anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code: wrongCode(invitation.smsCode) }));
      expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: [{ field: 'code', messageKey: 'validation.smsCode_wrong' }] });
      const row = await db.selectFrom('invitation').select(['sms_code_attempts', 'revoked_at']).where('user_id', '=', invitation.userId).executeTakeFirstOrThrow();
      expect(row.sms_code_attempts).toBe(attempt);
      expect(row.revoked_at === null).toBe(attempt < 5);
    }
    expect(await refusalOf(anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code: invitation.smsCode }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'auth.invitation_invalid',
    });
    expect(await refusalOf(anonymous().auth.invitation.open({ token: invitation.token }))).toMatchObject({ code: 'NOT_FOUND', message: 'auth.invitation_invalid' });
    const reasons = (await eventsOf(db, { action: 'auth.invitation.sms_verified' })).map((event) => event.reason);
    expect(reasons).toEqual(['bad_code', 'bad_code', 'bad_code', 'bad_code', 'too_many_attempts', 'invalid_invitation']);
    expect(await invitedUser(db, invitation.userId)).toMatchObject({ status: 'invited', totp_enrolled_at: null });
  });

  it('AUTH-1, AUTH-3: the right SMS code returns a TOTP enrolment (otpauth URI with the secret)', async () => {
    const { clock, invite, anonymous } = await setUp();
    const invitation = await invite();
    // One wrong try first: it counts but does not spoil the right code.
    await refusalOf(anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code: wrongCode(invitation.smsCode) }));
    const enrolment = await anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code: invitation.smsCode });
    expect(enrolment.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(enrolment.totpUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(enrolment.totpSecret);
    expect(uri.searchParams.get('issuer')).toBe('Journalkontor');
    expect(decodeURIComponent(uri.pathname)).toContain(invitation.email);
    expect(await anonymous().auth.invitation.open({ token: invitation.token })).toMatchObject({ isSmsVerified: true });
    // The secret works: completing with a code computed from it succeeds.
    const done = await anonymous().auth.invitation.complete({ token: invitation.token, password: GOOD_PASSWORD, totpCode: await totpCodeAt(enrolment.totpSecret, clock.now()) });
    expect(done.recoveryCodes).toHaveLength(10);
  });

  it.each([
    ['too short', 'kort-pass1!', 'validation.password.too_short'],
    ['six emoji (12 UTF-16 units, but 6 characters)', '😀🐟🌲🏔️🌊🔑'.replace('️', ''), 'validation.password.too_short'],
    ['common (password1234)', 'password1234', 'validation.password.common'],
    ['common, Norwegian and padded (Sommer2026!!)', 'Sommer2026!!', 'validation.password.common'],
    ['common, Norwegian (Passord12345)', 'Passord12345', 'validation.password.common'],
    ['one repeated character', 'aaaaaaaaaaaaaaaa', 'validation.password.common'],
    ['over 200 characters', `${'lang-setning-'.repeat(16)}x`, 'validation.password.too_long'],
  ])('AUTH-2: a password that is %s is refused on the "password" field and nothing is written', async (_label, password, messageKey) => {
    const { db, clock, invite, anonymous } = await setUp();
    const invitation = await invite();
    const secret = await verified(anonymous, invitation);
    const code = await totpCodeAt(secret, clock.now());
    const before = await rowCounts(db);
    const refused = await refusalOf(anonymous().auth.invitation.complete({ token: invitation.token, password, totpCode: code }));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: [{ field: 'password', messageKey }] });
    expect(await rowCounts(db)).toEqual(before);
    expect(await invitedUser(db, invitation.userId)).toMatchObject({ status: 'invited', password_hash: null, totp_enrolled_at: null, totp_last_used_step: null });
    expect(await db.selectFrom('recovery_code').select('id').where('user_id', '=', invitation.userId).execute()).toEqual([]);
    // Nothing was half-written: the same TOTP code was not used up, so the retry with a good password succeeds with it.
    const done = await anonymous().auth.invitation.complete({ token: invitation.token, password: GOOD_PASSWORD, totpCode: code });
    expect(done.recoveryCodes).toHaveLength(10);
  });

  it('AUTH-2: a password containing the e-mail name is refused', async () => {
    const { clock, invite, anonymous } = await setUp();
    const invitation = await invite();
    const secret = await verified(anonymous, invitation);
    const emailName = invitation.email.split('@')[0] ?? '';
    const refused = await refusalOf(
      anonymous().auth.invitation.complete({ token: invitation.token, password: `${emailName.toUpperCase()}-fjelltur`, totpCode: await totpCodeAt(secret, clock.now()) }),
    );
    expect(refused.fieldErrors).toEqual([{ field: 'password', messageKey: 'validation.password.contains_email' }]);
  });

  it('AUTH-3: a wrong TOTP code at completion is a field error on "totpCode" and nothing is written', async () => {
    const { db, clock, invite, anonymous } = await setUp();
    const invitation = await invite();
    const secret = await verified(anonymous, invitation);
    const before = await rowCounts(db);
    const refused = await refusalOf(
      anonymous().auth.invitation.complete({ token: invitation.token, password: GOOD_PASSWORD, totpCode: wrongCode(await totpCodeAt(secret, clock.now())) }),
    );
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: [{ field: 'totpCode', messageKey: 'validation.totpCode_wrong' }] });
    // A code two steps ahead is not the current one either.
    const farAhead = await totpCodeAt(secret, new Date(clock.now().getTime() + 90_000));
    expect((await refusalOf(anonymous().auth.invitation.complete({ token: invitation.token, password: GOOD_PASSWORD, totpCode: farAhead }))).fieldErrors).toEqual([
      { field: 'totpCode', messageKey: 'validation.totpCode_wrong' },
    ]);
    expect(await rowCounts(db)).toEqual(before);
    expect(await invitedUser(db, invitation.userId)).toMatchObject({ status: 'invited', password_hash: null, totp_enrolled_at: null });
  });

  it('AUTH-1, AUTH-2, AUTH-3: completing gives ten recovery codes, an active user with an argon2id hash, the events, and a working login', async () => {
    const { db, clock, organisation, invite, anonymous } = await setUp();
    const invitation = await invite();
    const secret = await verified(anonymous, invitation);
    const done = await anonymous().auth.invitation.complete({ token: invitation.token, password: GOOD_PASSWORD, totpCode: await totpCodeAt(secret, clock.now()) });
    expect(done.email).toBe(invitation.email);
    expect(done.recoveryCodes).toHaveLength(10);
    expect(new Set(done.recoveryCodes).size).toBe(10);
    for (const code of done.recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const user = await db.selectFrom('app_user').selectAll().where('id', '=', invitation.userId).executeTakeFirstOrThrow();
    expect(user.status).toBe('active');
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$(?=[^$]*m=\d+)(?=[^$]*t=\d+)(?=[^$]*p=\d+)[mtp=\d,]+\$/);
    expect(user.password_hash).not.toContain(GOOD_PASSWORD);
    expect(user.totp_enrolled_at).toEqual(clock.now());
    expect(await db.selectFrom('recovery_code').select('id').where('user_id', '=', invitation.userId).where('used_at', 'is', null).execute()).toHaveLength(10);
    const invitationRow = await db.selectFrom('invitation').select(['accepted_at']).where('user_id', '=', invitation.userId).executeTakeFirstOrThrow();
    expect(invitationRow.accepted_at).toEqual(clock.now());
    for (const action of ['auth.invitation.accepted', 'auth.second_factor.enrolled']) {
      const events = await eventsOf(db, { action });
      expect(events, action).toHaveLength(1);
      expect(events[0]).toMatchObject({ user_id: invitation.userId, organisation_id: organisation.id, outcome: 'allowed', user_roles: ['coordinator'] });
    }
    // The new account logs in with its password and second factor.
    clock.advance(30_000);
    const first = await anonymous().auth.login.password({ email: invitation.email, password: GOOD_PASSWORD, deviceId: null });
    expect(first.step).toBe('second_factor');
    const session = await anonymous().auth.login.secondFactor({ ticket: first.ticket, code: await totpCodeAt(secret, clock.now()) });
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('AUTH-2: a Unicode password is kept exactly and logs in', async () => {
    const { clock, invite, anonymous } = await setUp();
    const invitation = await invite();
    const secret = await verified(anonymous, invitation);
    const password = 'Blåbærsyltetøy på brødskiva 😀 ﷽';
    await anonymous().auth.invitation.complete({ token: invitation.token, password, totpCode: await totpCodeAt(secret, clock.now()) });
    clock.advance(30_000);
    const first = await anonymous().auth.login.password({ email: invitation.email, password, deviceId: null });
    expect(first.step).toBe('second_factor');
    expect(await refusalOf(anonymous().auth.login.password({ email: invitation.email, password: 'Blabaersyltetoy pa brodskiva 😀 ﷽', deviceId: null }))).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'auth.login_failed',
    });
  });

  it('AUTH-1: an accepted invitation cannot be used a second time', async () => {
    const { db, clock, invite, anonymous } = await setUp();
    const invitation = await invite();
    const secret = await verified(anonymous, invitation);
    await anonymous().auth.invitation.complete({ token: invitation.token, password: GOOD_PASSWORD, totpCode: await totpCodeAt(secret, clock.now()) });
    const hash = (await invitedUser(db, invitation.userId)).password_hash;
    clock.advance(30_000);
    const invalid = { code: 'NOT_FOUND', message: 'auth.invitation_invalid' };
    expect(await refusalOf(anonymous().auth.invitation.open({ token: invitation.token }))).toMatchObject(invalid);
    expect(await refusalOf(anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code: invitation.smsCode }))).toMatchObject(invalid);
    expect(
      await refusalOf(anonymous().auth.invitation.complete({ token: invitation.token, password: 'et-annet-passord-helt', totpCode: await totpCodeAt(secret, clock.now()) })),
    ).toMatchObject(invalid);
    const after = await invitedUser(db, invitation.userId);
    expect(after.password_hash).toBe(hash);
    expect(await db.selectFrom('recovery_code').select('id').where('user_id', '=', invitation.userId).execute()).toHaveLength(10);
  });

  it('AUTH-1: an invitation expires after 72 hours (open, SMS step and completion all refused at +73 h)', async () => {
    const { db, clock, invite, anonymous } = await setUp();
    const invitation = await invite();
    const other = await invite();
    clock.advance(71 * 60 * 60 * 1000);
    // Still valid at +71 h: the other invitation passes its SMS step now and waits.
    const secret = await verified(anonymous, other);
    clock.advance(2 * 60 * 60 * 1000);
    const invalid = { code: 'NOT_FOUND', message: 'auth.invitation_invalid' };
    expect(await refusalOf(anonymous().auth.invitation.open({ token: invitation.token }))).toMatchObject(invalid);
    expect(await refusalOf(anonymous().auth.invitation.verifySmsCode({ token: invitation.token, code: invitation.smsCode }))).toMatchObject(invalid);
    expect(
      await refusalOf(anonymous().auth.invitation.complete({ token: other.token, password: GOOD_PASSWORD, totpCode: await totpCodeAt(secret, clock.now()) })),
    ).toMatchObject(invalid);
    for (const userId of [invitation.userId, other.userId]) {
      expect(await invitedUser(db, userId)).toMatchObject({ status: 'invited', password_hash: null });
    }
    // An expired invitation's SMS step does not count attempts either: nothing is there to count against.
    const row = await db.selectFrom('invitation').select('sms_code_attempts').where('user_id', '=', invitation.userId).executeTakeFirstOrThrow();
    expect(row.sms_code_attempts).toBe(0);
  });
});
