import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendRetirementsToWitness, appendToWitness, lastWitnessLine } from '../../../src/server/audit/witness';

/** The file as it holds seal lines and retirement lines (ADR 0003, ADR 0007). */
describe('the seal witness with retired months in it (AUD-4, DPO-6)', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });
  async function witnessFile(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'jk-witness-'));
    folders.push(folder);
    return join(folder, 'audit-witness.jsonl');
  }
  const seal = (seq: number) => ({ seq: String(seq), hash: seq.toString(16).padStart(64, '0'), events: 5, lastEventId: String(seq * 5), at: '2036-01-02T03:04:05.000Z' });
  const retirement = (month: number) => ({ month: `2026-${String(month).padStart(2, '0')}`, firstSeq: '1', lastSeq: '2', chainHash: 'ab'.repeat(32), events: 7 });

  it('AUD-4, DPO-6: the sealer’s last witnessed seal is the last seal line, past any number of retirement lines after it (read from the end in chunks)', async () => {
    const path = await witnessFile();
    await appendToWitness(path, [seal(1), seal(2), seal(3)]);
    // Enough retirement lines to fill several of the chunks read from the end.
    await appendRetirementsToWitness(path, Array.from({ length: 12 }, (_, index) => retirement(index + 1)), new Date('2036-01-02T00:00:00Z'));
    await appendRetirementsToWitness(path, Array.from({ length: 12 }, (_, index) => retirement(index + 1)), new Date('2036-02-02T00:00:00Z'));
    await appendRetirementsToWitness(path, Array.from({ length: 12 }, (_, index) => retirement(index + 1)), new Date('2036-03-02T00:00:00Z'));
    expect(await lastWitnessLine(path)).toEqual(seal(3));
    await appendToWitness(path, [seal(4)]);
    expect(await lastWitnessLine(path)).toEqual(seal(4));
  });

  it('AUD-4: a witness of retirement lines only has no last seal; an unreadable newest line still gives none, as before', async () => {
    const path = await witnessFile();
    expect(await lastWitnessLine(path)).toBeUndefined();
    await appendRetirementsToWitness(path, [retirement(1)], new Date('2036-01-02T00:00:00Z'));
    expect(await lastWitnessLine(path)).toBeUndefined();
    await appendToWitness(path, [seal(1)]);
    await appendFile(path, '{"seq":"2","ha');
    expect(await lastWitnessLine(path)).toBeUndefined();
  });

  it('DPO-6: a retirement line also reads as a line of its last seal (seq, hash, events), so a reader that predates retirement lines stays valid', async () => {
    const path = await witnessFile();
    await appendRetirementsToWitness(path, [retirement(3)], new Date('2036-01-02T00:00:00Z'));
    const line = JSON.parse((await readFile(path, 'utf8')).trim()) as Record<string, unknown>;
    expect(line).toEqual({ kind: 'retired', seq: '2', hash: 'ab'.repeat(32), events: 7, lastEventId: null, at: '2036-01-02T00:00:00.000Z', month: '2026-03', firstSeq: '1' });
  });
});
