import type { Transaction } from 'kysely';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { sendWithCommit } from '../db/commit-carrying-driver';
import type { Executor } from '../db/database';
import type { DB } from '../db/schema';
import { DomainError, fieldError } from '../errors';
import type { AuditAction } from './actions';
import { type AuditActor, type AuditEventInput, auditEventsInsertStatement, writeAuditEvents } from './record';

/** A refusal's event may always be the generic one, whatever the procedure declares. */
const GENERIC_DENIAL: AuditAction = 'access.denied';

/**
 * A refusal the audit log must hear about (ACC-5): the unit of work rolls the action back, then
 * writes the denial on its own, and the caller gets the error with no detail about the object.
 */
export class AuditedDenial extends DomainError {
  constructor(
    readonly event: Omit<AuditEventInput, 'action' | 'outcome'> & { action?: AuditAction; reason: string },
    kind: 'forbidden' | 'not_found' | 'unauthorized' | 'bad_request' | 'conflict' = 'forbidden',
    message: string = kind === 'not_found' ? API_ERROR_MESSAGES.notFound : API_ERROR_MESSAGES.forbidden,
    options?: { cause?: unknown },
  ) {
    super(kind, message, options);
    this.name = 'AuditedDenial';
  }
}

/**
 * A refusal the log must hear about that the caller sees beside a field (an export too large, an
 * item not in the package): the field error travels to the client as any other, the denial's event
 * stays on the server.
 */
export function auditedFieldDenial(event: ConstructorParameters<typeof AuditedDenial>[0], field: string, messageKey: string): AuditedDenial {
  return new AuditedDenial(event, 'bad_request', API_ERROR_MESSAGES.validation, { cause: fieldError(field, messageKey) });
}

/** A programming error: a service tried to log an action its procedure does not declare. */
export class UndeclaredAuditActionError extends Error {
  constructor(action: string, origin: string) {
    super(`${origin} may not record ${action}: declare it in the procedure's meta and docs/access-matrix.md`);
    this.name = 'UndeclaredAuditActionError';
  }
}

/**
 * Collects the events of one unit of work; the unit writes them with the work's own statements
 * (AUD-3). It accepts only the actions the caller declared (a procedure's meta, a route's or a
 * job's declaration), so the declared list — and the reviewed matrix built on it — is the whole
 * truth of what a procedure can log.
 */
export class AuditRecorder {
  private readonly pending: { actor: AuditActor; event: AuditEventInput }[] = [];
  /** An error to throw once the transaction has committed (see refuseAfterCommit). */
  errorAfterCommit: DomainError | undefined;
  constructor(
    readonly defaultActor: AuditActor,
    readonly declaredActions: readonly AuditAction[],
    readonly origin = 'this unit of work',
  ) {}

  /** May this unit write `action`? (A denial may also always be the generic access.denied.) */
  isDeclared(action: AuditAction, asDenial = false): boolean {
    return this.declaredActions.includes(action) || (asDenial && action === GENERIC_DENIAL);
  }

  /** The action a denial of this unit is logged under. */
  denialAction(requested: AuditAction | undefined): AuditAction {
    const action = requested ?? this.declaredActions[0] ?? GENERIC_DENIAL;
    if (!this.isDeclared(action, true)) throw new UndeclaredAuditActionError(action, this.origin);
    return action;
  }

  record(event: Partial<AuditEventInput> & { actor?: AuditActor }): void {
    const action = event.action ?? this.declaredActions[0];
    if (!action) throw new UndeclaredAuditActionError('an event', this.origin);
    if (!this.isDeclared(action)) throw new UndeclaredAuditActionError(action, this.origin);
    const { actor, ...rest } = event;
    this.pending.push({ actor: actor ?? this.defaultActor, event: { ...rest, action } });
  }

  /**
   * Refuses the call but keeps what the transaction wrote: a failed login must still count towards
   * the lockout and leave its failure event, yet the client gets only the error. Return its result.
   */
  refuseAfterCommit(error: DomainError): never {
    this.errorAfterCommit = error;
    return undefined as never;
  }

  /**
   * The unit's events are written by the work's own statement (a data-modifying CTE: the journal
   * read, ADR 0017), not by flush: checks that each action is declared, and marks the unit as having
   * recorded, so no default event is added. The statement is then the whole truth of its events:
   * one statement is atomic, so the data it returns exists only if its events were written.
   */
  recordedByStatement(actions: readonly AuditAction[]): void {
    for (const action of actions) {
      if (!this.isDeclared(action, true)) throw new UndeclaredAuditActionError(action, this.origin);
    }
    this.writtenByStatement = true;
  }

  private writtenByStatement = false;

  get hasRecorded(): boolean {
    return this.pending.length > 0 || this.writtenByStatement;
  }

  /** Writes every pending event in one statement (all or none). */
  async flush(db: Executor, context: { now: Date; clientIp: string | undefined }): Promise<void> {
    await writeAuditEvents(db, this.pending.splice(0), context);
  }

  /**
   * Has every pending event written by the message that commits `trx` (one statement, all or none,
   * no round trip of its own: docs/adr/0019); where the connection cannot carry it (PGlite), writes
   * them now in the transaction. If the events cannot be written, the commit fails and nothing of
   * the transaction remains.
   */
  async flushWithCommit(trx: Transaction<DB>, context: { now: Date; clientIp: string | undefined }): Promise<void> {
    const events = this.pending.splice(0);
    const statement = auditEventsInsertStatement(events, context);
    if (statement === undefined) return;
    if (!(await sendWithCommit(trx, statement))) await writeAuditEvents(trx, events, context);
  }

  /** Forgets what was recorded: the call was refused, so its events never happened. */
  discard(): void {
    this.pending.length = 0;
  }
}
