import { sql } from 'kysely';
import type { Executor } from '../db/database';
import { signedContentHash } from './content-hash';

/** The audit actions that sign a journal version; each carries `version` and `anchor` in its details. */
export const SIGNING_ACTIONS = ['journal.note.signed', 'journal.note.amended', 'journal.note.correction_refused'] as const;

/**
 * A signed version and its sealed event disagree (AUD-4, JRN-3). Each names the note, the version
 * and, where there is one, the audit event.
 * - `anchor_mismatch`: the version's content hash is not the one its event committed to (the text
 *   was changed and the hash recomputed, or the row replaced).
 * - `version_without_event`: a signed version no signing event speaks of (a signature forged into
 *   the table, or a legacy version whose event carries no anchor: see `legacyVersions`).
 * - `signature_removed`: an event signed this version, but the version is no longer signed.
 * - `version_missing`: an event signed this version, it is gone, and no deletion decision with its
 *   deletion event accounts for it (JRN-4).
 */
export type JournalAnchorProblem =
  | { kind: 'anchor_mismatch'; noteId: string; version: number; eventId: string }
  | { kind: 'version_without_event'; noteId: string; version: number }
  | { kind: 'signature_removed'; noteId: string; version: number; eventId: string }
  | { kind: 'version_missing'; noteId: string; version: number; eventId: string };

export interface JournalVerifyReport {
  checkedVersions: number;
  /** Signed versions whose text no longer matches their own content hash (JRN-3). */
  mismatches: { noteId: string; version: number }[];
  /** Signed versions and signing events that do not match each other (AUD-4). */
  anchorProblems: JournalAnchorProblem[];
  /** Versions whose signing event matches but is not sealed yet: consistent, not yet proven. */
  pendingVersions: number;
  /** Versions signed before events carried an anchor: their event exists, their text is unprovable. */
  legacyVersions: number;
  /** Signing events whose version a deletion decision removed, accounted for by its event (JRN-4). */
  deletedVersions: number;
}

/**
 * The anchor recomputed in SQL, exactly as `signatureAnchor` computes it in Node: SHA-256 over
 * 'journalkontor.anchor.v1:<version id>:' followed by the content hash's bytes, in hex.
 */
const ANCHOR_OF_VERSION = sql<string>`encode(sha256(convert_to('journalkontor.anchor.v1:' || v.id::text || ':', 'UTF8') || v.content_hash), 'hex')`;

/**
 * Signing events, allowed only, with the version they name. A version that is not a plain number
 * (a forged event) matches nothing rather than stopping the check. Legacy correction-refusal events
 * carried no version: they always signed version 1.
 */
const SIGNING_EVENTS = sql`
  select e.id::text as event_id, e.txid, e.object_id, e.details->>'anchor' as anchor,
         case when e.details->>'version' ~ '^[0-9]{1,9}$' then (e.details->>'version')::int
              when e.action = 'journal.note.correction_refused' and e.details->'version' is null then 1 end as version
    from audit_event as e
   where e.action in (${sql.join(SIGNING_ACTIONS.map((action) => sql.lit(action)))}) and e.outcome = 'allowed' and e.object_type = 'journal_note'`;

/**
 * JRN-3 and AUD-4: proves that the signed journal is what was signed, against someone with the
 * database owner's rights too.
 * 1. Every signed version's content hash is recomputed from what the database holds now.
 * 2. Every signed version is checked against the anchor its signing event carries, and every
 *    signing event against a signed version that still exists or a deletion decision (with its
 *    deletion event) that removed it. Rewriting a text and its hash, unsigning a version, or
 *    deleting an amendment therefore shows, unless the sealed audit log is rewritten too — which
 *    `audit:verify` finds (ADR 0007).
 * Unsealed events count as anchors too (sealing is up to the caller: journal:verify seals first);
 * versions anchored only by an unsealed event are counted as pending.
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
  return { checkedVersions, mismatches, ...(await verifyJournalAnchors(db)) };
}

/**
 * Both directions in two set-based statements, returning only what does not match (and the
 * counts): PostgreSQL joins versions and events by hash; nothing per version crosses the wire.
 */
