import { sql } from 'kysely';
import { API_ERROR_MESSAGES } from '../../../shared/api-errors';
import { normalizePhoneNumber } from '../../../shared/contact-fields';
import type { RestrictionModule } from '../../../shared/dsr-schemas';
import { AuditedDenial } from '../../audit/recorder';
import type { Executor } from '../../db/database';

/**
 * Restriction of processing (GDPR art. 18, DPO-5): while a restriction is in force, a module listed
 * on it refuses to process the person further. A module's processing path calls assertNotRestricted
 * with what it knows of the person; the refusal is FORBIDDEN with a translated message and an
 * audit event `dpo.processing.restricted` (outcome denied) naming the restriction, the module and
 * the object — never the person's e-mail, phone or number. The calling procedure declares that action.
 * Reading is never refused here: a restriction limits processing, not storage or the person's own access.
 */
export interface RestrictedSubject {
  patientId?: string | null;
  /** The keyed hash of the national identity number (portal/national-id.ts): a module holding the number plain hashes it first. */
  nationalIdHmac?: Buffer | null;
  email?: string | null;
  phone?: string | null;
}

export interface RestrictedObject {
  objectType: string;
  objectId?: string | null;
}

const present = <T>(values: readonly (T | null | undefined)[]): T[] => values.filter((value): value is T => value !== null && value !== undefined && value !== '');

/** A subject's identifiers in the form the restriction stores them (the phone as the shared schema normalises it: +47…). */
function normalisedSubject(subject: RestrictedSubject) {
  return {
    patientId: subject.patientId ?? null,
    hmac: subject.nationalIdHmac ?? null,
    email: subject.email?.trim().toLowerCase() || null,
    phone: subject.phone ? (normalizePhoneNumber(subject.phone) ?? subject.phone.trim()) : null,
  };
}

/** The restrictions in force for this module on any of the subjects, oldest first (one query; `limit` for the first only). */
async function restrictionsMatching(trx: Executor, organisationId: string, subjects: readonly ReturnType<typeof normalisedSubject>[], module: RestrictionModule, limit?: number) {
  const patientIds = present(subjects.map((subject) => subject.patientId));
  const hmacs = present(subjects.map((subject) => subject.hmac));
  const emails = present(subjects.map((subject) => subject.email));
  const phones = present(subjects.map((subject) => subject.phone));
  if (patientIds.length + hmacs.length + emails.length + phones.length === 0) return [];
  return trx
    .selectFrom('processing_restriction')
    .select(['id', 'case_id', 'patient_id', 'national_id_hmac', 'email', 'phone'])
    .where('organisation_id', '=', organisationId)
    .where('lifted_at', 'is', null)
    .where(sql<boolean>`${module} = any(modules)`)
    .where((eb) =>
      eb.or([
        ...(patientIds.length > 0 ? [eb('patient_id', 'in', patientIds)] : []),
        ...(hmacs.length > 0 ? [eb('national_id_hmac', 'in', hmacs)] : []),
        ...(emails.length > 0 ? [eb('email', 'in', emails)] : []),
        ...(phones.length > 0 ? [eb('phone', 'in', phones)] : []),
      ]),
    )
    .orderBy('set_at')
    .orderBy('id')
    .$if(limit !== undefined, (query) => query.limit(limit as number))
    .execute();
}

/**
 * The restriction in force for this module on any of the subjects (the oldest, so the answer is
 * stable). Several subjects: a record's stored details and the new ones typed in, either restricted.
 */
export async function restrictionInForce(
  trx: Executor,
  organisationId: string,
  subjects: RestrictedSubject | readonly RestrictedSubject[],
  module: RestrictionModule,
): Promise<{ id: string; caseId: string } | undefined> {
  const all: readonly RestrictedSubject[] = Array.isArray(subjects) ? subjects : [subjects as RestrictedSubject];
  const [row] = await restrictionsMatching(trx, organisationId, all.map(normalisedSubject), module, 1);
  return row ? { id: row.id, caseId: row.case_id } : undefined;
}

/** Refuses (and logs) processing of a restricted person in `module`; returns quietly otherwise. */
export async function assertNotRestricted(
  trx: Executor,
  organisationId: string,
  subjects: RestrictedSubject | readonly RestrictedSubject[],
  module: RestrictionModule,
  object: RestrictedObject,
): Promise<void> {
  const restriction = await restrictionInForce(trx, organisationId, subjects, module);
  if (!restriction) return;
  const [patientId] = present((Array.isArray(subjects) ? subjects : [subjects as RestrictedSubject]).map((subject) => subject.patientId));
  throw new AuditedDenial(
    {
      action: 'dpo.processing.restricted',
      reason: 'processing_restricted',
      ...(patientId ? { patientId } : {}),
      objectType: object.objectType,
      ...(object.objectId ? { objectId: object.objectId } : {}),
      details: { module, restrictionId: restriction.id, caseId: restriction.caseId },
    },
    'forbidden',
    API_ERROR_MESSAGES.processingRestricted,
  );
}

/**
 * For a batch (an import's rows): the restriction in force for this module on each subject, in
 * order, undefined where none is. One query for the batch; the same matching as restrictionInForce.
 */
export async function restrictionsOfEach(
  trx: Executor,
  organisationId: string,
  subjects: readonly RestrictedSubject[],
  module: RestrictionModule,
): Promise<({ id: string; caseId: string } | undefined)[]> {
  const keyed = subjects.map(normalisedSubject);
  const rows = await restrictionsMatching(trx, organisationId, keyed, module);
  return keyed.map((subject) => {
    const row = rows.find(
      (candidate) =>
        (subject.patientId !== null && candidate.patient_id === subject.patientId) ||
        // PGlite hands bytea back as a plain Uint8Array, pg as a Buffer: both wrapped to compare bytes.
        (subject.hmac !== null && candidate.national_id_hmac !== null && Buffer.from(candidate.national_id_hmac).equals(Buffer.from(subject.hmac))) ||
        (subject.email !== null && candidate.email === subject.email) ||
        (subject.phone !== null && candidate.phone === subject.phone),
    );
    return row ? { id: row.id, caseId: row.case_id } : undefined;
  });
}
