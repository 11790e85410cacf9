import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en';
import { nb } from '../../../src/renderer/src/i18n/nb';
import { backoffMs, jobErrorCode, JobError } from '../../../src/server/jobs/runner';
import { DomainError } from '../../../src/server/errors';
import { PERSON_DATA_CATEGORIES, RETENTION_CATEGORIES } from '../../../src/server/retention/categories';
import { PACKAGE_SECTIONS } from '../../../src/shared/dpo-export-schemas';
import { PACKAGE_FIELD_LABELS, PACKAGE_FIELDS, PACKAGE_SECTION_LABELS } from '../../../src/shared/dpo-package-labels';

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

  it('DPO-5: every category a request finds has a unique name, its words in Bokmål and English, and an access-package section with its words', () => {
    expect(new Set(PERSON_DATA_CATEGORIES.map((category) => category.name)).size).toBe(PERSON_DATA_CATEGORIES.length);
    for (const category of PERSON_DATA_CATEGORIES) {
      for (const key of [category.descriptionKey, `dpoErasure.categoryName.${category.name.replace(/\./g, '_')}`]) {
        expect(typeof lookup(nb, key), `nb ${key}`).toBe('string');
        expect(typeof lookup(en, key), `en ${key}`).toBe('string');
      }
      expect(PACKAGE_SECTIONS, category.name).toContain(category.packageSection);
    }
    for (const section of PACKAGE_SECTIONS) {
      expect(PACKAGE_SECTION_LABELS.nb[section]).toMatch(/\S/);
      expect(PACKAGE_SECTION_LABELS.en[section]).toMatch(/\S/);
      expect(lookup(nb, `dpoExports.package.sections.${section}`)).toBe(PACKAGE_SECTION_LABELS.nb[section]);
      expect(lookup(en, `dpoExports.package.sections.${section}`)).toBe(PACKAGE_SECTION_LABELS.en[section]);
    }
    for (const field of PACKAGE_FIELDS) {
      expect(lookup(nb, `dpoExports.package.fields.${field}`), field).toBe(PACKAGE_FIELD_LABELS.nb[field]);
      expect(lookup(en, `dpoExports.package.fields.${field}`), field).toBe(PACKAGE_FIELD_LABELS.en[field]);
      // Words, not the raw code the review showed before.
      expect(PACKAGE_FIELD_LABELS.nb[field]).not.toBe(field);
      expect(PACKAGE_FIELD_LABELS.en[field]).not.toBe(field);
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
