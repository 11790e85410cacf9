// Benchmark 1: throughput of a small audited mutation against the same mutation without its audit
// event, at 1, 8 and 32 concurrent clients, with the sealer running beside the audited writers.
import { sql } from 'kysely';
import { userIdSchema } from '../../src/shared/auth-schemas';
import { sealPendingEvents } from '../../src/server/audit/seal';
import { verifyAuditLog } from '../../src/server/audit/verify';
import { actorOf } from '../../src/server/auth/session';
import type { Database } from '../../src/server/db/database';
import { AuditRecorder } from '../../src/server/audit/recorder';
import { createCallerFactory, roleProcedure, router } from '../../src/server/trpc';
import { unlockUser } from '../../src/server/user/admin-service';
import { createBenchDatabase } from './support/database';
import { benchCaller, benchContext, BenchClock, createOrganisation, createUser, login } from './support/identity';
import { combine, type ModeResult, runSegment, type Segment } from './support/load';
import { log, round } from './support/stats';

/**
 * `users.unlock` without its audit event: the same procedure base (session resolution, role check),
 * the same service function and SQL in one transaction of its own, but the event it records is
 * dropped instead of inserted. Built here, never mounted in the app.
 */
const unauditedRouter = router({
  unlock: roleProcedure(['admin'])
    .input(userIdSchema)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute((trx) =>
        unlockUser({ trx, audit: new AuditRecorder(actorOf(ctx.session), ['admin.user.unlocked']), now: ctx.now() }, ctx.session, input.userId),
      ),
    ),
});
const createUnauditedCaller = createCallerFactory(unauditedRouter);


/** Issue 13: audited users.unlock at 32 clients ≥ this share of the same write unaudited (was 0.80, issue 8). */
export const AUDITED_WRITE_TARGET = 0.88;

export type WriteModeResult = ModeResult;

export interface SealerStats {
  runs: number;
  eventsSealed: number;
  meanMs: number;
  maxMs: number;
}

export interface WriteLevelResult {
  clients: number;
  poolSize: number;
  unaudited: WriteModeResult;
  audited: WriteModeResult;
  /** audited ops/s ÷ unaudited ops/s (target AUDITED_WRITE_TARGET at 32 clients). */
  ratio: number;
  /**
   * Unaudited ÷ audited CPU per operation (Node + PostgreSQL): the throughput ratio to expect when
   * the CPUs are the limit, measured without the noise of other load. null without /proc.
   */
  cpuRatio: number | null;
  sealer: SealerStats;
}

export interface AuditedWritesReport {
  secondsPerMode: number;
  levels: WriteLevelResult[];
  /** After the run: the whole log sealed and verified. */
  finalCheck: { auditedCalls: number; unlockEvents: number; verifiedEvents: number; seals: number; isIntact: boolean };
}

/** Seals every `intervalMs` on its own pool, as the server's background job does (there every 5 s). */
function startSealer(db: Database, intervalMs: number) {
  const runs: { ms: number; sealed: number }[] = [];
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const begun = performance.now();
      try {
        const sealed = await sealPendingEvents(db);
        runs.push({ ms: performance.now() - begun, sealed });
      } catch (error) {
        failure = { error };
        return;
      }
      const wait = Math.max(0, intervalMs - (performance.now() - begun));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    async stop(): Promise<{ ms: number; sealed: number }[]> {
      stopped = true;
      wake?.();
      await loop;
      if (failure) throw new Error('The sealer failed during the audited run', { cause: failure.error });
      return runs;
    },
  };
}

