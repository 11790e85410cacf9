import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { API_ERROR_MESSAGES, type FieldError } from '../../shared/api-errors';
import type { AuditAction } from '../audit/actions';
import { ANONYMOUS_ACTOR } from '../audit/record';
import { type AuditedScope, runAuditedUnit } from '../audit/unit-of-work';
import type { ServerDependencies } from '../context';
import { isDatabaseInputError } from '../db/input-errors';
import { type DomainErrorKind, domainErrorIn, fieldErrorsOf, toFieldErrors } from '../errors';
import { refuseMalformedText } from '../input-guard';
import { describeErrorForLog } from '../log';

/** The plain-HTTP edge: a domain error's kind as a status code (the tRPC edge has its own map in trpc.ts). */
const HTTP_STATUS_OF: Record<DomainErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
};

export interface AuditedRouteDefinition<Schema extends z.ZodType, Result> {
  method: 'GET' | 'POST';
  url: string;
  /** The only actions the route may record; the first is its default. */
  actions: readonly AuditAction[];
  mode: 'read' | 'write';
  /** The request body (POST) or query (GET), validated before anything else runs. */
  input: Schema;
  /** Fastify route config, e.g. `{ rateLimit: … }`: every public route is rate-limited (PLAT-9). */
  config?: Record<string, unknown>;
  /**
   * Runs before the body is read (the rate limit, PLAT-9): a flood is refused before it costs a
   * parse, a validation or a transaction.
   */
  onRequest?: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** A tighter body limit than the server's, in bytes: a public form has no business being large (413 above). */
  bodyLimit?: number;
  /**
   * Request headers the route needs (lower-case name → schema), validated with the body: a missing
   * or bad one is a field error naming the header, and nothing runs.
   */
  headers?: Record<string, z.ZodType<string>>;
  /** The status of a success; 200 unless the route creates something (201). */
  successStatus?: 200 | 201 | 202;
  handler: (scope: AuditedScope & { now: Date; isDemo: boolean; headers: Record<string, string> }, input: z.output<Schema>) => Promise<Result>;
}

/**
 * A public HTTP route (the booking and contact forms) that runs as the same audited unit of work
 * as every tRPC procedure: validated input with coded field errors, one transaction with its
 * declared events, refusals logged, and the same answers for bad input (400, never 500, nothing
 * written). The caller is anonymous; the handler names the organisation on the events it records.
 */
export function registerAuditedRoute<Schema extends z.ZodType, Result>(
  app: FastifyInstance,
  deps: Pick<ServerDependencies, 'db' | 'config' | 'now'>,
  route: AuditedRouteDefinition<Schema, Result>,
): void {
  app.route({
    method: route.method,
    url: route.url,
    ...(route.config ? { config: route.config } : {}),
    ...(route.onRequest ? { onRequest: route.onRequest } : {}),
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = route.method === 'GET' ? request.query : request.body;
      // The same guards as every procedure: well-formed text first (input-guard.ts), then the schema.
      try {
        refuseMalformedText(raw);
      } catch (error) {
        return reply.code(400).send({ error: API_ERROR_MESSAGES.validation, fieldErrors: fieldErrorsOf(error) ?? [] });
      }
      const headers: Record<string, string> = {};
      const headerErrors: FieldError[] = [];
      for (const [name, schema] of Object.entries(route.headers ?? {})) {
        const value = request.headers[name];
        const header = schema.safeParse(typeof value === 'string' ? value : undefined);
        if (header.success) headers[name] = header.data;
        else headerErrors.push({ field: name, messageKey: value === undefined ? 'validation.required' : (toFieldErrors(header.error.issues)[0]?.messageKey ?? 'validation.invalid_format'), params: {} });
      }
      const parsed = route.input.safeParse(raw);
      if (!parsed.success || headerErrors.length > 0) {
        return reply.code(400).send({ error: API_ERROR_MESSAGES.validation, fieldErrors: [...headerErrors, ...(parsed.success ? [] : toFieldErrors(parsed.error.issues))] });
      }
      const now = deps.now();
      try {
        const result = await runAuditedUnit(
          { db: deps.db, actor: ANONYMOUS_ACTOR, actions: route.actions, mode: route.mode, now, clientIp: request.ip, origin: `http:${route.method} ${route.url}`, isEventRequired: false },
          (scope) => route.handler({ ...scope, now, isDemo: deps.config.isDemo, headers }, parsed.data),
        );
        return reply.code(route.successStatus ?? 200).send(result);
      } catch (error) {
        const domain = domainErrorIn(error);
        if (domain) return reply.code(HTTP_STATUS_OF[domain.kind]).send({ error: domain.message, fieldErrors: fieldErrorsOf(domain) ?? [] });
        if (isDatabaseInputError(error)) return reply.code(400).send({ error: API_ERROR_MESSAGES.validation, fieldErrors: [] });
        request.log.error({ route: route.url, err: describeErrorForLog(error) }, 'route failed');
        return reply.code(500).send({ error: API_ERROR_MESSAGES.internal });
      }
    },
  });
}
