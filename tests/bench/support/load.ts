// Closed-loop load for the throughput benchmarks: each client calls in a loop until a deadline;
// ops/s, latency, CPU per operation (this Node process and the database's backends, from /proc) and
// what the backends wait on. Shared by the `writes` and `journal` benchmarks.
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Database } from '../../../src/server/db/database';
import { type LatencySummary, machineBusyPercent, readMachineCpu, round, summarise } from './stats';

export interface ModeResult {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  latency: LatencySummary;
  /** CPU time of this Node process (all threads) over wall time: 100 = one core. */
  nodeCpuPercent: number;
  /**
   * CPU time per operation, in µs: this Node process, and the database's client backends (from
   * /proc; the sealer's included in the audited runs). Unlike ops/s, these hardly depend on what
   * else the shared machine is doing. null when /proc could not be read.
   */
  cpuPerOp: { nodeMicros: number; postgresMicros: number | null; totalMicros: number | null };
  /** Busy share of the whole machine's CPUs (Linux /proc/stat), if readable. */
  machineBusyPercent: number | null;
  /**
   * What the active backends were doing, sampled every 50 ms: average number of backends per
   * state ('CPU' = running, else wait_event_type:wait_event), largest first.
   */
  backendStates: Record<string, number>;
}

export interface Segment {
  ops: number;
  elapsedMs: number;
  latencies: number[];
  cpuMicros: number;
  cpuBefore: Awaited<ReturnType<typeof readMachineCpu>>;
  cpuAfter: Awaited<ReturnType<typeof readMachineCpu>>;
  waits: { samples: number; counts: Map<string, number> } | undefined;
  pgCpuMicros: number | undefined;
}

/**
 * CPU time (µs) used so far by each client backend of this database, read from /proc (Linux, with
 * PostgreSQL on this host); undefined when not readable. The caller's own backend is left out.
 */
async function backendCpu(owner: Database): Promise<Map<number, number> | undefined> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity
     where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()`.execute(owner);
  const ticksPerSecond = 100; // USER_HZ on Linux
  const result = new Map<number, number>();
  try {
    for (const { pid } of rows) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
      if (stat === undefined) continue; // ended meanwhile
      // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      result.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / ticksPerSecond);
    }
  } catch {
    return undefined;
  }
  return rows.length > 0 && result.size === 0 ? undefined : result;
}

function cpuSpent(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (!before || !after) return undefined;
  let micros = 0;
  for (const [pid, value] of after) micros += value - (before.get(pid) ?? 0);
  return micros;
}

/**
 * Samples what the segment's backends wait on, every 50 ms, from the owner's connection: a global
 * lock would show as most active backends waiting on the same Lock or LWLock.
 */
function startWaitSampler(owner: Database) {
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await sql<{ wait: string; count: string }>`
        select coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait, count(*)::text as count
          from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and state = 'active'
           and backend_type = 'client backend'
         group by 1`.execute(owner);
      samples++;
      for (const row of rows) counts.set(row.wait, (counts.get(row.wait) ?? 0) + Number(row.count));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop(): Promise<{ samples: number; counts: Map<string, number> }> {
      stopped = true;
      await loop;
      return { samples, counts };
    },
  };
}

/** Each client calls in a closed loop until the deadline; any error stops all and is thrown. */
export async function runSegment(calls: readonly (() => Promise<unknown>)[], seconds: number, owner?: Database): Promise<Segment> {
  const backendsBefore = owner ? await backendCpu(owner) : undefined;
  const sampler = owner ? startWaitSampler(owner) : undefined;
  const latencies: number[] = [];
  let failure: { error: unknown } | undefined;
  const cpuBefore = await readMachineCpu();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    calls.map(async (call) => {
      while (!failure && performance.now() < deadline) {
        const begun = performance.now();
        try {
          await call();
        } catch (error) {
          failure ??= { error };
          return;
        }
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const cpuAfter = await readMachineCpu();
  const waits = await sampler?.stop();
  const pgCpuMicros = owner ? cpuSpent(backendsBefore, await backendCpu(owner)) : undefined;
  if (failure) throw failure.error;
  return { ops: latencies.length, elapsedMs, latencies, cpuMicros: cpu.user + cpu.system, pgCpuMicros, cpuBefore, cpuAfter, waits };
}

export function combine(segments: readonly Segment[]): ModeResult {
  const ops = segments.reduce((sum, segment) => sum + segment.ops, 0);
  const elapsedMs = segments.reduce((sum, segment) => sum + segment.elapsedMs, 0);
  const cpuMicros = segments.reduce((sum, segment) => sum + segment.cpuMicros, 0);
  let busy = 0;
  let total = 0;
  for (const segment of segments) {
    if (segment.cpuBefore && segment.cpuAfter) {
      busy += segment.cpuAfter.busy - segment.cpuBefore.busy;
      total += segment.cpuAfter.total - segment.cpuBefore.total;
    }
  }
  const pgMicros = segments.every((segment) => segment.pgCpuMicros !== undefined)
    ? segments.reduce((sum, segment) => sum + (segment.pgCpuMicros ?? 0), 0)
    : undefined;
  const samples = segments.reduce((sum, segment) => sum + (segment.waits?.samples ?? 0), 0);
  const states = new Map<string, number>();
  for (const segment of segments) for (const [state, count] of segment.waits?.counts ?? []) states.set(state, (states.get(state) ?? 0) + count);
  const backendStates = Object.fromEntries(
    [...states.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([state, count]) => [state, round(count / Math.max(1, samples), 2)]),
  );
  return {
    ops,
    seconds: round(elapsedMs / 1000, 2),
    opsPerSecond: round(ops / (elapsedMs / 1000), 0),
    latency: summarise(segments.flatMap((segment) => segment.latencies)),
    nodeCpuPercent: round((100 * cpuMicros) / 1000 / elapsedMs, 0),
    cpuPerOp: {
      nodeMicros: round(cpuMicros / Math.max(1, ops), 0),
      postgresMicros: pgMicros === undefined ? null : round(pgMicros / Math.max(1, ops), 0),
      totalMicros: pgMicros === undefined ? null : round((cpuMicros + pgMicros) / Math.max(1, ops), 0),
    },
    machineBusyPercent: total > 0 ? machineBusyPercent({ busy: 0, total: 0 }, { busy, total }) : null,
    backendStates,
  };
}