export async function benchAuditedWrites(options: { clientCounts: readonly number[]; secondsPerMode: number; warmupSeconds: number }): Promise<AuditedWritesReport> {
  const maxClients = Math.max(...options.clientCounts);
  const database = await createBenchDatabase('writes');
  try {
    const app = await database.openAsApplication(maxClients);
    const sealerHandle = await database.openAsApplication(2);
    const db = app.db;

    // One admin per client, each logged in through the real procedures, each unlocking a user of
    // their own: the clients share the organisation (as a clinic's staff do) but no user row.
    log(`  setting up ${maxClients} admins and ${maxClients} users …`);
    const organisation = await createOrganisation(db);
    const clients: { audited: () => Promise<unknown>; unaudited: () => Promise<unknown> }[] = [];
    for (let index = 0; index < maxClients; index++) {
      const admin = await createUser(db, organisation.id, ['admin']);
      const target = await createUser(db, organisation.id, ['clinician']);
      // A clock of its own per admin, at real time: TOTP replay is tracked per user, so no login
      // needs to move a shared clock ahead of the real-time writes that follow (a login event dated
      // minutes after them would read as backdated writes to audit:verify, ADR 0007).
      const token = await login(db, admin, new BenchClock());
      // Real time from here on (the login clock only keeps each admin's TOTP step fresh).
      const realNow = () => new Date();
      const audited = benchCaller(db, realNow, { bearerToken: token });
      const unaudited = createUnauditedCaller(benchContext(db, realNow, { bearerToken: token }));
      const input = { userId: target.id };
      clients.push({ audited: () => audited.users.unlock(input), unaudited: () => unaudited.unlock(input) });
    }
    await sealPendingEvents(sealerHandle.db);

    let auditedCalls = 0;
    const levels: WriteLevelResult[] = [];
    for (const count of options.clientCounts) {
      const active = clients.slice(0, count);
      const auditedLoop = active.map((client) => client.audited);
      const unauditedCalls = active.map((client) => client.unaudited);
      // Warm-up (connections opened, JIT warm), not counted.
      await runSegment(unauditedCalls, options.warmupSeconds);
      auditedCalls += (await runSegment(auditedLoop, options.warmupSeconds)).ops;
      // ABBA: unaudited, audited, audited, unaudited, so a drift in the machine's load weighs on both alike.
      const half = options.secondsPerMode / 2;
      const unaudited: Segment[] = [];
      const audited: Segment[] = [];
      const owner = database.owner.db;
      unaudited.push(await runSegment(unauditedCalls, half, owner));
      const sealer = startSealer(sealerHandle.db, 1000);
      let sealerRuns: { ms: number; sealed: number }[];
      try {
        audited.push(await runSegment(auditedLoop, half, owner));
        audited.push(await runSegment(auditedLoop, half, owner));
      } finally {
        sealerRuns = await sealer.stop();
      }
      unaudited.push(await runSegment(unauditedCalls, half, owner));
      auditedCalls += audited.reduce((sum, segment) => sum + segment.ops, 0);

      const level: WriteLevelResult = {
        clients: count,
        poolSize: maxClients,
        unaudited: combine(unaudited),
        audited: combine(audited),
        ratio: 0,
        cpuRatio: null,
        sealer: {
          runs: sealerRuns.length,
          eventsSealed: sealerRuns.reduce((sum, run) => sum + run.sealed, 0),
          meanMs: round(sealerRuns.reduce((sum, run) => sum + run.ms, 0) / Math.max(1, sealerRuns.length), 1),
          maxMs: round(sealerRuns.reduce((max, run) => Math.max(max, run.ms), 0), 1),
        },
      };
      level.ratio = round(level.audited.opsPerSecond / level.unaudited.opsPerSecond, 3);
      const [plainCpu, auditedCpu] = [level.unaudited.cpuPerOp.totalMicros, level.audited.cpuPerOp.totalMicros];
      level.cpuRatio = plainCpu !== null && auditedCpu !== null && auditedCpu > 0 ? round(plainCpu / auditedCpu, 3) : null;
      levels.push(level);
      log(
        `  ${String(count).padStart(2)} clients: unaudited ${level.unaudited.opsPerSecond} ops/s, audited ${level.audited.opsPerSecond} ops/s, ratio ${level.ratio.toFixed(2)}` +
          ` (p99 ${level.unaudited.latency.p99Ms} / ${level.audited.latency.p99Ms} ms; sealer ${level.sealer.runs} runs, ${level.sealer.eventsSealed} events, max ${level.sealer.maxMs} ms)` +
          `; CPU µs/op ${level.unaudited.cpuPerOp.nodeMicros}+${level.unaudited.cpuPerOp.postgresMicros ?? '?'} / ${level.audited.cpuPerOp.nodeMicros}+${level.audited.cpuPerOp.postgresMicros ?? '?'} (Node+PG), CPU ratio ${level.cpuRatio?.toFixed(2) ?? '?'}`,
      );
      const states = (mode: WriteModeResult) => Object.entries(mode.backendStates).map(([state, count]) => `${state} ${count}`).join(', ');
      log(`     backends (avg active): unaudited ${states(level.unaudited)} | audited ${states(level.audited)}`);
    }

    // Every audited call left exactly one event, and the whole log seals and verifies.
    await sealPendingEvents(sealerHandle.db);
    const events = await sql<{ count: string }>`select count(*)::text as count from audit_event where action = 'admin.user.unlocked'`.execute(db);
    const unlockEvents = Number(events.rows[0]?.count ?? 0);
    const all = await sql<{ count: string }>`select count(*)::text as count from audit_event`.execute(db);
    const report = await verifyAuditLog(db);
    if (unlockEvents !== auditedCalls) throw new Error(`Expected ${auditedCalls} unlock events, found ${unlockEvents}`);
    // Pending events are possible only while another transaction on the cluster holds the horizon back.
    if (!report.isIntact || report.checkedEvents + report.pendingEvents !== Number(all.rows[0]?.count)) {
      throw new Error(`Audit log not intact after the write benchmark: ${JSON.stringify(report)}`);
    }
    return {
      secondsPerMode: options.secondsPerMode,
      levels,
      finalCheck: { auditedCalls, unlockEvents, verifiedEvents: report.checkedEvents, seals: report.sealCount, isIntact: report.isIntact },
    };
  } finally {
    await database.drop();
  }
}
