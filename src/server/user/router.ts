import { z } from 'zod';
import { inviteUserSchema, roleSchema, userIdSchema } from '../../shared/auth-schemas';
import { ROLES } from '../../shared/roles';
import { roleProcedure, router } from '../trpc';
import { changeRoles, listUsers, lockUser, resetSecondFactor, revokeSessions, unlockUser } from './admin-service';
import { inviteUser } from './invitation-service';

const adminProcedure = roleProcedure(['admin']);

/** User administration (admin only; every action logged). */
export const userAdminRouter = router({
  list: adminProcedure.meta({ audit: ['admin.user.list'] }).query(({ ctx }) => listUsers(ctx.deps, ctx.session)),

  invite: adminProcedure
    .meta({ audit: ['admin.user.invited'] })
    .input(inviteUserSchema)
    .mutation(({ ctx, input }) =>
      inviteUser(
        { trx: ctx.trx, audit: ctx.audit, now: ctx.now(), secretBox: ctx.secretBox, publicAppUrl: ctx.config.publicAppUrl ?? `http://${ctx.config.host}:${ctx.config.port}` },
        ctx.session,
        input,
      ),
    ),

  lock: adminProcedure
    .meta({ audit: ['admin.user.locked'] })
    .input(userIdSchema)
    .mutation(({ ctx, input }) => lockUser(ctx.deps, ctx.session, input.userId)),

  unlock: adminProcedure
    .meta({ audit: ['admin.user.unlocked'] })
    .input(userIdSchema)
    .mutation(({ ctx, input }) => unlockUser(ctx.deps, ctx.session, input.userId)),

  revokeSessions: adminProcedure
    .meta({ audit: ['admin.user.sessions_revoked'] })
    .input(userIdSchema)
    .mutation(({ ctx, input }) => revokeSessions(ctx.deps, ctx.session, input.userId)),

  /** AUTH-3: logged, and the user must enrol anew. Sensitive: needs a fresh second factor. */
  resetSecondFactor: adminProcedure
    .meta({ audit: ['admin.user.second_factor_reset'], stepUp: true })
    .input(userIdSchema)
    .mutation(({ ctx, input }) => resetSecondFactor(ctx.deps, ctx.session, input.userId)),

  changeRoles: adminProcedure
    .meta({ audit: ['admin.user.roles_changed'] })
    .input(z.object({ userId: z.uuid('validation.id'), roles: z.array(roleSchema).min(1, 'validation.roles').max(ROLES.length) }).strict())
    .mutation(({ ctx, input }) => changeRoles(ctx.deps, ctx.session, input.userId, input.roles)),
});
