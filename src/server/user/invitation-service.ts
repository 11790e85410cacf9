import type { InviteUserInput } from '../../shared/auth-schemas';
import type { AuditActor } from '../audit/record';
import { checkPasswordPolicy, hashPassword } from '../auth/password';
import { beginTotpEnrolment, consumeTotpCode, issueRecoveryCodes } from '../auth/second-factor';
import type { SecretBox } from '../auth/secret-box';
import { activeRolesOf, type SessionUser } from '../auth/session';
import { hashesEqual, hashToken, newNumericCode, newToken } from '../auth/tokens';
import { totpUri } from '../auth/totp';
import type { Executor } from '../db/database';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { DomainError, fieldError } from '../errors';
import { enqueueMessage } from '../outbox/outbox';
import type { AuditRecorder } from '../audit/recorder';

const INVITATION_TTL_MS = 72 * 60 * 60 * 1000;
export const MAX_SMS_CODE_ATTEMPTS = 5;
/** The purpose bound into the keyed hash of an invitation's SMS code (SecretBox.mac). */
const SMS_CODE_PURPOSE = 'invitation-sms';

/** The one answer for any invitation that cannot be used: unknown, expired, revoked or accepted. */
const invitationInvalid = () => new DomainError('not_found', API_ERROR_MESSAGES.invitationInvalid);

interface Deps {
  trx: Executor;
  audit: AuditRecorder;
  now: Date;
  secretBox: SecretBox;
}

/**
 * AUTH-1: an admin invites a colleague. The e-mail carries the link, the SMS the code; neither is
 * enough alone. Both messages are written to the outbox in the same transaction as the invitation.
 */
export async function inviteUser(
  deps: Deps & { publicAppUrl: string },
  admin: SessionUser,
  input: Required<Pick<InviteUserInput, 'displayName' | 'email' | 'phone' | 'roles'>> & { profession: string | null; hprNumber: string | null },
): Promise<{ userId: string }> {
  const { trx, audit, now } = deps;
  const existing = await trx.selectFrom('app_user').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) throw fieldError('email', 'validation.email_taken');
  const user = await trx
    .insertInto('app_user')
    .values({
      organisation_id: admin.organisationId,
      email: input.email,
      display_name: input.displayName,
      phone: input.phone.replace(/\s/g, ''),
      profession: input.profession,
      hpr_number: input.hprNumber,
      password_hash: null,
      totp_secret_encrypted: null,
      totp_enrolled_at: null,
      locked_until: null,
      last_login_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      // Two admins inviting the same address at once: the unique index decides, the loser gets the field error.
      if ((error as { code?: string }).code === '23505') throw fieldError('email', 'validation.email_taken');
      throw error;
    });
  await trx
    .insertInto('role_grant')
    .values([...new Set(input.roles)].map((role) => ({ organisation_id: admin.organisationId, user_id: user.id, role, granted_by: admin.userId, granted_at: now, revoked_at: null, revoked_by: null })))
    .execute();
  const token = newToken();
  const smsCode = newNumericCode(6);
  await trx
    .insertInto('invitation')
    .values({
      organisation_id: admin.organisationId,
      user_id: user.id,
      token_hash: hashToken(token),
      // Keyed: a dump of the table cannot be searched for the code's million values (issue 8 §5).
      sms_code_hash: deps.secretBox.mac(SMS_CODE_PURPOSE, smsCode),
      created_by: admin.userId,
      created_at: now,
      expires_at: new Date(now.getTime() + INVITATION_TTL_MS),
      sms_verified_at: null,
      accepted_at: null,
      revoked_at: null,
    })
    .execute();
  const organisation = await trx.selectFrom('organisation').select('name').where('id', '=', admin.organisationId).executeTakeFirstOrThrow();
  // The token travels in the URL fragment: it never reaches a server log or a Referer header.
  const link = `${deps.publicAppUrl}/#/invitation/${token}`;
  await enqueueMessage(trx, {
    organisationId: admin.organisationId,
    channel: 'email',
    recipient: input.email,
    template: 'invitation.email',
    subject: `Invitasjon til Journalkontor – ${organisation.name}`,
    body: `Hei ${input.displayName}!\n\n${admin.displayName} har invitert deg til Journalkontor hos ${organisation.name}.\nÅpne lenken for å opprette kontoen din. Du får en kode på SMS som du også trenger.\n\n${link}\n\nLenken gjelder i 72 timer.`,
  });
  await enqueueMessage(trx, {
    organisationId: admin.organisationId,
    channel: 'sms',
    recipient: input.phone.replace(/\s/g, ''),
    template: 'invitation.sms_code',
    body: `Journalkontor: koden for invitasjonen din er ${smsCode}. Ikke del den med noen.`,
  });
  audit.record({ action: 'admin.user.invited', objectType: 'user', objectId: user.id, details: { roles: [...input.roles].sort() } });
  return { userId: user.id };
}

