import { sql } from 'kysely';
import type { Executor } from '../db/database';
import { EVENT_HASH_SQL, GENESIS_HASH } from './canonical';
import { sealHash } from './seal';
import { checkWitness, type WitnessProblem, type WitnessReport } from './witness';

export type VerifyProblem =
  | { kind: 'seal_altered'; seq: string }
  | { kind: 'seal_missing'; seq: string }
  | { kind: 'event_altered'; eventId: string; seq: string }
  | { kind: 'event_missing'; eventId: string; seq: string }
  | { kind: 'event_unexpected'; eventId: string; seq: string }
  | { kind: 'event_outside_seals'; eventId: string }
  /**
   * An event dated earlier than events already sealed before it, by more than BACKDATING_TOLERANCE_MS:
   * forged after the fact (ADR 0007). `seq` is null for an event not sealed yet.
   */
  | { kind: 'event_backdated'; eventId: string; seq: string | null }
  /**
   * The records of months retired after ten years (DPO-6) do not agree with the seals they cover:
   * a record names a seal whose hash is not the one it recorded, or the events they say went are
   * not the events missing from those seals, or its month is not ten years old at the verification
   * time, or live seals before it already held events newer than its month (ADR 0003). `seq` is the
   * seal where it shows ('0' for a record that names none), `month` ('yyyy-mm') the record's when
   * one record is at fault.
   */
  | { kind: 'retirement_mismatch'; seq: string; month?: string }
  | WitnessProblem;

/**
 * How much older than the latest event already sealed a newly sealed event may be (ADR 0007). A
 * genuine event takes its time when its request starts and is sealed once its transaction ends; to
 * be older than an event sealed in an earlier seal by this much, its request would have had to run
 * longer than this. Requests take milliseconds to seconds; this also absorbs clock differences
 * between several backend instances.
 */
export const BACKDATING_TOLERANCE_MS = 10 * 60 * 1000;

export interface VerifyReport {
  isIntact: boolean;
  sealCount: number;
  checkedEvents: number;
  /** Events written since the last seal: not yet provable, sealed on the next run. */
  pendingEvents: number;
  /** The first thing found wrong, in log order: the event (or seal) named; the chain before the witness. */
  firstProblem: VerifyProblem | undefined;
  /** The database checked against the seal witness, when one was given (ADR 0007). */
  witness?: WitnessReport;
  /**
   * When months have been retired after ten years (DPO-6): how many sealed events are gone with
   * them, accounted for by the retirement records (their seals were checked, their events cannot be).
   */
  retiredEvents?: number;
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
  /** The earliest and latest event time in the seal's range, microseconds since the epoch. */
  min_at: string | null;
  max_at: string | null;
  /** The events now in the seal's range, in id order, have exactly the sealed ids and hashes. */
  matches: boolean | null;
  /** How many events are in the seal's range now. */
  present_count: number;
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
           (e.ids = s.event_ids and e.hashes = s.event_hashes) as matches, e.min_at::text, e.max_at::text, e.present_count
      from audit_seal as s
      cross join lateral (
        select array_agg(r.id) as ids, string_agg(r.hash, ''::bytea) as hashes,
               min(r.at) as min_at, max(r.at) as max_at, count(*)::int as present_count
          from (select id, ${EVENT_HASH_SQL} as hash, ${EVENT_MICROS} as at from audit_event
                 where txid >= s.txid_from and txid < s.txid_to order by audit_event.id) as r
      ) as e
     where s.seq = ${seq}`
    .execute(db)
    .then((result) => result.rows[0]);
}

/** An event's time as microseconds since the epoch, as the canonical form has it. */
const EVENT_MICROS = sql<string>`(extract(epoch from occurred_at) * 1000000)::bigint`;
const TOLERANCE_MICROS = BigInt(BACKDATING_TOLERANCE_MS) * 1000n;

/** The first event, in id order, of a txid range dated before the limit. */
async function firstBackdated(db: Executor, txidFrom: string, txidTo: string | null, limitMicros: bigint): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    select id::text from audit_event
     where txid >= ${txidFrom} ${txidTo === null ? sql`` : sql`and txid < ${txidTo}`}
       and ${EVENT_MICROS} < ${limitMicros.toString()}
     order by audit_event.id limit 1`.execute(db);
  return rows[0]?.id;
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

/** One audit_retirement record as the verifier judges it. */
interface RetirementRecord {
  /** 'yyyy-mm' */
  month: string;
  /** The month's upper bound, microseconds since the epoch: every event it excuses was older. */
  rangeToMicros: bigint;
  /** Whether that bound lies ten years back from the verification time, as audit_retire_partitions judges it. */
  isDue: boolean;
}

/**
 * The seals whose events went with months retired after ten years (DPO-6): every seal from a
 * record's first to its last seal held events of retired months only (the database function retires
 * a month only together with every month that shares a seal with it). Merged into disjoint ranges,
 * walked in seal order.
 */
class RetiredSeals {
  private next = 0;
  private constructor(
    private readonly ranges: readonly { first: bigint; last: bigint }[],
    /** The chain hash each record saw at its last seal, by that seal's number. */
    readonly chainHashes: ReadonlyMap<string, readonly Buffer[]>,
    /** How many events the records say went. */
    readonly events: bigint,
    readonly lastSeq: bigint | undefined,
    /** The records by their first seal, judged when the walk reaches it. */
    readonly startingAt: ReadonlyMap<string, readonly RetirementRecord[]>,
    /** Records of months that had no events: they name no seal and excuse nothing. */
    readonly sealless: readonly RetirementRecord[],
  ) {}

