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
  const patientIds = present(all.map((subject) => subject.patientId));
  const hmacs = present(all.map((subject) => subject.nationalIdHmac));
  const emails = present(all.map((subject) => subject.email?.trim().toLowerCase()));
  // The case keeps the phone as the shared schema normalises it (+47…): a booking's typed number is brought to the same form.
  const phones = present(all.map((subject) => (subject.phone ? (normalizePhoneNumber(subject.phone) ?? subject.phone.trim()) : null)));
  if (patientIds.length + hmacs.length + emails.length + phones.length === 0) return undefined;
  const row = await trx
    .selectFrom('processing_restriction')
    .select(['id', 'case_id'])
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
    .limit(1)
    .executeTakeFirst();
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
  const keyed = subjects.map((subject) => ({
    hmac: subject.nationalIdHmac ? Buffer.from(subject.nationalIdHmac).toString('hex') : null,
    email: subject.email?.trim().toLowerCase() || null,
    phone: subject.phone ? (normalizePhoneNumber(subject.phone) ?? subject.phone.trim()) : null,
    patientId: subject.patientId ?? null,
  }));
  const patientIds = present(keyed.map((subject) => subject.patientId));
  const hmacs = present(subjects.map((subject) => subject.nationalIdHmac));
  const emails = present(keyed.map((subject) => subject.email));
  const phones = present(keyed.map((subject) => subject.phone));
  if (patientIds.length + hmacs.length + emails.length + phones.length === 0) return subjects.map(() => undefined);
  const rows = await trx
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
    .execute();
  return keyed.map((subject) => {
    const row = rows.find(
      (candidate) =>
        (subject.patientId !== null && candidate.patient_id === subject.patientId) ||
        // PGlite hands bytea back as a plain Uint8Array, pg as a Buffer: compared as hex.
        (subject.hmac !== null && candidate.national_id_hmac !== null && Buffer.from(candidate.national_id_hmac).toString('hex') === subject.hmac) ||
        (subject.email !== null && candidate.email === subject.email) ||
        (subject.phone !== null && candidate.phone === subject.phone),
    );
    return row ? { id: row.id, caseId: row.case_id } : undefined;
  });
}
