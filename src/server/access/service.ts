import { formatDate } from '../../shared/oslo-time';
import type { SessionUser } from '../auth/session';
import { fieldError } from '../errors';
import { requireTreatingClinician } from './gates';
import { AuditedDenial } from '../audit/recorder';
import type { ServiceDeps } from '../context';
import { BREAK_GLASS_DURATION_MS, decideJournalAccess } from './decide';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

/** Colleagues to choose from (care team, read-share, block): active clinicians, names and professions only. */
export async function listColleagues(deps: Pick<Deps, 'trx'>, user: SessionUser): Promise<{ id: string; displayName: string; profession: string | null }[]> {
  const rows = await deps.trx
    .selectFrom('app_user')
    .innerJoin('role_grant', 'role_grant.user_id', 'app_user.id')
    .select(['app_user.id', 'app_user.display_name', 'app_user.profession'])
    .where('app_user.organisation_id', '=', user.organisationId)
    .where('app_user.status', '=', 'active')
    .where('role_grant.role', '=', 'clinician')
    .where('role_grant.revoked_at', 'is', null)
    .orderBy('app_user.display_name')
    .execute();
  return rows.filter((row) => row.id !== user.userId).map((row) => ({ id: row.id, displayName: row.display_name, profession: row.profession }));
}

/**
 * ACC-3: break-glass. Only where no ordinary basis exists and no block applies; a coded reason
 * (free text optional, never shown to the patient), 4 hours, flagged for the DPO's review.
 */
