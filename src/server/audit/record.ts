import type { Executor } from '../db/database';
import { ACTIONS_THAT_RECORD_CLIENT_IP, type AuditAction } from './actions';

/** Who did it, as they were at the time (AUD-2): names and roles are copied, not joined later. */
export interface AuditActor {
  organisationId: string | null;
  userId: string | null;
  displayName: string | null;
  roles: readonly string[];
  profession: string | null;
  sessionId: string | null;
  /** The session's authentication method, e.g. 'password+totp' (AUTH-7). */
  authMethod: string | null;
  deviceId: string | null;
}

export const ANONYMOUS_ACTOR: AuditActor = {
  organisationId: null,
  userId: null,
  displayName: null,
  roles: [],
  profession: null,
  sessionId: null,
  authMethod: null,
  deviceId: null,
};

/** Coded details only: identifiers, codes, counts. Never clinical or free text (AUD-2). */
export type AuditDetails = Record<string, string | number | boolean | null | readonly string[]>;

export interface AuditEventInput {
  action: AuditAction;
  outcome?: 'allowed' | 'denied';
  /** A coded reason, e.g. 'bad_password', 'role_not_admitted'. */
  reason?: string;
  patientId?: string;
  objectType?: string;
  objectId?: string;
  /** The basis of access: 'treatment_relationship', 'read_share', 'break_glass', 'dsr_case', 'own_data' … */
  basis?: string;
  details?: AuditDetails;
}

export interface AuditWriteContext {
  now: Date;
  /** Stored only for actions in ACTIONS_THAT_RECORD_CLIENT_IP. */
  clientIp: string | undefined;
}

/** Writes one event with the executor given: the action's own transaction (AUD-3). */
export async function writeAuditEvent(db: Executor, actor: AuditActor, event: AuditEventInput, context: AuditWriteContext): Promise<void> {
  await writeAuditEvents(db, [{ actor, event }], context);
}

/**
 * Writes several events in one statement: all of them or none. A read's events go this way in one
 * round trip outside any transaction (see withAuditTransaction).
 */
export async function writeAuditEvents(db: Executor, events: readonly { actor: AuditActor; event: AuditEventInput }[], context: AuditWriteContext): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('audit_event')
    .values(
      events.map(({ actor, event }) => ({
        organisation_id: actor.organisationId,
        occurred_at: context.now,
        user_id: actor.userId,
        user_display_name: actor.displayName,
        user_roles: [...actor.roles],
        profession: actor.profession,
        session_id: actor.sessionId,
        auth_method: actor.authMethod,
        device_id: actor.deviceId,
        action: event.action,
        outcome: event.outcome ?? 'allowed',
        reason: event.reason ?? null,
        patient_id: event.patientId ?? null,
        object_type: event.objectType ?? null,
        object_id: event.objectId ?? null,
        basis: event.basis ?? null,
        client_ip: ACTIONS_THAT_RECORD_CLIENT_IP.has(event.action) ? (context.clientIp ?? null) : null,
        details: JSON.stringify(event.details ?? {}),
      })),
    )
    .execute();
}
