import { describe, expect, it } from 'vitest';

import {
  isValidNationalIdentityNumber,
  nationalIdentityNumberErrorKey,
  nationalIdentityNumberSchema,
  normalizeNationalIdentityNumber,
  parseNationalIdentityNumber,
} from '../../../src/shared/national-identity-number';

// All check digits below were computed independently (not with the module under test).

/** Public test numbers (NAV test data) and generated ones, with what they should parse to. */
const VALID_FNR: ReadonlyArray<readonly [string, string, 'female' | 'male']> = [
  ['11057523044', '1975-05-11', 'female'],
  ['26117512737', '1975-11-26', 'male'],
  ['26104500284', '1945-10-26', 'female'],
  ['24116324268', '1963-11-24', 'female'],
  ['04096222195', '1962-09-04', 'male'],
  ['05126307952', '1963-12-05', 'male'],
  ['29100207042', '1902-10-29', 'female'],
  ['15078500007', '1985-07-15', 'female'],
  // individual number 500–749 with year 54–99: 1854–1899
  ['01036050183', '1860-03-01', 'male'],
  // individual number 500–999 with year 00–39: 2000–2039
  ['31121750069', '2017-12-31', 'female'],
  ['01013999046', '2039-01-01', 'female'],
  // individual number 900–999 with year 40–99: 1940–1999
  ['01014090017', '1940-01-01', 'female'],
  ['31129990077', '1999-12-31', 'female'],
  // leap days
  ['29020050088', '2000-02-29', 'female'],
  ['29029600013', '1996-02-29', 'female'],
];

const VALID_DNR: ReadonlyArray<readonly [string, string, 'female' | 'male']> = [
  ['51106297510', '1962-10-11', 'male'],
  ['45092528433', '1925-09-05', 'female'],
  ['68126952442', '1869-12-28', 'female'],
  ['70090678378', '2006-09-30', 'male'],
  ['67016464373', '1864-01-27', 'male'],
  ['43022014103', '1920-02-03', 'male'],
  ['41019000077', '1990-01-01', 'female'],
  ['71039000150', '1990-03-31', 'male'],
  ['69020050071', '2000-02-29', 'female'],
];

/** H-numbers (month + 40) and Tenor synthetic numbers (month + 80). */
const VALID_SYNTHETIC: ReadonlyArray<readonly [string, string]> = [
  ['15478500170', '1985-07-15'],
  ['01529000185', '1990-12-01'],
  ['15878500072', '1985-07-15'],
  ['01929000087', '1990-12-01'],
  ['55812050086', '2020-01-15'], // Tenor D-number: day + 40 and month + 80
];

const ALL_VALID = [
  ...VALID_FNR.map(([n]) => n),
  ...VALID_DNR.map(([n]) => n),
  ...VALID_SYNTHETIC.map(([n]) => n),
];

