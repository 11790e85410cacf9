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

/** A seal with the verdict PostgreSQL reached on its events in the same statement (see fetchSealCheck). */
interface SealCheck extends Omit<SealRow, 'event_ids'> {
  id_count: number;
  /** The events now in the seal's range, in id order, have exactly the sealed ids and hashes. */
  matches: boolean | null;
}

/**
 * Seals checked ahead of the one being looked at. Recomputing the event hashes is the cost of
 * verification and PostgreSQL does it, one backend per query: with a pool (audit:verify opens two
 * connections) two seals in flight keep both cores of a small server busy. A transaction given as
 * the executor simply runs them one after another.
 */
const SEALS_IN_FLIGHT = 2;

/**
 * One seal and, in the same statement, whether its events still hash to what it sealed: the ids
 * and the hashes are compared in bulk inside PostgreSQL, so an intact seal costs one row on the
 * wire instead of one per event. Only a seal that fails this (or any seal check) is examined row by
 * row (checkSealInDetail), which names the first problem exactly as before.
 */
function fetchSealCheck(db: Executor, seq: string): Promise<SealCheck | undefined> {
  // The order is the sealer's: by id, as a number. No ORDER BY inside the aggregates: the sorted
  // subquery feeds both in the same order. Should a plan ever change that order, the ids would not
  // match and the detailed check would decide.
  return sql<SealCheck>`
    select s.seq::text, s.txid_from::text, s.txid_to::text, s.event_count, cardinality(s.event_ids) as id_count,
           s.event_hashes, s.previous_hash, s.hash,
           (e.ids = s.event_ids and e.hashes = s.event_hashes) as matches
      from audit_seal as s
      cross join lateral (
        select array_agg(r.id) as ids, string_agg(r.hash, ''::bytea) as hashes
          from (select id, ${EVENT_HASH_SQL} as hash from audit_event
                 where txid >= s.txid_from and txid < s.txid_to order by audit_event.id) as r
      ) as e
     where s.seq = ${seq}`
    .execute(db)
    .then((result) => result.rows[0]);
}

type SealOutcome = { problem: VerifyProblem; checked: number } | { problem: undefined; checked: number; txidTo: string; hash: Buffer };

/** The seal's own checks: its hash, its links to the previous seal and range, its sizes. */
function sealIsAltered(seal: Omit<SealRow, 'event_ids'>, idCount: number, previousHash: Buffer, expectedFrom: string): boolean {
  const recomputed = sealHash({
    seq: seal.seq,
    txidFrom: seal.txid_from,
    txidTo: seal.txid_to,
    eventCount: seal.event_count,
    previousHash: Buffer.from(seal.previous_hash),
    eventHashes: Buffer.from(seal.event_hashes),
  });
  return (
    !Buffer.from(seal.previous_hash).equals(previousHash) ||
    !recomputed.equals(Buffer.from(seal.hash)) ||
    seal.txid_from !== expectedFrom ||
    idCount !== seal.event_count ||
    seal.event_hashes.length !== seal.event_count * 32
  );
}

