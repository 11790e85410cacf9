import { sql } from 'kysely';
import { API_ERROR_MESSAGES } from '../../../shared/api-errors';
import type { RestrictionModule } from '../../../shared/dsr-schemas';
import { AuditedDenial } from '../../audit/recorder';
import type { Executor } from '../../db/database';

/**
 * Restriction of processing (GDPR art. 18, DPO-5): while a restriction is in force, a module listed
 * on it refuses to process the person further. A module's processing path calls assertNotRestricted
 * with what it knows of the person; the refusal is FORBIDDEN with a translated message and an
 * audit event `dpo.processing.restricted` (outcome denied) naming the restriction, the module and
 * the object — never the person's e-mail or phone. The calling procedure declares that action.
 */
export interface RestrictedSubject {
  patientId?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface RestrictedObject {
  objectType: string;
  objectId?: string | null;
}

/** The restriction in force on this person for this module, if any (the oldest, so the answer is stable). */
export async function restrictionInForce(trx: Executor, organisationId: string, subject: RestrictedSubject, module: RestrictionModule): Promise<{ id: string; caseId: string } | undefined> {
  const email = subject.email?.trim().toLowerCase() || null;
  const phone = subject.phone?.trim() || null;
  const patientId = subject.patientId ?? null;
  if (email === null && phone === null && patientId === null) return undefined;
  const row = await trx
    .selectFrom('processing_restriction')
    .select(['id', 'case_id'])
    .where('organisation_id', '=', organisationId)
    .where('lifted_at', 'is', null)
    .where(sql<boolean>`${module} = any(modules)`)
    .where((eb) =>
      eb.or([
        ...(patientId !== null ? [eb('patient_id', '=', patientId)] : []),
        ...(email !== null ? [eb('email', '=', email)] : []),
        ...(phone !== null ? [eb('phone', '=', phone)] : []),
      ]),
    )
    .orderBy('set_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, caseId: row.case_id } : undefined;
}

/** Refuses (and logs) processing of a restricted person in `module`; returns quietly otherwise. */
export async function assertNotRestricted(trx: Executor, organisationId: string, subject: RestrictedSubject, module: RestrictionModule, object: RestrictedObject): Promise<void> {
  const restriction = await restrictionInForce(trx, organisationId, subject, module);
  if (!restriction) return;
  throw new AuditedDenial(
    {
      action: 'dpo.processing.restricted',
      reason: 'processing_restricted',
      ...(subject.patientId ? { patientId: subject.patientId } : {}),
      objectType: object.objectType,
      ...(object.objectId ? { objectId: object.objectId } : {}),
      details: { module, restrictionId: restriction.id, caseId: restriction.caseId },
    },
    'forbidden',
    API_ERROR_MESSAGES.processingRestricted,
  );
}
