import type { SessionUser } from '../auth/session';
import { fieldError } from '../errors';
import { requireTreatingClinician } from '../access/gates';
import { AuditedDenial } from '../audit/recorder';
import type { ServiceDeps } from '../context';
import { assertNotRestricted } from '../dpo/cases/restriction';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

// Sharing and consents are managed by a clinician who treats the patient (not by a grantee).

/** SHR-2: who consented, how, when, recorded by whom, scope and purpose. */
export async function recordConsent(
  deps: Deps,
  user: SessionUser,
  input: { patientId: string; givenBy: 'patient' | 'guardian' | 'representative'; method: 'verbal' | 'written' | 'digital'; givenAt: Date; scope: 'whole_journal' | 'selected_notes'; purpose: string },
): Promise<{ consentId: string }> {
  const decision = await requireTreatingClinician(deps, user, input.patientId);
  if (input.givenAt.getTime() > deps.now.getTime() + 60_000) throw fieldError('givenAt', 'validation.date_in_future');
  const consent = await deps.trx
    .insertInto('patient_consent')
    .values({ organisation_id: user.organisationId, patient_id: input.patientId, given_by: input.givenBy, method: input.method, given_at: input.givenAt, recorded_by: user.userId, scope: input.scope, purpose: input.purpose, withdrawn_at: null, withdrawn_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  deps.audit.record({ patientId: input.patientId, objectType: 'patient_consent', objectId: consent.id, basis: decision.basis, details: { method: input.method, scope: input.scope, givenBy: input.givenBy } });
  return { consentId: consent.id };
}

/** SHR-3: withdrawing the consent ends every share resting on it at once (the access decision checks it). */
export async function withdrawConsent(deps: Deps, user: SessionUser, consentId: string): Promise<void> {
  const consent = await deps.trx
    .selectFrom('patient_consent')
    .select(['id', 'patient_id'])
    .where('id', '=', consentId)
    .where('organisation_id', '=', user.organisationId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (!consent) throw new AuditedDenial({ reason: 'not_found', objectType: 'patient_consent', objectId: consentId }, 'not_found');
  const decision = await requireTreatingClinician(deps, user, consent.patient_id);
  await deps.trx.updateTable('patient_consent').set({ withdrawn_at: deps.now, withdrawn_by: user.userId }).where('id', '=', consent.id).execute();
  deps.audit.record({ patientId: consent.patient_id, objectType: 'patient_consent', objectId: consent.id, basis: decision.basis });
}

/** SHR-1: a read-share needs an active consent whose scope covers it (SHR-2). */
export async function grantShare(
  deps: Deps,
  user: SessionUser,
  input: { patientId: string; granteeId: string; consentId: string; scope: 'whole_journal' | 'selected_notes'; noteIds: string[]; purpose: string; endsAt: Date },
): Promise<{ shareId: string }> {
  const decision = await requireTreatingClinician(deps, user, input.patientId);
  // DPO-5: a patient who asked for restriction of processing (art. 18) is not shared further.
  await assertNotRestricted(deps.trx, user.organisationId, { patientId: input.patientId }, 'journal_sharing', { objectType: 'read_share' });
  const consent = await deps.trx
    .selectFrom('patient_consent')
    .select(['id', 'scope'])
    .where('id', '=', input.consentId)
    .where('patient_id', '=', input.patientId)
    .where('organisation_id', '=', user.organisationId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (!consent) throw fieldError('consentId', 'validation.consent_required');
  if (consent.scope === 'selected_notes' && input.scope === 'whole_journal') throw fieldError('scope', 'validation.consent_scope');
  if (input.granteeId === user.userId) throw fieldError('granteeId', 'validation.not_yourself');
  const grantee = await deps.trx
    .selectFrom('app_user')
    .select('id')
    .where('id', '=', input.granteeId)
    .where('organisation_id', '=', user.organisationId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!grantee) throw fieldError('granteeId', 'validation.unknown_colleague');
  if (input.endsAt.getTime() <= deps.now.getTime()) throw fieldError('endsAt', 'validation.date_in_past');
  if (input.scope === 'selected_notes') {
    if (input.noteIds.length === 0) throw fieldError('noteIds', 'validation.required');
    const found = await deps.trx.selectFrom('journal_note').select('id').where('patient_id', '=', input.patientId).where('id', 'in', input.noteIds).where('status', '!=', 'draft').execute();
    if (found.length !== new Set(input.noteIds).size) throw fieldError('noteIds', 'validation.unknown_note');
  }
  const share = await deps.trx
    .insertInto('read_share')
    .values({
      organisation_id: user.organisationId,
      patient_id: input.patientId,
      grantee_id: grantee.id,
      granted_by: user.userId,
      consent_id: consent.id,
      scope: input.scope,
      note_ids: input.scope === 'selected_notes' ? [...new Set(input.noteIds)] : [],
      purpose: input.purpose,
      starts_at: deps.now,
      ends_at: input.endsAt,
      revoked_at: null,
      revoked_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  deps.audit.record({
    patientId: input.patientId,
    objectType: 'read_share',
    objectId: share.id,
    basis: decision.basis,
    details: { granteeId: grantee.id, consentId: consent.id, scope: input.scope, endsAt: input.endsAt.toISOString() },
  });
  return { shareId: share.id };
}

export async function revokeShare(deps: Deps, user: SessionUser, shareId: string): Promise<void> {
  const share = await deps.trx
    .selectFrom('read_share')
    .select(['id', 'patient_id', 'grantee_id'])
    .where('id', '=', shareId)
    .where('organisation_id', '=', user.organisationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!share) throw new AuditedDenial({ reason: 'not_found', objectType: 'read_share', objectId: shareId }, 'not_found');
  const decision = await requireTreatingClinician(deps, user, share.patient_id);
  await deps.trx.updateTable('read_share').set({ revoked_at: deps.now, revoked_by: user.userId }).where('id', '=', share.id).execute();
  deps.audit.record({ patientId: share.patient_id, objectType: 'read_share', objectId: share.id, basis: decision.basis, details: { granteeId: share.grantee_id } });
}

/** The patient's consents, shares and blocks, for the sharing panel of a treating clinician. */
export async function sharingOverview(deps: Deps, user: SessionUser, patientId: string) {
  await requireTreatingClinician(deps, user, patientId);
  const [consents, shares, blocks, careTeam] = await Promise.all([
    deps.trx
      .selectFrom('patient_consent')
      .leftJoin('app_user', 'app_user.id', 'patient_consent.recorded_by')
      .select(['patient_consent.id', 'given_by', 'method', 'given_at', 'scope', 'purpose', 'withdrawn_at', 'app_user.display_name as recorded_by_name'])
      .where('patient_id', '=', patientId)
      .orderBy('given_at', 'desc')
      .execute(),
    deps.trx
      .selectFrom('read_share')
      .innerJoin('app_user', 'app_user.id', 'read_share.grantee_id')
      .select(['read_share.id', 'consent_id', 'scope', 'note_ids', 'purpose', 'starts_at', 'ends_at', 'revoked_at', 'app_user.display_name as grantee_name'])
      .where('patient_id', '=', patientId)
      .orderBy('starts_at', 'desc')
      .execute(),
    deps.trx
      .selectFrom('patient_block')
      .innerJoin('app_user', 'app_user.id', 'patient_block.blocked_user_id')
      .select(['patient_block.id', 'scope', 'note_ids', 'requested_at', 'lifted_at', 'app_user.display_name as blocked_name'])
      .where('patient_id', '=', patientId)
      .orderBy('requested_at', 'desc')
      .execute(),
    deps.trx
      .selectFrom('care_relationship')
      .innerJoin('app_user', 'app_user.id', 'care_relationship.user_id')
      .select(['care_relationship.id', 'care_relationship.kind', 'care_relationship.starts_at', 'care_relationship.ends_at', 'app_user.display_name as member_name', 'app_user.profession'])
      .where('patient_id', '=', patientId)
      .orderBy('starts_at')
      .execute(),
  ]);
  const iso = (value: Date | null) => value?.toISOString() ?? null;
  deps.audit.record({ patientId, objectType: 'patient', objectId: patientId, basis: 'treatment_relationship' });
  return {
    consents: consents.map((row) => ({ id: row.id, givenBy: row.given_by, method: row.method, givenAt: iso(row.given_at), scope: row.scope, purpose: row.purpose, withdrawnAt: iso(row.withdrawn_at), recordedByName: row.recorded_by_name })),
    shares: shares.map((row) => ({ id: row.id, consentId: row.consent_id, scope: row.scope, noteIds: row.note_ids, purpose: row.purpose, startsAt: iso(row.starts_at), endsAt: iso(row.ends_at), revokedAt: iso(row.revoked_at), granteeName: row.grantee_name })),
    blocks: blocks.map((row) => ({ id: row.id, scope: row.scope, noteIds: row.note_ids, requestedAt: iso(row.requested_at), liftedAt: iso(row.lifted_at), blockedName: row.blocked_name })),
    careTeam: careTeam.map((row) => ({ id: row.id, kind: row.kind, memberName: row.member_name, profession: row.profession, startsAt: iso(row.starts_at), endsAt: iso(row.ends_at) })),
  };
}
