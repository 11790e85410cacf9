import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import type { LimitsConfig } from '../config';
import type { Database } from '../db/database';
import { postgresRateLimitStore } from './rate-limit-store';
import { sourceOf } from './source-address';
import type { WorkGate } from './work-gate';

/**
 * PLAT-9, AUTH-4: the procedures an outsider can aim at a person — every login and invitation step,
 * and the two that check a secret inside a session (unlock, step-up). They get the tight limit.
 */
export function isAuthProcedure(path: string): boolean {
  return path.startsWith('auth.login.') || path.startsWith('auth.invitation.') || path === 'auth.session.unlock' || path === 'auth.session.stepUp';
}

/** The procedures that run argon2 (a password check or hash): bounded by the work gate. */
export const ARGON2_PROCEDURES: ReadonlySet<string> = new Set(['auth.login.password', 'auth.session.unlock', 'auth.invitation.complete']);

type LimitClass = 'auth' | 'public';

/**
 * The access a procedure declares ('public', 'authenticated', 'roles'), or undefined for a name the
 * router does not have. Given by app.ts, which reads the router (only it and routers import tRPC).
 */
export type ProcedureAccessOf = (path: string) => string | undefined;

/** Which limit a procedure falls under; undefined for procedures that need a session (not limited here). */
export function limitClassOf(accessOf: ProcedureAccessOf, path: string): LimitClass | undefined {
  if (isAuthProcedure(path)) return 'auth';
  const access = accessOf(path);
  // An unknown name costs tRPC nothing but a 404; still counted, so nobody may spray names for free.
  if (access === undefined) return 'public';
  return access === 'public' ? 'public' : undefined;
}

/** The procedure names of a tRPC request: one, or several joined with commas in a batch. */
export function procedurePathsOf(url: string, prefix: string): string[] {
  const rest = url.slice(prefix.length + 1).split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    decoded = rest;
  }
  return decoded.split(',');
}

function isBatch(url: string): boolean {
  const query = url.split('?')[1] ?? '';
  return new URLSearchParams(query).get('batch') === '1';
}

/** An error in the shape tRPC answers with, one per call of a batch, so the client reads it as any other. */
function trpcErrorBody(paths: string[], batch: boolean, status: 400 | 429) {
  const code = status === 429 ? 'TOO_MANY_REQUESTS' : 'BAD_REQUEST';
  const message = status === 429 ? API_ERROR_MESSAGES.rateLimited : API_ERROR_MESSAGES.batchTooLarge;
  const one = (path: string) => ({ error: { message, code: status === 429 ? -32029 : -32600, data: { code, httpStatus: status, path } } });
  return batch ? paths.map(one) : one(paths[0] ?? '');
}

type Limiter = (request: FastifyRequest) => Promise<{ isExceeded?: boolean; ttlInSeconds?: number }>;

export interface AttackLimits {
  /** The onRequest hook for the tRPC routes: batch cap, rate limits per procedure, the argon2 gate. */
  trpcHook: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** The onRequest hook for a plain public route, counted under `name`. */
  routeHook: (name: string) => (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * Registers @fastify/rate-limit (global off: the hooks below decide what is counted) with the
 * PostgreSQL store, and builds the hooks. Each procedure of a batch counts on its own, so batching
 * does not multiply the allowance: /trpc/a,a,a?batch=1 is three calls of a.
 */
export async function registerAttackLimits(
  app: FastifyInstance,
  deps: { db: Database; limits: LimitsConfig; accessOf: ProcedureAccessOf; gate: WorkGate; trpcPrefix: string },
): Promise<AttackLimits> {
  const { limits } = deps;
  await app.register(rateLimit, {
    global: false,
    store: postgresRateLimitStore(deps.db),
    timeWindow: limits.windowMs,
    // A store that cannot count must not wave requests through.
    skipOnError: false,
  });

  const limiters = new Map<string, Limiter[]>();
  const limitersFor = (name: string, limitClass: LimitClass): Limiter[] => {
    const cacheKey = `${limitClass}:${name}`;
    let found = limiters.get(cacheKey);
    if (!found) {
      const perAddress = limitClass === 'auth' ? limits.authPerAddress : limits.publicPerAddress;
      const overall = limitClass === 'auth' ? limits.authOverall : limits.publicOverall;
      found = [
        app.createRateLimit({ max: perAddress, timeWindow: limits.windowMs, keyGenerator: (request) => `${name}|${sourceOf(request.ip)}` }),
        app.createRateLimit({ max: overall, timeWindow: limits.windowMs, keyGenerator: () => `${name}|*` }),
      ] as Limiter[];
      limiters.set(cacheKey, found);
    }
    return found;
  };

  /** Counts one call; the seconds to wait when a limit is exceeded, else undefined. */
  const count = async (request: FastifyRequest, name: string, limitClass: LimitClass): Promise<number | undefined> => {
    for (const limiter of limitersFor(name, limitClass)) {
      const result = await limiter(request);
      if (result.isExceeded) return Math.max(1, result.ttlInSeconds ?? 1);
    }
    return undefined;
  };

  const refuse = (request: FastifyRequest, reply: FastifyReply, retryAfter: number, body: unknown, name: string) => {
    // The address is personal data and stays out of the log; the procedure says what was hammered.
    request.log.warn({ procedure: name }, 'rate limit exceeded');
    return reply.code(429).header('retry-after', String(retryAfter)).send(body);
  };

  const releases = new WeakMap<FastifyRequest, () => void>();
  app.addHook('onResponse', async (request) => releases.get(request)?.());
  app.addHook('onRequestAbort', async (request) => releases.get(request)?.());

  const trpcHook = async (request: FastifyRequest, reply: FastifyReply) => {
    const paths = procedurePathsOf(request.url, deps.trpcPrefix);
    const batch = isBatch(request.url);
    if (paths.length > limits.maxBatch) return reply.code(400).send(trpcErrorBody(paths, batch, 400));
    for (const path of paths) {
      const limitClass = limitClassOf(deps.accessOf, path);
      if (!limitClass) continue;
      const wait = await count(request, deps.accessOf(path) === undefined ? 'trpc.unknown' : path, limitClass);
      if (wait !== undefined) return refuse(request, reply, wait, trpcErrorBody(paths, batch, 429), path);
    }
    const heavy = paths.filter((path) => ARGON2_PROCEDURES.has(path));
    if (heavy.length > 0) {
      // One argon2 call per request: a batch of ten logins would take ten turns at once.
      if (heavy.length > 1) return refuse(request, reply, 1, trpcErrorBody(paths, batch, 429), heavy[0] ?? '');
      try {
        releases.set(request, await deps.gate.acquire(sourceOf(request.ip)));
      } catch {
        return refuse(request, reply, 1, trpcErrorBody(paths, batch, 429), heavy[0] ?? '');
      }
    }
    return undefined;
  };

  const routeHook = (name: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const wait = await count(request, name, 'public');
    if (wait !== undefined) return refuse(request, reply, wait, { error: API_ERROR_MESSAGES.rateLimited }, name);
    return undefined;
  };

  return { trpcHook, routeHook };
}
