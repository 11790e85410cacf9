import { describe, expect, it } from 'vitest';
import { witnessPathFromArgs } from '../../../src/server/audit/witness-args';

describe('the witness a verify command uses (AUD-4, ADR 0007)', () => {
  it('AUD-4: the configured witness unless one is named or --no-witness is given', () => {
    expect(witnessPathFromArgs([], '/data/audit-witness.jsonl')).toBe('/data/audit-witness.jsonl');
    expect(witnessPathFromArgs([], undefined)).toBeUndefined();
    expect(witnessPathFromArgs(['--witness=/elsewhere/w.jsonl'], '/data/audit-witness.jsonl')).toBe('/elsewhere/w.jsonl');
    expect(witnessPathFromArgs(['--witness', '/elsewhere/w.jsonl'], undefined)).toBe('/elsewhere/w.jsonl');
    expect(witnessPathFromArgs(['--no-witness'], '/data/audit-witness.jsonl')).toBeUndefined();
  });

  it('AUD-4: --witness without a file is an error, not a silent check without one', () => {
    expect(() => witnessPathFromArgs(['--witness'], '/data/audit-witness.jsonl')).toThrow(/needs a file/);
    expect(() => witnessPathFromArgs(['--witness', '--verbose'], undefined)).toThrow(/needs a file/);
  });
});