async function verifyJournalAnchors(db: Executor): Promise<Omit<JournalVerifyReport, 'checkedVersions' | 'mismatches'>> {
  // Events at or above the last seal's horizon are not sealed yet.
  const sealed = await sql<{ txid_to: string }>`select coalesce(max(txid_to), 0)::text as txid_to from audit_seal`.execute(db);
  const sealedTo = sealed.rows[0]?.txid_to ?? '0';
  // Versions → events, one hash join grouped by version. A version with several signing events
  // (there should be one) is matched if any of them holds its anchor.
  const versions = await sql<{ note_id: string; version: number; verdict: 'mismatch' | 'no_event' | 'legacy' | 'pending'; event_id: string | null }>`
    with signing as (${SIGNING_EVENTS})
    select note_id, version, verdict, event_id from (
      select v.note_id::text as note_id, v.version,
             case when bool_or(s.anchor = ${ANCHOR_OF_VERSION} and s.txid < ${sealedTo}) then 'ok'
                  when bool_or(s.anchor = ${ANCHOR_OF_VERSION}) then 'pending'
                  when count(s.event_id) = 0 then 'no_event'
                  when bool_and(s.anchor is null) then 'legacy'
                  else 'mismatch' end as verdict,
             min(s.event_id::bigint)::text as event_id
        from journal_note_version as v
        left join signing as s on s.object_id = v.note_id::text and s.version = v.version
       where v.signed_at is not null
       group by v.id, v.note_id, v.version, v.content_hash
    ) as checked
     where verdict <> 'ok'
     order by note_id, version`.execute(db);
  // Events → versions: each signing event needs its version, still signed, or a deletion decision
  // for the note that removed at least that many versions, with the deletion's own event.
  const events = await sql<{ event_id: string; note_id: string; version: number; verdict: 'unsigned' | 'missing' | 'deleted' }>`
    with signing as (${SIGNING_EVENTS})
    select s.event_id, s.object_id as note_id, s.version,
           case when v.id is not null then 'unsigned'
                when exists (
                  select 1 from journal_deletion as d
                    join audit_event as de on de.action = 'journal.note.deleted' and de.outcome = 'allowed'
                     and de.object_id = d.note_id::text and de.details->>'deletionId' = d.id::text
                   where d.note_id::text = s.object_id and d.versions_deleted >= s.version
                     and de.details->>'versionsDeleted' ~ '^[0-9]{1,9}$' and (de.details->>'versionsDeleted')::int >= s.version)
                then 'deleted'
                else 'missing' end as verdict
      from signing as s
      left join journal_note_version as v on v.note_id::text = s.object_id and v.version = s.version
     where s.version is not null and (v.id is null or v.signed_at is null)
     order by s.event_id::bigint`.execute(db);

  const anchorProblems: JournalAnchorProblem[] = [];
  let pendingVersions = 0;
  let legacyVersions = 0;
  for (const row of versions.rows) {
    if (row.verdict === 'pending') pendingVersions++;
    else if (row.verdict === 'legacy') legacyVersions++;
    else if (row.verdict === 'no_event') anchorProblems.push({ kind: 'version_without_event', noteId: row.note_id, version: row.version });
    else anchorProblems.push({ kind: 'anchor_mismatch', noteId: row.note_id, version: row.version, eventId: row.event_id ?? '?' });
  }
  let deletedVersions = 0;
  for (const row of events.rows) {
    if (row.verdict === 'deleted') deletedVersions++;
    else anchorProblems.push({ kind: row.verdict === 'unsigned' ? 'signature_removed' : 'version_missing', noteId: row.note_id, version: row.version, eventId: row.event_id });
  }
  return { anchorProblems, pendingVersions, legacyVersions, deletedVersions };
}
