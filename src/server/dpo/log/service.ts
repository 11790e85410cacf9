import type { z } from 'zod';
import {
  LOG_CONTEXT_EVENTS,
  LOG_CONTEXT_MINUTES,
  type findPatientSchema,
  type logContextSchema,
  type logSearchSchema,
  type markReviewedSchema,
} from '../../../shared/dpo-log-schemas';
import { isAuditAction } from '../../audit/actions';
import { AuditedDenial } from '../../audit/recorder';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import { fieldError } from '../../errors';
import {
  contextOf,
  countEventsOfOrganisation,
  eventOfOrganisation,
  findPatients,
  type Keyset,
  type LogRow,
  patientExists,
  searchEvents,
  userExists,
  usersOfOrganisation,
} from './repository';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;
type In<T extends z.ZodType> = z.output<T>;

const PATIENT_HITS = 20;

/** One event as the DPO's table shows it (DPO-1). The patient is named: reviewing access is the DPO's job. */
export interface LogEventView {
  id: string;
  occurredAt: string;
  user: { id: string | null; name: string | null; roles: string[]; profession: string | null };
  authMethod: string | null;
  action: string;
  outcome: string;
  reason: string | null;
  patient: { id: string; name: string | null } | null;
  objectType: string | null;
  objectId: string | null;
  basis: string | null;
  /** The latest review of the event; earlier ones are kept (reviewCount counts them all). */
  review: { reviewedAt: string; reviewedBy: string | null; comment: string } | null;
  reviewCount: number;
}

export interface LogPage {
  events: LogEventView[];
  /** Opaque: hand it back for the next page; null when this was the last. */
  nextCursor: string | null;
}

function toView(row: LogRow): LogEventView {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    user: { id: row.user_id, name: row.user_display_name, roles: row.user_roles, profession: row.profession },
    authMethod: row.auth_method,
    action: row.action,
    outcome: row.outcome,
    reason: row.reason,
    patient: row.patient_id
      ? { id: row.patient_id, name: row.patient_given_name === null ? null : `${row.patient_given_name} ${row.patient_family_name ?? ''}`.trim() }
      : null,
    objectType: row.object_type,
    objectId: row.object_id,
    basis: row.basis,
    review: row.reviewed_at ? { reviewedAt: row.reviewed_at.toISOString(), reviewedBy: row.reviewed_by_name, comment: row.review_comment ?? '' } : null,
    reviewCount: Number(row.review_count),
  };
}

