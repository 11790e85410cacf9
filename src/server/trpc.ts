import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { Role } from '../shared/roles';
import { API_ERROR_MESSAGES } from '../shared/api-errors';
import type { AuditAction } from './audit/actions';
import { ANONYMOUS_ACTOR, writeAuditEvent } from './audit/record';
import { AuditedDenial } from './audit/recorder';
import { runAuditedUnit } from './audit/unit-of-work';
import { actorOf, resolveSession, type SessionUser, touchSession } from './auth/session';
import type { Context, ServiceDeps } from './context';
import type { Executor } from './db/database';
import { databaseInputErrorCode } from './db/input-errors';
import { type DomainErrorKind, domainErrorIn, fieldErrorsOf, FieldValidationError } from './errors';
import { refuseMalformedText } from './input-guard';

/**
 * Who may call a procedure, declared where it is defined. The role × procedure matrix test walks
 * the whole router and fails on any procedure without a declaration (ACC-1).
 */
export type ProcedureAccess =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; roles: readonly Role[] };

export interface ProcedureMeta {
  access?: ProcedureAccess;
  /** The audit actions this procedure writes; the first is written on success unless it records its own (AUD-1). */
  audit?: readonly AuditAction[];
  /** Needs a second factor entered within the last 5 minutes (AUTH-5). */
  stepUp?: boolean;
  /** Callable on a session the idle timeout has locked (only the unlock itself and logout). */
  allowLockedSession?: boolean;
}

/** Error messages are codes the renderer translates; they never carry data. */
const AUTH_ERRORS = API_ERROR_MESSAGES;

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Live subscriptions over SSE (docs/adr/0012): a ping every 15 s keeps proxies and load balancers
    // from cutting an idle stream, and a client that hears nothing for 40 s reconnects by itself.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error }) {
      const fieldErrors = error.code === 'BAD_REQUEST' ? fieldErrorsOf(error) : undefined;
      const isInternal = error.code === 'INTERNAL_SERVER_ERROR';
      // A body or query that is not JSON: the parser's message quotes it, and it may be personal data (PLAT-6).
      const isUnparsable = error.code === 'BAD_REQUEST' && error.cause instanceof SyntaxError;
      return {
        ...shape,
        // Bad input gets coded field errors instead of zod's prose; an internal error says nothing
        // about what went wrong (the server log has it, without personal data).
        message: fieldErrors || isUnparsable ? API_ERROR_MESSAGES.validation : isInternal ? API_ERROR_MESSAGES.internal : shape.message,
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

/** The edge: a domain error's kind as the tRPC code the client sees (and so its HTTP status). */
const TRPC_CODE_OF: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  bad_request: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  too_many_requests: 'TOO_MANY_REQUESTS',
};

/**
 * The one place where what services throw becomes what a tRPC client sees: a domain error keeps its
 * coded message (and field errors, through its cause); PostgreSQL's complaints about the input
 * itself become 400; anything else stays an internal error that says nothing.
 */
const mapErrorsAtTheEdge = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const domain = domainErrorIn(result.error);
  if (domain) {
    // Only field errors travel on (the formatter sends them); a denial's event stays on the server.
    // An audited refusal may carry its field error as its cause (auditedFieldDenial).
    const fields = domain instanceof FieldValidationError ? domain : domain.cause instanceof FieldValidationError ? domain.cause : undefined;
    throw new TRPCError({ code: TRPC_CODE_OF[domain.kind], message: domain.message, ...(fields ? { cause: fields } : {}) });
  }
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    const sqlState = databaseInputErrorCode(result.error.cause);
    if (sqlState) {
      // A schema let it through: worth fixing there, so say where (no values: they may be personal data).
      ctx.log.warn({ path, sqlState }, 'input refused by the database, not by its schema');
      throw new TRPCError({ code: 'BAD_REQUEST', message: API_ERROR_MESSAGES.validation });
    }
  }
  return result;
});

/** PLAT-6: every string of every input well-formed Unicode, checked once for all procedures (input-guard.ts). */
const requireWellFormedText = t.middleware(async ({ getRawInput, next }) => {
  refuseMalformedText(await getRawInput());
  return next();
});

/**
 * Runs every procedure as one audited unit of work (src/server/audit/unit-of-work.ts): a mutation
 * in one transaction with its events, a query with its events written before the answer leaves,
 * refusals logged on their own. Resolvers get `ctx.deps`, the one set of dependencies services take.
 */
