import { createReadStream } from 'node:fs';
import { appendFile, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import type { Executor } from '../db/database';

/**
 * The seal witness (AUD-4, ADR 0007): a file outside the database to which the sealer appends one
 * line per seal it makes — its number, its hash, how many events it sealed and the last of their
 * ids. Each seal's hash chains every earlier seal, so one witnessed line vouches for the whole log
 * up to it. Someone with the database owner's rights can delete the newest seals together with
 * their events, and the chain that is left is consistent; only something they cannot reach tells
 * that more existed. The file holds ids, counts and hashes, nothing about patients. The retirement
 * run adds a line per month it drops (WitnessedRetirement), so a retirement record the owner forges
 * in the database has no line to match.
 */
export interface WitnessLine {
  seq: string;
  hash: string;
  events: number;
  lastEventId: string | null;
  at: string;
}

/**
 * A month retired after ten years (DPO-6), as the retirement run saw it: the month ('yyyy-mm'), the
 * first and last seal that held its events, the last one's hash (the chain there) and how many
 * events went. The database's audit_retirement records excuse the events missing from those seals;
 * the owner can insert such a record, but not this line (ADR 0003).
 *
 * On file it is a seal line too — `seq` the last seal, `hash` its hash, `events` the month's count —
 * with `kind: 'retired'`, `month` and `firstSeq` added: a reader that predates retirement lines takes
 * it for one more witness of that seal, which it is, and stays valid.
 */
export interface WitnessedRetirement {
  month: string;
  firstSeq: string;
  lastSeq: string;
  chainHash: string;
  events: number;
}

export type WitnessProblem =
  /** Seals from `seq` to `lastSeq` are in the witness but not in the database, with `events` events. */
  | { kind: 'witnessed_seal_missing'; seq: string; lastSeq: string; events: number; lastEventId: string | null }
  /** The database's seal `seq` is not the one the witness saw: the log was rewritten from there. */
  | { kind: 'witness_mismatch'; seq: string }
  /** A line of the witness file is not a witness line (line numbers from 1). */
  | { kind: 'witness_unreadable'; line: number }
  /**
   * A record of a retired month (DPO-6) that no line of the witness holds: not written by a
   * retirement run, so inserted to excuse events deleted from the seals it names. `seq` is its
   * first seal, `month` 'yyyy-mm'.
   */
  | { kind: 'retirement_mismatch'; seq: string; month: string };

export interface WitnessReport {
  path: string;
  /** Lines read from the witness (0 when the file does not exist yet). */
  witnessedSeals: number;
  lastWitnessedSeq: string | null;
  /** Retired months the witness holds (DPO-6). */
  witnessedRetirements: number;
  problem: WitnessProblem | undefined;
}

export class WitnessAheadError extends Error {
  constructor(readonly problem: WitnessProblem) {
    super(`the audit log does not match its witness (${problem.kind}${'seq' in problem ? ` at seal ${problem.seq}` : ''}): not sealing over it`);
    this.name = 'WitnessAheadError';
  }
}

type ParsedLine = { kind: 'seal'; line: WitnessLine } | { kind: 'retired'; retirement: WitnessedRetirement };

function parseLine(text: string): ParsedLine | undefined {
  try {
    const value = JSON.parse(text) as Partial<WitnessLine> & { kind?: unknown; month?: unknown; firstSeq?: unknown };
    if (typeof value.seq === 'string' && /^[0-9]+$/.test(value.seq) && typeof value.hash === 'string' && /^[0-9a-f]{64}$/.test(value.hash) && typeof value.events === 'number') {
      if (value.kind === 'retired') {
        if (typeof value.month !== 'string' || !/^[0-9]{4}-[0-9]{2}$/.test(value.month) || typeof value.firstSeq !== 'string' || !/^[0-9]+$/.test(value.firstSeq)) return undefined;
        return { kind: 'retired', retirement: { month: value.month, firstSeq: value.firstSeq, lastSeq: value.seq, chainHash: value.hash, events: value.events } };
      }
      return { kind: 'seal', line: { seq: value.seq, hash: value.hash, events: value.events, lastEventId: value.lastEventId ?? null, at: String(value.at ?? '') } };
    }
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}

/** What identifies a retirement, in the witness and in audit_retirement alike. */
function retirementKey(retirement: WitnessedRetirement): string {
  return [retirement.month, retirement.firstSeq, retirement.lastSeq, retirement.chainHash, retirement.events].join(' ');
}

/**
 * Appends the seals just committed. After the commit, never before: a line for a seal that then
 * failed to commit would read as a seal removed. A crash in between only leaves the witness one
 * seal behind, which the next seal's line covers (its hash chains the one missed).
 */
export async function appendToWitness(path: string, lines: readonly WitnessLine[]): Promise<void> {
  if (lines.length === 0) return;
  // One write per call with O_APPEND: lines of concurrent sealers do not interleave.
  await appendFile(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''), { mode: 0o600 });
}

/**
 * Appends the months a retirement run is dropping (DPO-6). Before the run commits, unlike seals: a
 * line whose run then fails names a month that is still in the log, which no check reads as a
 * problem (the verifier asks only that every record be witnessed); a record without its line would
 * read as forged for good.
 */
export async function appendRetirementsToWitness(path: string, retirements: readonly WitnessedRetirement[], at: Date): Promise<void> {
  if (retirements.length === 0) return;
  const lines = retirements.map((retirement) =>
    JSON.stringify({ kind: 'retired', seq: retirement.lastSeq, hash: retirement.chainHash, events: retirement.events, lastEventId: null, at: at.toISOString(), month: retirement.month, firstSeq: retirement.firstSeq }),
  );
  await appendFile(path, lines.map((line) => `${line}\n`).join(''), { mode: 0o600 });
}

/** How much of the witness is read from its end at a time when looking for its last seal line. */
const TAIL_CHUNK_BYTES = 4096;

/**
 * The last complete seal line of the witness, read from its end (retirement lines after it are
 * passed over: they repeat an older seal); undefined when there is none.
 */
export async function lastWitnessLine(path: string): Promise<WitnessLine | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    // Read backwards a chunk at a time; `tail` is the not yet judged text after the current chunk.
    let end = size;
    let tail = Buffer.alloc(0);
    while (end > 0) {
      const length = Math.min(end, TAIL_CHUNK_BYTES);
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, end - length);
      end -= length;
      const text = Buffer.concat([chunk, tail]);
      const lines = text.toString('utf8').split('\n');
      // The first piece may be the end of a line that starts in an earlier chunk: judged with it.
      const first = end > 0 ? lines.shift() : undefined;
      for (const line of lines.reverse()) {
        if (line.trim() === '') continue;
        const parsed = parseLine(line);
        if (parsed?.kind === 'seal') return parsed.line;
        // The newest line decides as before: a seal line that cannot be read is no last seal.
        if (parsed === undefined) return undefined;
      }
      tail = Buffer.from(first ?? '', 'utf8');
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * The sealer's check before it seals: the database must hold the witness's last seal, with the
 * same hash. If not, sealing would write new seals over the gap and blur what was removed, so the
 * sealer refuses (and `audit:verify` names what is missing).
 */
export async function assertWitnessHeld(db: Executor, path: string): Promise<void> {
  const last = await lastWitnessLine(path);
  if (!last) return;
  const { rows } = await sql<{ hash: Buffer }>`select hash from audit_seal where seq = ${last.seq}`.execute(db);
  const seal = rows[0];
  if (!seal) throw new WitnessAheadError({ kind: 'witnessed_seal_missing', seq: last.seq, lastSeq: last.seq, events: last.events, lastEventId: last.lastEventId });
  if (Buffer.from(seal.hash).toString('hex') !== last.hash) throw new WitnessAheadError({ kind: 'witness_mismatch', seq: last.seq });
}

/**
 * Checks the database against every line of the witness (AUD-4): each witnessed seal must exist
 * with the hash the witness saw. Names the first seal that differs, or the witnessed seals that are
 * missing (from the first missing one to the last witnessed, with how many events they held).
 * Seals newer than the witness are not a problem: several backends each keep their own witness,
 * and each seal's hash chains the ones before it. Then every retirement record of the database
 * (DPO-6) must be one the witness holds: `retirement_mismatch` names the first that is not.
 */
export async function checkWitness(db: Executor, path: string): Promise<WitnessReport> {
  const { rows } = await sql<{ seq: string; hash: Buffer }>`select seq::text, hash from audit_seal order by audit_seal.seq`.execute(db);
  const sealHashes = new Map(rows.map((row) => [row.seq, Buffer.from(row.hash).toString('hex')]));
  let witnessedSeals = 0;
  let lastWitnessedSeq: string | null = null;
  const retirements = new Set<string>();
  let problem: WitnessProblem | undefined;
  let missing: { seq: string; lastSeq: string; events: number; lastEventId: string | null } | undefined;
  let lineNumber = 0;
  let stream;
  try {
    stream = createReadStream(path, { encoding: 'utf8' });
    for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNumber++;
      if (text.trim() === '') continue;
      const parsed = parseLine(text);
      if (!parsed) {
        problem ??= { kind: 'witness_unreadable', line: lineNumber };
        continue;
      }
      if (parsed.kind === 'retired') {
        retirements.add(retirementKey(parsed.retirement));
        continue;
      }
      const { line } = parsed;
      witnessedSeals++;
      lastWitnessedSeq = line.seq;
      const hash = sealHashes.get(line.seq);
      if (hash === undefined) {
        missing = missing
          ? { ...missing, lastSeq: line.seq, events: missing.events + line.events, lastEventId: line.lastEventId }
          : { seq: line.seq, lastSeq: line.seq, events: line.events, lastEventId: line.lastEventId };
      } else if (hash !== line.hash && !missing) {
        // (After a missing seal, a differing one is part of the same rewrite: the gap is named.)
        problem ??= { kind: 'witness_mismatch', seq: line.seq };
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  } finally {
    stream?.destroy();
  }
  if (!problem && missing) problem = { kind: 'witnessed_seal_missing', ...missing };
  problem ??= await firstUnwitnessedRetirement(db, retirements);
  return { path, witnessedSeals, lastWitnessedSeq, witnessedRetirements: retirements.size, problem };
}

/**
 * The first retirement record, in seal order, that the witness does not hold. Records of months
 * that had no events name no seal and excuse nothing; the run writes no line for them.
 */
async function firstUnwitnessedRetirement(db: Executor, witnessed: ReadonlySet<string>): Promise<WitnessProblem | undefined> {
  // A database not yet migrated to retirement has no records.
  const { rows: table } = await sql<{ present: boolean }>`select to_regclass('public.audit_retirement') is not null as present`.execute(db);
  if (table[0]?.present !== true) return undefined;
  const { rows } = await sql<{ month: string; first: string; last: string; chain_hash: Buffer; events: string }>`
    select month::text as month, first_seal_seq::text as first, last_seal_seq::text as last, chain_hash, event_count::text as events
      from audit_retirement
     where first_seal_seq is not null and last_seal_seq is not null and chain_hash is not null
     order by first_seal_seq, id`.execute(db);
  for (const row of rows) {
    const retirement = { month: row.month.slice(0, 7), firstSeq: row.first, lastSeq: row.last, chainHash: Buffer.from(row.chain_hash).toString('hex'), events: Number(row.events) };
    if (!witnessed.has(retirementKey(retirement))) return { kind: 'retirement_mismatch', seq: row.first, month: retirement.month };
  }
  return undefined;
}