  static async of(db: Executor, now: Date): Promise<RetiredSeals> {
    // The log before the retirement migration (a database being migrated) has no records.
    const { rows: table } = await sql<{ present: boolean }>`select to_regclass('public.audit_retirement') is not null as present`.execute(db);
    if (table[0]?.present !== true) return new RetiredSeals([], new Map(), 0n, undefined, new Map(), []);
    // Ten years back exactly as audit_retention_cutoff (the migration) reckons it: Oslo's calendar,
    // from the earlier of our clock and the database's, so neither clock alone can make it looser.
    const { rows } = await sql<{ first: string | null; last: string | null; chain_hash: Buffer | null; events: string; month: string; range_to: string; is_due: boolean }>`
      select first_seal_seq::text as first, last_seal_seq::text as last, chain_hash, event_count::text as events,
             month::text as month, (extract(epoch from range_to) * 1000000)::bigint::text as range_to,
             range_to <= ((least(${now}::timestamptz, now()) at time zone 'Europe/Oslo') - interval '10 years') at time zone 'Europe/Oslo' as is_due
        from audit_retirement order by audit_retirement.id`.execute(db);
    const sorted = rows
      .filter((row) => row.first !== null && row.last !== null)
      .map((row) => ({ first: BigInt(row.first as string), last: BigInt(row.last as string) }))
      .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const merged: { first: bigint; last: bigint }[] = [];
    for (const range of sorted) {
      const previous = merged.at(-1);
      if (previous && range.first <= previous.last + 1n) previous.last = range.last > previous.last ? range.last : previous.last;
      else merged.push({ ...range });
    }
    const chainHashes = new Map<string, Buffer[]>();
    const startingAt = new Map<string, RetirementRecord[]>();
    const sealless: RetirementRecord[] = [];
    for (const row of rows) {
      const record: RetirementRecord = { month: row.month.slice(0, 7), rangeToMicros: BigInt(row.range_to), isDue: row.is_due };
      if (row.first === null) sealless.push(record);
      else startingAt.set(row.first, [...(startingAt.get(row.first) ?? []), record]);
      if (row.last === null || row.chain_hash === null) continue;
      chainHashes.set(row.last, [...(chainHashes.get(row.last) ?? []), Buffer.from(row.chain_hash)]);
    }
    return new RetiredSeals(merged, chainHashes, rows.reduce((sum, row) => sum + BigInt(row.events), 0n), merged.at(-1)?.last, startingAt, sealless);
  }

  get isEmpty(): boolean {
    return this.lastSeq === undefined && this.events === 0n && this.sealless.length === 0;
  }