/** The ids of the patients a list shows (AUD-6), each once. */
function shownPatientIds(rows: readonly LogRow[]): string[] {
  return [...new Set(rows.flatMap((row) => (row.patient_id ? [row.patient_id] : [])))];
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(`${keyset.atMicros}:${keyset.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  const match = /^(-?\d{1,19}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw fieldError('cursor', 'validation.invalid_value');
  return { atMicros: match[1] as string, id: match[2] as string };
}

/**
 * DPO-1: the organisation's events, narrowed by patient, user, action (or its group), basis,
 * outcome, review state and period (Oslo days), a page at a time by keyset. The search itself is
 * logged with its filter codes and the patients it showed (AUD-6).
 */
export async function searchLog(deps: Deps, user: SessionUser, input: In<typeof logSearchSchema>): Promise<LogPage> {
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  // Another organisation's patient or user is as unknown as a made-up id, and the probe is logged.
  if (input.patientId !== undefined && !(await patientExists(deps.trx, user.organisationId, input.patientId))) {
    throw new AuditedDenial({ action: 'dpo.log.searched', reason: 'not_found', objectType: 'patient', objectId: input.patientId }, 'not_found');
  }
  if (input.userId !== undefined && !(await userExists(deps.trx, user.organisationId, input.userId))) {
    throw new AuditedDenial({ action: 'dpo.log.searched', reason: 'not_found', objectType: 'app_user', objectId: input.userId }, 'not_found');
  }
  const isExactAction = input.action !== undefined && isAuditAction(input.action);
  const rows = await searchEvents(
    deps.trx,
    {
      organisationId: user.organisationId,
      patientId: input.patientId,
      userId: input.userId,
      action: isExactAction ? input.action : undefined,
      actionPrefix: isExactAction ? undefined : input.action,
      basis: input.basis,
      outcome: input.outcome,
      reviewed: input.reviewed,
      from: input.from,
      to: input.to,
    },
    input.order,
    after,
    input.limit,
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  deps.audit.record({
    action: 'dpo.log.searched',
    objectType: 'audit_event',
    ...(input.patientId ? { patientId: input.patientId } : {}),
    details: {
      patientId: input.patientId ?? null,
      userId: input.userId ?? null,
      action: input.action ?? null,
      basis: input.basis ?? null,
      outcome: input.outcome ?? null,
      reviewed: input.reviewed ?? null,
      from: input.from,
      to: input.to,
      order: input.order,
      isNextPage: after !== undefined,
      shown: page.length,
      shownPatientIds: shownPatientIds(page),
    },
  });
  return {
    events: page.map(toView),
    nextCursor: rows.length > input.limit && last ? encodeCursor({ atMicros: last.at_micros, id: last.id }) : null,
  };
}

/** DPO-1: an event and the same user's other events around it (±30 minutes, at most 50 each side), newest first. */
export async function logContext(deps: Deps, user: SessionUser, input: In<typeof logContextSchema>): Promise<{ eventId: string; events: LogEventView[] }> {
  const anchor = await eventOfOrganisation(deps.trx, user.organisationId, input.eventId);
  // Another organisation's event is as unknown as a made-up id, and the probe is logged.
  if (!anchor) throw new AuditedDenial({ action: 'dpo.log.context_read', reason: 'not_found', objectType: 'audit_event', objectId: input.eventId }, 'not_found');
  const rows = await contextOf(deps.trx, user.organisationId, anchor, LOG_CONTEXT_MINUTES, LOG_CONTEXT_EVENTS);
  deps.audit.record({
    action: 'dpo.log.context_read',
    objectType: 'audit_event',
    objectId: anchor.id,
    details: { shown: rows.length, shownPatientIds: shownPatientIds(rows) },
  });
  return { eventId: anchor.id, events: rows.map(toView) };
}

/**
 * DPO-1: marks events reviewed with a comment. A row per event in audit_review (the log itself is
 * never changed); a later review adds another. The event names the ids, never the comment (free text).
 */
export async function markReviewed(deps: Deps, user: SessionUser, input: In<typeof markReviewedSchema>): Promise<{ reviewed: number }> {
  const found = await countEventsOfOrganisation(deps.trx, user.organisationId, input.eventIds);
  if (found !== input.eventIds.length) {
    throw new AuditedDenial({ action: 'dpo.log.reviewed', reason: 'not_found', objectType: 'audit_event', details: { eventIds: input.eventIds } }, 'not_found');
  }
  await deps.trx
    .insertInto('audit_review')
    .values(input.eventIds.map((eventId) => ({ organisation_id: user.organisationId, event_id: eventId, reviewed_by: user.userId, reviewed_at: deps.now, comment: input.comment })))
    .execute();
  deps.audit.record({ action: 'dpo.log.reviewed', objectType: 'audit_event', details: { eventIds: input.eventIds, count: input.eventIds.length } });
  return { reviewed: input.eventIds.length };
}

export interface PatientLookupHit {
  id: string;
  name: string;
  dateOfBirth: string;
}

/** The log filter's patient: by fødselsnummer or name. Logs the patients shown, never what was typed. */
export async function findPatient(deps: Deps, user: SessionUser, input: In<typeof findPatientSchema>): Promise<PatientLookupHit[]> {
  const hits = await findPatients(deps.trx, user.organisationId, input.query, PATIENT_HITS);
  deps.audit.record({
    action: 'dpo.patient.looked_up',
    objectType: 'patient',
    details: { purpose: 'log_review', byNationalId: /^\d{11}$/.test(input.query.replace(/\s/g, '')), shown: hits.length, shownPatientIds: hits.map((hit) => hit.id) },
  });
  return hits.map((hit) => ({ id: hit.id, name: `${hit.given_name} ${hit.family_name}`, dateOfBirth: hit.date_of_birth }));
}

/** The user filter's choices: the organisation's users (no personal data beyond names and roles). */
export async function logUsers(deps: Deps, user: SessionUser): Promise<{ id: string; name: string; profession: string | null; roles: string[] }[]> {
  const users = await usersOfOrganisation(deps.trx, user.organisationId);
  return users.map((row) => ({ id: row.id, name: row.display_name, profession: row.profession, roles: row.roles }));
}
