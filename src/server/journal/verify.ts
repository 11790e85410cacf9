import type { Executor } from '../db/database';
import { signedContentHash } from './content-hash';

export interface JournalVerifyReport {
  checkedVersions: number;
  mismatches: { noteId: string; version: number }[];
}

/**
 * JRN-3: recomputes the content hash of every signed version from what the database holds now and
 * reports each one that no longer matches what was signed. Streams in pages (keyset on id).
 */
export async function verifyJournalHashes(db: Executor, pageSize = 5_000): Promise<JournalVerifyReport> {
  const mismatches: JournalVerifyReport['mismatches'] = [];
  let checkedVersions = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db
      .selectFrom('journal_note_version as v')
      .innerJoin('journal_note as n', 'n.id', 'v.note_id')
      .select(['v.id', 'v.note_id', 'n.patient_id', 'v.version', 'n.note_type', 'n.consultation_date', 'v.body', 'v.amendment_reason', 'v.signed_by', 'v.signed_at', 'v.signed_auth_method', 'v.content_hash'])
      .where('v.signed_at', 'is not', null)
      .where('v.id', '>', after)
      .orderBy('v.id')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const expected = signedContentHash({
        noteId: row.note_id,
        patientId: row.patient_id,
        version: row.version,
        noteType: row.note_type,
        consultationDate: row.consultation_date,
        body: row.body,
        amendmentReason: row.amendment_reason,
        signedBy: row.signed_by ?? '',
        signedAt: row.signed_at as Date,
        signedAuthMethod: row.signed_auth_method ?? '',
      });
      if (!row.content_hash || !expected.equals(Buffer.from(row.content_hash))) mismatches.push({ noteId: row.note_id, version: row.version });
      checkedVersions++;
    }
    if (rows.length < pageSize) break;
    after = rows.at(-1)!.id;
  }
  return { checkedVersions, mismatches };
}

