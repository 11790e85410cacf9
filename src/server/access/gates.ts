import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { AuditedDenial } from '../audit/recorder';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import { decideJournalAccess } from './decide';

/**
 * The gates every journal action passes, built on the one access decision (decide.ts). They throw
 * an AuditedDenial, so a refusal is logged with its coded reason and returns no patient data
 * (ACC-5); an unknown id and another organisation's id get the same answer (PLAT-3).
 */
type Deps = Pick<ServiceDeps, 'trx' | 'now'>;

/** Opens the patient's record for this user, or refuses with the reason logged (ACC-5: no data). */
export async function requireJournalAccess(deps: Deps, user: SessionUser, patientId: string) {
  const decision = await decideJournalAccess(deps.trx, { organisationId: user.organisationId, userId: user.userId }, patientId, deps.now);
  if (!decision.isAllowed) {
    throw new AuditedDenial(
      {
        reason: decision.reason,
        // An unknown id is not a patient: log the attempt, but no patient id that might not exist.
        ...(decision.reason === 'patient_not_found' ? {} : { patientId }),
        objectType: 'patient',
        objectId: patientId,
        details: { hasBreakGlassOption: decision.hasBreakGlassOption },
      },
      decision.reason === 'patient_not_found' ? 'not_found' : 'forbidden',
      decision.reason === 'patient_not_found' ? API_ERROR_MESSAGES.notFound : decision.reason === 'blocked' ? API_ERROR_MESSAGES.accessBlocked : API_ERROR_MESSAGES.accessNoBasis,
    );
  }
  return decision;
}

/**
 * For actions that shape who may see the journal (sharing, consents, blocks, care team) or that
 * write in it on the patient's behalf: a treatment relationship, not a read-share or break-glass.
 */
export async function requireTreatingClinician(
  deps: Deps,
  user: SessionUser,
  patientId: string,
  object: { objectType: string; objectId: string } = { objectType: 'patient', objectId: patientId },
) {
  const decision = await requireJournalAccess(deps, user, patientId);
  if (decision.basis !== 'treatment_relationship') {
    throw new AuditedDenial({ reason: 'needs_treatment_relationship', patientId, ...object }, 'forbidden', API_ERROR_MESSAGES.accessNoBasis);
  }
  return decision;
}