describe('parseNationalIdentityNumber', () => {
  it.each(VALID_FNR)('accepts fødselsnummer %s', (input, birthDate, gender) => {
    expect(parseNationalIdentityNumber(input)).toEqual({
      ok: true,
      kind: 'fnr',
      value: input,
      birthDate,
      gender,
    });
  });

  it.each(VALID_DNR)('accepts D-number %s', (input, birthDate, gender) => {
    expect(parseNationalIdentityNumber(input)).toEqual({
      ok: true,
      kind: 'dnr',
      value: input,
      birthDate,
      gender,
    });
  });

  it.each(VALID_SYNTHETIC)('accepts synthetic %s only with allowSynthetic', (input, birthDate) => {
    expect(parseNationalIdentityNumber(input)).toEqual({ ok: false, reason: 'synthetic_not_allowed' });
    expect(parseNationalIdentityNumber(input, { allowSynthetic: false })).toEqual({
      ok: false,
      reason: 'synthetic_not_allowed',
    });
    expect(isValidNationalIdentityNumber(input)).toBe(false);
    const result = parseNationalIdentityNumber(input, { allowSynthetic: true });
    expect(result).toMatchObject({ ok: true, kind: 'synthetic', birthDate });
    expect(isValidNationalIdentityNumber(input, { allowSynthetic: true })).toBe(true);
  });

  it('still accepts ordinary numbers when synthetic ones are allowed', () => {
    expect(parseNationalIdentityNumber('11057523044', { allowSynthetic: true })).toMatchObject({
      ok: true,
      kind: 'fnr',
    });
    expect(parseNationalIdentityNumber('51106297510', { allowSynthetic: true })).toMatchObject({
      ok: true,
      kind: 'dnr',
    });
  });

  it('rejects every single-digit mutation of every valid number', () => {
    let checked = 0;
    for (const valid of ALL_VALID) {
      for (let position = 0; position < valid.length; position++) {
        for (let digit = 0; digit <= 9; digit++) {
          if (String(digit) === valid[position]) continue;
          const mutated = valid.slice(0, position) + String(digit) + valid.slice(position + 1);
          const result = parseNationalIdentityNumber(mutated, { allowSynthetic: true });
          expect(result.ok, `${valid} -> ${mutated}`).toBe(false);
          expect(result).toEqual({ ok: false, reason: 'checksum' });
          checked++;
        }
      }
    }
    expect(checked).toBe(ALL_VALID.length * 11 * 9);
  });

  it('rejects a number whose first check digit would have to be 10', () => {
    // 15.07.85, individual number 006: the weighted sum leaves remainder 1, so no K1 exists.
    for (let tail = 0; tail < 100; tail++) {
      const input = `150785006${String(tail).padStart(2, '0')}`;
      expect(parseNationalIdentityNumber(input)).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('rejects a number whose second check digit would have to be 10', () => {
    // 1507850035 has a valid K1 but no possible K2.
    for (let k2 = 0; k2 <= 9; k2++) {
      expect(parseNationalIdentityNumber(`1507850035${k2}`)).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('rejects the all-zero and other trivial numbers', () => {
    expect(isValidNationalIdentityNumber('00000000000')).toBe(false);
    expect(isValidNationalIdentityNumber('12345678910')).toBe(false);
    expect(isValidNationalIdentityNumber('11111111111')).toBe(false);
  });

  // Correct check digits, impossible dates.
  it.each([
    ['31029000096', '31 February'],
    ['29020000064', '29 February 1900 (not a leap year)'],
    ['29020150260', '29 February 2001'],
    ['01139000001', 'month 13'],
    ['01009000093', 'month 00'],
    ['00019000044', 'day 00'],
    ['32019000035', 'day 32'],
    ['40019000038', 'day 40'],
    ['72019000029', 'D-number day 72'],
    ['70029000040', 'D-number 30 February'],
    ['01619000052', 'month 61'],
    ['81234500090', 'FH-number (first digit 8)'],
    ['01014550050', 'individual number 500–749 with year 40–53: no century'],
    ['01017075043', 'individual number 750–899 with year 70: no century'],
    ['01016075015', 'individual number 750–899 with year 60: no century'],
  ])('rejects %s (%s) as a bad date', (input) => {
    expect(parseNationalIdentityNumber(input, { allowSynthetic: true })).toEqual({ ok: false, reason: 'date' });
    expect(parseNationalIdentityNumber(input)).toMatchObject({ ok: false });
  });

  it('rejects synthetic month offsets outside the known ranges and impossible synthetic dates', () => {
    // month 53 (H, 40 + 13) and 93 (Tenor, 80 + 13)
    expect(parseNationalIdentityNumber('01539000094', { allowSynthetic: true })).toEqual({ ok: false, reason: 'date' });
    expect(parseNationalIdentityNumber('01939000077', { allowSynthetic: true })).toEqual({ ok: false, reason: 'date' });
    // Tenor 31 February
    expect(parseNationalIdentityNumber('31829000051', { allowSynthetic: true })).toEqual({ ok: false, reason: 'date' });
  });

  describe('format', () => {
    it('trims surrounding whitespace and allows one space between the date and the individual part', () => {
      for (const input of [' 11057523044', '11057523044 ', '\t11057523044\n', '110575 23044', '  110575 23044  ']) {
        expect(parseNationalIdentityNumber(input)).toMatchObject({ ok: true, value: '11057523044' });
      }
      expect(normalizeNationalIdentityNumber(' 110575 23044 ')).toBe('11057523044');
    });

    it.each([
      '',
      '   ',
      '1105752304', // 10 digits
      '110575230440', // 12 digits
      '1',
      '110575  23044', // two spaces
      '1105 7523044', // space in the wrong place
      '110 575 230 44',
      '110575\u00a023044', // no-break space inside
      '110575-23044',
      '110575.23044',
      '1105752304a',
      'abcdefghijk',
      '+1057523044',
      '-1057523044',
      '1.057523044',
      '1e10',
      '١١٠٥٧٥٢٣٠٤٤', // Arabic-Indic digits
      '1105752304١',
      '１１０５７５２３０４４', // full-width digits
      '1105752304４',
    ])('rejects %j as format', (input) => {
      expect(parseNationalIdentityNumber(input)).toEqual({ ok: false, reason: 'format' });
      expect(isValidNationalIdentityNumber(input, { allowSynthetic: true })).toBe(false);
    });

    it.each([null, undefined, 11057523044, {}, [], true])('rejects non-string input %j', (input) => {
      expect(parseNationalIdentityNumber(input as unknown as string)).toEqual({ ok: false, reason: 'format' });
      expect(isValidNationalIdentityNumber(input as unknown as string)).toBe(false);
      expect(normalizeNationalIdentityNumber(input)).toBeNull();
    });
  });
});

describe('nationalIdentityNumberSchema', () => {
  it('outputs the normalized number', () => {
    expect(nationalIdentityNumberSchema().parse(' 110575 23044 ')).toBe('11057523044');
  });

  it.each([
    ['11057523045', 'checksum'],
    ['31029000096', 'date'],
    ['1105752304', 'format'],
    ['15878500072', 'synthetic_not_allowed'],
  ] as const)('reports %s with the i18n key for %s', (input, reason) => {
    const result = nationalIdentityNumberSchema().safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toBe(`validation.nationalIdentityNumber.${reason}`);
    expect(result.error?.issues[0]?.message).toBe(nationalIdentityNumberErrorKey(reason));
  });

  it('accepts synthetic numbers only when built with allowSynthetic', () => {
    expect(nationalIdentityNumberSchema().safeParse('15478500170').success).toBe(false);
    expect(nationalIdentityNumberSchema({ allowSynthetic: true }).safeParse('15478500170')).toEqual({
      success: true,
      data: '15478500170',
    });
  });

  it.each([null, undefined, 11057523044])('reports non-string %j as format', (input) => {
    const result = nationalIdentityNumberSchema().safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('validation.nationalIdentityNumber.format');
  });

  it('composes with optional()', () => {
    const schema = nationalIdentityNumberSchema().optional();
    expect(schema.parse(undefined)).toBeUndefined();
    expect(schema.parse('11057523044')).toBe('11057523044');
  });
});