const withAuditedUnitOfWork = t.middleware(async ({ ctx, meta, next, path, type }) => {
  const session = (ctx as Context & { session?: SessionUser }).session;
  const now = ctx.now();
  return runAuditedUnit(
    {
      db: ctx.db,
      actor: session ? actorOf(session) : ANONYMOUS_ACTOR,
      actions: meta?.audit ?? [],
      mode: type === 'query' ? 'read' : 'write',
      now,
      clientIp: ctx.clientIp,
      origin: path,
      // An authenticated action always leaves its event; public ones (login, invitation) record their own.
      isEventRequired: session !== undefined,
    },
    async ({ trx, audit }) => {
      // AUTH-5: signing and exports need a second factor within the window. A refusal is a denied
      // attempt like any other (ACC-5): logged under the procedure's own action, with the client's
      // address where the action holds it (an export), then the client asks for the code.
      if (meta?.stepUp && session && now.getTime() - session.secondFactorAt.getTime() > ctx.config.stepUpWindowMs) {
        throw new AuditedDenial({ reason: 'step_up_required' }, 'forbidden', AUTH_ERRORS.stepUpRequired);
      }
      const deps: ServiceDeps = { trx, audit, now, isDemo: ctx.config.isDemo, secretBox: ctx.secretBox };
      const result = await next({ ctx: { trx, audit, deps } });
      // The unit of work sees the failure as a throw: it rolls back and logs a denial.
      if (!result.ok) throw result.error;
      return result;
    },
  );
});

const requireSession = t.middleware(async ({ ctx, meta, next }) => {
  if (!ctx.bearerToken) throw new TRPCError({ code: 'UNAUTHORIZED', message: AUTH_ERRORS.sessionRequired });
  const now = ctx.now();
  // The process's session cache when there is one (docs/adr/0018): the same answer, without a query on the hot path.
  const lookup = ctx.sessions ? await ctx.sessions.resolve(ctx.db, ctx.bearerToken, now) : await resolveSession(ctx.db, ctx.bearerToken, now);
  if (lookup.status === 'invalid') throw new TRPCError({ code: 'UNAUTHORIZED', message: AUTH_ERRORS.sessionRequired });
  if (lookup.status === 'expired') throw new TRPCError({ code: 'UNAUTHORIZED', message: AUTH_ERRORS.sessionExpired });
  if (lookup.status === 'locked' && !meta?.allowLockedSession) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: AUTH_ERRORS.sessionLocked });
  }
  if (lookup.status === 'active') {
    if (ctx.sessions) await ctx.sessions.touch(ctx.db, ctx.bearerToken, lookup.session, now);
    else await touchSession(ctx.db, lookup.session, now);
  }
  return next({ ctx: { session: lookup.session, isSessionLocked: lookup.status === 'locked' } });
});

const requireRoles = t.middleware(async ({ ctx, meta, next, path }) => {
  const access = meta?.access;
  const session = (ctx as Context & { session?: SessionUser }).session;
  if (access?.kind === 'roles' && session && !access.roles.some((role) => session.roles.includes(role))) {
    // ACC-1, ACC-5: refused by role, logged, and nothing about the object is returned.
    // One INSERT is atomic on its own: no transaction around it.
    await writeAuditEvent(
      ctx.db as Executor,
      actorOf(session),
      { action: 'access.denied', outcome: 'denied', reason: 'role_not_admitted', details: { procedure: path } },
      { now: ctx.now(), clientIp: undefined },
    );
    throw new TRPCError({ code: 'FORBIDDEN', message: AUTH_ERRORS.forbidden });
  }
  return next();
});

/**
 * Base procedures: the only ones the domain routers may use. Each carries its access declaration;
 * audited ones run in one transaction with their events (`ctx.trx`, `ctx.audit`).
 */
export const publicProcedure = t.procedure.meta({ access: { kind: 'public' } }).use(mapErrorsAtTheEdge).use(requireWellFormedText).use(withAuditedUnitOfWork);

export const authenticatedProcedure = t.procedure
  .meta({ access: { kind: 'authenticated' } })
  .use(mapErrorsAtTheEdge)
  .use(requireSession)
  .use(requireRoles)
  .use(requireWellFormedText)
  .use(withAuditedUnitOfWork);

/** A procedure for the given roles (a user holding any one of them is admitted). */
export function roleProcedure(roles: readonly Role[]) {
  return t.procedure.meta({ access: { kind: 'roles', roles } }).use(mapErrorsAtTheEdge).use(requireSession).use(requireRoles).use(requireWellFormedText).use(withAuditedUnitOfWork);
}
