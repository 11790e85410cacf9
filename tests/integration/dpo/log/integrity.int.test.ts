import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ANONYMOUS_ACTOR, writeAuditEvent } from '../../../../src/server/audit/record';
import { retireExpiredAuditMonths } from '../../../../src/server/audit/retirement';
import { sealPendingEvents } from '../../../../src/server/audit/seal';
import { INTEGRITY_JOB_KIND, integrityJobHandler } from '../../../../src/server/dpo/integrity/job';
import type { BatchedJobHandler, JobProgress } from '../../../../src/server/jobs/queue';
import { runDueJobs } from '../../../../src/server/jobs/runner';
import { errorOf, sealEverything, tamper } from '../../audit/audit-helpers';
import { eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { actorOf, logSetting, MINUTE, writeEventAt } from './dpo-log-support';

/** DPO-8, AUD-4: the audit log verified from the DPO's workspace, as a job of the one runner. */

/** The handler with its heartbeats recorded (what the progress bar would have read, in order). */
function spied(handler: BatchedJobHandler, seen: JobProgress[]): BatchedJobHandler {
  return {
    ...handler,
    run: (context) =>
      handler.run({
        ...context,
        heartbeat: async (progress, executor) => {
          seen.push(progress);
          await context.heartbeat(progress, executor);
        },
      }),
  };
}

describe('DPO-8: integrity from the workspace', () => {
  const database = useTestDatabase();
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  async function setting() {
    const s = await logSetting(database.current);
    const doctor = actorOf(s.clinicianA, 'Dr. Anne', ['clinician']);
    // Several seals: the progress moves seal by seal.
    for (let batch = 0; batch < 4; batch++) {
      for (let index = 0; index < 5; index++) {
        await writeEventAt(s.db, doctor, { action: 'journal.record.opened', patientId: s.patientOla }, new Date(s.clock.now().getTime() - 60 * MINUTE + batch * 5 + index));
      }
      await sealPendingEvents(s.db);
    }
    const dpo = await s.as(s.dpoUser);
    return { s, dpo };
  }

  async function witnessFile(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'jk-witness-'));
    folders.push(folder);
    return join(folder, 'audit-witness.jsonl');
  }

  it('DPO-8: an intact log is reported intact, with progress events checked / total and the witness agreeing', async () => {
    const { s, dpo } = await setting();
    const witnessPath = await witnessFile();
    await sealEverything(s.db, { witnessPath });
    const started = await dpo.dpo.integrity.start();
    const again = await dpo.dpo.integrity.start();
    // At most one queued or running per organisation: the second press joins the first.
    expect(again).toEqual({ jobId: started.jobId, isAlreadyRunning: true });
    expect((await dpo.dpo.integrity.status()).run).toMatchObject({ jobId: started.jobId, status: 'queued' });

    const seen: JobProgress[] = [];
    const report = await runDueJobs(s.db, [spied(integrityJobHandler({ witnessPath, progressEveryMs: 0 }), seen)], new Date());
    expect(report).toMatchObject({ claimed: 1, done: 1 });

    const verifying = seen.filter((progress) => progress.phase === 'verifying');
    const checked = verifying.map((progress) => Number(progress.checked));
    expect(verifying.length).toBeGreaterThan(2);
    expect(checked).toEqual([...checked].sort((a, b) => a - b));
    const total = Number(verifying[0]?.total);
    expect(total).toBeGreaterThan(20);
    expect(checked.at(-1)).toBe(total);

    const { run } = await dpo.dpo.integrity.status();
    const latestSeal = await sql<{ seq: string; hash: Buffer }>`select seq::text, hash from audit_seal order by seq desc limit 1`.execute(s.db);
    expect(run).toMatchObject({ jobId: started.jobId, status: 'done' });
    expect(run?.progress).toMatchObject({
      phase: 'done',
      result: 'intact',
      checked: total,
      total,
      problemKind: null,
      witness: 'agrees',
      latestSealSeq: latestSeal.rows[0]?.seq,
      latestSealHashPrefix: Buffer.from(latestSeal.rows[0]?.hash as Buffer).toString('hex').slice(0, 16),
    });
    const [verified] = await eventsOf(s.db, { action: 'dpo.integrity.verified' });
    expect(verified).toMatchObject({ organisation_id: s.organisation.id, user_id: null, user_display_name: `system:${INTEGRITY_JOB_KIND}`, object_id: started.jobId });
    expect(verified?.details).toMatchObject({ result: 'intact', checked: total });
    expect((await eventsOf(s.db, { action: 'dpo.integrity.started' })).map((event) => event.object_id)).toEqual([started.jobId, started.jobId]);

    const history = await dpo.dpo.integrity.latest();
    expect(history.runs.map((entry) => [entry.jobId, entry.progress.result])).toEqual([[started.jobId, 'intact']]);
    expect(await eventsOf(s.db, { action: 'dpo.integrity.read' })).toHaveLength(1);
  });

  it('AUD-4: a tampered event is reported broken at that event; no witness configured is said plainly', async () => {
    const { s, dpo } = await setting();
    await sealEverything(s.db);
    const victim = await s.db.selectFrom('audit_event').select('id').where('action', '=', 'journal.record.opened').orderBy('id').offset(7).limit(1).executeTakeFirstOrThrow();
    await tamper(database.current, 'audit_event', sql`update audit_event set basis = 'break_glass' where id = ${victim.id}`);
    const { jobId } = await dpo.dpo.integrity.start();
    await runDueJobs(s.db, [integrityJobHandler({ witnessPath: undefined })], new Date());
    const { run } = await dpo.dpo.integrity.status();
    expect(run).toMatchObject({ jobId, status: 'done' });
    expect(run?.progress).toMatchObject({ result: 'broken', problemKind: 'event_altered', problemEventId: String(victim.id), witness: 'not_configured' });
    const [verified] = await eventsOf(s.db, { action: 'dpo.integrity.verified' });
    expect(verified?.details).toMatchObject({ result: 'broken', problemEventId: String(victim.id) });
  });

  it('AUD-4: a seal removed at the end of the log shows as a witness mismatch', async () => {
    const { s, dpo } = await setting();
    const witnessPath = await witnessFile();
    await sealEverything(s.db, { witnessPath });
    const last = await sql<{ seq: string }>`select seq::text from audit_seal order by seq desc limit 1`.execute(s.db);
    await tamper(database.current, 'audit_seal', sql`delete from audit_seal where seq = ${last.rows[0]?.seq}`);
    await dpo.dpo.integrity.start();
    await runDueJobs(s.db, [integrityJobHandler({ witnessPath })], new Date());
    const { run } = await dpo.dpo.integrity.status();
    expect(run?.progress).toMatchObject({ result: 'witness_mismatch', problemKind: 'witnessed_seal_missing', witness: 'disagrees', isSealRefused: true });
  });

  it('DPO-8, DPO-6: after a month past ten years is retired the log is intact; the progress counts the events still held, the result says how many went', async () => {
    const old = new Date(Date.UTC(new Date().getUTCFullYear() - 11, 0, 10, 12));
    await sql`select audit_event_ensure_partition(${old.toISOString().slice(0, 10)}::date)`.execute(database.current.db);
    await database.current.db.transaction().execute(async (trx) => {
      for (let index = 0; index < 4; index++) await writeAuditEvent(trx, ANONYMOUS_ACTOR, { action: 'auth.login.failure' }, { now: new Date(old.getTime() + index), clientIp: undefined });
    });
    await sealEverything(database.current.db);
    const { s, dpo } = await setting();
    await sealEverything(s.db);
    expect((await retireExpiredAuditMonths(s.db, { now: new Date() })).retired).toHaveLength(1);
    await dpo.dpo.integrity.start();
    const seen: JobProgress[] = [];
    await runDueJobs(s.db, [spied(integrityJobHandler({ witnessPath: undefined, progressEveryMs: 0 }), seen)], new Date());
    const { run } = await dpo.dpo.integrity.status();
    const total = Number(seen.find((progress) => progress.phase === 'verifying')?.total);
    expect(run?.progress).toMatchObject({ result: 'intact', retiredEvents: 4, checked: total, total });
  });

  it('DPO-8, AUD-4: an admin runs the integrity check and sees the result, the same runs as the DPO', async () => {
    const { s, dpo } = await setting();
    await sealEverything(s.db);
    const admin = await s.as(s.adminUser);
    const { jobId, isAlreadyRunning } = await admin.dpo.integrity.start();
    expect(isAlreadyRunning).toBe(false);
    await runDueJobs(s.db, [integrityJobHandler({ witnessPath: undefined })], new Date());
    expect((await admin.dpo.integrity.status()).run).toMatchObject({ jobId, status: 'done', progress: { result: 'intact', problemKind: null } });
    expect((await admin.dpo.integrity.latest()).runs.map((run) => run.jobId)).toEqual([jobId]);
    // One organisation, one history: the DPO sees the run the admin started.
    expect((await dpo.dpo.integrity.latest()).runs.map((run) => run.jobId)).toEqual([jobId]);
    expect((await eventsOf(s.db, { action: 'dpo.integrity.started', userId: s.adminUser.id })).map((event) => event.object_id)).toEqual([jobId]);
    expect(await eventsOf(s.db, { action: 'dpo.integrity.read', userId: s.adminUser.id })).toHaveLength(1);
  });

  it('ACC-1: clinician, sales and coordinator are refused the integrity procedures, logged as access.denied', async () => {
    const { s } = await setting();
    for (const user of [s.clinicianA, s.salesUser, s.coordinatorUser]) {
      const caller = await s.as(user);
      for (const call of [() => caller.dpo.integrity.start(), () => caller.dpo.integrity.status(), () => caller.dpo.integrity.latest()]) {
        expect((await errorOf(call)).code).toBe('FORBIDDEN');
      }
      expect((await eventsOf(s.db, { action: 'access.denied', userId: user.id })).map((event) => (event.details as { procedure: string }).procedure)).toEqual([
        'dpo.integrity.start',
        'dpo.integrity.status',
        'dpo.integrity.latest',
      ]);
    }
    expect(await s.db.selectFrom('background_job').selectAll().where('kind', '=', INTEGRITY_JOB_KIND).execute()).toEqual([]);
  });
});
