import { describe, expect, it } from 'vitest';
import { ERROR_TEXT_KEYS } from '../../../src/renderer/src/lib/translate';
import { API_ERROR_MESSAGES } from '../../../src/shared/api-errors';

import { en } from '../../../src/renderer/src/i18n/en';
import { nb } from '../../../src/renderer/src/i18n/nb';
import {
  type NationalIdentityNumberFailureReason,
  nationalIdentityNumberErrorKey,
  nationalIdentityNumberSchema,
  parseNationalIdentityNumber,
} from '../../../src/shared/national-identity-number';
import {
  type OrganisationNumberFailureReason,
  organisationNumberErrorKey,
  organisationNumberSchema,
  parseOrganisationNumber,
} from '../../../src/shared/organisation-number';

/** Every leaf of a catalogue as dotted key → value (values that are not strings kept as they are). */
function flatten(catalogue: object, prefix = ''): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [leaf, leafValue] of flatten(value as object, path)) result.set(leaf, leafValue);
    } else {
      result.set(path, value);
    }
  }
  return result;
}

function variables(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((match) => match[1] ?? ''))].sort();
}

const CATALOGUES = { nb: flatten(nb), en: flatten(en) };

/**
 * Every failure reason of the shared validators. Typed as a record over the reason unions so that a
 * new reason fails the type check here until it is listed (and so checked in the catalogues).
 */
const NATIONAL_IDENTITY_NUMBER_REASONS: Record<NationalIdentityNumberFailureReason, true> = {
  format: true,
  date: true,
  checksum: true,
  synthetic_not_allowed: true,
};
const ORGANISATION_NUMBER_REASONS: Record<OrganisationNumberFailureReason, true> = { format: true, checksum: true };

const VALIDATOR_KEYS = [
  ...Object.keys(NATIONAL_IDENTITY_NUMBER_REASONS).map((reason) =>
    nationalIdentityNumberErrorKey(reason as NationalIdentityNumberFailureReason),
  ),
  ...Object.keys(ORGANISATION_NUMBER_REASONS).map((reason) =>
    organisationNumberErrorKey(reason as OrganisationNumberFailureReason),
  ),
];

describe('translation catalogues', () => {
  it('PLAT-4: nb and en have exactly the same keys, at every depth', () => {
    expect([...CATALOGUES.en.keys()].sort()).toEqual([...CATALOGUES.nb.keys()].sort());
    expect(CATALOGUES.nb.size).toBeGreaterThan(10);
  });

  it.each(Object.entries(CATALOGUES))('PLAT-4: every %s entry is a non-empty string', (_language, messages) => {
    for (const [key, value] of messages) {
      expect(typeof value, key).toBe('string');
      expect((value as string).trim(), key).not.toBe('');
    }
  });

  it('PLAT-4: each key uses the same {{variables}} in nb and en', () => {
    for (const [key, value] of CATALOGUES.nb) {
      expect(variables(String(CATALOGUES.en.get(key))), key).toEqual(variables(String(value)));
    }
  });

  it('PLAT-4: the variable check sees variables (sanity check)', () => {
    expect(variables('{{field}} er for kort (minst {{ limit }}), {{field}}')).toEqual(['field', 'limit']);
    expect(variables(nb.connection.offlineBody)).toEqual(['seconds']);
  });
});

describe('error codes the backend sends', () => {
  /** The text under a dotted key, if the catalogue has one. */
  const textAt = (catalogue: unknown, key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);

  it('PLAT-4, PLAT-6: every shared error code (src/shared/api-errors.ts) is said by a text in nb and en', () => {
    expect(Object.keys(ERROR_TEXT_KEYS).sort()).toEqual(Object.values(API_ERROR_MESSAGES).sort());
    const missing = Object.entries(ERROR_TEXT_KEYS).flatMap(([code, key]) =>
      [['nb', nb] as const, ['en', en] as const].filter(([, catalogue]) => typeof textAt(catalogue, key) !== 'string').map(([language]) => `${language}: ${code} → ${key}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('validation keys of the shared validators', () => {
  it('PLAT-6: the listed reasons are the ones the validators produce', () => {
    const valid = numberWithCheckDigits('170590'); // 17.05.1990
    const lastDigit = Number(valid.at(-1));
    const nin = [
      '1234', // format
      `${valid.slice(0, 10)}${(lastDigit + 1) % 10}`, // checksum
      numberWithCheckDigits('320190'), // date: day 32
      numberWithCheckDigits('310290'), // date: 31 February
      numberWithCheckDigits('174590'), // synthetic (H-number, month + 40) outside demo
    ];
    const produced = new Set<string>();
    expect(parseNationalIdentityNumber(valid).ok).toBe(true);
    for (const input of nin) {
      const result = parseNationalIdentityNumber(input);
      expect(result.ok, input).toBe(false);
      if (!result.ok) produced.add(nationalIdentityNumberErrorKey(result.reason));
    }
    for (const input of ['1234', '923609017']) {
      const result = parseOrganisationNumber(input);
      expect(result.ok, input).toBe(false);
      if (!result.ok) produced.add(organisationNumberErrorKey(result.reason));
    }
    expect([...produced].sort()).toEqual([...VALIDATOR_KEYS].sort());
  });

  it('PLAT-6: the zod schemas of the validators produce only listed keys', () => {
    const messages = new Set<string>();
    for (const input of [42, '1234', '01010112345', numberWithCheckDigits('174590'), numberWithCheckDigits('320190')]) {
      const result = nationalIdentityNumberSchema().safeParse(input);
      for (const issue of result.error?.issues ?? []) messages.add(issue.message);
    }
    for (const input of [42, '1234', '923609017']) {
      const result = organisationNumberSchema().safeParse(input);
      for (const issue of result.error?.issues ?? []) messages.add(issue.message);
    }
    expect(messages.size).toBeGreaterThan(0);
    for (const message of messages) expect(VALIDATOR_KEYS).toContain(message);
  });

  it.each(VALIDATOR_KEYS)('PLAT-4, PLAT-6: %s is translated in nb and en', (key) => {
    for (const [language, messages] of Object.entries(CATALOGUES)) {
      expect(typeof messages.get(key), `${language}: ${key}`).toBe('string');
    }
  });
});

/** An 11-digit number starting with these six digits, with the first individual number that has valid check digits. */
function numberWithCheckDigits(sixDigits: string): string {
  const check = (digits: number[], weights: number[]): number | null => {
    const sum = weights.reduce((total, weight, i) => total + weight * (digits[i] ?? 0), 0);
    const k = 11 - (sum % 11);
    return k === 11 ? 0 : k === 10 ? null : k;
  };
  for (let individual = 0; individual < 500; individual++) {
    const nine = `${sixDigits}${String(individual).padStart(3, '0')}`;
    const digits = Array.from(nine, Number);
    const k1 = check(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    const k2 = k1 === null ? null : check([...digits, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (k1 !== null && k2 !== null) return `${nine}${k1}${k2}`;
  }
  throw new Error(`no valid check digits for ${sixDigits}`);
}
