import { initTRPC, TRPCError } from '@trpc/server';
import type { Role } from '../shared/roles';
import { API_ERROR_MESSAGES } from '../shared/api-errors';
import type { AuditAction } from './audit/actions';
import { type AuditActor, type AuditEventInput, ANONYMOUS_ACTOR, writeAuditEvent, writeAuditEvents } from './audit/record';
import { actorOf, resolveSession, type SessionUser, touchSession } from './auth/session';
import type { Context } from './context';
import type { Executor } from './db/database';
import { databaseInputErrorCode } from './db/input-errors';
import { fieldErrorsOf } from './errors';
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
export const AUTH_ERRORS = {
  sessionRequired: 'auth.session_required',
  sessionLocked: 'auth.session_locked',
  sessionExpired: 'auth.session_expired',
  forbidden: 'auth.forbidden',
  stepUpRequired: 'auth.step_up_required',
  loginFailed: 'auth.login_failed',
  notFound: 'error.not_found',
} as const;

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
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

/**
 * A refusal the audit log must hear about (ACC-5): the action's transaction is rolled back, then
 * the denial is written on its own, and the client gets the error with no detail about the object.
 */
export class AuditedDenial extends TRPCError {
  constructor(
    readonly event: Omit<AuditEventInput, 'action' | 'outcome'> & { action?: AuditAction; reason: string },
    code: 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHORIZED' | 'BAD_REQUEST' | 'CONFLICT' = 'FORBIDDEN',
    message: string = code === 'NOT_FOUND' ? AUTH_ERRORS.notFound : AUTH_ERRORS.forbidden,
  ) {
    super({ code, message });
  }
}

/** Collects the events of one procedure call; written in the call's transaction (AUD-3). */
export class AuditRecorder {
  private readonly pending: { actor: AuditActor; event: AuditEventInput }[] = [];
  /** An error to throw once the transaction has committed (see refuseAfterCommit). */
  errorAfterCommit: TRPCError | undefined;
  constructor(
    readonly defaultActor: AuditActor,
    private readonly defaultAction: AuditAction | undefined,
  ) {}

  record(event: Partial<AuditEventInput> & { actor?: AuditActor }): void {
    const action = event.action ?? this.defaultAction;
    if (!action) throw new Error('AuditRecorder: no action to record');
    const { actor, ...rest } = event;
    this.pending.push({ actor: actor ?? this.defaultActor, event: { ...rest, action } });
  }

  /**
   * Refuses the call but keeps what the transaction wrote: a failed login must still count towards
   * the lockout and leave its failure event, yet the client gets only the error. Return its result.
   */
  refuseAfterCommit(error: TRPCError): never {
    this.errorAfterCommit = error;
    return undefined as never;
  }

  get hasRecorded(): boolean {
    return this.pending.length > 0;
  }

  /** Writes every pending event in one statement (all or none). */
  async flush(db: Executor, context: { now: Date; clientIp: string | undefined }): Promise<void> {
    await writeAuditEvents(db, this.pending.splice(0), context);
  }

  /** Forgets what was recorded: the call was refused, so its events never happened. */
  discard(): void {
    this.pending.length = 0;
  }
}

/** PLAT-6: input the database refused as unusable (db/input-errors.ts) is the client's fault: 400, never a 500. */
const translateInputErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
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

/** The refusal in a failed call, if it is one the audit log must hear about. */
function auditedDenialIn(error: unknown): AuditedDenial | undefined {
  if (error instanceof AuditedDenial) return error;
  const cause = error instanceof TRPCError ? error.cause : undefined;
  return cause instanceof AuditedDenial ? cause : undefined;
}

/**
 * Runs an audited call with its events (AUD-3) and logs its refusals on their own (ACC-5).
 *
 * A mutation runs in one transaction with its events: all of it or nothing (PLAT-6).
 * A read (a tRPC query: by the rule of this codebase a query writes nothing but its events) needs
 * no transaction of its own: its statements run on the pool, then its events are written in one
 * statement that commits before the answer leaves. An event that cannot be written makes the read
 * throw, so nothing is returned — the same guarantee as a transaction, without the begin and commit
 * round trips on every journal read (measured: `npm run bench -- --only=journal`).
 */
