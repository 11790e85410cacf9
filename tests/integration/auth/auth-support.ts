import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import type { Database } from '../../../src/server/db/database';
import { fieldErrorsOf } from '../../../src/server/errors';
import type { Role } from '../../../src/shared/roles';
import { callerAs, type TestClock, TEST_PASSWORD, type TestUser } from '../support/identity';
import type { TestDatabase } from '../support/test-database';
import { createTestCaller } from '../support/test-server';

/** What a refused call tells the client: code, message and (for bad input) the coded field errors. */
export interface Refusal {
  code: TRPCError['code'];
  message: string;
  fieldErrors: { field: string; messageKey: string }[] | undefined;
}

/** Awaits a call that must be refused and returns what the client would learn; fails if it succeeds. */
export async function refusalOf(call: Promise<unknown>): Promise<Refusal> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const fieldErrors = error.code === 'BAD_REQUEST' ? fieldErrorsOf(error)?.map(({ field, messageKey }) => ({ field, messageKey })) : undefined;
    return { code: error.code, message: error.message, fieldErrors };
  }
  throw new Error(`expected the call to be refused, but it returned ${JSON.stringify(result)}`);
}

/** Tables an auth procedure may write to: "nothing written" compares their row counts. */
export const WRITABLE_TABLES = [
  'app_user',
  'role_grant',
  'invitation',
  'recovery_code',
  'login_challenge',
  'user_device',
  'session',
  'outbox_message',
  'audit_event',
] as const;

export async function rowCounts(db: Database): Promise<Record<(typeof WRITABLE_TABLES)[number], number>> {
  const counts = {} as Record<(typeof WRITABLE_TABLES)[number], number>;
  for (const table of WRITABLE_TABLES) {
    const result = await sql<{ count: string }>`select count(*) as count from ${sql.table(table)}`.execute(db);
    counts[table] = Number(result.rows[0]?.count);
  }
  return counts;
}

export async function outboxMessages(db: Database) {
  return db.selectFrom('outbox_message').selectAll().orderBy('created_at').orderBy('channel').execute();
}

/**
 * PLAT-7: words that would betray health data in a message. "Journalkontor" (the product's name) is
 * the only place "journal" may appear.
 */
const HEALTH_WORDS = [
  'diagnos', 'pasient', 'patient', 'behandling', 'treatment', 'sykdom', 'disease', 'resept', 'prescription', 'medisin',
  'medication', 'symptom', 'psykisk', 'depresjon', 'kreft', 'cancer', 'konsultasjon', 'consultation', 'time hos', 'epikrise',
  'henvisning', 'referral', 'helse', 'health', 'prøvesvar', 'notat',
];

/**
 * The only messages the invitation flow may produce, each exactly its template (PLAT-7, AUTH-1):
 * any other text, or any health word, fails the test.
 */
