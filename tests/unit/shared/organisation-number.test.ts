import { describe, expect, it } from 'vitest';

import {
  isValidOrganisationNumber,
  normalizeOrganisationNumber,
  organisationNumberErrorKey,
  organisationNumberSchema,
  parseOrganisationNumber,
} from '../../../src/shared/organisation-number';

// Real organisation numbers from Enhetsregisteret, plus generated ones (check digits computed
// independently).
const VALID = [
  '923609016', // Equinor ASA
  '974760673', // Brønnøysundregistrene
  '971526157',
  '983544622',
  '889640782',
  '900000030', // check digit 0 (computed 11)
];

describe('parseOrganisationNumber', () => {
  it.each(VALID)('accepts %s', (input) => {
    expect(parseOrganisationNumber(input)).toEqual({ ok: true, value: input });
    expect(isValidOrganisationNumber(input)).toBe(true);
  });

  it('rejects every single-digit mutation of every valid number', () => {
    let checked = 0;
    for (const valid of VALID) {
      for (let position = 0; position < valid.length; position++) {
        for (let digit = 0; digit <= 9; digit++) {
          if (String(digit) === valid[position]) continue;
          const mutated = valid.slice(0, position) + String(digit) + valid.slice(position + 1);
          expect(isValidOrganisationNumber(mutated), `${valid} -> ${mutated}`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBe(VALID.length * 9 * 9);
  });

  it('reports a wrong check digit as checksum', () => {
    expect(parseOrganisationNumber('923609017')).toEqual({ ok: false, reason: 'checksum' });
    expect(parseOrganisationNumber('974760672')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('rejects numbers whose check digit would have to be 10', () => {
    // 90000009x: the weighted sum leaves remainder 1.
    for (let check = 0; check <= 9; check++) {
      expect(parseOrganisationNumber(`90000009${check}`)).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('rejects numbers not starting with 8 or 9, even with a correct check digit', () => {
    expect(parseOrganisationNumber('700000001')).toEqual({ ok: false, reason: 'format' });
  });

  it('accepts surrounding whitespace and the 3-3-3 grouping', () => {
    for (const input of [' 923609016 ', '923 609 016', '\t923 609016\n', '923609 016']) {
      expect(parseOrganisationNumber(input)).toEqual({ ok: true, value: '923609016' });
    }
    expect(normalizeOrganisationNumber(' 974 760 673 ')).toBe('974760673');
  });

  it.each([
    '',
    '   ',
    '92360901', // 8 digits
    '9236090160', // 10 digits
    '92 3609016',
    '923  609016',
    '923-609-016',
    '923.609.016',
    '92360901a',
    'NO923609016MVA',
    '٩٢٣٦٠٩٠١٦', // Arabic-Indic digits
    '９２３６０９０１６', // full-width digits
  ])('rejects %j as format', (input) => {
    expect(parseOrganisationNumber(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([null, undefined, 923609016, {}])('rejects non-string input %j', (input) => {
    expect(parseOrganisationNumber(input as unknown as string)).toEqual({ ok: false, reason: 'format' });
    expect(isValidOrganisationNumber(input as unknown as string)).toBe(false);
  });
});

describe('organisationNumberSchema', () => {
  it('outputs the normalized number', () => {
    expect(organisationNumberSchema().parse('923 609 016')).toBe('923609016');
  });

  it.each([
    ['923609017', 'checksum'],
    ['12345', 'format'],
    [null, 'format'],
    [923609016, 'format'],
  ] as const)('reports %j with the i18n key for %s', (input, reason) => {
    const result = organisationNumberSchema().safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(`validation.organisationNumber.${reason}`);
    expect(result.error?.issues[0]?.message).toBe(organisationNumberErrorKey(reason));
  });
});
