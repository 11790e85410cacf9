import type { SessionUser } from '../auth/session';
import { decideJournalAccess, decideJournalAccessForMany } from '../access/decide';
import { requireJournalAccess } from '../access/gates';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { AuditedDenial } from '../audit/recorder';
import { fieldError } from '../errors';
import { parseNationalIdentityNumber } from '../../shared/national-identity-number';
import { invalidSearchedNumberKey, type patientDetailsSchema, searchedNationalIdentityNumber } from '../../shared/patient-schemas';
import type { ServiceDeps } from '../context';
import type { z } from 'zod';

type PatientDetails = z.output<typeof patientDetailsSchema>;

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'isDemo'>;

export interface PatientSummary {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  gender: string;
}

const SEARCH_LIMIT = 25;

/** JRN-1: synthetic test numbers only in demo mode; a known number only once per organisation. */
function checkNationalId(details: PatientDetails, isDemo: boolean): void {
  const parsed = parseNationalIdentityNumber(details.nationalId, { allowSynthetic: isDemo });
  if (!parsed.ok) throw fieldError('nationalId', `validation.nationalIdentityNumber.${parsed.reason}`);
}

async function patientWithNumber(deps: Deps, user: SessionUser, nationalId: string): Promise<string> {
  const holder = await deps.trx
    .selectFrom('patient')
    .select('id')
    .where('organisation_id', '=', user.organisationId)
    .where('national_id', '=', nationalId)
    .executeTakeFirstOrThrow();
  return holder.id;
}

/**
 * JRN-1, ACC-3, ACC-5 (ADR 0010): the number already belongs to a patient of the organisation. A
 * clinician who may open that patient is told so beside the field (search by the number then finds
 * them). Anyone else learns only that such a patient may exist and that break-glass is the way to
 * them — no name, no data — and the attempt is logged with that patient as the one concerned and
 * flagged for the DPO, so probing numbers through registration is never free.
 */
async function refuseRegisteredNumber(deps: Deps, user: SessionUser, holderId: string): Promise<never> {
  const decision = await decideJournalAccess(deps.trx, { organisationId: user.organisationId, userId: user.userId }, holderId, deps.now);
  if (decision.isAllowed) throw fieldError('nationalId', 'validation.nationalId_taken');
  throw new AuditedDenial(
    { reason: 'national_id_registered', patientId: holderId, objectType: 'patient', objectId: holderId, details: { flag: 'dpo_review', decision: decision.reason } },
    'conflict',
    API_ERROR_MESSAGES.patientMayExist,
  );
}

export async function registerPatient(deps: Deps, user: SessionUser, details: PatientDetails): Promise<{ patientId: string }> {
  checkNationalId(details, deps.isDemo);
  // ON CONFLICT DO NOTHING rather than catching the unique violation: the transaction stays usable,
  // so a number registered by a concurrent transaction still takes the logged path below.
  const row = await deps.trx
    .insertInto('patient')
    .values({
      organisation_id: user.organisationId,
      national_id: details.nationalId,
      given_name: details.givenName,
      family_name: details.familyName,
      date_of_birth: details.dateOfBirth,
      gender: details.gender,
      address: details.address,
      phone: details.phone,
      email: details.email,
      next_of_kin: details.nextOfKin,
      created_by: user.userId,
    })
    .onConflict((conflict) => conflict.columns(['organisation_id', 'national_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return refuseRegisteredNumber(deps, user, await patientWithNumber(deps, user, details.nationalId));
  // The clinician who registers a patient is treating them: a care-team relationship (ACC-2).
  await deps.trx
    .insertInto('care_relationship')
    .values({ organisation_id: user.organisationId, patient_id: row.id, user_id: user.userId, kind: 'care_team', starts_at: deps.now, ends_at: null, created_by: user.userId })
    .execute();
  deps.audit.record({ patientId: row.id, objectType: 'patient', objectId: row.id, basis: 'treatment_relationship' });
  return { patientId: row.id };
}

export async function updatePatient(deps: Deps, user: SessionUser, patientId: string, details: PatientDetails): Promise<void> {
  const decision = await requireJournalAccess(deps, user, patientId);
  checkNationalId(details, deps.isDemo);
  const holder = await deps.trx
    .selectFrom('patient')
    .select('id')
    .where('organisation_id', '=', user.organisationId)
    .where('national_id', '=', details.nationalId)
    .where('id', '!=', patientId)
    .executeTakeFirst();
  if (holder) await refuseRegisteredNumber(deps, user, holder.id);
  await deps.trx
    .updateTable('patient')
    .set({
      national_id: details.nationalId,
      given_name: details.givenName,
      family_name: details.familyName,
      date_of_birth: details.dateOfBirth,
      gender: details.gender,
      address: details.address,
      phone: details.phone,
      email: details.email,
      next_of_kin: details.nextOfKin,
      updated_at: deps.now,
    })
    .where('id', '=', patientId)
    .where('organisation_id', '=', user.organisationId)
    .execute()
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === '23505') throw fieldError('nationalId', 'validation.nationalId_taken');
      throw error;
    });
  deps.audit.record({ patientId, objectType: 'patient', objectId: patientId, basis: decision.basis });
}

/** dd.mm.yyyy → yyyy-mm-dd, or null. */
function parseNorwegianDate(query: string): string | null {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(query);
  return match ? `${match[3]}-${match[2]}-${match[1]}` : null;
}

/**
 * JRN-1: search by name, number or date of birth — results only for patients this user may open
 * now (each candidate goes through the same access decision), and the search logs which patients it
 * showed (AUD-6), so "who has seen me in a list" is complete.
 */
export async function searchPatients(deps: Deps, user: SessionUser, query: string): Promise<PatientSummary[]> {
  // The schema has checked the digits; only the server knows whether synthetic numbers are allowed.
  const invalidNumberKey = invalidSearchedNumberKey(query, { allowSynthetic: deps.isDemo });
  if (invalidNumberKey) throw fieldError('query', invalidNumberKey);
  const nationalId = searchedNationalIdentityNumber(query);
  const date = parseNorwegianDate(query);
  const candidates = await deps.trx
    .selectFrom('patient')
    .select(['id', 'given_name', 'family_name', 'date_of_birth', 'gender'])
    .where('organisation_id', '=', user.organisationId)
    .where((eb) => {
      if (nationalId) return eb('national_id', '=', nationalId);
      if (date) return eb('date_of_birth', '=', date);
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      return eb.and(
        words.map((word) => {
          const prefix = `${word.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
          return eb.or([eb(eb.fn('lower', ['family_name']), 'like', prefix), eb(eb.fn('lower', ['given_name']), 'like', prefix)]);
        }),
      );
    })
    .orderBy('family_name')
    .orderBy('given_name')
    .limit(SEARCH_LIMIT * 4)
    .execute();
  // One access decision for all candidates (at most four round trips), then the first that pass, in order.
  const decisions = await decideJournalAccessForMany(deps.trx, { organisationId: user.organisationId, userId: user.userId }, candidates.map((candidate) => candidate.id), deps.now);
  const visible: PatientSummary[] = [];
  for (const candidate of candidates) {
    if (visible.length >= SEARCH_LIMIT) break;
    if (decisions.get(candidate.id)?.isAllowed === true) {
      visible.push({
        id: candidate.id,
        givenName: candidate.given_name,
        familyName: candidate.family_name,
        dateOfBirth: candidate.date_of_birth,
        gender: candidate.gender,
      });
    }
  }
  deps.audit.record({ objectType: 'patient_search', details: { shownPatientIds: visible.map((patient) => patient.id), resultCount: visible.length } });
  return visible;
}
