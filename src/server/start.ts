import type { FastifyInstance } from 'fastify';
import { buildServer, type ServedRouter } from './app';
import { SecretBox } from './auth/secret-box';
import { SessionCache } from './auth/session-cache';
import { resolveSecretKey } from './auth/secret-key';
import type { ServerConfig } from './config';
import type { DatabaseHandle } from './db/database';
import { claimInstallationMode } from './db/installation';
import { databaseTargetOf, openApplicationDatabase } from './db/open';
import { type DemoSeedResult, seedDemo } from './demo/seed';
import { integrityJobHandler } from './dpo/integrity/job';
import { startBackgroundJobs } from './jobs';
import { LiveHub } from './live/hub';
import { importJobHandlers } from './import/jobs';
import { DevelopmentMailbox } from './outbox/outbox';
import { computeDemoFlags, FLAGS_EVERY_MS, FLAGS_JOB_KIND, flagsJobHandler } from './dpo/flags/compute';
import { employeeImportDefinition } from './portal/employee-import';
import { RETENTION_CATEGORIES } from './retention/categories';
import { RETENTION_EVERY_MS, RETENTION_JOB_KIND, retentionJobHandler } from './retention/job';
import { assignmentAckHandler } from './visits/assignment-reminder';

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  url: string;
  demo: DemoSeedResult | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * A worker of `npm run server` (PLAT-10, docs/adr/0018): the primary has already migrated and
   * claimed the installation's mode, so this process only checks that nothing is pending.
   */
  isPrepared?: boolean;
  /** Whether this process runs the background jobs and sweeps (one worker per host does; they are safe on several anyway). */
  runsJobs?: boolean;
  /** The API to serve: the app's own unless a benchmark mounts a diagnostic procedure beside it. */
  router?: ServedRouter;
}

/**
 * What the primary of `npm run server` does once before it forks its workers: migrations (PLAT-2)
 * and the installation's mode, so N workers do not race to do it N times.
 */
export async function prepareInstallation(config: ServerConfig): Promise<void> {
  const database = await openApplicationDatabase(databaseTargetOf(config, { poolSize: 1 }));
  try {
    await claimInstallationMode(database.db, config.isDemo ? 'demo' : 'production');
  } finally {
    await database.close();
  }
}

/**
 * Opens the database, runs pending migrations (PLAT-2), claims the installation's mode, seeds the
 * demo when asked, and listens. Used by `npm run server` (each worker, with `isPrepared`), `npm
 * start` and the end-to-end tests.
 */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const target = databaseTargetOf(config);
  // A prepared worker never migrates: the owner's login stays with the primary.
  const database = await openApplicationDatabase(options.isPrepared && target.kind === 'postgres' ? { ...target, ownerUrl: undefined } : target);
  let sessions: SessionCache | undefined;
  try {
    if (!options.isPrepared) await claimInstallationMode(database.db, config.isDemo ? 'demo' : 'production');
    const secretBox = new SecretBox(await resolveSecretKey(config));
    const demo = config.isDemo && !options.isPrepared ? await seedDemo(database.db, secretBox) : undefined;
    // DPO-2: the demo's flags at once (the job would find them within minutes): seal what the seed wrote, then judge it.
    if (demo?.created) await computeDemoFlags(database.db, secretBox, config.auditWitnessPath);
    // One mailbox for the delivering job and the demo's developer view.
    const mailbox = new DevelopmentMailbox();
    // One LISTEN for this instance, whatever the number of open boards (PLAT-10, docs/adr/0012).
    const live = await LiveHub.start(database);
    // AUTH-5, docs/adr/0018: sessions cached per process, invalidated through the database's own
    // notifications (PostgreSQL only: undefined on PGlite).
    sessions = config.isSessionCacheEnabled === false ? undefined : await SessionCache.start(database);
    const sessionCache = sessions;
    const app = await buildServer({ ...(options.router ? { router: options.router } : {}), db: database.db, databaseKind: database.kind, config, now: () => new Date(), secretBox, mailbox, live, ...(sessionCache ? { sessions: sessionCache } : {}) });
    app.addHook('preClose', () => live.stop());
    if (sessionCache) app.addHook('onClose', () => sessionCache.stop());
    await app.listen({ host: config.host, port: config.port });
    if (!config.auditWitnessPath) app.log.warn('JK_AUDIT_WITNESS_FILE is not set: no seal witness is kept outside the database (AUD-4, ADR 0007)');
    // The composition root names the job kinds; the runner itself imports no domain (ADR 0011).
    const jobs = options.runsJobs === false ? { stop: async () => {} } : startBackgroundJobs(database.db, app.log, {
      auditWitnessPath: config.auditWitnessPath,
      mailbox,
      handlers: [
        retentionJobHandler(RETENTION_CATEGORIES),
        // DPO-2: flags for retrospective control, judged over sealed audit events.
        flagsJobHandler(secretBox),
        assignmentAckHandler,
        integrityJobHandler({ witnessPath: config.auditWitnessPath }),
        // CRM-4: the importer's validation and commit jobs, for every kind of import (synthetic numbers in the demo only).
        ...importJobHandlers([employeeImportDefinition({ allowSynthetic: config.isDemo })], secretBox),
      ],
      recurring: [
        { kind: RETENTION_JOB_KIND, everyMs: RETENTION_EVERY_MS },
        { kind: FLAGS_JOB_KIND, everyMs: config.dpoFlagsEveryMs ?? FLAGS_EVERY_MS },
      ],
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    return {
      app,
      database,
      url,
      demo,
      stop: async () => {
        // Stop taking requests first (clients see the instance go at once), then let the jobs finish.
        await app.close();
        await jobs.stop();
        await database.close();
      },
    };
  } catch (error) {
    await sessions?.stop();
    await database.close();
    throw error;
  }
}