const withAuditTransaction = t.middleware(async ({ ctx, meta, next, path, type }) => {
  const actions = meta?.audit;
  const session = (ctx as Context & { session?: SessionUser }).session;
  const actor = session ? actorOf(session) : ANONYMOUS_ACTOR;
  if (!actions || actions.length === 0) {
    return next({ ctx: { trx: ctx.db as Executor, audit: new AuditRecorder(actor, undefined) } });
  }
  const now = ctx.now();
  const recorder = new AuditRecorder(actor, actions[0]);
  const finish = async (db: Executor) => {
    // An authenticated action always leaves its event; public ones (login, invitation) record their own.
    if (!recorder.hasRecorded && session) recorder.record({});
    await recorder.flush(db, { now, clientIp: ctx.clientIp });
  };
  const call = (db: Executor) => next({ ctx: { trx: db, audit: recorder } });
  let denial: AuditedDenial | undefined;
  try {
    let result: Awaited<ReturnType<typeof call>>;
    if (type === 'query') {
      result = await call(ctx.db as Executor);
      if (!result.ok) {
        denial = auditedDenialIn(result.error);
        recorder.discard();
        throw result.error;
      }
      await finish(ctx.db as Executor);
    } else {
      result = await ctx.db.transaction().execute(async (trx) => {
        const result = await call(trx as Executor);
        if (!result.ok) {
          denial = auditedDenialIn(result.error);
          // Throwing rolls the transaction back: nothing half-written remains (PLAT-6).
          throw result.error;
        }
        await finish(trx as Executor);
        return result;
      });
    }
    if (recorder.errorAfterCommit) throw recorder.errorAfterCommit;
    return result;
  } catch (error) {
    const refused = denial ?? auditedDenialIn(error);
    if (refused) {
      const { action, ...event } = refused.event;
      await writeAuditEvent(
        ctx.db as Executor,
        actor,
        { ...event, action: action ?? actions[0] ?? 'access.denied', outcome: 'denied', details: { ...event.details, procedure: path } },
        { now, clientIp: ctx.clientIp },
      );
    }
    throw error;
  }
});

const requireSession = t.middleware(async ({ ctx, meta, next }) => {
  if (!ctx.bearerToken) throw new TRPCError({ code: 'UNAUTHORIZED', message: AUTH_ERRORS.sessionRequired });
  const now = ctx.now();
  const lookup = await resolveSession(ctx.db, ctx.bearerToken, now);
  if (lookup.status === 'invalid') throw new TRPCError({ code: 'UNAUTHORIZED', message: AUTH_ERRORS.sessionRequired });
  if (lookup.status === 'expired') throw new TRPCError({ code: 'UNAUTHORIZED', message: AUTH_ERRORS.sessionExpired });
  if (lookup.status === 'locked' && !meta?.allowLockedSession) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: AUTH_ERRORS.sessionLocked });
  }
  if (lookup.status === 'active') await touchSession(ctx.db, lookup.session, now);
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
  if (meta?.stepUp && session && ctx.now().getTime() - session.secondFactorAt.getTime() > ctx.config.stepUpWindowMs) {
    throw new TRPCError({ code: 'FORBIDDEN', message: AUTH_ERRORS.stepUpRequired });
  }
  return next();
});

/**
 * Base procedures: the only ones the domain routers may use. Each carries its access declaration;
 * audited ones run in one transaction with their events (`ctx.trx`, `ctx.audit`).
 */
export const publicProcedure = t.procedure.meta({ access: { kind: 'public' } }).use(translateInputErrors).use(requireWellFormedText).use(withAuditTransaction);

export const authenticatedProcedure = t.procedure
  .meta({ access: { kind: 'authenticated' } })
  .use(translateInputErrors)
  .use(requireSession)
  .use(requireRoles)
  .use(requireWellFormedText)
  .use(withAuditTransaction);

/** A procedure for the given roles (a user holding any one of them is admitted). */
export function roleProcedure(roles: readonly Role[]) {
  return t.procedure.meta({ access: { kind: 'roles', roles } }).use(translateInputErrors).use(requireSession).use(requireRoles).use(requireWellFormedText).use(withAuditTransaction);
}

export { TRPCError };
