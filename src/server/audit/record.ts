import pg from 'pg';
import type { CarriedStatement } from '../db/commit-carrying-driver';
import type { Executor } from '../db/database';
import { ACTIONS_THAT_RECORD_CLIENT_IP, type AuditAction } from './actions';

const { escapeLiteral } = pg;

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

type EventsToWrite = readonly { actor: AuditActor; event: AuditEventInput }[];

/** The rows of audit_event that `events` become (id and txid are the table's defaults). */
function eventRows(events: EventsToWrite, context: AuditWriteContext) {
  return events.map(({ actor, event }) => ({
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
    details: event.details ?? {},
  }));
}

/** The columns both statements set, in eventRows' order (taken from it, so the two cannot drift apart). */
const COLUMNS = Object.keys(eventRows([{ actor: ANONYMOUS_ACTOR, event: { action: 'access.denied' } }], { now: new Date(0), clientIp: undefined })[0]!).join(', ');

/**
 * Writes several events in one statement: all of them or none. A read's events go this way in one
 * round trip outside any transaction (see runAuditedUnit).
 */
export async function writeAuditEvents(db: Executor, events: EventsToWrite, context: AuditWriteContext): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('audit_event')
    .values(eventRows(events, context).map((row) => ({ ...row, details: JSON.stringify(row.details) })))
    .execute();
}

/** A lone UTF-16 surrogate (no pair): JSON.stringify keeps it as \udxxx, which PostgreSQL's json refuses. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The events' INSERT as a prepared statement's text: its $1 is the events as a JSON array. */
const INSERT_FROM_JSON = `insert into audit_event (${COLUMNS}) select ${COLUMNS} from json_populate_recordset(null::audit_event, $1)`;

/**
 * The same INSERT as writeAuditEvents, to be run in the message that commits the transaction
 * (sendWithCommit, docs/adr/0019). The events travel as one JSON array in a string literal escaped
 * by pg's own escapeLiteral (quotes doubled; with a backslash it writes an E'' literal and doubles
 * backslashes, so its meaning does not depend on standard_conforming_strings), and
 * json_populate_recordset turns it into rows of audit_event's own type: arrays, uuid, inet,
 * timestamptz and jsonb are parsed by PostgreSQL from the JSON values, as a bound parameter would
 * be. A value the table refuses fails the statement as it would fail the INSERT. A lone surrogate
 * becomes U+FFFD, as pg's UTF-8 encoding of a bound parameter makes it.
 */
export function auditEventsInsertStatement(events: EventsToWrite, context: AuditWriteContext): CarriedStatement | undefined {
  if (events.length === 0) return undefined;
  const json = JSON.stringify(eventRows(events, context), (_key, value: unknown) => (typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value));
  return { name: 'jk_audit_events', parameterType: 'json', text: INSERT_FROM_JSON, argumentLiteral: escapeLiteral(json) };
}