export function expectOnlyInvitationTemplates(
  messages: Awaited<ReturnType<typeof outboxMessages>>,
  invitations: { email: string; phone: string; displayName: string; adminName: string; organisationName: string; token: string; smsCode: string }[],
): void {
  expect(messages).toHaveLength(invitations.length * 2);
  for (const message of messages) {
    // The product's name and the random token in the link are the only parts a word check must skip.
    const text = `${message.subject ?? ''}\n${message.body}`.replace(/Journalkontor/g, '').replace(/#\/invitation\/[A-Za-z0-9_-]+/g, '');
    for (const word of HEALTH_WORDS) expect(text.toLowerCase(), `message ${message.template} contains "${word}"`).not.toContain(word);
    const invitation = invitations.find((candidate) => candidate.email === message.recipient || candidate.phone === message.recipient);
    if (!invitation) throw new Error(`outbox message to an unexpected recipient (${message.template})`);
    if (message.channel === 'email') {
      expect(message.template).toBe('invitation.email');
      expect(message.subject).toBe(`Invitasjon til Journalkontor – ${invitation.organisationName}`);
      expect(message.body).toMatch(
        new RegExp(
          `^Hei ${escape(invitation.displayName)}!\\n\\n${escape(invitation.adminName)} har invitert deg til Journalkontor hos ${escape(invitation.organisationName)}\\.\\n` +
            `Åpne lenken for å opprette kontoen din\\. Du får en kode på SMS som du også trenger\\.\\n\\n` +
            `https?://[^\\s/]+/#/invitation/${escape(invitation.token)}\\n\\nLenken gjelder i 72 timer\\.$`,
        ),
      );
      expect(message.body).not.toContain(invitation.smsCode);
    } else {
      expect(message.channel).toBe('sms');
      expect(message.template).toBe('invitation.sms_code');
      expect(message.subject).toBeNull();
      expect(message.body).toBe(`Journalkontor: koden for invitasjonen din er ${invitation.smsCode}. Ikke del den med noen.`);
      expect(message.body).not.toContain(invitation.token);
      expect(message.body).not.toMatch(/https?:|invitation\//);
    }
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface SentInvitation {
  userId: string;
  email: string;
  phone: string;
  displayName: string;
  adminName: string;
  organisationName: string;
  /** From the e-mail's link fragment. */
  token: string;
  /** From the SMS. */
  smsCode: string;
}

let inviteSequence = 0;

/** An admin invites a colleague through users.invite; the token and code are read back from the outbox. */
export async function inviteColleague(
  database: TestDatabase,
  clock: TestClock,
  admin: { token: string; displayName: string; organisationName: string },
  options: { roles?: Role[]; displayName?: string; email?: string; phone?: string } = {},
): Promise<SentInvitation> {
  const n = ++inviteSequence;
  const email = options.email ?? `ny${n}-${Math.random().toString(36).slice(2, 8)}@test.example`;
  const phone = options.phone ?? `+47 9${String(n).padStart(3, '0')} 00 00`;
  const displayName = options.displayName ?? `Kari Ny ${n}`;
  const before = new Set((await outboxMessages(database.db)).map((message) => message.id));
  const { userId } = await callerAs(database, admin.token, clock).users.invite({
    displayName,
    email,
    phone,
    roles: options.roles ?? ['coordinator'],
  });
  const fresh = (await outboxMessages(database.db)).filter((message) => !before.has(message.id));
  const emailMessage = fresh.find((message) => message.channel === 'email');
  const smsMessage = fresh.find((message) => message.channel === 'sms');
  const token = /#\/invitation\/([A-Za-z0-9_-]+)/.exec(emailMessage?.body ?? '')?.[1];
  const smsCode = /\b(\d{6})\b/.exec(smsMessage?.body ?? '')?.[1];
  if (!token || !smsCode) throw new Error('invitation messages not found in the outbox');
  return { userId, email, phone: phone.replace(/\s/g, ''), displayName, adminName: admin.displayName, organisationName: admin.organisationName, token, smsCode };
}

/** A password step that must reach the second factor; returns its ticket. */
export async function passwordTicket(database: TestDatabase, clock: TestClock, user: Pick<TestUser, 'email'>, deviceId: string | null = null): Promise<string> {
  const first = await createTestCaller(database, { now: clock.now }).auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId });
  expect(first.step).toBe('second_factor');
  return first.ticket;
}

export function codeNow(secret: string, clock: TestClock, offsetSteps = 0): Promise<string> {
  return totpCodeAt(secret, new Date(clock.now().getTime() + offsetSteps * 30_000));
}

/**
 * AUTH-3: the password step after an admin reset sends a code by SMS; this reads it from the
 * outbox (as the person reads their phone), sends it back, and returns the new enrolment.
 */
export async function passwordAndSmsEnrolment(database: TestDatabase, clock: TestClock, user: Pick<TestUser, 'email'>, deviceId: string | null = null) {
  const caller = createTestCaller(database, { now: clock.now });
  const first = await caller.auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId });
  if (first.step !== 'enrol_sms') throw new Error(`expected the enrol_sms step, got ${first.step}`);
  const smsCode = await latestEnrolmentCode(database.db, user.email);
  const enrolment = await caller.auth.login.verifyEnrolmentCode({ ticket: first.ticket, code: smsCode });
  return { ticket: first.ticket, phoneHint: first.phoneHint, smsCode, ...enrolment };
}

/** The newest re-enrolment code sent by SMS to this user's phone (before the outbox delivers and purges it). */
export async function latestEnrolmentCode(db: Database, email: string): Promise<string> {
  const user = await db.selectFrom('app_user').select('phone').where('email', '=', email).executeTakeFirstOrThrow();
  const message = await db
    .selectFrom('outbox_message')
    .select('body')
    .where('recipient', '=', user.phone)
    .where('template', '=', 'login.enrolment_sms_code')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const code = /\b(\d{6})\b/.exec(message?.body ?? '')?.[1];
  if (!code) throw new Error('no re-enrolment code in the outbox');
  return code;
}
