import type { Database, Executor } from '../db/database';
import type { AuditAction } from './actions';
import { type AuditActor, writeAuditEvent } from './record';
import { AuditedDenial, AuditRecorder } from './recorder';

/**
 * The audited unit of work: the one way anything in the product acts on the database — a tRPC
 * procedure, a plain HTTP route (the public booking and contact forms) or a background job (a
 * system actor: retention runs, imports, reminders). It gives the work an executor and a recorder
 * that accepts only the declared actions, and it guarantees:
 *
 * - write: the work and its events run in one transaction — all of it or nothing (AUD-3, PLAT-6);
 *   on PostgreSQL the events' INSERT is sent in the same message as the COMMIT (docs/adr/0019);
 * - read: no transaction of its own (by the rule of this codebase a read writes nothing but its
 *   events): the work runs on the pool, then its events are written in one statement that commits
 *   before the answer leaves; an event that cannot be written makes the unit throw, so nothing is
 *   returned — fail closed, without the begin and commit round trips on every journal read
 *   (ADR 0003, measured with `npm run bench -- --only=journal`); the journal read goes further and
 *   writes its events in the very statement that reads (ADR 0017, `recordedByStatement`);
 * - a refusal the log must hear about (an AuditedDenial anywhere in the error's cause chain) rolls
 *   the work back and is written on its own, with where it happened (ACC-5).
 */
export interface AuditedUnitOptions {
  /** The pool; a write opens its transaction on it. */
  db: Database;
  actor: AuditActor;
  /** The only actions this unit may record; the first is the default (AUD-1). */
  actions: readonly AuditAction[];
  mode: 'read' | 'write';
  now: Date;
  /** Stored only on the events of actions that may hold it (prints, exports, security events). */
  clientIp: string | undefined;
  /** Where the work runs (procedure path, route, job name): written into a denial's details. */
  origin: string;
  /** Write the default action even if the work records nothing (an authenticated caller's action always leaves its event). */
  isEventRequired: boolean;
}

export interface AuditedScope {
  /** The unit's executor: its transaction for a write, the pool for a read. Never use the outer db inside. */
  trx: Executor;
  audit: AuditRecorder;
}

function auditedDenialIn(error: unknown): AuditedDenial | undefined {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof AuditedDenial) return cause;
  }
  return undefined;
}

export async function runAuditedUnit<T>(options: AuditedUnitOptions, work: (scope: AuditedScope) => Promise<T>): Promise<T> {
  const recorder = new AuditRecorder(options.actor, options.actions, options.origin);
  if (options.actions.length === 0) return work({ trx: options.db as Executor, audit: recorder });
  const context = { now: options.now, clientIp: options.clientIp };
  const recordRequired = () => {
    if (!recorder.hasRecorded && options.isEventRequired) recorder.record({});
  };
  try {
    let result: T;
    if (options.mode === 'read') {
      try {
        result = await work({ trx: options.db as Executor, audit: recorder });
      } catch (error) {
        recorder.discard();
        throw error;
      }
      recordRequired();
      await recorder.flush(options.db as Executor, context);
    } else {
      // Throwing inside rolls the transaction back: nothing half-written remains (PLAT-6). The
      // events go with the COMMIT, so a write costs no round trip more than without them; if they
      // cannot be written the commit fails and Kysely rolls back and rethrows (docs/adr/0019).
      result = await options.db.transaction().execute(async (trx) => {
        const value = await work({ trx: trx as Executor, audit: recorder });
        recordRequired();
        await recorder.flushWithCommit(trx, context);
        return value;
      });
    }
    if (recorder.errorAfterCommit) throw recorder.errorAfterCommit;
    return result;
  } catch (error) {
    const refused = auditedDenialIn(error);
    if (refused && refused !== recorder.errorAfterCommit) {
      const { action, ...event } = refused.event;
      // One INSERT is atomic on its own: written after the rollback, outside the work's transaction.
      await writeAuditEvent(
        options.db as Executor,
        options.actor,
        { ...event, action: recorder.denialAction(action), outcome: 'denied', details: { ...event.details, procedure: options.origin } },
        context,
      );
    }
    throw error;
  }
}

/**
 * The actor of a background job (AUD-2: every event says who did it): no user, no session; the
 * job's name stands where a person's would. Events are still of one organisation.
 */
export function systemActor(organisationId: string | null, job: string): AuditActor {
  return {
    organisationId,
    userId: null,
    displayName: `system:${job}`,
    roles: ['system'],
    profession: null,
    sessionId: null,
    authMethod: 'system',
    deviceId: null,
  };
}

/**
 * A background job's step (retention run, import batch, reminder) as an audited unit of work: one
 * transaction with its events, under the system actor. A job that fails leaves nothing behind and
 * can be run again.
 */
export function runSystemJob<T>(
  db: Database,
  job: { name: string; organisationId: string | null; actions: readonly AuditAction[]; now: Date },
  work: (scope: AuditedScope) => Promise<T>,
): Promise<T> {
  return runAuditedUnit(
    { db, actor: systemActor(job.organisationId, job.name), actions: job.actions, mode: 'write', now: job.now, clientIp: undefined, origin: `job:${job.name}`, isEventRequired: true },
    work,
  );
}
