// What `npm run server` runs (main.ts), as a function: the benchmark over HTTP starts the same
// process with one diagnostic procedure beside the app's (tests/bench/support/http-server.ts).
import type { ServedRouter } from './app';
import { ConfigError, loadConfig } from './config';
import { DatabaseSetupError } from './db/boundary';
import { InstallationModeError } from './db/installation';
import { MigrationError } from './db/migrate';
import { formatDemoLogins } from './demo/print';
import { describeErrorForLog } from './log';
import cluster from 'node:cluster';
import { prepareInstallation, startServer } from './start';
import { JOBS_SLOT, runPrimary, WORKER_SLOT_VARIABLE, workerCountOf } from './workers';

async function main(options: { router?: ServedRouter }): Promise<void> {
  const config = loadConfig();
  const workers = workerCountOf(config);
  if (cluster.isPrimary && workers > 1) {
    // PLAT-10, docs/adr/0018: migrations and the installation's mode once, then one worker per core.
    await prepareInstallation(config);
    runPrimary(workers);
    return;
  }
  const slot = cluster.isWorker ? Number(process.env[WORKER_SLOT_VARIABLE]) : undefined;
  const server = await startServer(config, { ...(cluster.isWorker ? { isPrepared: true, runsJobs: slot === JOBS_SLOT } : {}), ...(options.router ? { router: options.router } : {}) });
  server.app.log.info(
    { url: server.url, database: server.database.kind, demo: config.isDemo, ...(slot === undefined ? {} : { worker: slot }) },
    'Journalkontor backend listening',
  );
  // Demo credentials go to standard output for the person at the terminal, never into the log.
  if (server.demo) process.stdout.write(`${formatDemoLogins(server.demo, config.publicAppUrl ?? server.url)}\n`);
  let stopping = false;
  /** How long a shutdown may take before the process exits anyway. */
  const SHUTDOWN_DEADLINE_MS = 10_000;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    // A job or stream that does not end must not keep a terminating instance alive: its work is
    // in transactions (rolled back) or leased jobs (claimed again by another instance).
    const deadline = setTimeout(() => {
      server.app.log.error({ signal, afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Starts the backend (the primary and its workers, or one process) and exits the process if it cannot. */
export function runServerProcess(options: { router?: ServedRouter } = {}): void {
  main(options).catch((error: unknown) => {
    // Start-up failures a person can fix get one plain sentence; anything else its type and stack.
    if (error instanceof ConfigError || error instanceof InstallationModeError || error instanceof DatabaseSetupError) {
      process.stderr.write(`${error.message}\n`);
    } else if (error instanceof MigrationError) {
      process.stderr.write(`${error.message}\n${JSON.stringify(describeErrorForLog(error.cause))}\n`);
    } else {
      process.stderr.write(`Backend failed to start: ${JSON.stringify(describeErrorForLog(error))}\n`);
    }
    process.exit(1);
  });
}
