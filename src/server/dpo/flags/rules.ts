import type { FlagRule } from '../../db/dpo/flags';
import { osloWallClock } from '../../../shared/oslo-time';

/**
 * The rules of the flags for retrospective control (DPO-2), as pure functions over what one audit
 * event and its surroundings say. The job (compute.ts) gathers the surroundings for a batch of
 * sealed events; these decide. Every constant of the rules is here, in one place.
 */

/** The journal accesses the rules judge: every read or print of a journal (not the DPO's reads inside a case). */
export const JOURNAL_ACCESS_ACTIONS = ['journal.record.opened', 'journal.notes.read', 'journal.note.history_read', 'journal.printed'] as const;
/** The event of invoking break-glass (ACC-3): one flag per invocation, whatever is read under it. */
export const BREAK_GLASS_ACTION = 'access.break_glass';
/** Bases that are a relationship, a share, break-glass or a data-subject request: anything else is "no relationship". */
export const KNOWN_BASES: readonly string[] = ['treatment_relationship', 'read_share', 'break_glass', 'dsr_case'];

/**
 * unusual_volume: a user's distinct patients in one clock hour above
 * max(VOLUME_MINIMUM, VOLUME_FACTOR × the 95th percentile of their role peers' distinct patients per
 * active hour over the VOLUME_PEER_DAYS days before that hour). Peers are the organisation's other
 * users with the same roles (as the event records them); hours with no access are not counted.
 */
export const UNUSUAL_VOLUME = { minimum: 20, factor: 3, percentile: 0.95, peerDays: 30 } as const;

/** How long a consultation or visit makes a treatment relationship after it (as access/decide.ts). */
export const APPOINTMENT_AFTER_DAYS = 90;

export function volumeThreshold(peerPercentile: number | null): number {
  return Math.max(UNUSUAL_VOLUME.minimum, UNUSUAL_VOLUME.factor * (peerPercentile ?? 0));
}

/** The organisation's working day: Oslo wall-clock minutes [start, end) on ISO weekdays (1 Monday … 7 Sunday). */
export interface WorkingHours {
  startMinute: number;
  endMinute: number;
  days: readonly number[];
}

/** outside_hours: judged in Oslo time, whatever the server's own time zone. */
export function isOutsideWorkingHours(at: Date, hours: WorkingHours): boolean {
  const wall = osloWallClock(at);
  const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() || 7;
  const minute = wall.hour * 60 + wall.minute;
  return !hours.days.includes(weekday) || minute < hours.startMinute || minute >= hours.endMinute;
}

/** A name's last word, compared as Norwegian lower case (Æ, Ø, Å included). */
export function surnameKey(name: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/);
  return (words.at(-1) ?? '').toLocaleLowerCase('nb-NO');
}

/** same_surname: the user's display name's last word equals the patient's family name's last word. */
export function isSameSurname(userDisplayName: string, patientFamilyName: string): boolean {
  const user = surnameKey(userDisplayName);
  return user.length > 1 && user === surnameKey(patientFamilyName);
}

export interface RelationshipFacts {
  /** The user's care relationships with the patient (assigned clinician, care team). */
  careRelationships: readonly { id: string; startsAt: Date; endsAt: Date | null }[];
  /** The user's consultations and visits with the patient that were not cancelled. */
  appointmentStarts: readonly Date[];
}

/**
 * after_relationship_ended. The access decision only ever allows "treatment_relationship" while a
 * relationship is current, so the flag looks for the two ways a former relationship shows:
 * - the event's basis is a treatment relationship, but the care relationship it names (the event's
 *   grantId) is now recorded as ended at or before the access (an end date set back in time);
 * - the basis is anything else (a read-share, break-glass, none) while the user HAD a relationship
 *   with the patient that had ended by then (a care relationship's end, or an appointment more than
 *   APPOINTMENT_AFTER_DAYS days before) and none was current: the former therapist still looking.
 */
export function isAfterRelationshipEnded(event: { basis: string | null; grantId: string | null; occurredAt: Date }, facts: RelationshipFacts): boolean {
  const at = event.occurredAt.getTime();
  if (event.basis === 'treatment_relationship') {
    const grant = facts.careRelationships.find((relationship) => relationship.id === event.grantId);
    return grant?.endsAt !== undefined && grant.endsAt !== null && grant.endsAt.getTime() <= at;
  }
  const windowMs = APPOINTMENT_AFTER_DAYS * 86_400_000;
  const hadEnded =
    facts.careRelationships.some((relationship) => relationship.endsAt !== null && relationship.endsAt.getTime() <= at) ||
    facts.appointmentStarts.some((start) => start.getTime() + windowMs <= at);
  const isCurrent =
    facts.careRelationships.some((relationship) => relationship.startsAt.getTime() <= at && (relationship.endsAt === null || relationship.endsAt.getTime() > at)) ||
    facts.appointmentStarts.some((start) => start.getTime() <= at + 14 * 86_400_000 && start.getTime() + windowMs > at);
  return hadEnded && !isCurrent;
}

export function isWithoutRelationship(basis: string | null): boolean {
  return basis === null || !KNOWN_BASES.includes(basis);
}

export type { FlagRule };