  /** Whether a record covers this seal; called with ascending seal numbers. */
  covers(seq: bigint): boolean {
    while (this.next < this.ranges.length && (this.ranges[this.next] as { last: bigint }).last < seq) this.next++;
    const range = this.ranges[this.next];
    return range !== undefined && range.first <= seq;
  }
}

/**
 * What a record says about time, against what the chain proves (ADR 0003). The owner can delete
 * last week's events and insert a record naming their seals, its chain hash read from audit_seal;
 * the counts and hashes then agree. Its month gives it away: either it is not ten years old, or it
 * is older than events that live seals before it already held — and a seal's events are never
 * older than those of the seals before it by more than the backdating tolerance (ADR 0007), so a
 * month that ended before that limit cannot have been sealed after them. `sealedUntilMicros` is the
 * latest event time of the live seals walked so far.
 */
function recordContradictsTime(record: RetirementRecord, sealedUntilMicros: bigint | undefined): boolean {
  if (!record.isDue) return true;
  // Every event of the month is older than its upper bound, so all of them would be backdated.
  return sealedUntilMicros !== undefined && record.rangeToMicros <= sealedUntilMicros - TOLERANCE_MICROS;
}

/**
 * A seal whose events went with retired months: the seal itself is checked as any other (its hash,
 * its link, its sizes); its events are allowed to be missing. Any still here must be ones it sealed,
 * unchanged, in order. Returns how many of its events are gone.
 */
async function checkRetiredSeal(db: Executor, seq: string, seal: SealCheck | undefined, previousHash: Buffer, expectedFrom: string): Promise<SealOutcome & { retired?: number }> {
  if (!seal) return { problem: { kind: 'seal_missing', seq }, checked: 0 };
  if (sealIsAltered(seal, seal.id_count, previousHash, expectedFrom)) return { problem: { kind: 'seal_altered', seq: seal.seq }, checked: 0 };
  let checked = 0;
  if (seal.present_count > 0) {
    const { rows } = await sql<{ event_ids: string[] }>`select event_ids::text[] as event_ids from audit_seal where seq = ${seq}`.execute(db);
    const sealedIds = rows[0]?.event_ids ?? [];
    const sealedHashes = Buffer.from(seal.event_hashes);
    const events = await sql<{ id: string; hash: Buffer }>`
      select id::text, ${EVENT_HASH_SQL} as hash from audit_event
       where txid >= ${seal.txid_from} and txid < ${seal.txid_to} order by audit_event.id`.execute(db);
    let index = 0;
    for (const row of events.rows) {
      while (index < sealedIds.length && BigInt(sealedIds[index] as string) < BigInt(row.id)) index++;
      if (sealedIds[index] !== row.id) return { problem: { kind: 'event_unexpected', eventId: row.id, seq: seal.seq }, checked };
      if (!Buffer.from(row.hash).equals(sealedHashes.subarray(index * 32, index * 32 + 32))) return { problem: { kind: 'event_altered', eventId: row.id, seq: seal.seq }, checked };
      checked++;
      index++;
    }
  }
  return { problem: undefined, checked, txidTo: seal.txid_to, hash: Buffer.from(seal.hash), retired: seal.event_count - checked };
}

/**
 * Proves that no sealed audit event was altered, removed, added or reordered (AUD-4, DPO-8): each
 * seal's hash is recomputed from its contents and its predecessor's hash, and each event's
 * canonical hash is recomputed from the row as it is now and compared, in order, with the seal.
 */
export async function verifyAuditLog(
  db: Executor,
  options: {
    witnessPath?: string | undefined;
    /**
     * Told the events checked so far after each seal (a seal holds up to 50,000 events), and awaited:
     * the workspace's job stores it as its progress (DPO-8). The caller decides how often to store.
     */
    onProgress?: ((checkedEvents: number) => Promise<void> | void) | undefined;
    /** The verification time: a retirement record's month must be ten years older (DPO-6). */
    now?: Date | undefined;
  } = {},
): Promise<VerifyReport> {
  // Ordered by the number, not by the text it is selected as (`order by seq` would sort '10' before '2').
  const seals = await sql<{ seq: string }>`select seq::text from audit_seal order by audit_seal.seq`.execute(db);
  const retired = await RetiredSeals.of(db, options.now ?? new Date());
  let retiredEvents = 0n;
  let previousHash: Buffer = GENESIS_HASH;
  let expectedSeq = 1n;
  let expectedFrom = '0';
  let checkedEvents = 0;
  // ADR 0007: the latest event time sealed so far; a later seal's events may not be much older.
  let sealedUntilMicros: bigint | undefined;

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
    const retirement = retired.isEmpty ? {} : { retiredEvents: Number(retiredEvents) };
    if (!options.witnessPath) return { isIntact: firstProblem === undefined, sealCount: seals.rows.length, checkedEvents, pendingEvents, firstProblem, ...retirement };
    // The chain can be whole and still short: only the witness knows of seals removed at its end.
    const witness = await checkWitness(db, options.witnessPath);
    const problem = firstProblem ?? witness.problem;
    return { isIntact: problem === undefined, sealCount: seals.rows.length, checkedEvents, pendingEvents, firstProblem: problem, witness, ...retirement };
  };