export async function breakGlass(
  deps: Deps,
  user: SessionUser,
  request: { patientId?: string; nationalId?: string; reasonCode: string; reasonText: string | null },
): Promise<{ patientId: string; expiresAt: string }> {
  let patientId = request.patientId;
  if (patientId === undefined) {
    const patient = await deps.trx
      .selectFrom('patient')
      .select('id')
      .where('organisation_id', '=', user.organisationId)
      .where('national_id', '=', request.nationalId ?? '')
      .executeTakeFirst();
    // An unknown number is "not found", exactly like an unknown id (the attempt is still logged).
    if (!patient) throw new AuditedDenial({ reason: 'patient_not_found', objectType: 'patient' }, 'not_found');
    patientId = patient.id;
  }
  const input = { patientId, reasonCode: request.reasonCode, reasonText: request.reasonText };
  const decision = await decideJournalAccess(deps.trx, { organisationId: user.organisationId, userId: user.userId }, input.patientId, deps.now);
  if (!decision.isAllowed && decision.reason !== 'no_basis') {
    throw new AuditedDenial(
      { reason: decision.reason, ...(decision.reason === 'blocked' ? { patientId: input.patientId } : {}), objectType: 'patient', objectId: input.patientId },
      decision.reason === 'patient_not_found' ? 'not_found' : 'forbidden',
      decision.reason === 'patient_not_found' ? 'error.not_found' : 'access.blocked',
    );
  }
  if (decision.isAllowed && decision.basis !== 'read_share') throw fieldError('patientId', 'validation.break_glass_not_needed');
  const expiresAt = new Date(deps.now.getTime() + BREAK_GLASS_DURATION_MS);
  const grant = await deps.trx
    .insertInto('break_glass_access')
    .values({ organisation_id: user.organisationId, patient_id: input.patientId, user_id: user.userId, reason_code: input.reasonCode, reason_text: input.reasonText, started_at: deps.now, expires_at: expiresAt, ended_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The free text stays in the grant (for the DPO's review); the event carries only the code (AUD-2).
  deps.audit.record({
    patientId: input.patientId,
    objectType: 'break_glass',
    objectId: grant.id,
    basis: 'break_glass',
    reason: input.reasonCode,
    details: { flag: 'dpo_review', expiresAt: expiresAt.toISOString() },
  });
  return { patientId: input.patientId, expiresAt: expiresAt.toISOString() };
}

/** ACC-2: a clinician with a treatment relationship adds a colleague to the patient's care team. */
export async function addCareTeamMember(deps: Deps, user: SessionUser, input: { patientId: string; userId: string }): Promise<void> {
  const decision = await requireTreatingClinician(deps, user, input.patientId);
  const colleague = await deps.trx
    .selectFrom('app_user')
    .select('id')
    .where('id', '=', input.userId)
    .where('organisation_id', '=', user.organisationId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!colleague) throw fieldError('userId', 'validation.unknown_colleague');
  await deps.trx
    .insertInto('care_relationship')
    .values({ organisation_id: user.organisationId, patient_id: input.patientId, user_id: colleague.id, kind: 'care_team', starts_at: deps.now, ends_at: null, created_by: user.userId })
    .execute();
  deps.audit.record({ patientId: input.patientId, objectType: 'user', objectId: colleague.id, basis: decision.basis });
}

/**
 * ACC-4: the patient bars a named colleague from all or chosen notes. Recorded by a clinician with
 * a treatment relationship on the patient's request; holds against every basis at once.
 */
export async function setBlock(
  deps: Deps,
  user: SessionUser,
  input: { patientId: string; blockedUserId: string; scope: 'whole_journal' | 'selected_notes'; noteIds: string[]; requestedAt: Date },
): Promise<{ blockId: string }> {
  const decision = await requireTreatingClinician(deps, user, input.patientId);
  if (input.blockedUserId === user.userId) throw fieldError('blockedUserId', 'validation.not_yourself');
  const blocked = await deps.trx
    .selectFrom('app_user')
    .select('id')
    .where('id', '=', input.blockedUserId)
    .where('organisation_id', '=', user.organisationId)
    .executeTakeFirst();
  if (!blocked) throw fieldError('blockedUserId', 'validation.unknown_colleague');
  if (input.scope === 'selected_notes') {
    if (input.noteIds.length === 0) throw fieldError('noteIds', 'validation.required');
    const found = await deps.trx.selectFrom('journal_note').select('id').where('patient_id', '=', input.patientId).where('id', 'in', input.noteIds).execute();
    if (found.length !== new Set(input.noteIds).size) throw fieldError('noteIds', 'validation.unknown_note');
  }
  const block = await deps.trx
    .insertInto('patient_block')
    .values({
      organisation_id: user.organisationId,
      patient_id: input.patientId,
      blocked_user_id: blocked.id,
      scope: input.scope,
      note_ids: input.scope === 'selected_notes' ? [...new Set(input.noteIds)] : [],
      requested_at: input.requestedAt,
      recorded_by: user.userId,
      lifted_at: null,
      lifted_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  deps.audit.record({ patientId: input.patientId, objectType: 'patient_block', objectId: block.id, basis: decision.basis, details: { blockedUserId: blocked.id, scope: input.scope } });
  return { blockId: block.id };
}

export async function liftBlock(deps: Deps, user: SessionUser, blockId: string): Promise<void> {
  const block = await deps.trx
    .selectFrom('patient_block')
    .select(['id', 'patient_id', 'blocked_user_id'])
    .where('id', '=', blockId)
    .where('organisation_id', '=', user.organisationId)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  if (!block) throw new AuditedDenial({ reason: 'not_found', objectType: 'patient_block', objectId: blockId }, 'not_found');
  const decision = await requireTreatingClinician(deps, user, block.patient_id, { objectType: 'patient_block', objectId: block.id });
  await deps.trx.updateTable('patient_block').set({ lifted_at: deps.now, lifted_by: user.userId }).where('id', '=', block.id).execute();
  deps.audit.record({ patientId: block.patient_id, objectType: 'patient_block', objectId: block.id, basis: decision.basis, details: { blockedUserId: block.blocked_user_id } });
}

/** ACC-6: what one user holds and held, loaded without logging (the caller records the read or the export). */
async function loadAuthorisationRegister(deps: Deps, user: SessionUser, userId: string, action: 'access.register.read' | 'access.register.exported') {
  const subject = await deps.trx
    .selectFrom('app_user')
    .select(['id', 'display_name', 'email', 'profession', 'hpr_number'])
    .where('id', '=', userId)
    .where('organisation_id', '=', user.organisationId)
    .executeTakeFirst();
  // Another organisation's user gets exactly the answer of a made-up id.
  if (!subject) throw new AuditedDenial({ action, reason: 'not_found', objectType: 'user', objectId: userId }, 'not_found');
  const [roles, relationships, appointments, shares, breakGlassGrants] = await Promise.all([
    deps.trx.selectFrom('role_grant').select(['role', 'granted_at', 'revoked_at']).where('user_id', '=', userId).orderBy('granted_at').execute(),
    deps.trx.selectFrom('care_relationship').select(['patient_id', 'kind', 'starts_at', 'ends_at']).where('user_id', '=', userId).orderBy('starts_at').execute(),
    deps.trx.selectFrom('appointment').select(['patient_id', 'kind', 'starts_at', 'status']).where('clinician_id', '=', userId).orderBy('starts_at').execute(),
    deps.trx
      .selectFrom('read_share')
      .innerJoin('patient_consent', 'patient_consent.id', 'read_share.consent_id')
      .select(['read_share.patient_id', 'read_share.scope', 'read_share.purpose', 'read_share.starts_at', 'read_share.ends_at', 'read_share.revoked_at', 'patient_consent.withdrawn_at'])
      .where('read_share.grantee_id', '=', userId)
      .orderBy('read_share.starts_at')
      .execute(),
    deps.trx.selectFrom('break_glass_access').select(['patient_id', 'reason_code', 'started_at', 'expires_at']).where('user_id', '=', userId).orderBy('started_at').execute(),
  ]);
  const iso = (value: Date | null) => value?.toISOString() ?? null;
  return {
    user: { id: subject.id, displayName: subject.display_name, email: subject.email, profession: subject.profession, hprNumber: subject.hpr_number },
    roles: roles.map((row) => ({ role: row.role, from: iso(row.granted_at), until: iso(row.revoked_at) })),
    treatmentRelationships: [
      ...relationships.map((row) => ({ patientId: row.patient_id, kind: row.kind, from: iso(row.starts_at), until: iso(row.ends_at) })),
      ...appointments.map((row) => ({ patientId: row.patient_id, kind: `${row.kind}:${row.status}`, from: iso(row.starts_at), until: null })),
    ],
    readShares: shares.map((row) => ({ patientId: row.patient_id, scope: row.scope, purpose: row.purpose, from: iso(row.starts_at), until: iso(row.revoked_at ?? row.withdrawn_at ?? row.ends_at) })),
    breakGlass: breakGlassGrants.map((row) => ({ patientId: row.patient_id, reasonCode: row.reason_code, from: iso(row.started_at), until: iso(row.expires_at) })),
  };
}

export type AuthorisationRegister = Awaited<ReturnType<typeof loadAuthorisationRegister>>;

/**
 * ACC-6 authorisation register of one user: the roles, treatment relationships, read-shares and
 * break-glass grants they hold or held, with dates. Patients by id only. Logged as a read.
 */
export async function authorisationRegister(deps: Deps, user: SessionUser, userId: string): Promise<AuthorisationRegister> {
  const register = await loadAuthorisationRegister(deps, user, userId, 'access.register.read');
  deps.audit.record({ objectType: 'user', objectId: userId });
  return register;
}

export type RegisterExportFormat = 'json' | 'csv';

/**
 * ACC-6 export (Normen: the register is exportable), produced here rather than in the app so that
 * the file handed out is exactly what was logged: the export event, written in the same
 * transaction, holds the client's IP address (AUD-2, like printing) and the format and row counts
 * (no patient ids: the event points at the user whose register it is). Step-up is the router's.
 */
export async function exportAuthorisationRegister(
  deps: Deps,
  user: SessionUser,
  input: { userId: string; format: RegisterExportFormat },
): Promise<{ fileName: string; mimeType: string; content: string }> {
  const register = await loadAuthorisationRegister(deps, user, input.userId, 'access.register.exported');
  const exportedAt = deps.now.toISOString();
  const content =
    input.format === 'json'
      ? `${JSON.stringify({ kind: 'journalkontor.authorisation-register', version: 1, exportedAt, exportedBy: { id: user.userId, displayName: user.displayName }, ...register }, null, 2)}\n`
      : registerCsv(register);
  deps.audit.record({
    objectType: 'user',
    objectId: input.userId,
    details: {
      format: input.format,
      roles: register.roles.length,
      treatmentRelationships: register.treatmentRelationships.length,
      readShares: register.readShares.length,
      breakGlass: register.breakGlass.length,
    },
  });
  // The date as in Oslo (dd.mm.yyyy → yyyy-mm-dd); the app makes the name safe for its file system.
  const osloDate = formatDate(deps.now).split('.').reverse().join('-');
  return {
    fileName: `tilgangsregister-${register.user.displayName}-${osloDate}.${input.format}`,
    mimeType: input.format === 'json' ? 'application/json' : 'text/csv',
    content,
  };
}

/**
 * One row for the user (id, profession, name), then one per grant: section, role or patient id,
 * kind, from, until, and the share's purpose. Written here rather than
 * with a CSV library (none is a dependency, and adding one for six columns is not worth its
 * supply-chain cost): RFC 4180 quoting of every field, CRLF line ends, and a leading apostrophe on a
 * field that a spreadsheet would read as a formula (=, +, -, @, tab, CR), since the share's purpose
 * is free text (CSV injection). A UTF-8 byte-order mark so spreadsheets show æøå.
 */
function registerCsv(register: AuthorisationRegister): string {
  const field = (value: string | null) => {
    const text = value ?? '';
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return `"${safe.replaceAll('"', '""')}"`;
  };
  const rows: (string | null)[][] = [
    ['section', 'id', 'kind', 'from', 'until', 'text'],
    ['user', register.user.id, register.user.profession, null, null, register.user.displayName],
    ...register.roles.map((row) => ['role', row.role, null, row.from, row.until, null]),
    ...register.treatmentRelationships.map((row) => ['treatment_relationship', row.patientId, row.kind, row.from, row.until, null]),
    ...register.readShares.map((row) => ['read_share', row.patientId, row.scope, row.from, row.until, row.purpose]),
    ...register.breakGlass.map((row) => ['break_glass', row.patientId, row.reasonCode, row.from, row.until, null]),
  ];
  return `\uFEFF${rows.map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
