import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { ServerConfig } from './config';

/**
 * PLAT-10 (docs/adr/0018): `npm run server` on PostgreSQL runs one worker process per core (or
 * JK_WORKERS), all sharing the listening port through node:cluster. Everything they must agree on
 * is in PostgreSQL (sessions through the session cache's notifications, rate limits, jobs' leases,
 * the sealer's advisory lock, the live channel), so a worker is just one more backend instance.
 * PGlite (demo and development) has one connection in one process and stays one process.
 */
export function workerCountOf(config: Pick<ServerConfig, 'database' | 'isDemo' | 'workers'>): number {
  if (config.database.kind !== 'postgres' || config.isDemo) return 1;
  return config.workers ?? availableParallelism();
}

/** Which worker runs the background jobs: the sweeps are safe on several, but one per host is enough (and keeps the witness file's appends in order). */
export const JOBS_SLOT = 0;
/** Tells a forked worker its slot (a restarted worker takes over the slot of the one that died). */
export const WORKER_SLOT_VARIABLE = 'JK_WORKER_SLOT';

/** A worker that died this many times within the window is not restarted again: something is wrong beyond one process. */
const CRASH_LIMIT = 5;
const CRASH_WINDOW_MS = 60_000;
/** How long workers get to finish their requests on SIGTERM before they are killed. */
const SHUTDOWN_DEADLINE_MS = 15_000;

/** A log line in pino's shape, so the primary's lines sit among the workers' in one stream. No personal data passes here. */
function logLine(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, msg: string): void {
  const levels = { info: 30, warn: 40, error: 50 } as const;
  process.stdout.write(`${JSON.stringify({ level: levels[level], time: Date.now(), pid: process.pid, role: 'primary', ...fields, msg })}\n`);
}

/**
 * The primary: forks `count` workers (it has already migrated and claimed the installation's mode),
 * restarts one that dies, and on SIGTERM or SIGINT asks every worker to stop and waits for them.
 */
export function runPrimary(count: number): void {
  const slots = new Map<Worker, number>();
  const crashes: number[] = [];
  let isStopping = false;
  let exitCode = 0;

  const fork = (slot: number) => {
    const worker = cluster.fork({ [WORKER_SLOT_VARIABLE]: String(slot) });
    slots.set(worker, slot);
  };

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker);
    slots.delete(worker);
    if (isStopping) {
      if (slots.size === 0) {
        logLine('info', {}, 'all workers stopped');
        process.exit(exitCode);
      }
      return;
    }
    if (slot === undefined) return;
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && (crashes[0] ?? now) < now - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > CRASH_LIMIT) {
      logLine('error', { slot, code, signal, crashes: crashes.length, windowMs: CRASH_WINDOW_MS }, 'workers keep dying: stopping the server');
      stopAll(1);
      return;
    }
    logLine('warn', { slot, code, signal }, 'worker died: starting another');
    fork(slot);
  });

  const stopAll = (code: number) => {
    isStopping = true;
    exitCode = code;
    if (slots.size === 0) process.exit(exitCode);
    for (const worker of slots.keys()) worker.process.kill('SIGTERM');
    const deadline = setTimeout(() => {
      logLine('error', { afterMs: SHUTDOWN_DEADLINE_MS, left: slots.size }, 'workers did not stop in time: killing them');
      for (const worker of slots.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
  };

  const onSignal = (signal: string) => {
    if (isStopping) return;
    logLine('info', { signal, workers: slots.size }, 'shutting down');
    stopAll(0);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === count) logLine('info', { workers: count }, 'Journalkontor backend: all workers listening');
  });
  for (let slot = 0; slot < count; slot += 1) fork(slot);
}
