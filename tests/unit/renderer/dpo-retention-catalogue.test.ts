import { describe, expect, it } from 'vitest';
import { RETIREMENT_HOLDS } from '../../../src/server/audit/retirement';
import { en } from '../../../src/renderer/src/i18n/en';
import { nb } from '../../../src/renderer/src/i18n/nb';

function lookup(catalogue: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), catalogue);
}

describe.each(Object.entries({ nb, en }))('the %s catalogue', (_language, catalogue) => {
  it('DPO-6: every reason a month past ten years is kept has words on the retention page', () => {
    for (const reason of RETIREMENT_HOLDS) expect(typeof lookup(catalogue, `dpoReport.retention.auditLog.reasons.${reason}`), reason).toBe('string');
  });

  it('DPO-6, DPO-8: the integrity page names a mismatch of the retirement records, and says how many events went with retired months', () => {
    expect(typeof lookup(catalogue, 'dpoIntegrity.problems.retirement_mismatch')).toBe('string');
    expect(typeof lookup(catalogue, 'dpoIntegrity.retired')).toBe('string');
  });
});
