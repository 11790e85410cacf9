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
