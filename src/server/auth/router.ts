import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { z } from 'zod';
import { deviceIdSchema, emailSchema, passwordInputSchema, recoveryCodeSchema, smsCodeSchema, tokenSchema, totpCodeSchema } from '../../shared/auth-schemas';
import { completeInvitation, openInvitation, verifyInvitationSmsCode } from '../user/invitation-service';
import { AuditedDenial } from '../audit/recorder';
import { authenticatedProcedure, publicProcedure, router } from '../trpc';
import { loginFailed, MAX_FAILED_ATTEMPTS, passwordStep, secondFactorStep } from './login-service';
import { verifyPassword } from './password';
import { consumeTotpCode, unusedRecoveryCodeCount } from './second-factor';
import { endSessions, markSecondFactor, unlockSession } from './session';

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
      .mutation(({ ctx, input }) => passwordStep(ctx.deps, input)),

    /** Step two: a TOTP code or a recovery code. Returns the session token (memory only on the client). */
    secondFactor: publicProcedure
      .meta({ audit: ['auth.login.success', 'auth.login.failure', 'auth.login.new_device', 'auth.lockout', 'auth.recovery_code.used'] })
      .input(
        z
          .object({ ticket: tokenSchema, code: totpCodeSchema.optional(), recoveryCode: recoveryCodeSchema.optional() })
          .strict()
          .refine((value) => (value.code === undefined) !== (value.recoveryCode === undefined), { message: 'validation.code_or_recovery', path: ['code'] }),
      )
      .mutation(({ ctx, input }) => secondFactorStep(ctx.deps, { ...input, isEnrolment: false })),

    /** Step two after an admin reset the second factor: confirm the new enrolment with its first code. */
    enrol: publicProcedure
      .meta({ audit: ['auth.second_factor.enrolled', 'auth.login.success', 'auth.login.failure', 'auth.login.new_device', 'auth.lockout'] })
      .input(z.object({ ticket: tokenSchema, code: totpCodeSchema }).strict())
      .mutation(({ ctx, input }) => secondFactorStep(ctx.deps, { ...input, isEnrolment: true })),
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
      .meta({ audit: ['auth.session.unlocked', 'auth.lockout'], allowLockedSession: true })
      .input(z.object({ password: passwordInputSchema }).strict())
      .mutation(async ({ ctx, input }) => {
        const user = await ctx.trx.selectFrom('app_user').select('password_hash').where('id', '=', ctx.session.userId).executeTakeFirstOrThrow();
        if (!user.password_hash || !(await verifyPassword(user.password_hash, input.password))) {
          // Wrong passwords at the lock screen count like login failures: the fifth ends the session.
          const counted = await ctx.trx
            .updateTable('app_user')
            .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
            .where('id', '=', ctx.session.userId)
            .returning('failed_attempts')
            .executeTakeFirstOrThrow();
          ctx.audit.record({ outcome: 'denied', reason: 'bad_password', objectType: 'session', objectId: ctx.session.sessionId });
          if (counted.failed_attempts >= MAX_FAILED_ATTEMPTS) {
            await ctx.trx.updateTable('app_user').set({ failed_attempts: 0 }).where('id', '=', ctx.session.userId).execute();
            await endSessions(ctx.trx, { sessionId: ctx.session.sessionId }, 'locked', ctx.now());
            ctx.audit.record({ action: 'auth.lockout', outcome: 'denied', reason: 'too_many_failures', objectType: 'session', objectId: ctx.session.sessionId });
          }
          return ctx.audit.refuseAfterCommit(loginFailed());
        }
        await ctx.trx.updateTable('app_user').set({ failed_attempts: 0 }).where('id', '=', ctx.session.userId).execute();
        await unlockSession(ctx.trx, ctx.session.sessionId, ctx.now());
        ctx.audit.record({ objectType: 'session', objectId: ctx.session.sessionId });
        return { isUnlocked: true };
      }),

    /** AUTH-5: a fresh second factor for sensitive actions (sign, print, export, resets). */
    stepUp: authenticatedProcedure
      .meta({ audit: ['auth.step_up'] })
      .input(z.object({ code: totpCodeSchema }).strict())
      .mutation(async ({ ctx, input }) => {
        const user = await ctx.trx.selectFrom('app_user').select(['id', 'totp_secret_encrypted']).where('id', '=', ctx.session.userId).executeTakeFirstOrThrow();
        const check = await consumeTotpCode(ctx.trx, ctx.secretBox, user, input.code, ctx.now());
        if (!check.ok) throw new AuditedDenial({ reason: check.reason, objectType: 'session', objectId: ctx.session.sessionId }, 'unauthorized', API_ERROR_MESSAGES.stepUpFailed);
        await markSecondFactor(ctx.trx, ctx.session.sessionId, ctx.now());
        ctx.audit.record({ objectType: 'session', objectId: ctx.session.sessionId });
        return { stepUpValidUntil: new Date(ctx.now().getTime() + ctx.config.stepUpWindowMs).toISOString() };
      }),
  }),
});