  for (let index = 0; index < seqs.length; index++) {
    for (let ahead = index; ahead < index + SEALS_IN_FLIGHT; ahead++) fetchAhead(ahead);
    const seq = seqs[index] as string;
    if (BigInt(seq) !== expectedSeq) return report({ kind: 'seal_missing', seq: expectedSeq.toString() });
    const seal = await inFlight.get(index);
    inFlight.delete(index);
    const txidFrom = expectedFrom;
    if (retired.covers(BigInt(seq))) {
      // DPO-6: a seal of retired months; its events may be gone, the seal and the chain may not change.
      const outcome = await checkRetiredSeal(db, seq, seal, previousHash, expectedFrom);
      checkedEvents += outcome.checked;
      if (outcome.problem) return report(outcome.problem);
      retiredEvents += BigInt(outcome.retired ?? 0);
      previousHash = outcome.hash;
      expectedFrom = outcome.txidTo;
      const recorded = retired.chainHashes.get(seq) ?? [];
      if (recorded.some((hash) => !hash.equals(previousHash))) return report({ kind: 'retirement_mismatch', seq });
      // Only live seals move sealedUntilMicros: a retired seal's events are gone, their times unknown.
      const lying = retired.startingAt.get(seq)?.find((record) => recordContradictsTime(record, sealedUntilMicros));
      if (lying) return report({ kind: 'retirement_mismatch', seq, month: lying.month });
      expectedSeq++;
      if (options.onProgress) await options.onProgress(checkedEvents);
      continue;
    }
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
    // The events are the sealed ones; now whether any was dated into the sealed past.
    const minAt = seal?.min_at ?? null;
    const maxAt = seal?.max_at ?? null;
    if (sealedUntilMicros !== undefined && minAt !== null && BigInt(minAt) < sealedUntilMicros - TOLERANCE_MICROS) {
      const eventId = await firstBackdated(db, txidFrom, expectedFrom, sealedUntilMicros - TOLERANCE_MICROS);
      if (eventId) return report({ kind: 'event_backdated', eventId, seq });
    }
    if (maxAt !== null && (sealedUntilMicros === undefined || BigInt(maxAt) > sealedUntilMicros)) sealedUntilMicros = BigInt(maxAt);
    expectedSeq++;
    if (options.onProgress) await options.onProgress(checkedEvents);
  }
  // The records must account for exactly the events missing from the seals they cover, and name no seal beyond the chain.
  if (!retired.isEmpty) {
    const lastSeq = seqs.at(-1);
    if (retired.events !== retiredEvents || (retired.lastSeq !== undefined && (lastSeq === undefined || retired.lastSeq > BigInt(lastSeq)))) {
      return report({ kind: 'retirement_mismatch', seq: (retired.lastSeq ?? 0n).toString() });
    }
    const early = retired.sealless.find((record) => !record.isDue);
    if (early) return report({ kind: 'retirement_mismatch', seq: '0', month: early.month });
  }
  // A pending event already dated into the sealed past is forged too: found before it is sealed.
  if (sealedUntilMicros !== undefined) {
    const eventId = await firstBackdated(db, expectedFrom, null, sealedUntilMicros - TOLERANCE_MICROS);
    if (eventId) return report({ kind: 'event_backdated', eventId, seq: null });
  }
  // An event whose transaction lies inside the sealed range but was not in the query above cannot
  // exist (the ranges are contiguous from 0); anything at or above the last horizon is pending.
  const pending = await sql<{ count: string }>`
    select count(*)::text as count from audit_event where txid >= ${expectedFrom}`.execute(db);
  return report(undefined, Number(pending.rows[0]?.count ?? 0));
}
