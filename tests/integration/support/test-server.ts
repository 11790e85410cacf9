import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SecretBox } from '../../../src/server/auth/secret-box';
import { buildServer } from '../../../src/server/app';
import { loadConfig, type ServerConfig } from '../../../src/server/config';
import { createContextInner, type RequestFacts } from '../../../src/server/context';
import type { DatabaseHandle } from '../../../src/server/db/database';
import { WorkGate } from '../../../src/server/limits/work-gate';
import { DevelopmentMailbox } from '../../../src/server/outbox/outbox';
import { appRouter } from '../../../src/server/router';
import { createCallerFactory } from '../../../src/server/trpc';

/** One key per test process: tests never see a real one. */
export const testSecretBox = new SecretBox(randomBytes(32));

export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...loadConfig({ JK_LOG_LEVEL: 'silent' }), ...overrides };
}

/** The real Fastify app on a test database, driven with inject() (HTTP without a socket). */
export async function buildTestApp(
  database: DatabaseHandle,
  options: { config?: Partial<ServerConfig>; now?: () => Date } = {},
): Promise<FastifyInstance> {
  const app = await buildServer({
    db: database.db,
    databaseKind: database.kind,
    config: testConfig(options.config),
    now: options.now ?? (() => new Date()),
    secretBox: testSecretBox,
  });
  await app.ready();
  return app;
}

const createCaller = createCallerFactory(appRouter);

/** Calls procedures directly through the router (same middleware, no HTTP). */
export function createTestCaller(
  database: DatabaseHandle,
  options: { config?: Partial<ServerConfig>; now?: () => Date; mailbox?: DevelopmentMailbox } = {},
  request: RequestFacts = {},
) {
  const silent = { info() {}, warn() {}, error() {}, debug() {}, fatal() {}, trace() {}, child() { return silent; }, level: 'silent', silent() {} };
  const config = testConfig(options.config);
  return createCaller(
    createContextInner({
      db: database.db,
      databaseKind: database.kind,
      config,
      log: silent as never,
      now: options.now ?? (() => new Date()),
      secretBox: testSecretBox,
      // The HTTP layer takes argon2 turns (PLAT-9); a direct caller has no HTTP layer, so its gate is never asked.
      passwordGate: new WorkGate(config.limits.argon2),
      mailbox: options.mailbox ?? new DevelopmentMailbox(),
    }, request),
  );
}