/** Row by row: every event of the seal's range against the sealed list, naming the first difference. */
async function checkSealInDetail(db: Executor, seq: string, previousHash: Buffer, expectedFrom: string): Promise<SealOutcome> {
  const seal = (
    await sql<SealRow>`
      select seq::text, txid_from::text, txid_to::text, event_count, event_ids::text[] as event_ids,
             event_hashes, previous_hash, hash
        from audit_seal where seq = ${seq}`.execute(db)
  ).rows[0];
  if (!seal) return { problem: { kind: 'seal_missing', seq }, checked: 0 };
  if (sealIsAltered(seal, seal.event_ids.length, previousHash, expectedFrom)) return { problem: { kind: 'seal_altered', seq: seal.seq }, checked: 0 };
  const events = await sql<{ id: string; hash: Buffer }>`
    select id::text, ${EVENT_HASH_SQL} as hash from audit_event
     where txid >= ${seal.txid_from} and txid < ${seal.txid_to} order by audit_event.id`.execute(db);
  const sealedHashes = Buffer.from(seal.event_hashes);
  const count = Math.max(events.rows.length, seal.event_count);
  let checked = 0;
  for (let index = 0; index < count; index++) {
    const sealedId = seal.event_ids[index];
    const row = events.rows[index];
    if (row === undefined) return { problem: { kind: 'event_missing', eventId: sealedId ?? '?', seq: seal.seq }, checked };
    if (sealedId === undefined) return { problem: { kind: 'event_unexpected', eventId: row.id, seq: seal.seq }, checked };
    if (row.id !== sealedId) {
      // A sealed id absent now was removed; an id the seal never had was added.
      const isRemoval = BigInt(row.id) > BigInt(sealedId);
      return {
        problem: isRemoval ? { kind: 'event_missing', eventId: sealedId, seq: seal.seq } : { kind: 'event_unexpected', eventId: row.id, seq: seal.seq },
        checked,
      };
    }
    if (!Buffer.from(row.hash).equals(sealedHashes.subarray(index * 32, index * 32 + 32))) {
      return { problem: { kind: 'event_altered', eventId: row.id, seq: seal.seq }, checked };
    }
    checked++;
  }
  return { problem: undefined, checked, txidTo: seal.txid_to, hash: Buffer.from(seal.hash) };
}

/**
 * Proves that no sealed audit event was altered, removed, added or reordered (AUD-4, DPO-8): each
 * seal's hash is recomputed from its contents and its predecessor's hash, and each event's
 * canonical hash is recomputed from the row as it is now and compared, in order, with the seal.
 */
export async function verifyAuditLog(db: Executor): Promise<VerifyReport> {
  // Ordered by the number, not by the text it is selected as (`order by seq` would sort '10' before '2').
  const seals = await sql<{ seq: string }>`select seq::text from audit_seal order by audit_seal.seq`.execute(db);
  let previousHash: Buffer = GENESIS_HASH;
  let expectedSeq = 1n;
  let expectedFrom = '0';
  let checkedEvents = 0;

  const seqs = seals.rows.map((row) => row.seq);
  const inFlight = new Map<number, Promise<SealCheck | undefined>>();
  const fetchAhead = (index: number) => {
    const seq = seqs[index];
    if (seq === undefined || inFlight.has(index)) return;
    const check = fetchSealCheck(db, seq);
    // Handled when its turn comes; until then a failure must not count as unhandled.
    check.catch(() => {});
    inFlight.set(index, check);
  };
  const report = async (firstProblem: VerifyProblem | undefined, pendingEvents = 0): Promise<VerifyReport> => {
    // Nothing may still run on the executor once the report is out (the caller may close it).
    await Promise.allSettled(inFlight.values());
    return { isIntact: firstProblem === undefined, sealCount: seals.rows.length, checkedEvents, pendingEvents, firstProblem };
  };

  for (let index = 0; index < seqs.length; index++) {
    for (let ahead = index; ahead < index + SEALS_IN_FLIGHT; ahead++) fetchAhead(ahead);
    const seq = seqs[index] as string;
    if (BigInt(seq) !== expectedSeq) return report({ kind: 'seal_missing', seq: expectedSeq.toString() });
    const seal = await inFlight.get(index);
    inFlight.delete(index);
    if (seal && seal.matches === true && !sealIsAltered(seal, seal.id_count, previousHash, expectedFrom)) {
      checkedEvents += seal.event_count;
      previousHash = Buffer.from(seal.hash);
      expectedFrom = seal.txid_to;
    } else {
      const outcome = await checkSealInDetail(db, seq, previousHash, expectedFrom);
      checkedEvents += outcome.checked;
      if (outcome.problem) return report(outcome.problem);
      previousHash = outcome.hash;
      expectedFrom = outcome.txidTo;
    }
    expectedSeq++;
  }
  // An event whose transaction lies inside the sealed range but was not in the query above cannot
  // exist (the ranges are contiguous from 0); anything at or above the last horizon is pending.
  const pending = await sql<{ count: string }>`
    select count(*)::text as count from audit_event where txid >= ${expectedFrom}`.execute(db);
  return report(undefined, Number(pending.rows[0]?.count ?? 0));
}
