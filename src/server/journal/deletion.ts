import type { SessionUser } from '../auth/session';
import { fieldError } from '../errors';
import { requireJournalAccess, requireTreatingClinician } from '../access/gates';
import { AuditedDenial } from '../audit/recorder';
import type { ServiceDeps } from '../context';
import type { AuthorConsultation, DeletionGround } from '../../shared/journal-deletion';
import { osloCalendarDate } from '../../shared/oslo-time';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

export interface NoteDeletionRequest {
  noteId: string;
  legalGround: DeletionGround;
  isHarmlessForGeneralInterests: true;
  isCompatibleWithArchiveLaw: true;
  requestedAt: string;
  authorConsultation: AuthorConsultation;
  reason: string;
}

/**
 * JRN-4 (helsepersonelloven §§ 43–44): deletes a signed note and every version of its text under a
 * documented decision, in one transaction: the note is locked, the decision recorded (ground, the
 * two confirmed conditions, the patient's request date, why, who decided, whether the author was
 * consulted), the versions and the note deleted, and the event written with ids and codes only.
 * The database lets the note go only because the decision row exists in this same transaction.
 *
 * Who decides: a clinician with a treatment relationship to the patient (the product has no
 * "journalansvarlig" role yet); a read-share or break-glass is for reading, not for this. A draft
 * is not journal content yet (JRN-2) and gets the answer of an unknown id, so nothing tells another
 * clinician's draft from a note that does not exist.
 */
export async function deleteNoteByDecision(deps: Deps, user: SessionUser, input: NoteDeletionRequest): Promise<{ deletionId: string; versionsDeleted: number }> {
  // "Not in the future" means the patient's calendar (Oslo), not UTC's, and the server's clock.
  if (input.requestedAt > osloCalendarDate(deps.now)) throw fieldError('requestedAt', 'validation.date_in_future');
  const note = await deps.trx
    .selectFrom('journal_note')
    .select(['id', 'patient_id', 'author_id', 'status'])
    .where('id', '=', input.noteId)
    .where('organisation_id', '=', user.organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!note || note.status === 'draft') throw new AuditedDenial({ reason: 'not_found', objectType: 'journal_note', objectId: input.noteId }, 'not_found');
  const object = { objectType: 'journal_note', objectId: note.id };
  const decision = await requireTreatingClinician(deps, user, note.patient_id, object);
  // A note the patient has barred this clinician from is not theirs to delete either (ACC-4).
  if (decision.blockedNoteIds.includes(note.id)) {
    throw new AuditedDenial({ reason: 'blocked', patientId: note.patient_id, ...object }, 'forbidden', 'access.blocked');
  }

  const isAuthor = note.author_id === user.userId;
  if (input.authorConsultation === 'author_is_decider' && !isAuthor) throw fieldError('authorConsultation', 'validation.deletion_not_author');
  if (input.authorConsultation !== 'author_is_decider' && isAuthor) throw fieldError('authorConsultation', 'validation.deletion_is_author');

  const { count } = await deps.trx
    .selectFrom('journal_note_version')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('note_id', '=', note.id)
    .executeTakeFirstOrThrow();
  const versionsDeleted = Number(count);
  const deletion = await deps.trx
    .insertInto('journal_deletion')
    .values({
      organisation_id: user.organisationId,
      patient_id: note.patient_id,
      note_id: note.id,
      versions_deleted: versionsDeleted,
      legal_ground: input.legalGround,
      is_harmless_for_general_interests: input.isHarmlessForGeneralInterests,
      is_compatible_with_archive_law: input.isCompatibleWithArchiveLaw,
      requested_at: input.requestedAt,
      reason: input.reason,
      decided_by: user.userId,
      decided_at: deps.now,
      consulted_author_id: input.authorConsultation === 'consulted' ? note.author_id : null,
      author_not_consulted_reason: input.authorConsultation === 'consulted' ? null : input.authorConsultation,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Versions first: they reference the note.
  await deps.trx.deleteFrom('journal_note_version').where('note_id', '=', note.id).execute();
  await deps.trx.deleteFrom('journal_note').where('id', '=', note.id).execute();
  // AUD-2: ids and codes; neither the deleted text nor the reason.
  deps.audit.record({
    patientId: note.patient_id,
    ...object,
    basis: decision.basis,
    details: { deletionId: deletion.id, legalGround: input.legalGround, versionsDeleted, authorConsultation: input.authorConsultation },
  });
  return { deletionId: deletion.id, versionsDeleted };
}

export interface DeletionRecord {
  id: string;
  noteId: string;
  decidedAt: string;
  decidedByName: string;
  legalGround: DeletionGround;
  requestedAt: string;
  versionsDeleted: number;
  consultedAuthorName: string | null;
  authorNotConsultedReason: Exclude<AuthorConsultation, 'consulted'> | null;
  reason: string;
}

/**
 * The patient's deletion decisions, newest first: the record shows that a note was deleted, when,
 * by whose decision and why — never what it said. The decisions follow the notes' own visibility:
 * one about a note blocked for this user is not shown, and under a share of chosen notes only those
 * about shared notes are. Logged as a read, with which decisions were shown.
 */
export async function listDeletions(deps: Deps, user: SessionUser, patientId: string): Promise<DeletionRecord[]> {
  const decision = await requireJournalAccess(deps, user, patientId);
  const rows = await deps.trx
    .selectFrom('journal_deletion as d')
    .innerJoin('app_user as decider', 'decider.id', 'd.decided_by')
    .leftJoin('app_user as consulted', 'consulted.id', 'd.consulted_author_id')
    .select([
      'd.id',
      'd.note_id',
      'd.decided_at',
      'decider.display_name as decided_by_name',
      'd.legal_ground',
      'd.requested_at',
      'd.versions_deleted',
      'consulted.display_name as consulted_author_name',
      'd.author_not_consulted_reason',
      'd.reason',
    ])
    .where('d.patient_id', '=', patientId)
    .where('d.organisation_id', '=', user.organisationId)
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id', 'desc')
    .execute();
  const visible = rows.filter((row) => !decision.blockedNoteIds.includes(row.note_id) && (decision.onlyNoteIds === null || decision.onlyNoteIds.includes(row.note_id)));
  deps.audit.record({ patientId, objectType: 'journal_deletion', basis: decision.basis, details: { deletionIds: visible.map((row) => row.id), grantId: decision.grantId } });
  return visible.map((row) => ({
    id: row.id,
    noteId: row.note_id,
    decidedAt: row.decided_at.toISOString(),
    decidedByName: row.decided_by_name,
    legalGround: row.legal_ground,
    requestedAt: row.requested_at,
    versionsDeleted: row.versions_deleted,
    consultedAuthorName: row.consulted_author_name,
    authorNotConsultedReason: row.author_not_consulted_reason,
    reason: row.reason,
  }));
}
