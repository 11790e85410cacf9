import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database';
import { EVENT_HASH_SQL, GENESIS_HASH } from './canonical';
import { appendToWitness, assertWitnessHeld, type WitnessLine } from './witness';

/** At most this many events go into one seal, so sealing a large backlog stays in bounded memory. */
const MAX_EVENTS_PER_SEAL = 50_000;
const SEALER_LOCK_KEY = sql`hashtext('journalkontor.audit_sealer')`;

export function sealHash(seal: {
  seq: bigint | number | string;
  txidFrom: bigint | number | string;
  txidTo: bigint | number | string;
  eventCount: number;
  previousHash: Buffer;
  eventHashes: Buffer;
}): Buffer {
  return createHash('sha256')
    .update(seal.previousHash)
    .update(`${seal.seq}:${seal.txidFrom}:${seal.txidTo}:${seal.eventCount}`)
    .update(seal.eventHashes)
    .digest();
}

/**
 * Seals every audit event whose transaction has finished (AUD-4), without ever blocking writers:
 * writers only insert; this runs on its own, one sealer at a time under an advisory lock.
 *
 * Why transaction ids: an event's id is taken when it is inserted, but its transaction may commit
 * after events with higher ids. Every transaction below the snapshot's xmin has finished, so the
 * events with txid below that horizon are final: a seal over [previous horizon, horizon) can never
 * miss an event that commits later. Returns how many events were sealed.
 *
 * With a witness file (ADR 0007) each seal is appended to it once committed, and the sealer first
 * checks that the database still holds the witness's last seal: if it does not, it refuses
 * (WitnessAheadError) rather than seal new events over a gap someone made.
 */
export async function sealPendingEvents(db: Database, options: { witnessPath?: string | undefined } = {}): Promise<number> {
  let sealedInAll = 0;
  if (options.witnessPath) await assertWitnessHeld(db, options.witnessPath);
  for (;;) {
    const { sealed, isCut, witness } = await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        // The first statement fixes the snapshot the whole transaction reads with.
        const { rows } = await sql<{ horizon: string; locked: boolean }>`
          select pg_snapshot_xmin(pg_current_snapshot())::text as horizon,
                 pg_try_advisory_xact_lock(${SEALER_LOCK_KEY}) as locked`.execute(trx);
        const head = rows[0];
        const none: { sealed: number; isCut: boolean; witness: WitnessLine | undefined } = { sealed: 0, isCut: false, witness: undefined };
        if (!head?.locked) return none;
        const horizon = BigInt(head.horizon);
        const last = await trx
          .selectFrom('audit_seal')
          .select(['seq', 'txid_to', 'hash'])
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        const txidFrom = last ? BigInt(last.txid_to) : 0n;
        if (horizon <= txidFrom) return none;
        // Keep a seal to whole transactions and at most MAX_EVENTS_PER_SEAL events (or one transaction,
        // when the first transaction alone has more).
        const cut = await sql<{ txid: string; first_txid: string }>`
          select txid::text,
                 (select min(txid) from audit_event where txid >= ${txidFrom.toString()} and txid < ${horizon.toString()})::text as first_txid
            from audit_event
           where txid >= ${txidFrom.toString()} and txid < ${horizon.toString()}
           order by audit_event.txid offset ${MAX_EVENTS_PER_SEAL} limit 1`.execute(trx);
        const cutRow = cut.rows[0];
        const cutTxid = cutRow ? BigInt(cutRow.txid) : horizon;
        const txidTo = cutRow && cutTxid === BigInt(cutRow.first_txid) ? cutTxid + 1n : cutTxid;
        // Ordered by the column, not by the text it is selected as (that would put 10 before 9).
        const events = await sql<{ id: string; hash: Buffer }>`
          select id::text, ${EVENT_HASH_SQL} as hash from audit_event
           where txid >= ${txidFrom.toString()} and txid < ${txidTo.toString()}
           order by audit_event.id`.execute(trx);
        if (events.rows.length === 0) return none;
        const seq = last ? BigInt(last.seq) + 1n : 1n;
        const previousHash = last ? Buffer.from(last.hash) : GENESIS_HASH;
        const eventHashes = Buffer.concat(events.rows.map((row) => row.hash));
        const hash = sealHash({ seq, txidFrom, txidTo, eventCount: events.rows.length, previousHash, eventHashes });
        await sql`insert into audit_seal (seq, txid_from, txid_to, event_count, event_ids, event_hashes, previous_hash, hash)
          values (${seq.toString()}, ${txidFrom.toString()}, ${txidTo.toString()}, ${events.rows.length},
                  ${`{${events.rows.map((row) => row.id).join(',')}}`}::bigint[], ${eventHashes}, ${previousHash}, ${hash})`.execute(trx);
        const line: WitnessLine = { seq: seq.toString(), hash: hash.toString('hex'), events: events.rows.length, lastEventId: events.rows.at(-1)?.id ?? null, at: new Date().toISOString() };
        return { sealed: events.rows.length, isCut: txidTo < horizon, witness: line };
      });
    if (witness && options.witnessPath) await appendToWitness(options.witnessPath, [witness]);
    sealedInAll += sealed;
    // A seal cut short of the horizon leaves more to seal now; each round seals at least one event.
    if (!isCut || sealed === 0) return sealedInAll;
  }
}