async function loadInvitation(trx: Executor, token: string, now: Date) {
  const row = await trx
    .selectFrom('invitation')
    .innerJoin('app_user', 'app_user.id', 'invitation.user_id')
    .innerJoin('organisation', 'organisation.id', 'invitation.organisation_id')
    .select([
      'invitation.id as invitationId',
      'invitation.sms_verified_at as smsVerifiedAt',
      'invitation.expires_at as expiresAt',
      'app_user.id as userId',
      'app_user.organisation_id as organisationId',
      'app_user.email as email',
      'app_user.display_name as displayName',
      'app_user.profession as profession',
      'app_user.totp_secret_encrypted as totpSecretEncrypted',
      'organisation.name as organisationName',
    ])
    .where('invitation.token_hash', '=', hashToken(token))
    .where('invitation.accepted_at', 'is', null)
    .where('invitation.revoked_at', 'is', null)
    .where('invitation.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const roles = await activeRolesOf(trx, row.userId);
  const actor: AuditActor = {
    organisationId: row.organisationId,
    userId: row.userId,
    displayName: row.displayName,
    roles,
    profession: row.profession,
    sessionId: null,
    authMethod: null,
    deviceId: null,
  };
  return { ...row, actor };
}

export async function openInvitation(deps: Deps, token: string) {
  const invitation = await loadInvitation(deps.trx, token, deps.now);
  if (!invitation) {
    deps.audit.record({ action: 'auth.invitation.opened', outcome: 'denied', reason: 'invalid_invitation' });
    return deps.audit.refuseAfterCommit(invitationInvalid());
  }
  deps.audit.record({ action: 'auth.invitation.opened', actor: invitation.actor, objectType: 'invitation', objectId: invitation.invitationId });
  return {
    displayName: invitation.displayName,
    email: invitation.email,
    organisationName: invitation.organisationName,
    isSmsVerified: invitation.smsVerifiedAt !== null,
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

/** Whether the code matches the stored keyed hash (or, for invitations sent before issue 8, the plain one). */
function smsCodeMatches(box: SecretBox, stored: Buffer, code: string): boolean {
  // Invitations created before keyed hashes expire within 72 hours of the upgrade; until then their
  // plain SHA-256 is still accepted so nobody's pending invitation breaks.
  return hashesEqual(box.mac(SMS_CODE_PURPOSE, code), stored) || hashesEqual(hashToken(code), stored);
}

/**
 * The SMS code proves the second channel (AUTH-1). Five wrong codes void the invitation. Each
 * guess first claims an attempt with one conditional UPDATE whose row count decides (as TOTP
 * replay does), so parallel guesses queue on the row and the sixth finds no attempt left.
 */
export async function verifyInvitationSmsCode(deps: Deps, token: string, code: string) {
  const { trx, audit, now } = deps;
  const invitation = await loadInvitation(trx, token, now);
  if (!invitation) {
    audit.record({ action: 'auth.invitation.sms_verified', outcome: 'denied', reason: 'invalid_invitation' });
    return audit.refuseAfterCommit(invitationInvalid());
  }
  const claimed = await trx
    .updateTable('invitation')
    .set((eb) => ({ sms_code_attempts: eb('sms_code_attempts', '+', 1) }))
    .where('id', '=', invitation.invitationId)
    .where('sms_code_attempts', '<', MAX_SMS_CODE_ATTEMPTS)
    .where('revoked_at', 'is', null)
    .where('accepted_at', 'is', null)
    .returning(['sms_code_attempts', 'sms_code_hash'])
    .executeTakeFirst();
  if (!claimed) {
    // Another guess took the last attempt (and voided the invitation) while this one waited.
    audit.record({ action: 'auth.invitation.sms_verified', outcome: 'denied', reason: 'too_many_attempts', actor: invitation.actor, objectType: 'invitation', objectId: invitation.invitationId });
    return audit.refuseAfterCommit(invitationInvalid());
  }
  if (!smsCodeMatches(deps.secretBox, Buffer.from(claimed.sms_code_hash), code)) {
    const isLast = claimed.sms_code_attempts >= MAX_SMS_CODE_ATTEMPTS;
    if (isLast) await trx.updateTable('invitation').set({ revoked_at: now }).where('id', '=', invitation.invitationId).execute();
    audit.record({
      action: 'auth.invitation.sms_verified',
      outcome: 'denied',
      reason: isLast ? 'too_many_attempts' : 'bad_code',
      actor: invitation.actor,
      objectType: 'invitation',
      objectId: invitation.invitationId,
    });
    return audit.refuseAfterCommit(fieldError('code', 'validation.smsCode_wrong'));
  }
  // A right code gives the attempt back: the counter counts wrong guesses only.
  await trx
    .updateTable('invitation')
    .set((eb) => ({ sms_verified_at: now, sms_code_attempts: eb('sms_code_attempts', '-', 1) }))
    .where('id', '=', invitation.invitationId)
    .execute();
  const secret = await beginTotpEnrolment(trx, deps.secretBox, invitation.userId);
  audit.record({ action: 'auth.invitation.sms_verified', actor: invitation.actor, objectType: 'invitation', objectId: invitation.invitationId });
  return { totpUri: totpUri(secret, invitation.email), totpSecret: secret };
}

/** Password, first TOTP code, ten recovery codes: the account is ready (AUTH-1…3). */
export async function completeInvitation(deps: Deps, input: { token: string; password: string; totpCode: string }) {
  const { trx, audit, now } = deps;
  const invitation = await loadInvitation(trx, input.token, now);
  if (!invitation || !invitation.smsVerifiedAt) {
    audit.record({ action: 'auth.invitation.accepted', outcome: 'denied', reason: invitation ? 'sms_not_verified' : 'invalid_invitation' });
    return audit.refuseAfterCommit(invitationInvalid());
  }
  const problem = checkPasswordPolicy(input.password, { email: invitation.email });
  if (problem) throw fieldError('password', `validation.password.${problem}`);
  const check = await consumeTotpCode(trx, deps.secretBox, { id: invitation.userId, totp_secret_encrypted: invitation.totpSecretEncrypted }, input.totpCode, now);
  if (!check.ok) throw fieldError('totpCode', 'validation.totpCode_wrong');
  await trx
    .updateTable('app_user')
    .set({ password_hash: await hashPassword(input.password), status: 'active', totp_enrolled_at: now })
    .where('id', '=', invitation.userId)
    .execute();
  await trx.updateTable('invitation').set({ accepted_at: now }).where('id', '=', invitation.invitationId).execute();
  const recoveryCodes = await issueRecoveryCodes(trx, { id: invitation.userId, organisation_id: invitation.organisationId }, now);
  audit.record({ action: 'auth.second_factor.enrolled', actor: invitation.actor, objectType: 'user', objectId: invitation.userId });
  audit.record({ action: 'auth.invitation.accepted', actor: invitation.actor, objectType: 'invitation', objectId: invitation.invitationId });
  return { email: invitation.email, recoveryCodes };
}

