import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { ServerConfig } from './config';
import type { Database, DatabaseKind } from './db/database';

/** What every procedure can reach, whatever the request. Tests build it directly. */
export interface ServerDependencies {
  db: Database;
  databaseKind: DatabaseKind;
  config: ServerConfig;
  log: FastifyBaseLogger;
  /** The server clock, injectable so tests can move time (session timeouts, lockouts) without sleeping. */
  now: () => Date;
}

export interface Context extends ServerDependencies {
  requestId: string;
  /**
   * The client's address. Only print and export events may store it (AUD-2, data minimisation);
   * everything else must ignore it.
   */
  clientIp: string | undefined;
}

export function createContextInner(
  deps: ServerDependencies,
  request: { requestId?: string; clientIp?: string } = {},
): Context {
  return { ...deps, requestId: request.requestId ?? 'internal', clientIp: request.clientIp };
}

export function createRequestContext(deps: ServerDependencies, request: FastifyRequest): Context {
  // With JK_TRUST_PROXY set, Fastify resolves request.ip from X-Forwarded-For; otherwise it is the peer.
  return createContextInner({ ...deps, log: request.log }, { requestId: request.id, clientIp: request.ip });
}
