import type { Executor } from '../db/database';
import type { BundleNoteVersion } from '../fhir/journal-bundle';

/**
 * The journal as a data-subject request hands it out (DPO-5): every signed version of every note,
 * read for the DPO's case (caseJournal) and for the access package (the journal category of the
 * retention registry). The caller has made the access decision; its blocked notes are left out.
 */

/**
 * Every version of every note in the patient's journal that is part of it (no drafts, JRN-2),
 * without the notes a block hides from the reader (ACC-4): oldest first.
 */
export async function journalVersions(db: Executor, organisationId: string, patientId: string, blockedNoteIds: readonly string[]): Promise<BundleNoteVersion[]> {
  const rows = await db
    .selectFrom('journal_note as n')
    .innerJoin('journal_note_version as v', 'v.note_id', 'n.id')
    .innerJoin('app_user as author', 'author.id', 'n.author_id')
    .leftJoin('app_user as signer', 'signer.id', 'v.signed_by')
    .select([
      'n.id as note_id',
      'v.version',
      'n.current_version',
      'n.note_type',
      'n.consultation_date',
      'n.status',
      'n.author_id',
      'author.display_name as author_name',
      'v.body',
      'v.amendment_reason',
      'v.created_at',
      'v.signed_at',
      'signer.display_name as signer_name',
    ])
    .where('n.organisation_id', '=', organisationId)
    .where('n.patient_id', '=', patientId)
    .where('n.status', '!=', 'draft')
    .where('v.signed_at', 'is not', null)
    .$if(blockedNoteIds.length > 0, (query) => query.where('n.id', 'not in', blockedNoteIds))
    .orderBy('n.consultation_date')
    .orderBy('n.created_at')
    .orderBy('v.version')
    .execute();
  return rows.map((row) => ({
    noteId: row.note_id,
    version: row.version,
    isCurrent: row.version === row.current_version,
    noteType: row.note_type,
    consultationDate: row.consultation_date,
    status: row.version === row.current_version ? row.status : 'signed',
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    amendmentReason: row.amendment_reason,
    createdAt: row.created_at.toISOString(),
    signedAt: row.signed_at?.toISOString() ?? null,
    signedByName: row.signer_name,
  }));
}

/** A note as handed out: its current version's fields, and every signed version (the history the person has a right to see). */
export interface JournalItem {
  id: string;
  noteType: string;
  consultationDate: string;
  status: string;
  authorName: string;
  body: string;
  versions: BundleNoteVersion[];
}

export function groupNotes(versions: readonly BundleNoteVersion[]): JournalItem[] {
  const byNote = new Map<string, BundleNoteVersion[]>();
  for (const version of versions) byNote.set(version.noteId, [...(byNote.get(version.noteId) ?? []), version]);
  return [...byNote.values()].map((all) => {
    const current = all.find((version) => version.isCurrent) ?? all.at(-1)!;
    return { id: current.noteId, noteType: current.noteType, consultationDate: current.consultationDate, status: current.status, authorName: current.authorName, body: current.body, versions: all };
  });
}
