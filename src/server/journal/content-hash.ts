import { createHash } from 'node:crypto';

/**
 * The hash recorded when a version is signed (JRN-3): over everything the signature vouches for, in
 * a fixed order, so `npm run journal:verify` can recompute it and prove the text never changed.
 */
export interface SignedContent {
  noteId: string;
  patientId: string;
  version: number;
  noteType: string;
  consultationDate: string;
  body: string;
  amendmentReason: string | null;
  signedBy: string;
  signedAt: Date;
  signedAuthMethod: string;
}

export function signedContentHash(content: SignedContent): Buffer {
  const canonical = JSON.stringify([
    'journalkontor.note.v1',
    content.noteId,
    content.patientId,
    content.version,
    content.noteType,
    content.consultationDate,
    content.body,
    content.amendmentReason,
    content.signedBy,
    content.signedAt.toISOString(),
    content.signedAuthMethod,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest();
}

/**
 * What a sign, amend or correction-refusal event carries about the version it signed (AUD-4, JRN-3):
 * a commitment to the version's content hash, bound to the version row's random id. The sealed
 * event then anchors the journal in the audit log, so someone with the owner's rights who rewrites
 * a text and recomputes its content hash still fails `journal:verify`. Why not the content hash
 * itself: a hash of a short clinical text can be confirmed by guessing (ADR 0004), and the audit
 * log outlives a deleted note; once a deletion decision has removed the row, its random id is gone
 * with it and the anchor says nothing about the text. `journal/verify.ts` recomputes the same
 * value in SQL (JOURNAL_ANCHOR_SQL).
 */
export function signatureAnchor(versionId: string, contentHash: Buffer): string {
  return createHash('sha256').update(`journalkontor.anchor.v1:${versionId}:`, 'utf8').update(contentHash).digest('hex');
}
