import { z } from 'zod';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { deviceIdSchema, emailSchema, passwordInputSchema, recoveryCodeSchema, smsCodeSchema, tokenSchema, totpCodeSchema } from '../../shared/auth-schemas';
import { completeInvitation, openInvitation, verifyInvitationSmsCode } from '../user/invitation-service';
import type { ServiceDeps } from '../context';
import { DomainError } from '../errors';
import { sourceOf } from '../limits/source-address';
import { authenticatedProcedure, publicProcedure, router } from '../trpc';
import { clearSessionFailures, registerSessionFailure } from './lockout';
import { loginFailed, passwordStep, secondFactorStep, verifyEnrolmentSmsCode } from './login-service';
import { verifyPassword } from './password';
import { consumeTotpCode, unusedRecoveryCodeCount } from './second-factor';
import { endSessions, markSecondFactor, unlockSession } from './session';

/** AUTH-4 counts failures per account and source: the login steps get where the request came from. */
const loginDeps = (ctx: { deps: ServiceDeps; clientIp: string | undefined }) => ({ ...ctx.deps, source: sourceOf(ctx.clientIp) });

export const authRouter = router({
  invitation: router({
    open: publicProcedure
      .meta({ audit: ['auth.invitation.opened'] })
      .input(z.object({ token: tokenSchema }).strict())
      .query(({ ctx, input }) => openInvitation(ctx.deps, input.token)),

    verifySmsCode: publicProcedure
      .meta({ audit: ['auth.invitation.sms_verified'] })
      .input(z.object({ token: tokenSchema, code: smsCodeSchema }).strict())
      .mutation(({ ctx, input }) => verifyInvitationSmsCode(ctx.deps, input.token, input.code)),

    complete: publicProcedure
      .meta({ audit: ['auth.invitation.accepted', 'auth.second_factor.enrolled'] })
      .input(z.object({ token: tokenSchema, password: passwordInputSchema, totpCode: totpCodeSchema }).strict())
      .mutation(({ ctx, input }) => completeInvitation(ctx.deps, input)),
  }),

  login: router({
    /** Step one (AUTH-4: any failure says only that the login failed). */
    password: publicProcedure
      .meta({ audit: ['auth.login.failure', 'auth.lockout'] })
      .input(z.object({ email: emailSchema, password: passwordInputSchema, deviceId: deviceIdSchema.nullable().default(null) }).strict())
      .mutation(({ ctx, input }) => passwordStep(loginDeps(ctx), input)),

    /** Step two: a TOTP code or a recovery code. Returns the session token (memory only on the client). */
    secondFactor: publicProcedure
      .meta({ audit: ['auth.login.success', 'auth.login.failure', 'auth.login.new_device', 'auth.lockout', 'auth.recovery_code.used'] })
      .input(
        z
          .object({ ticket: tokenSchema, code: totpCodeSchema.optional(), recoveryCode: recoveryCodeSchema.optional() })
          .strict()
          .refine((value) => (value.code === undefined) !== (value.recoveryCode === undefined), { message: 'validation.code_or_recovery', path: ['code'] }),
      )
      .mutation(({ ctx, input }) => secondFactorStep(loginDeps(ctx), { ...input, isEnrolment: false })),

    /**
     * AUTH-3, after an admin reset the second factor: the code sent by SMS at the password step.
     * Only then is a new authenticator secret made and shown.
     */
    verifyEnrolmentCode: publicProcedure
      .meta({ audit: ['auth.second_factor.sms_verified', 'auth.login.failure', 'auth.lockout'] })
      .input(z.object({ ticket: tokenSchema, code: smsCodeSchema }).strict())
      .mutation(({ ctx, input }) => verifyEnrolmentSmsCode(loginDeps(ctx), input)),

    /** Step three after a reset: confirm the new enrolment with its first code. */
    enrol: publicProcedure
      .meta({ audit: ['auth.second_factor.enrolled', 'auth.login.success', 'auth.login.failure', 'auth.login.new_device', 'auth.lockout'] })
      .input(z.object({ ticket: tokenSchema, code: totpCodeSchema }).strict())
      .mutation(({ ctx, input }) => secondFactorStep(loginDeps(ctx), { ...input, isEnrolment: true })),
  }),

  session: router({
    /** Who am I, and what does my session allow: read by the app after login and on every start. */
    me: authenticatedProcedure.query(async ({ ctx }) => ({
      userId: ctx.session.userId,
      displayName: ctx.session.displayName,
      email: ctx.session.email,
      roles: ctx.session.roles,
      profession: ctx.session.profession,
      authMethod: ctx.session.authMethod,
      expiresAt: ctx.session.expiresAt.toISOString(),
      stepUpValidUntil: new Date(ctx.session.secondFactorAt.getTime() + ctx.config.stepUpWindowMs).toISOString(),
      unusedRecoveryCodes: await unusedRecoveryCodeCount(ctx.db, ctx.session.userId),
    })),

    logout: authenticatedProcedure
      .meta({ audit: ['auth.logout'], allowLockedSession: true })
      .mutation(async ({ ctx }) => {
        await endSessions(ctx.trx, { sessionId: ctx.session.sessionId }, 'logout', ctx.now());
        ctx.audit.record({ objectType: 'session', objectId: ctx.session.sessionId });
        return { isLoggedOut: true };
      }),

    /** AUTH-5: after 15 idle minutes the app locks; the password opens it again. */
    unlock: authenticatedProcedure
      .meta({ audit: ['auth.session.unlocked', 'auth.session.unlock_failed', 'auth.lockout'], allowLockedSession: true })
      .input(z.object({ password: passwordInputSchema }).strict())
      .mutation(async ({ ctx, input }) => {
        const user = await ctx.trx.selectFrom('app_user').select('password_hash').where('id', '=', ctx.session.userId).executeTakeFirstOrThrow();
        if (!user.password_hash || !(await verifyPassword(user.password_hash, input.password))) {
          // AUTH-4: wrong passwords at the lock screen count on the session: the fifth ends it.
          // A security event, so it keeps the source address (AUD-2).
          ctx.audit.record({ action: 'auth.session.unlock_failed', outcome: 'denied', reason: 'bad_password', objectType: 'session', objectId: ctx.session.sessionId });
          await registerSessionFailure({ trx: ctx.trx, audit: ctx.audit, now: ctx.now() }, ctx.session.sessionId);
          return ctx.audit.refuseAfterCommit(loginFailed());
        }
        await clearSessionFailures(ctx.trx, ctx.session.sessionId);
        await unlockSession(ctx.trx, ctx.session.sessionId, ctx.now());
        ctx.audit.record({ objectType: 'session', objectId: ctx.session.sessionId });
        return { isUnlocked: true };
      }),

    /** AUTH-5: a fresh second factor for sensitive actions (sign, print, export, resets). */
    stepUp: authenticatedProcedure
      .meta({ audit: ['auth.step_up', 'auth.step_up.failed', 'auth.lockout'] })
      .input(z.object({ code: totpCodeSchema }).strict())
      .mutation(async ({ ctx, input }) => {
        const user = await ctx.trx.selectFrom('app_user').select(['id', 'totp_secret_encrypted']).where('id', '=', ctx.session.userId).executeTakeFirstOrThrow();
        const check = await consumeTotpCode(ctx.trx, ctx.secretBox, user, input.code, ctx.now());
        if (!check.ok) {
          // AUTH-4: wrong step-up codes count; the fifth ends the session. Kept after commit (the
          // counter and the event with its source address, AUD-2), then refused.
          ctx.audit.record({ action: 'auth.step_up.failed', outcome: 'denied', reason: check.reason, objectType: 'session', objectId: ctx.session.sessionId });
          await registerSessionFailure({ trx: ctx.trx, audit: ctx.audit, now: ctx.now() }, ctx.session.sessionId);
          return ctx.audit.refuseAfterCommit(new DomainError('unauthorized', API_ERROR_MESSAGES.stepUpFailed));
        }
        await clearSessionFailures(ctx.trx, ctx.session.sessionId);
        await markSecondFactor(ctx.trx, ctx.session.sessionId, ctx.now());
        ctx.audit.record({ objectType: 'session', objectId: ctx.session.sessionId });
        return { stepUpValidUntil: new Date(ctx.now().getTime() + ctx.config.stepUpWindowMs).toISOString() };
      }),
  }),
});

