import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en';
import { nb } from '../../../src/renderer/src/i18n/nb';
import { backoffMs, jobErrorCode, JobError } from '../../../src/server/jobs/runner';
import { DomainError } from '../../../src/server/errors';
import { RETENTION_CATEGORIES } from '../../../src/server/retention/categories';

function lookup(catalogue: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
}

describe('the retention registry (DPO-6) and the job runner’s pure parts (PLAT-10)', () => {
  it('DPO-6: every category has a unique name and its description and keep-and-why texts exist in Bokmål and English', () => {
    expect(new Set(RETENTION_CATEGORIES.map((category) => category.name)).size).toBe(RETENTION_CATEGORIES.length);
    for (const category of RETENTION_CATEGORIES) {
      expect(category.keeps.length).toBeGreaterThan(0);
      for (const key of [category.descriptionKey, ...category.keeps]) {
        expect(typeof lookup(nb, key), `nb ${key}`).toBe('string');
        expect(typeof lookup(en, key), `en ${key}`).toBe('string');
      }
    }
  });

  it('PLAT-10: backoff doubles from the base and stops at the cap', () => {
    const options = { backoffBaseMs: 1_000, maxBackoffMs: 5_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, options))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('PLAT-10, AUD-2: a failure becomes a code; a message that is not a code is never kept', () => {
    expect(jobErrorCode(new JobError('remote_down'))).toBe('remote_down');
    expect(jobErrorCode(new JobError('Kari Nordmann was not home'))).toBe('handler_failed');
    expect(jobErrorCode(new DomainError('conflict', 'error.booking_changed'))).toBe('error.booking_changed');
    expect(jobErrorCode(new DomainError('bad_request', 'Ola at Storgata 1'))).toBe('domain_bad_request');
    expect(jobErrorCode(Object.assign(new Error('duplicate key (national_id)=(15076500050)'), { code: '23505' }))).toBe('sqlstate_23505');
    expect(jobErrorCode(new Error('anything'))).toBe('handler_failed');
  });
});
