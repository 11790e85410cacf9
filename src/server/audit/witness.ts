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
 * that more existed. The file holds ids, counts and hashes, nothing about patients.
 */
export interface WitnessLine {
  seq: string;
  hash: string;
  events: number;
  lastEventId: string | null;
  at: string;
}

export type WitnessProblem =
  /** Seals from `seq` to `lastSeq` are in the witness but not in the database, with `events` events. */
  | { kind: 'witnessed_seal_missing'; seq: string; lastSeq: string; events: number; lastEventId: string | null }
  /** The database's seal `seq` is not the one the witness saw: the log was rewritten from there. */
  | { kind: 'witness_mismatch'; seq: string }
  /** A line of the witness file is not a witness line (line numbers from 1). */
  | { kind: 'witness_unreadable'; line: number };

export interface WitnessReport {
  path: string;
  /** Lines read from the witness (0 when the file does not exist yet). */
  witnessedSeals: number;
  lastWitnessedSeq: string | null;
  problem: WitnessProblem | undefined;
}

export class WitnessAheadError extends Error {
  constructor(readonly problem: WitnessProblem) {
    super(`the audit log does not match its witness (${problem.kind}${'seq' in problem ? ` at seal ${problem.seq}` : ''}): not sealing over it`);
    this.name = 'WitnessAheadError';
  }
}

function parseLine(text: string): WitnessLine | undefined {
  try {
    const value = JSON.parse(text) as Partial<WitnessLine>;
    if (typeof value.seq === 'string' && /^[0-9]+$/.test(value.seq) && typeof value.hash === 'string' && /^[0-9a-f]{64}$/.test(value.hash) && typeof value.events === 'number') {
      return { seq: value.seq, hash: value.hash, events: value.events, lastEventId: value.lastEventId ?? null, at: String(value.at ?? '') };
    }
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
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

/** The last complete line of the witness, read from its end; undefined when there is none. */
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
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter((line) => line.trim() !== '');
    const last = lines.at(-1);
    return last === undefined ? undefined : parseLine(last);
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
 * and each seal's hash chains the ones before it.
 */
export async function checkWitness(db: Executor, path: string): Promise<WitnessReport> {
  const { rows } = await sql<{ seq: string; hash: Buffer }>`select seq::text, hash from audit_seal order by audit_seal.seq`.execute(db);
  const sealHashes = new Map(rows.map((row) => [row.seq, Buffer.from(row.hash).toString('hex')]));
  let witnessedSeals = 0;
  let lastWitnessedSeq: string | null = null;
  let problem: WitnessProblem | undefined;
  let missing: { seq: string; lastSeq: string; events: number; lastEventId: string | null } | undefined;
  let lineNumber = 0;
  let stream;
  try {
    stream = createReadStream(path, { encoding: 'utf8' });
    for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNumber++;
      if (text.trim() === '') continue;
      const line = parseLine(text);
      if (!line) {
        problem ??= { kind: 'witness_unreadable', line: lineNumber };
        continue;
      }
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
  return { path, witnessedSeals, lastWitnessedSeq, problem };
}
