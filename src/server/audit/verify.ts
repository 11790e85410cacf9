import { sql } from 'kysely';
import type { Executor } from '../db/database';
import { EVENT_HASH_SQL, GENESIS_HASH } from './canonical';
import { sealHash } from './seal';

export type VerifyProblem =
  | { kind: 'seal_altered'; seq: string }
  | { kind: 'seal_missing'; seq: string }
  | { kind: 'event_altered'; eventId: string; seq: string }
  | { kind: 'event_missing'; eventId: string; seq: string }
  | { kind: 'event_unexpected'; eventId: string; seq: string }
  | { kind: 'event_outside_seals'; eventId: string };

export interface VerifyReport {
  isIntact: boolean;
  sealCount: number;
  checkedEvents: number;
  /** Events written since the last seal: not yet provable, sealed on the next run. */
  pendingEvents: number;
  /** The first thing found wrong, in log order: the event (or seal) named. */
  firstProblem: VerifyProblem | undefined;
}

interface SealRow {
  seq: string;
  txid_from: string;
  txid_to: string;
  event_count: number;
  event_ids: string[];
  event_hashes: Buffer;
  previous_hash: Buffer;
  hash: Buffer;
}

/**
 * Proves that no sealed audit event was altered, removed, added or reordered (AUD-4, DPO-8): each
 * seal's hash is recomputed from its contents and its predecessor's hash, and each event's
 * canonical hash is recomputed from the row as it is now and compared, in order, with the seal.
 */
export async function verifyAuditLog(db: Executor): Promise<VerifyReport> {
  const seals = await sql<SealRow>`
    select seq::text, txid_from::text, txid_to::text, event_count, event_ids::text[] as event_ids,
           event_hashes, previous_hash, hash
      from audit_seal order by seq`.execute(db);
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let expectedFrom = '0';
  let checkedEvents = 0;
  const report = (firstProblem: VerifyProblem | undefined, pendingEvents = 0): VerifyReport => ({
    isIntact: firstProblem === undefined,
    sealCount: seals.rows.length,
    checkedEvents,
    pendingEvents,
    firstProblem,
  });

  for (const seal of seals.rows) {
    if (BigInt(seal.seq) !== expectedSeq) return report({ kind: 'seal_missing', seq: expectedSeq.toString() });
    const recomputed = sealHash({
      seq: seal.seq,
      txidFrom: seal.txid_from,
      txidTo: seal.txid_to,
      eventCount: seal.event_count,
      previousHash: Buffer.from(seal.previous_hash),
      eventHashes: Buffer.from(seal.event_hashes),
    });
    if (
      !Buffer.from(seal.previous_hash).equals(previousHash) ||
      !recomputed.equals(Buffer.from(seal.hash)) ||
      seal.txid_from !== expectedFrom ||
      seal.event_ids.length !== seal.event_count ||
      seal.event_hashes.length !== seal.event_count * 32
    ) {
      return report({ kind: 'seal_altered', seq: seal.seq });
    }
    const events = await sql<{ id: string; hash: Buffer }>`
      select id::text, ${EVENT_HASH_SQL} as hash from audit_event
       where txid >= ${seal.txid_from} and txid < ${seal.txid_to} order by id`.execute(db);
    const sealedHashes = Buffer.from(seal.event_hashes);
    const count = Math.max(events.rows.length, seal.event_count);
    for (let index = 0; index < count; index++) {
      const sealedId = seal.event_ids[index];
      const row = events.rows[index];
      if (row === undefined) return report({ kind: 'event_missing', eventId: sealedId ?? '?', seq: seal.seq });
      if (sealedId === undefined) return report({ kind: 'event_unexpected', eventId: row.id, seq: seal.seq });
      if (row.id !== sealedId) {
        // A sealed id absent now was removed; an id the seal never had was added.
        const isRemoval = BigInt(row.id) > BigInt(sealedId);
        return report(
          isRemoval
            ? { kind: 'event_missing', eventId: sealedId, seq: seal.seq }
            : { kind: 'event_unexpected', eventId: row.id, seq: seal.seq },
        );
      }
      if (!Buffer.from(row.hash).equals(sealedHashes.subarray(index * 32, index * 32 + 32))) {
        return report({ kind: 'event_altered', eventId: row.id, seq: seal.seq });
      }
      checkedEvents++;
    }
    previousHash = Buffer.from(seal.hash);
    expectedSeq++;
    expectedFrom = seal.txid_to;
  }
  // An event whose transaction lies inside the sealed range but was not in the query above cannot
  // exist (the ranges are contiguous from 0); anything at or above the last horizon is pending.
  const pending = await sql<{ count: string }>`
    select count(*)::text as count from audit_event where txid >= ${expectedFrom}`.execute(db);
  return report(undefined, Number(pending.rows[0]?.count ?? 0));
}
