import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import { buildContentSecurityPolicy } from '../shared/content-security-policy';
import { createRequestContext, type ServerDependencies } from './context';
import { registerPublicContactRoute } from './crm/public-route';
import { registerAttackLimits } from './limits/attack-limits';
import { WorkGate } from './limits/work-gate';
import { describeErrorForLog } from './log';
import { DevelopmentMailbox } from './outbox/outbox';
import type { AnyTRPCProcedure, AnyTRPCRouter } from '@trpc/server';
import { appRouter } from './router';
import type { ProcedureMeta } from './trpc';
import { registerPublicBookingRoute } from './visits/public-route';

export const TRPC_PREFIX = '/trpc';

/**
 * Pino options for the whole backend. Logs are structured and hold no personal data: request logs
 * carry method, path and status only. The query string is cut because tRPC queries carry their
 * input there (a search for a patient's name would otherwise land in the log).
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
    serializers: {
      req: (request: { id: string; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        path: request.url.split('?')[0],
      }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
}

/**
 * tRPC answers with a web Response, whose body Fastify streams through web streams with chunked
 * encoding, chunk by chunk, with a stream's bookkeeping, for an answer that is already whole. A
 * plain JSON answer (every query and mutation batch) is sent as one string instead, with its status
 * and headers and a Content-Length: one write (issue 13: measured in `npm run bench --
 * --only=http`). Anything streamed (the live updates' event stream, a JSON-lines batch, which tRPC
 * marks Transfer-Encoding: chunked) is left to Fastify as it is.
 */
export async function sendWholeJsonAnswer(reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (!(payload instanceof Response)) return payload;
  const isWholeJson = payload.headers.get('content-type') === 'application/json' && !payload.headers.has('transfer-encoding');
  if (!isWholeJson || payload.bodyUsed) return payload;
  reply.code(payload.status);
  for (const [name, value] of payload.headers) reply.header(name, value);
  return payload.text();
}

/** What each procedure declares about who may call it (PLAT-9: public ones are rate-limited). */
export function procedureAccessOf(router: AnyTRPCRouter): (path: string) => string | undefined {
  // Typed as the nested router record, but at run time a flat map keyed by dotted path.
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure | undefined>;
  return (path) => {
    const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    if (!procedure) return undefined;
    return (procedure._def.meta as ProcedureMeta | undefined)?.access?.kind ?? 'undeclared';
  };
}

/** A tRPC router the server can serve (the app's own, or one with extra procedures for a test or benchmark). */
export type ServedRouter = AnyTRPCRouter;

type BuildServerDependencies = Omit<ServerDependencies, 'log' | 'passwordGate' | 'mailbox'> & {
  /** The API to serve: the app's own unless a test mounts extra procedures beside it. */
  router?: AnyTRPCRouter;
  /** What the development provider "delivered" (demo view); the server's own unless start.ts shares one with the jobs. */
  mailbox?: DevelopmentMailbox;
};

export async function buildServer(deps: BuildServerDependencies): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // tRPC batches many procedure names into one path segment.
    routerOptions: { maxParamLength: 5000 },
  });
  const { router: _router, mailbox, ...baseDeps } = deps;
  const serverDeps: ServerDependencies = {
    ...baseDeps,
    log: app.log,
    passwordGate: new WorkGate(config.limits.argon2),
    mailbox: mailbox ?? new DevelopmentMailbox(),
  };
  const router = deps.router ?? appRouter;
  // Open live streams never end by themselves: end them before close() waits for every request.
  if (deps.live) {
    const live = deps.live;
    app.addHook('preClose', async () => live.endSubscriptions());
  }

  await app.register(helmet, {
    contentSecurityPolicy: false, // set below: the same policy the desktop build uses
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  const contentSecurityPolicy = buildContentSecurityPolicy({ connectSources: [] });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    // Nothing the API returns may be kept in a disk cache (DESK-2: no patient data on disk).
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
  });

  await app.register(cors, {
    // Only the app's own origins; a request with no Origin (same-origin, curl) is not a CORS request.
    origin: (origin, callback) => callback(null, origin === undefined || config.allowedOrigins.includes(origin)),
    methods: ['GET', 'POST'],
    // idempotency-key: the public booking form sends one with each submission (VIS-1).
    allowedHeaders: ['content-type', 'authorization', 'x-device-id', 'trpc-accept', 'idempotency-key'],
    maxAge: 600,
  });

  // PLAT-9: rate limits per source address and overall, kept in PostgreSQL (docs/adr/0005).
  const limits = await registerAttackLimits(app, { db: deps.db, limits: config.limits, accessOf: procedureAccessOf(router), gate: serverDeps.passwordGate, trpcPrefix: TRPC_PREFIX });

  app.get('/health', { onRequest: limits.routeHook('http.health') }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      return { status: 'ok', database: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'degraded', database: 'unreachable' });
    }
  });

  // VIS-1: the public booking form (no login; its own body limit and rate limit).
  registerPublicBookingRoute(app, serverDeps, limits);
  // CRM-2: the public corporate contact form (no login; its own body limit and rate limit).
  registerPublicContactRoute(app, serverDeps, limits);

  await app.register(async (scope) => {
    // Before tRPC reads the body: the batch cap, each call's rate limit, the argon2 gate (PLAT-9).
    scope.addHook('onRequest', limits.trpcHook);
    scope.addHook('onSend', async (_request, reply, payload) => sendWholeJsonAnswer(reply, payload));
    await scope.register(fastifyTRPCPlugin, {
      prefix: TRPC_PREFIX,
      trpcOptions: {
        router,
        createContext: ({ req }) => createRequestContext(serverDeps, req),
        onError: ({ error, path, ctx }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            (ctx?.log ?? serverDeps.log).error({ path, err: describeErrorForLog(error.cause ?? error) }, 'procedure failed');
          }
        },
      } satisfies FastifyTRPCPluginOptions<AnyTRPCRouter>['trpcOptions'],
    });
  });

  if (config.rendererDir) {
    if (!existsSync(join(config.rendererDir, 'index.html'))) {
      throw new Error(`JK_SERVE_RENDERER: no index.html in ${config.rendererDir} (run npm run build)`);
    }
    // The browser fallback: the same renderer the desktop app loads, served from this origin.
    const rendererDir = config.rendererDir;
    await app.register(async (scope) => {
      scope.addHook('onRequest', limits.routeHook('http.renderer'));
      await scope.register(fastifyStatic, { root: rendererDir, index: 'index.html', wildcard: false });
    });
  }

  // Errors Fastify raises before a handler runs (body too large, malformed JSON, wrong content type)
  // are the client's fault: keep their 4xx status and say nothing else.
  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: error.code ?? 'bad_request' });
    }
    request.log.error({ err: describeErrorForLog(error) }, 'request failed');
    return reply.code(500).send({ error: 'internal_error' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not_found' }));

  return app;
}
