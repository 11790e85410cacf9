import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { AuditRecorder } from './audit/recorder';
import type { SecretBox } from './auth/secret-box';
import type { SessionCache } from './auth/session-cache';
import type { ServerConfig } from './config';
import type { Database, DatabaseKind, Executor } from './db/database';
import type { WorkGate } from './limits/work-gate';
import type { LiveHub } from './live/hub';
import type { DevelopmentMailbox } from './outbox/outbox';

/** What every procedure can reach, whatever the request. Tests build it directly. */
export interface ServerDependencies {
  db: Database;
  databaseKind: DatabaseKind;
  config: ServerConfig;
  log: FastifyBaseLogger;
  /** The server clock, injectable so tests can move time (session timeouts, lockouts) without sleeping. */
  now: () => Date;
  /** Encrypts second-factor secrets with the key kept outside the database (AUTH-5). */
  secretBox: SecretBox;
  /** Bounds argon2 work in this process (PLAT-9); the HTTP layer takes its turns before a transaction opens. */
  passwordGate: WorkGate;
  /** What the development message provider "delivered", for the demo's developer view (issue 8 §5). */
  mailbox: DevelopmentMailbox;
  /** This instance's LISTEN (PLAT-10): live subscriptions hear changes through it. Absent in direct-caller tests. */
  live?: LiveHub;
  /** This process's session cache (AUTH-5, PLAT-10, docs/adr/0018); absent on PGlite, in direct-caller tests, or switched off. */
  sessions?: SessionCache;
}

/**
 * What a service gets to do its work: the unit of work's executor and recorder, the moment of the
 * call (one clock reading for the whole unit), and the few settings rules depend on. Built once per
 * call by the unit of work; each service takes the part it needs (`Pick<ServiceDeps, …>`).
 */
export interface ServiceDeps {
  trx: Executor;
  audit: AuditRecorder;
  now: Date;
  isDemo: boolean;
  secretBox: SecretBox;
}

export interface RequestFacts {
  requestId?: string;
  /** The client's address. Only print, export and security events may store it (AUD-2). */
  clientIp?: string;
  /** The opaque session token from `Authorization: Bearer …`, if any. */
  bearerToken?: string;
  /** The device identity the app sends (`X-Device-Id`): from the OS keychain in the desktop app (AUTH-6). */
  deviceId?: string;
}

export interface Context extends ServerDependencies {
  requestId: string;
  clientIp: string | undefined;
  bearerToken: string | undefined;
  deviceId: string | undefined;
}

export function createContextInner(deps: ServerDependencies, request: RequestFacts = {}): Context {
  return {
    ...deps,
    requestId: request.requestId ?? 'internal',
    clientIp: request.clientIp,
    bearerToken: request.bearerToken,
    deviceId: request.deviceId,
  };
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;
const DEVICE_ID = /^[A-Za-z0-9-]{8,64}$/;

export function createRequestContext(deps: ServerDependencies, request: FastifyRequest): Context {
  const authorization = request.headers.authorization;
  const device = request.headers['x-device-id'];
  return createContextInner(
    { ...deps, log: request.log },
    {
      requestId: request.id,
      // With JK_TRUST_PROXY set, Fastify resolves request.ip from X-Forwarded-For; otherwise it is the peer.
      clientIp: request.ip,
      bearerToken: typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined,
      deviceId: typeof device === 'string' && DEVICE_ID.test(device) ? device : undefined,
    },
  );
}
