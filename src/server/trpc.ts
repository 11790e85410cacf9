import { initTRPC, TRPCError } from '@trpc/server';
import type { Role } from '../shared/roles';
import { API_ERROR_MESSAGES } from '../shared/api-errors';
import type { Context } from './context';
import { fieldErrorsOf } from './errors';

/**
 * Who may call a procedure, declared where it is defined. The role × procedure matrix test walks
 * the whole router and fails on any procedure without a declaration (ACC-1).
 */
export type ProcedureAccess =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; roles: readonly Role[] };

export interface ProcedureMeta {
  access: ProcedureAccess;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const fieldErrors = error.code === 'BAD_REQUEST' ? fieldErrorsOf(error) : undefined;
      const isInternal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        // Bad input gets coded field errors instead of zod's prose; an internal error says nothing
        // about what went wrong (the server log has it, without personal data).
        message: fieldErrors ? API_ERROR_MESSAGES.validation : isInternal ? API_ERROR_MESSAGES.internal : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Base procedures: the only ones the domain routers may use. Each carries its access declaration.
 * Authenticated and role-gated procedures arrive with login (issue 3) and will be built here too.
 */
export const publicProcedure = t.procedure.meta({ access: { kind: 'public' } });

export { TRPCError };
